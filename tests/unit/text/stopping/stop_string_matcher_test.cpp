#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "text/stopping/stop_string_matcher.h"

namespace fastchat::stopping {
namespace {

// True when `text` is a sequence of whole UTF-8 characters (no sequence cut at either end).
bool is_whole_utf8(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (len == 0 || i + len > text.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

// Feeds `deltas` and returns everything emitted (push results and finish()).
struct Outcome {
  std::string emitted;
  bool stopped = false;
  std::string matched;
};

Outcome feed(StopStringMatcher& matcher, const std::vector<std::string>& deltas) {
  Outcome run;
  for (const std::string& delta : deltas) {
    const StopStringMatcher::Result result = matcher.push(delta);
    EXPECT_TRUE(is_whole_utf8(result.text)) << "split character in " << result.text;
    run.emitted += result.text;
    if (result.stopped) {
      run.stopped = true;
      run.matched = result.matched;
      break;
    }
  }
  if (!run.stopped) {
    run.emitted += matcher.finish();
    run.stopped = matcher.stopped();
    run.matched = matcher.matched();
  }
  return run;
}

// The reference: truncate the whole text at the earliest occurrence of any stop string.
std::string truncate_at_first_stop(const std::string& text, const std::vector<std::string>& stops) {
  std::size_t cut = text.size();
  for (const std::string& stop : stops) {
    if (!stop.empty()) cut = std::min(cut, text.find(stop));
  }
  return text.substr(0, cut);
}

TEST(StopStringMatcher, StopInsideOneDelta) {
  StopStringMatcher matcher({"###"});
  const auto result = matcher.push("Hello### Human: more");
  EXPECT_EQ(result.text, "Hello");
  EXPECT_TRUE(result.stopped);
  EXPECT_EQ(result.matched, "###");
  EXPECT_TRUE(matcher.stopped());
  EXPECT_EQ(matcher.matched(), "###");
}

TEST(StopStringMatcher, StopSpanningThreeDeltas) {
  StopStringMatcher matcher({"<|eot_id|>"});
  auto r = matcher.push("Sure!<|eo");
  EXPECT_EQ(r.text, "Sure!");
  EXPECT_FALSE(r.stopped);
  r = matcher.push("t_i");
  EXPECT_EQ(r.text, "");
  EXPECT_FALSE(r.stopped);
  r = matcher.push("d|>trailing");
  EXPECT_EQ(r.text, "");
  EXPECT_TRUE(r.stopped);
  EXPECT_EQ(r.matched, "<|eot_id|>");
  EXPECT_EQ(matcher.finish(), "");
}

TEST(StopStringMatcher, PartialPrefixIsReleasedWhenItDiverges) {
  StopStringMatcher matcher({"</s>"});
  auto r = matcher.push("a </");
  EXPECT_EQ(r.text, "a ");
  r = matcher.push("div>");
  EXPECT_EQ(r.text, "</div>");
  EXPECT_FALSE(r.stopped);
  r = matcher.push("<");
  EXPECT_EQ(r.text, "");
  r = matcher.push("<");  // the first "<" can no longer start "</s>", the second still can
  EXPECT_EQ(r.text, "<");
  EXPECT_EQ(matcher.finish(), "<");
  EXPECT_FALSE(matcher.stopped());
}

TEST(StopStringMatcher, FinishReleasesHeldTail) {
  StopStringMatcher matcher({"###"});
  EXPECT_EQ(matcher.push("answer #").text, "answer ");
  EXPECT_EQ(matcher.push("#").text, "");
  EXPECT_EQ(matcher.finish(), "##");
  EXPECT_FALSE(matcher.stopped());
  EXPECT_EQ(matcher.finish(), "");
}

TEST(StopStringMatcher, OverlappingStopsEarliestStartWins) {
  {
    StopStringMatcher matcher({"bc", "ab"});
    const auto r = matcher.push("xabc");
    EXPECT_EQ(r.text, "x");
    EXPECT_EQ(r.matched, "ab");
  }
  {
    StopStringMatcher matcher({"ab", "bc"});
    EXPECT_EQ(matcher.push("xa").text, "x");
    const auto r = matcher.push("bc");
    EXPECT_EQ(r.text, "");
    EXPECT_EQ(r.matched, "ab");
  }
}

TEST(StopStringMatcher, LaterCompleteMatchWaitsForEarlierLongerCandidate) {
  {
    StopStringMatcher matcher({"abcd", "bc"});
    EXPECT_EQ(matcher.push("abc").text, "");
    const auto r = matcher.push("x");
    EXPECT_TRUE(r.stopped);
    EXPECT_EQ(r.text, "a");
    EXPECT_EQ(r.matched, "bc");
  }
  {
    StopStringMatcher matcher({"abcd", "bc"});
    EXPECT_EQ(matcher.push("abc").text, "");
    const auto r = matcher.push("d");
    EXPECT_TRUE(r.stopped);
    EXPECT_EQ(r.text, "");
    EXPECT_EQ(r.matched, "abcd");
  }
  {
    // Generation ends while undecided: finish() applies the complete match.
    StopStringMatcher matcher({"abcd", "bc"});
    EXPECT_EQ(matcher.push("abc").text, "");
    EXPECT_EQ(matcher.finish(), "a");
    EXPECT_TRUE(matcher.stopped());
    EXPECT_EQ(matcher.matched(), "bc");
  }
}

TEST(StopStringMatcher, SameStartPrefersLongestComplete) {
  StopStringMatcher matcher({"ab", "abc"});
  const auto r = matcher.push("zabcz");
  EXPECT_EQ(r.text, "z");
  EXPECT_EQ(r.matched, "abc");
}

TEST(StopStringMatcher, MultibyteStopString) {
  const std::string eos = "<\uFF5Cend\u2581of\u2581sentence\uFF5C>";
  StopStringMatcher matcher({eos});
  std::string text = "d\u00e9j\u00e0 vu" + eos + "after";
  Outcome run;
  // Byte-by-byte: every split point, including inside multi-byte characters.
  for (char c : text) {
    const auto r = matcher.push(std::string(1, c));
    EXPECT_TRUE(is_whole_utf8(r.text)) << "split character in " << r.text;
    run.emitted += r.text;
    if (r.stopped) {
      run.stopped = true;
      break;
    }
  }
  EXPECT_TRUE(run.stopped);
  EXPECT_EQ(run.emitted, "d\u00e9j\u00e0 vu");
}

TEST(StopStringMatcher, NeverEmitsHalfACharacter) {
  StopStringMatcher matcher({});
  const std::string snowman = "\u2603";  // 3 bytes
  EXPECT_EQ(matcher.push(snowman.substr(0, 1)).text, "");
  EXPECT_EQ(matcher.push(snowman.substr(1, 1)).text, "");
  EXPECT_EQ(matcher.push(snowman.substr(2, 1) + "a").text, snowman + "a");
  EXPECT_EQ(matcher.push("\xF0\x9F").text, "");
  EXPECT_EQ(matcher.finish(), "\xF0\x9F");  // the end releases whatever is left
}

TEST(StopStringMatcher, EmptyStopStringsAreIgnored) {
  StopStringMatcher matcher({"", ""});
  EXPECT_EQ(matcher.push("abc").text, "abc");
  EXPECT_FALSE(matcher.stopped());
}

TEST(StopStringMatcher, PushAfterStopIsIgnored) {
  StopStringMatcher matcher({"x"});
  EXPECT_TRUE(matcher.push("axb").stopped);
  const auto r = matcher.push("more");
  EXPECT_EQ(r.text, "");
  EXPECT_TRUE(r.stopped);
  EXPECT_EQ(matcher.finish(), "");
}

std::vector<std::string> random_split(const std::string& text, std::mt19937& rng) {
  std::vector<std::string> parts;
  std::uniform_int_distribution<std::size_t> len(0, 6);
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t n = std::min(len(rng), text.size() - pos);
    parts.push_back(text.substr(pos, n));
    pos += n;
  }
  return parts;
}

TEST(StopStringMatcher, PassthroughIsExactOnRandomSplits) {
  std::mt19937 rng(12345);
  const std::string text =
      "USER: Hi ASSISTANT: Hello! <</s not a stop> ### \u00fcber \u2603 \U0001F600 "
      "<|eot_id but not quite|> ## # <|im_end";
  const std::vector<std::string> stops = {"</s>", "<|eot_id|>", "<|im_end|>", "####"};
  ASSERT_EQ(truncate_at_first_stop(text, stops), text);
  for (int trial = 0; trial < 500; ++trial) {
    StopStringMatcher matcher(stops);
    const Outcome run = feed(matcher, random_split(text, rng));
    ASSERT_FALSE(run.stopped) << "trial " << trial;
    ASSERT_EQ(run.emitted, text) << "trial " << trial;
  }
}

TEST(StopStringMatcher, OutputMatchesWholeTextTruncationOnRandomSplits) {
  std::mt19937 rng(2024);
  const std::vector<std::string> alphabet = {"a", "b", "c", "\u00e9", "\u2603"};
  const std::vector<std::string> stops = {"abc", "bca", "c\u00e9", "\u2603\u2603b", "aab"};
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string text;
    for (int i = 0; i < 12; ++i) text += alphabet[pick(rng)];
    StopStringMatcher matcher(stops);
    const Outcome run = feed(matcher, random_split(text, rng));
    const std::string expected = truncate_at_first_stop(text, stops);
    ASSERT_EQ(run.emitted, expected) << "trial " << trial << " text " << text;
    ASSERT_EQ(run.stopped, expected.size() != text.size()) << "trial " << trial;
    if (run.stopped) {
      ASSERT_EQ(text.compare(expected.size(), run.matched.size(), run.matched), 0);
    }
  }
}

TEST(StopStringMatcher, HeldTextStaysBoundedOnLongStreams) {
  // Work must not grow with the text already emitted: a long stream with a dangling prefix at
  // every step still releases everything but the prefix.
  StopStringMatcher matcher({"<|end|>"});
  std::string emitted;
  for (int i = 0; i < 10000; ++i) {
    emitted += matcher.push("word <|e").text;
    EXPECT_LE(emitted.size() + 3, static_cast<std::size_t>(i + 1) * 8);
  }
  emitted += matcher.finish();
  EXPECT_EQ(emitted.size(), 80000u);
}

}  // namespace
}  // namespace fastchat::stopping
