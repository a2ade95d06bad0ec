// Streaming detokenization: concatenated chunks equal the text in context, chunks are always
// whole UTF-8 characters, and leading spaces survive.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "test_paths.h"
#include "text/tokenizer/incremental_detokenizer.h"
#include "text/tokenizer/tokenizer.h"
#include "text/tokenizer/utf8.h"

namespace fastchat::tokenizer {
namespace {

using ::fastchat::testing::test_data_dir;

const Tokenizer& shared_tokenizer(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Tokenizer>> cache;
  auto& slot = cache[name];
  if (!slot) {
    slot = load_tokenizer(name == "stories260K" ? test_data_dir() / "models" / name
                                                : test_data_dir() / "tokenizers" / name);
  }
  return *slot;
}

bool has_replacement(const std::string& text) {
  return text.find("\xEF\xBF\xBD") != std::string::npos;
}

struct Streamed {
  std::vector<std::string> chunks;  // one per push, then the flush
  std::string text;
};

Streamed stream(const Tokenizer& tok, const std::vector<int32_t>& prompt,
                const std::vector<int32_t>& generated, bool skip_special = true) {
  IncrementalDetokenizer detok(tok, prompt, skip_special);
  Streamed out;
  for (int32_t id : generated) {
    out.chunks.push_back(detok.push(id));
    out.text += out.chunks.back();
  }
  out.chunks.push_back(detok.flush());
  out.text += out.chunks.back();
  EXPECT_EQ(detok.output_ids(), generated);
  return out;
}

TEST(TokenizerDetokenizerTest, StoriesReferenceContinuations) {
  std::ifstream in(test_data_dir() / "models" / "stories260K" / "reference.json");
  const auto reference = nlohmann::json::parse(in);
  for (const auto& result : reference["results"]) {
    const Streamed out =
        stream(shared_tokenizer("stories260K"), result["prompt_ids"].get<std::vector<int32_t>>(),
               result["generated_ids"].get<std::vector<int32_t>>());
    EXPECT_EQ(out.text, result["generated_text"].get<std::string>());
  }
}

TEST(TokenizerDetokenizerTest, FirstTokenKeepsItsLeadingSpace) {
  const Tokenizer& tok = shared_tokenizer("stories260K");
  const int32_t go = 298;  // "▁g", the first generated token after "Lily wanted to"
  ASSERT_EQ(tok.token_to_id("\u2581g"), go);
  IncrementalDetokenizer detok(tok, tok.encode("Lily wanted to", true));
  EXPECT_EQ(detok.push(go), " g");
  // At the very start of the text the dummy-prefix space is dropped, as in decode().
  IncrementalDetokenizer at_start(tok, std::vector<int32_t>{1});
  EXPECT_EQ(at_start.push(go), "g");
}

// Splits the ids of `prompt + continuation` (encoded together, in context) after the prompt's
// ids and checks streaming reproduces the continuation without ever emitting a broken char.
void expect_clean_stream(const std::string& model, const std::string& prompt,
                         const std::string& continuation, bool add_special) {
  const Tokenizer& tok = shared_tokenizer(model);
  const auto prompt_ids = tok.encode(prompt, add_special);
  const auto all_ids = tok.encode(prompt + continuation, add_special);
  ASSERT_TRUE(std::equal(prompt_ids.begin(), prompt_ids.end(), all_ids.begin())) << model;
  const std::vector<int32_t> generated(
      all_ids.begin() + static_cast<std::ptrdiff_t>(prompt_ids.size()), all_ids.end());
  const Streamed out = stream(tok, prompt_ids, generated);
  EXPECT_EQ(out.text, continuation) << model;
  int held = 0;
  for (const std::string& chunk : out.chunks) {
    EXPECT_FALSE(has_replacement(chunk)) << model << " chunk: " << chunk;
    EXPECT_TRUE(utf8::is_valid(chunk));
    if (chunk.empty()) ++held;
  }
  EXPECT_GT(held, 1) << model << ": multi-token characters should be held back";
}

TEST(TokenizerDetokenizerTest, ByteFallbackCharactersAreNeverSplit) {
  expect_clean_stream("stories260K", "Once upon a time", ", 日本 é 🎉 the end", true);
}

TEST(TokenizerDetokenizerTest, ByteLevelCharactersAreNeverSplit) {
  expect_clean_stream("qwen3", "Robot:", " 🤖 says 日本語 👍🏽 done", false);
  expect_clean_stream("llama3", "Robot:", " 🤖 says 日本語 👨‍👩‍👧 done", false);
}

TEST(TokenizerDetokenizerTest, FlushReleasesAnIncompleteCharacter) {
  const Tokenizer& tok = shared_tokenizer("qwen3");
  const auto robot = tok.encode(" 🤖", false);
  ASSERT_GE(robot.size(), 2u);
  IncrementalDetokenizer detok(tok, tok.encode("Hi", false));
  EXPECT_EQ(detok.push(robot[0]), "");
  EXPECT_EQ(detok.flush(), " \xEF\xBF\xBD");
  EXPECT_EQ(detok.flush(), "");
}

TEST(TokenizerDetokenizerTest, SpecialTokensFollowSkipFlag) {
  const Tokenizer& tok = shared_tokenizer("qwen3");
  const int32_t im_end = *tok.token_to_id("<|im_end|>");
  const auto hello = tok.encode(" hello", false);
  std::vector<int32_t> generated = hello;
  generated.push_back(im_end);
  EXPECT_EQ(stream(tok, {}, generated, true).text, " hello");
  EXPECT_EQ(stream(tok, {}, generated, false).text, " hello<|im_end|>");
}

TEST(TokenizerDetokenizerTest, LongStreamMatchesFullDecode) {
  for (const std::string model : {"qwen3", "llama3", "stories260K"}) {
    const Tokenizer& tok = shared_tokenizer(model);
    std::string text;
    for (int i = 0; i < 200; ++i) {
      text += "Line " + std::to_string(i) + ": naïve café 日本語 🤖 — \"quoted\"\n";
    }
    const auto ids = tok.encode(text, false);
    const Streamed out = stream(tok, {}, ids);
    EXPECT_EQ(out.text, tok.decode(ids, true)) << model;
    for (const std::string& chunk : out.chunks) EXPECT_FALSE(has_replacement(chunk)) << model;
  }
}

TEST(TokenizerDetokenizerTest, RunOfSkippedSpecialTokensStaysCorrect) {
  const Tokenizer& tok = shared_tokenizer("stories260K");
  std::vector<int32_t> generated = tok.encode("Once upon", false);
  for (int i = 0; i < 100; ++i) generated.push_back(2);  // </s>, skipped
  const auto tail = tok.encode("a time", false);
  generated.insert(generated.end(), tail.begin(), tail.end());
  EXPECT_EQ(stream(tok, {1}, generated).text, tok.decode(generated, true));
}

// Ids past the tokenizer's vocabulary (a padded or random-weight model samples them) add no
// text wherever they fall, even in long runs or between the bytes of one character.
TEST(TokenizerDetokenizerTest, IdsPastTheVocabularyAddNoText) {
  for (const std::string model : {"stories260K", "qwen3"}) {
    const Tokenizer& tok = shared_tokenizer(model);
    const int32_t past = tok.vocab_size();
    const auto known = tok.encode(" Once upon a time 🤖 naïve", false);
    std::vector<int32_t> generated;
    for (size_t i = 0; i < known.size(); ++i) {
      generated.push_back(known[i]);
      // More unknown ids after each token than a character may hold back (the emoji and "ï"
      // are split over byte tokens in both tokenizers).
      for (int k = 0; k < 12; ++k) generated.push_back(past + static_cast<int32_t>(i) * 100 + k);
      if (i == 2) {
        for (int k = 0; k < 200; ++k) generated.push_back(past + 1000 + k);
      }
    }
    const auto prompt = tok.encode("Hi", false);
    const Streamed out = stream(tok, prompt, generated);
    EXPECT_EQ(out.text, stream(tok, prompt, known).text) << model;
    EXPECT_NE(out.text.find("🤖 naïve"), std::string::npos) << model << ": " << out.text;
    for (const std::string& chunk : out.chunks) EXPECT_FALSE(has_replacement(chunk)) << model;
    // Nothing but unknown ids: no text at all, and no failure.
    const std::vector<int32_t> unknown(300, past + 7);
    EXPECT_EQ(stream(tok, {}, unknown).text, "") << model;
    EXPECT_EQ(stream(tok, {}, unknown, false).text, "") << model;
  }
}

}  // namespace
}  // namespace fastchat::tokenizer
