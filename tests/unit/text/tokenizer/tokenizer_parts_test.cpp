// The building blocks on small synthetic inputs: UTF-8 repair, the byte alphabet, split
// behaviors, BPE merge order, ignore_merges, post-processor templates and added-token flags.

#include <gtest/gtest.h>

#include <deque>
#include <nlohmann/json.hpp>

#include "text/tokenizer/bpe_tokenizer.h"
#include "text/tokenizer/byte_level.h"
#include "text/tokenizer/pre_tokenizer.h"
#include "text/tokenizer/tokenizer_config.h"
#include "text/tokenizer/utf8.h"

namespace fastchat::tokenizer {
namespace {

using nlohmann::json;

TEST(TokenizerUtf8Test, SanitizeReplacesMaximalInvalidSubparts) {
  EXPECT_EQ(utf8::sanitize("plain ascii"), "plain ascii");
  EXPECT_EQ(utf8::sanitize("a\xFF"
                           "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(utf8::sanitize("\xE6\x97"), "\xEF\xBF\xBD");        // truncated 3-byte char
  EXPECT_EQ(utf8::sanitize("\xF0\x9F\x98x"), "\xEF\xBF\xBDx");  // truncated emoji
  EXPECT_EQ(utf8::sanitize("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_TRUE(utf8::is_valid("日本 🤖"));
  EXPECT_FALSE(utf8::is_valid("\xC0\x80"));
}

TEST(TokenizerByteLevelTest, AllBytesRoundTrip) {
  std::string bytes;
  for (int b = 0; b < 256; ++b) bytes.push_back(static_cast<char>(b));
  std::string text;
  byte_level::bytes_to_unicode(bytes, text);
  EXPECT_TRUE(utf8::is_valid(text));
  std::string back;
  ASSERT_TRUE(byte_level::unicode_to_bytes(text, back));
  EXPECT_EQ(back, bytes);
  std::string space;
  byte_level::bytes_to_unicode(" \n", space);
  EXPECT_EQ(space, "ĠĊ");
  EXPECT_FALSE(byte_level::unicode_to_bytes("日", back));
}

std::vector<std::string> split(const json& spec, std::string_view text) {
  PreTokenizer pre(spec, "test.json");
  std::vector<std::string_view> pieces;
  std::deque<std::string> arena;
  pre.split(text, pieces, arena);
  return {pieces.begin(), pieces.end()};
}

TEST(TokenizerPreTokenizerTest, SplitBehaviors) {
  auto spec = [](const std::string& behavior) {
    return json{{"type", "Split"}, {"pattern", {{"String", "-"}}}, {"behavior", behavior}};
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(split(spec("Isolated"), "a-b--c"), (V{"a", "-", "b", "-", "-", "c"}));
  EXPECT_EQ(split(spec("Removed"), "a-b--c"), (V{"a", "b", "c"}));
  EXPECT_EQ(split(spec("MergedWithPrevious"), "a-b--c"), (V{"a-", "b-", "-", "c"}));
  EXPECT_EQ(split(spec("MergedWithNext"), "a-b--c"), (V{"a", "-b", "-", "-c"}));
  EXPECT_EQ(split(spec("Contiguous"), "a-b--c"), (V{"a", "-", "b", "--", "c"}));
}

TEST(TokenizerPreTokenizerTest, ByteLevelRegexAndPrefixSpace) {
  const json spec{{"type", "ByteLevel"}, {"add_prefix_space", true}, {"use_regex", true}};
  using V = std::vector<std::string>;
  EXPECT_EQ(split(spec, "Hello world's 123"), (V{" Hello", " world", "'s", " 123"}));
}

// A byte-level BPE over the 256 byte characters (ids 0..255) plus the given extra tokens.
json tiny_tokenizer(const std::vector<std::string>& extra, const json& merges) {
  json vocab = json::object();
  for (int b = 0; b < 256; ++b) {
    std::string ch;
    byte_level::bytes_to_unicode(std::string(1, static_cast<char>(b)), ch);
    vocab[ch] = b;
  }
  for (const auto& token : extra) vocab[token] = static_cast<int>(vocab.size());
  return json{{"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", merges}}},
              {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}}},
              {"decoder", {{"type", "ByteLevel"}}}};
}

TEST(TokenizerBpeModelTest, MergesApplyByRankInBothFormats) {
  const std::vector<std::string> extra{"ll", "he", "hell", "hello"};
  const json as_strings = json::array({"l l", "h e", "he ll"});
  const json as_pairs = json::array({json{"l", "l"}, json{"h", "e"}, json{"he", "ll"}});
  for (const json& merges : {as_strings, as_pairs}) {
    const BpeTokenizer tok(tiny_tokenizer(extra, merges), {}, "test.json");
    // "hello" is in the vocab but no merge builds it (ignore_merges is off).
    EXPECT_EQ(tok.encode("hello", false), (std::vector<int32_t>{*tok.token_to_id("hell"), 'o'}));
    EXPECT_EQ(tok.decode(tok.encode("hello hell", false), false), "hello hell");
  }
}

TEST(TokenizerBpeModelTest, IgnoreMergesEmitsWholeVocabWords) {
  json spec = tiny_tokenizer({"ll", "hello"}, json::array({"l l"}));
  spec["model"]["ignore_merges"] = true;
  const BpeTokenizer tok(spec, {}, "test.json");
  EXPECT_EQ(tok.encode("hello", false), (std::vector<int32_t>{*tok.token_to_id("hello")}));
  EXPECT_EQ(tok.encode("hell", false), (std::vector<int32_t>{'h', 'e', *tok.token_to_id("ll")}));
}

TEST(TokenizerBpeModelTest, TemplateProcessingAddsBosAndEos) {
  json spec = tiny_tokenizer({}, json::array());
  spec["added_tokens"] = json::array({
      json{{"id", 256}, {"content", "<s>"}, {"special", true}},
      json{{"id", 257}, {"content", "</s>"}, {"special", true}},
  });
  spec["post_processor"] = json{
      {"type", "TemplateProcessing"},
      {"single", json::array({json{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}},
                              json{{"Sequence", {{"id", "A"}, {"type_id", 0}}}},
                              json{{"SpecialToken", {{"id", "</s>"}, {"type_id", 0}}}}})},
      {"special_tokens",
       {{"<s>", {{"id", "<s>"}, {"ids", {256}}}}, {"</s>", {{"id", "</s>"}, {"ids", {257}}}}}}};
  const BpeTokenizer tok(spec, {}, "test.json");
  EXPECT_EQ(tok.encode("a", true), (std::vector<int32_t>{256, 'a', 257}));
  EXPECT_EQ(tok.encode("a", false), (std::vector<int32_t>{'a'}));
  EXPECT_EQ(tok.bos_id(), 256);
  EXPECT_EQ(tok.vocab_size(), 258);

  TokenizerConfig no_eos;
  no_eos.eos_token = "</s>";
  no_eos.add_eos_token = false;
  const BpeTokenizer without_eos(spec, no_eos, "test.json");
  EXPECT_EQ(without_eos.encode("a", true), (std::vector<int32_t>{256, 'a'}));
}

TEST(TokenizerBpeModelTest, AddedTokenFlags) {
  json spec = tiny_tokenizer({}, json::array());
  spec["added_tokens"] = json::array({
      json{{"id", 256}, {"content", "<mask>"}, {"lstrip", true}, {"rstrip", true}},
      json{{"id", 257}, {"content", "cat"}, {"single_word", true}},
      json{{"id", 258}, {"content", "<mask>x"}},  // longest match wins
  });
  const BpeTokenizer tok(spec, {}, "test.json");
  using V = std::vector<int32_t>;
  EXPECT_EQ(tok.encode("a <mask> b", false), (V{'a', 256, 'b'}));
  EXPECT_EQ(tok.encode("a<mask>x", false), (V{'a', 258}));
  EXPECT_EQ(tok.encode("cat", false), (V{257}));
  EXPECT_EQ(tok.encode("concat", false), (V{'c', 'o', 'n', 'c', 'a', 't'}));
  EXPECT_FALSE(tok.is_special(256));
}

}  // namespace
}  // namespace fastchat::tokenizer
