#include "text/reply/reasoning_splitter.h"

#include <gtest/gtest.h>

#include "reply_streaming.h"

namespace fastchat::reply {
namespace {

using testing::Assembled;
using testing::feed_every_split;

const ReplyOptions kThink{.reasoning = ReasoningFormat::Think};
const ReplyOptions kInsideThink{.reasoning = ReasoningFormat::Think, .starts_in_reasoning = true};

void expect_split(const ReplyOptions& options, std::string_view text, std::string_view reasoning,
                  std::string_view content) {
  const Assembled result = feed_every_split(options, text);
  EXPECT_EQ(result.reasoning, reasoning) << text;
  EXPECT_EQ(result.content, content) << text;
  EXPECT_TRUE(result.calls.empty());
}

TEST(ReasoningSplitter, Qwen3LayoutNewlinesAreDropped) {
  expect_split(kThink, "<think>\nR\n</think>\n\nA", "R", "A");
}

TEST(ReasoningSplitter, InnerNewlinesStay) {
  expect_split(kThink, "<think>\n\nline one\n\nline two\n\n</think>\n\nAnswer\n\nmore\n",
               "line one\n\nline two", "Answer\n\nmore\n");
}

TEST(ReasoningSplitter, EmptyThinkingBlock) {
  expect_split(kThink, "<think>\n\n</think>\n\nA", "", "A");
}

TEST(ReasoningSplitter, LeadingWhitespaceBeforeTheOpeningTag) {
  expect_split(kThink, " \n<think>R</think>A", "R", "A");
}

TEST(ReasoningSplitter, PromptOpenedTheBlock) {
  expect_split(kInsideThink, "\nLet me think.\nOK.\n</think>\n\nHello", "Let me think.\nOK.",
               "Hello");
}

TEST(ReasoningSplitter, PromptOpenedTheBlockAndTheModelNeverClosedIt) {
  expect_split(kInsideThink, "still thinking <think> about it\n\n",
               "still thinking <think> about it", "");
}

TEST(ReasoningSplitter, OutputEndsInsideReasoning) {
  expect_split(kThink, "<think>\nstill thinking\n", "still thinking", "");
}

TEST(ReasoningSplitter, UnfinishedClosingTagAtTheEndIsReasoning) {
  expect_split(kThink, "<think>R\n</thi", "R\n</thi", "");
}

TEST(ReasoningSplitter, OpeningTagLaterIsContent) {
  expect_split(kThink, "Hi <think>x</think>\n", "", "Hi <think>x</think>\n");
}

TEST(ReasoningSplitter, OutputThatIsOnlyAPartialOpeningTagIsContent) {
  expect_split(kThink, " <thi", "", " <thi");
  expect_split(kThink, "\n\n", "", "\n\n");
  expect_split(kThink, "<thinking>", "", "<thinking>");
}

TEST(ReasoningSplitter, SecondClosingTagIsContent) {
  expect_split(kThink, "<think>R</think>A</think>B", "R", "A</think>B");
}

TEST(ReasoningSplitter, OnlyLeadingNewlinesOfContentAreDropped) {
  expect_split(kThink, "<think>R</think>\n\n\nA\n\nB\n", "R", "A\n\nB\n");
  expect_split(kThink, "<think>R</think> A", "R", " A");
}

TEST(ReasoningSplitter, NoReasoningFormatMeansAllContent) {
  expect_split(ReplyOptions{}, "<think>\nR\n</think>\n\nA", "", "<think>\nR\n</think>\n\nA");
  // starts_in_reasoning means nothing without a reasoning format.
  expect_split(ReplyOptions{.starts_in_reasoning = true}, "R</think>A", "", "R</think>A");
}

TEST(ReasoningSplitter, StreamsWithoutWaitingForTheClosingTag) {
  ReasoningSplitter splitter(ReasoningFormat::Think, false);
  ReasoningSplit out = splitter.push("<thi");
  EXPECT_EQ(out.reasoning, "");
  EXPECT_EQ(out.content, "");
  out = splitter.push("nk>\nHel");
  EXPECT_EQ(out.reasoning, "Hel");
  out = splitter.push("lo\n");
  EXPECT_EQ(out.reasoning, "lo");  // the newline may be trailing: held
  out = splitter.push("\nworld\n</th");
  EXPECT_EQ(out.reasoning, "\n\nworld");
  out = splitter.push("ink>\n\n");
  EXPECT_EQ(out.reasoning, "");
  EXPECT_EQ(out.content, "");
  out = splitter.push("Answer");
  EXPECT_EQ(out.content, "Answer");
  out = splitter.finish();
  EXPECT_EQ(out.reasoning, "");
  EXPECT_EQ(out.content, "");
}

TEST(ReasoningSplitter, ContentWithoutThinkingStreamsAtOnce) {
  ReasoningSplitter splitter(ReasoningFormat::Think, false);
  EXPECT_EQ(splitter.push("  ").content, "");  // may still precede <think>
  EXPECT_EQ(splitter.push("Hi").content, "  Hi");
  EXPECT_EQ(splitter.push(" <think>").content, " <think>");
  EXPECT_EQ(splitter.finish().content, "");
}

}  // namespace
}  // namespace fastchat::reply
