// Byte-level BPE against real tokenizer.json files (Qwen3, Llama 3) and the reference ids of an
// independent implementation (tokenizers/*/reference.json of the test data, tests/data/README.md).

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "test_paths.h"
#include "text/tokenizer/tokenizer.h"

namespace fastchat::tokenizer {
namespace {

using ::fastchat::testing::test_data_dir;

std::filesystem::path tokenizer_dir(const std::string& name) {
  return test_data_dir() / "tokenizers" / name;
}

// Loading a 150k-token vocabulary takes a while: each tokenizer is loaded once per binary.
const Tokenizer& shared_tokenizer(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Tokenizer>> cache;
  auto& slot = cache[name];
  if (!slot) slot = load_tokenizer(tokenizer_dir(name));
  return *slot;
}

nlohmann::json reference(const std::string& name) {
  std::ifstream in(tokenizer_dir(name) / "reference.json");
  return nlohmann::json::parse(in);
}

class TokenizerReferenceTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TokenizerReferenceTest, EncodeMatchesReferenceIdsExactly) {
  const Tokenizer& tok = shared_tokenizer(GetParam());
  const auto ref = reference(GetParam());
  ASSERT_GE(ref["cases"].size(), 20u);
  for (const auto& c : ref["cases"]) {
    const std::string text = c["text"].get<std::string>();
    const auto expected = c["ids"].get<std::vector<int32_t>>();
    EXPECT_EQ(tok.encode(text, false), expected) << "text: " << text;
  }
}

TEST_P(TokenizerReferenceTest, DecodeMatchesReferenceText) {
  const Tokenizer& tok = shared_tokenizer(GetParam());
  const auto ref = reference(GetParam());  // alive for the whole loop
  for (const auto& c : ref["cases"]) {
    const auto ids = c["ids"].get<std::vector<int32_t>>();
    EXPECT_EQ(tok.decode(ids, false), c["decoded"].get<std::string>());
  }
}

TEST_P(TokenizerReferenceTest, EncodeIsSafeFromManyThreads) {
  const Tokenizer& tok = shared_tokenizer(GetParam());
  const auto cases = reference(GetParam())["cases"];
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        for (const auto& c : cases) {
          if (tok.encode(c["text"].get<std::string>(), false) !=
              c["ids"].get<std::vector<int32_t>>()) {
            ++failures[t];
          }
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

// Deterministic text of made-up words, so the word cache rarely helps.
std::string varied_text(std::size_t bytes) {
  static const std::vector<std::string> pieces{"a", "e",  "i", "o", "u", "st", "r", "n", "th", "k",
                                               "é", "日", "ß", "z", "m", "ou", "p", "l", "ch", "v"};
  uint32_t state = 12345;
  auto next = [&] { return state = state * 1664525u + 1013904223u, state >> 8; };
  std::string text;
  while (text.size() < bytes) {
    const uint32_t length = 1 + next() % 6;
    for (uint32_t i = 0; i < length; ++i) text += pieces[next() % pieces.size()];
    const uint32_t sep = next() % 10;
    text += sep == 0 ? ", " : sep == 1 ? ". " : sep == 2 ? "\n" : sep == 3 ? " 42 " : " ";
  }
  return text;
}

// 100 KB texts round-trip exactly (encoding speed is measured by `fastchat-bench tokenizer`).
TEST_P(TokenizerReferenceTest, HundredKilobytesRoundTrip) {
  const Tokenizer& tok = shared_tokenizer(GetParam());
  std::string repeated;
  const auto cases = reference(GetParam())["cases"];
  while (repeated.size() < 100 * 1024) {
    for (const auto& c : cases) repeated += c["text"].get<std::string>() + "\n";
  }
  for (const auto& text : {repeated, varied_text(100 * 1024)}) {
    const auto ids = tok.encode(text, false);
    EXPECT_GT(ids.size(), text.size() / 16);
    EXPECT_EQ(tok.decode(ids, false), text);
  }
}

INSTANTIATE_TEST_SUITE_P(Tokenizer, TokenizerReferenceTest, ::testing::Values("qwen3", "llama3"));

TEST(TokenizerBpeTest, QwenSpecialTokens) {
  const Tokenizer& tok = shared_tokenizer("qwen3");
  EXPECT_EQ(tok.vocab_size(), 151669);
  EXPECT_EQ(tok.bos_id(), std::nullopt);
  EXPECT_EQ(tok.eos_id(), 151645);  // <|im_end|>
  EXPECT_EQ(tok.token_to_id("<|im_start|>"), 151644);
  EXPECT_EQ(tok.token_to_id("Hello"), 9707);
  EXPECT_EQ(tok.token_to_id("no such token"), std::nullopt);
  EXPECT_TRUE(tok.is_special(151644));
  EXPECT_FALSE(tok.is_special(9707));
  // Qwen adds nothing around the text.
  EXPECT_EQ(tok.encode("Hello", true), tok.encode("Hello", false));

  const auto ids = tok.encode("<|im_start|>user\nhi<|im_end|>", false);
  ASSERT_EQ(ids.front(), 151644);
  ASSERT_EQ(ids.back(), 151645);
  EXPECT_EQ(tok.decode(ids, true), "user\nhi");
  EXPECT_EQ(tok.decode(ids, false), "<|im_start|>user\nhi<|im_end|>");
}

TEST(TokenizerBpeTest, LlamaSpecialTokens) {
  const Tokenizer& tok = shared_tokenizer("llama3");
  EXPECT_EQ(tok.vocab_size(), 128256);
  EXPECT_EQ(tok.bos_id(), 128000);
  EXPECT_EQ(tok.eos_id(), 128001);
  EXPECT_TRUE(tok.is_special(128000));
  // This tokenizer.json's post-processor is plain ByteLevel and tokenizer_config.json has no
  // add_bos_token, so (as with Hugging Face) no BOS is added; chat templates add it instead.
  EXPECT_EQ(tok.encode("Hello", true), tok.encode("Hello", false));
  const std::vector<int32_t> ids{128000, 9906, 128001};
  EXPECT_EQ(tok.decode(ids, true), "Hello");
  EXPECT_EQ(tok.decode(ids, false), "<|begin_of_text|>Hello<|end_of_text|>");
}

TEST(TokenizerBpeTest, DecodeReplacesBrokenBytesAndSkipsUnknownIds) {
  const Tokenizer& tok = shared_tokenizer("qwen3");
  const auto robot = tok.encode(" 🤖", false);
  ASSERT_GE(robot.size(), 2u);  // the emoji is split over byte-level tokens
  EXPECT_EQ(tok.decode(std::span(robot).first(1), false), " \xEF\xBF\xBD");
  EXPECT_EQ(tok.decode(robot, false), " 🤖");
  const std::vector<int32_t> out_of_range{-1, 9707, 999999};
  EXPECT_EQ(tok.decode(out_of_range, false), "Hello");
}

TEST(TokenizerBpeTest, InvalidUtf8InputIsRepairedNotRejected) {
  const Tokenizer& tok = shared_tokenizer("llama3");
  const auto ids = tok.encode(
      "ab\xFF"
      "cd",
      false);
  EXPECT_EQ(tok.decode(ids, false),
            "ab\xEF\xBF\xBD"
            "cd");
}

TEST(TokenizerBpeTest, ConfigAddBosTokenPrependsBos) {
  // The llama3 tokenizer.json with a tokenizer_config.json that asks for BOS (as Meta's does
  // through its post-processor).
  const auto dir = ::fastchat::testing::make_temp_dir("tokenizer-bos");
  std::filesystem::create_symlink(tokenizer_dir("llama3") / "tokenizer.json",
                                  dir / "tokenizer.json");
  std::ofstream(dir / "tokenizer_config.json")
      << R"({"add_bos_token": true, "add_eos_token": true, "bos_token": "<|begin_of_text|>",
            "eos_token": "<|end_of_text|>"})";
  const auto tok = load_tokenizer(dir);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(tok->encode("Hello", true), (std::vector<int32_t>{128000, 9906, 128001}));
  EXPECT_EQ(tok->encode("Hello", false), (std::vector<int32_t>{9906}));
}

}  // namespace
}  // namespace fastchat::tokenizer
