// load_tokenizer: which implementation a folder gets, and clear InvalidModel errors naming the
// offending file.

#include <gtest/gtest.h>

#include <fstream>

#include "common/error/error.h"
#include "test_paths.h"
#include "text/tokenizer/bpe_tokenizer.h"
#include "text/tokenizer/sentencepiece_tokenizer.h"
#include "text/tokenizer/tokenizer.h"

namespace fastchat::tokenizer {
namespace {

class TokenizerLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = ::fastchat::testing::make_temp_dir("tokenizer-loader"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
  }
  void link_stories(const std::string& name) {
    std::filesystem::create_symlink(
        ::fastchat::testing::test_data_dir() / "models" / "stories260K" / name, dir_ / name);
  }
  /// Runs load_tokenizer on the folder and returns the InvalidModel error message.
  std::string load_error(const std::filesystem::path& folder) {
    try {
      load_tokenizer(folder);
    } catch (const ErrorException& e) {
      EXPECT_EQ(e.error().code, ErrorCode::InvalidModel);
      return e.error().message;
    }
    ADD_FAILURE() << "load_tokenizer did not throw";
    return {};
  }

  std::filesystem::path dir_;
};

TEST_F(TokenizerLoaderTest, PicksImplementationByFile) {
  const auto shared = ::fastchat::testing::test_data_dir();
  const auto sp = load_tokenizer(shared / "models" / "stories260K");
  EXPECT_NE(dynamic_cast<const SentencePieceTokenizer*>(sp.get()), nullptr);
  const auto bpe = load_tokenizer(shared / "tokenizers" / "qwen3");
  EXPECT_NE(dynamic_cast<const BpeTokenizer*>(bpe.get()), nullptr);
}

TEST_F(TokenizerLoaderTest, MissingFolder) {
  const auto missing = dir_ / "nope";
  EXPECT_NE(load_error(missing).find(missing.string()), std::string::npos);
}

TEST_F(TokenizerLoaderTest, FolderWithoutTokenizerFiles) {
  write("config.json", "{}");
  const std::string message = load_error(dir_);
  EXPECT_NE(message.find("tokenizer.json"), std::string::npos) << message;
  EXPECT_NE(message.find(dir_.string()), std::string::npos) << message;
}

TEST_F(TokenizerLoaderTest, TokenizerJsonThatIsNotJson) {
  write("tokenizer.json", "{\"model\": ");
  const std::string message = load_error(dir_);
  EXPECT_NE(message.find((dir_ / "tokenizer.json").string()), std::string::npos) << message;
}

TEST_F(TokenizerLoaderTest, TokenizerJsonWithoutVocab) {
  write("tokenizer.json", R"({"model": {"type": "BPE", "merges": []},
                              "pre_tokenizer": {"type": "ByteLevel"}})");
  const std::string message = load_error(dir_);
  EXPECT_NE(message.find("tokenizer.json"), std::string::npos) << message;
  EXPECT_NE(message.find("vocab"), std::string::npos) << message;
}

TEST_F(TokenizerLoaderTest, UnsupportedModelType) {
  write("tokenizer.json", R"({"model": {"type": "WordPiece", "vocab": {"a": 0}}})");
  const std::string message = load_error(dir_);
  EXPECT_NE(message.find("tokenizer.json"), std::string::npos) << message;
  EXPECT_NE(message.find("WordPiece"), std::string::npos) << message;
}

TEST_F(TokenizerLoaderTest, UnsupportedPreTokenizer) {
  write("tokenizer.json", R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []},
                              "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                                {"type": "Whitespace"}, {"type": "ByteLevel"}]}})");
  const std::string message = load_error(dir_);
  EXPECT_NE(message.find("Whitespace"), std::string::npos) << message;
}

TEST_F(TokenizerLoaderTest, MergeWithUnknownToken) {
  write("tokenizer.json", R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]},
                              "pre_tokenizer": {"type": "ByteLevel"}})");
  const std::string message = load_error(dir_);
  EXPECT_NE(message.find("merges[0]"), std::string::npos) << message;
}

TEST_F(TokenizerLoaderTest, BrokenTokenizerConfig) {
  link_stories("tokenizer.model");
  write("tokenizer_config.json", "not json");
  const std::string message = load_error(dir_);
  EXPECT_NE(message.find("tokenizer_config.json"), std::string::npos) << message;
}

TEST_F(TokenizerLoaderTest, CorruptSentencePieceModel) {
  write("tokenizer.model", "this is not a protobuf");
  const std::string message = load_error(dir_);
  EXPECT_NE(message.find("tokenizer.model"), std::string::npos) << message;
}

TEST_F(TokenizerLoaderTest, SentencePieceWithoutConfigAddsBos) {
  link_stories("tokenizer.model");
  const auto tok = load_tokenizer(dir_);
  EXPECT_EQ(tok->encode("Once upon a time", true), (std::vector<int32_t>{1, 403, 407, 261, 378}));
}

TEST_F(TokenizerLoaderTest, SentencePieceHonorsAddBosFalse) {
  link_stories("tokenizer.model");
  write("tokenizer_config.json", R"({"add_bos_token": false, "add_eos_token": true})");
  const auto tok = load_tokenizer(dir_);
  EXPECT_EQ(tok->encode("Once upon a time", true), (std::vector<int32_t>{403, 407, 261, 378, 2}));
}

}  // namespace
}  // namespace fastchat::tokenizer
