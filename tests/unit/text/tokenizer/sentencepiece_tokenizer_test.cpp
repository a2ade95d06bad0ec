// SentencePiece (stories260K's tokenizer.model) as HF's LlamaTokenizer (legacy) behaves.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "test_paths.h"
#include "text/tokenizer/tokenizer.h"

namespace fastchat::tokenizer {
namespace {

std::filesystem::path stories_dir() {
  return ::fastchat::testing::test_data_dir() / "models" / "stories260K";
}

const Tokenizer& stories() {
  static const auto tok = load_tokenizer(stories_dir());
  return *tok;
}

nlohmann::json stories_reference() {
  std::ifstream in(stories_dir() / "reference.json");
  return nlohmann::json::parse(in);
}

TEST(TokenizerSentencePieceTest, EncodeAddsBosByDefault) {
  EXPECT_EQ(stories().encode("Once upon a time", true),
            (std::vector<int32_t>{1, 403, 407, 261, 378}));
  EXPECT_EQ(stories().encode("Once upon a time", false),
            (std::vector<int32_t>{403, 407, 261, 378}));
  EXPECT_EQ(stories().encode("", false), std::vector<int32_t>{});
}

// A model whose vocabulary is larger than its tokenizer's (padded, or random weights over
// 32000 ids with stories260K's 512) samples ids the tokenizer does not know: they decode as
// empty text, as HF's tokenizers and vLLM do, never as an error.
TEST(TokenizerSentencePieceTest, IdsPastTheVocabularyDecodeAsNothing) {
  const Tokenizer& tok = stories();
  ASSERT_EQ(tok.vocab_size(), 512);
  const std::vector<int32_t> known{403, 407, 261, 378};
  const std::vector<int32_t> mixed{512, 403, 31999, 407, -1, 261, 1 << 30, 378, 513};
  EXPECT_EQ(tok.decode(mixed, true), tok.decode(known, true));
  EXPECT_EQ(tok.decode(mixed, false), tok.decode(known, false));
  EXPECT_EQ(tok.decode(std::vector<int32_t>{512, 20000, 31999}, false), "");
  EXPECT_FALSE(tok.is_special(512));
  EXPECT_FALSE(tok.is_special(31999));
}

TEST(TokenizerSentencePieceTest, ReferencePromptsEncodeToTheirIds) {
  // Not `: stories_reference()["results"]`: the temporary dies before the loop runs.
  const auto reference = stories_reference();
  for (const auto& result : reference["results"]) {
    EXPECT_EQ(stories().encode(result["prompt"].get<std::string>(), true),
              result["prompt_ids"].get<std::vector<int32_t>>());
  }
}

TEST(TokenizerSentencePieceTest, DecodeFollowsLegacyLlamaSpaceRules) {
  // Not `: stories_reference()["results"]`: the temporary dies before the loop runs.
  const auto reference = stories_reference();
  for (const auto& result : reference["results"]) {
    auto ids = result["prompt_ids"].get<std::vector<int32_t>>();
    const auto generated = result["generated_ids"].get<std::vector<int32_t>>();
    ids.insert(ids.end(), generated.begin(), generated.end());
    EXPECT_EQ(stories().decode(ids, true), result["full_text"].get<std::string>());

    // generated_text is the continuation in context (" go on a walk..."). Decoded on its own,
    // the first piece is at the start of the text, where HF LlamaTokenizer (like SentencePiece)
    // drops its dummy-prefix space; the IncrementalDetokenizer keeps it (see its tests).
    std::string standalone = result["generated_text"].get<std::string>();
    if (!standalone.empty() && standalone.front() == ' ') standalone.erase(0, 1);
    EXPECT_EQ(stories().decode(generated, true), standalone);
  }
}

TEST(TokenizerSentencePieceTest, SpecialTokens) {
  const Tokenizer& tok = stories();
  EXPECT_EQ(tok.vocab_size(), 512);
  EXPECT_EQ(tok.bos_id(), 1);
  EXPECT_EQ(tok.eos_id(), 2);
  EXPECT_TRUE(tok.is_special(1));
  EXPECT_TRUE(tok.is_special(2));
  EXPECT_FALSE(tok.is_special(403));
  EXPECT_EQ(tok.token_to_id("<s>"), 1);
  EXPECT_EQ(tok.token_to_id("no-such-piece"), std::nullopt);
  const std::vector<int32_t> ids{1, 403, 407, 2};
  EXPECT_EQ(tok.decode(ids, true), "Once upon");
  EXPECT_EQ(tok.decode(ids, false), "<s>Once upon</s>");
  // Special tokens written in the text are matched, not spelled out.
  EXPECT_EQ(tok.encode("Once</s>", false), (std::vector<int32_t>{403, 2}));
}

TEST(TokenizerSentencePieceTest, ByteFallbackRoundTrips) {
  const Tokenizer& tok = stories();
  for (const std::string text : {"日本", "café", "party 🎉!"}) {
    const auto ids = tok.encode(text, false);
    EXPECT_GT(ids.size(), 2u) << text;
    EXPECT_EQ(tok.decode(ids, true), text);
  }
  // A lone lead byte cannot be decoded: it becomes U+FFFD.
  const auto ids = tok.encode("日", false);
  ASSERT_GE(ids.size(), 3u);
  EXPECT_NE(tok.decode(std::span(ids).first(ids.size() - 1), true).find("\xEF\xBF\xBD"),
            std::string::npos);
}

}  // namespace
}  // namespace fastchat::tokenizer
