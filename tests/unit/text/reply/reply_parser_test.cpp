#include "text/reply/reply_parser.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>

#include "reply_streaming.h"
#include "text/reply/tool_call_id.h"

namespace fastchat::reply {
namespace {

using protocol::ToolCallDelta;
using testing::Assembled;
using testing::feed_every_split;
using testing::names_and_arguments;
using Calls = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kTwoCalls =
    "<tool_call>\n{\"name\": \"a\", \"arguments\": {\"x\": 1}}\n</tool_call>\n"
    "<tool_call>\n{\"name\": \"b\", \"arguments\": {}}\n</tool_call>";

TEST(ToolCallId, Shape) {
  const std::regex shape("call_[A-Za-z0-9]{24}");
  for (int i = 0; i < 100; ++i) {
    const std::string id = make_tool_call_id();
    EXPECT_TRUE(std::regex_match(id, shape)) << id;
  }
}

TEST(ToolCallId, UniqueAcrossThreads) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2000;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&ids, t] {
      for (int i = 0; i < kPerThread; ++i) ids[t].push_back(make_tool_call_id());
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> unique;
  for (const auto& list : ids) unique.insert(list.begin(), list.end());
  EXPECT_EQ(unique.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

TEST(ReplyParser, CallDeltasHaveOpenAIsStreamingShape) {
  ReplyParser parser(ReplyOptions{.tool_calls = ToolCallFormat::Hermes});
  const ReplyDelta delta = parser.push(kTwoCalls);
  ASSERT_EQ(delta.tool_calls.size(), 4u);
  EXPECT_EQ(delta.tool_calls[0], (ToolCallDelta{0, delta.tool_calls[0].id, "a", ""}));
  EXPECT_EQ(delta.tool_calls[1], (ToolCallDelta{0, "", "", R"({"x":1})"}));
  EXPECT_EQ(delta.tool_calls[2], (ToolCallDelta{1, delta.tool_calls[2].id, "b", ""}));
  EXPECT_EQ(delta.tool_calls[3], (ToolCallDelta{1, "", "", "{}"}));
  EXPECT_NE(delta.tool_calls[0].id, delta.tool_calls[2].id);
  EXPECT_EQ(delta.content, "");
  EXPECT_TRUE(parser.made_tool_calls());
  EXPECT_TRUE(parser.finish().empty());
}

TEST(ReplyParser, WithoutParallelCallsOnlyTheFirstIsReported) {
  const Assembled result = feed_every_split(
      ReplyOptions{.tool_calls = ToolCallFormat::Hermes, .parallel_tool_calls = false}, kTwoCalls);
  EXPECT_EQ(names_and_arguments(result), (Calls{{"a", R"({"x":1})"}}));
  EXPECT_EQ(result.content, "");
}

TEST(ReplyParser, WithoutParallelCallsLlamaKeepsTheFirst) {
  const Assembled result = feed_every_split(
      ReplyOptions{.tool_calls = ToolCallFormat::Llama3Json, .parallel_tool_calls = false},
      R"({"name": "a", "parameters": {}}; {"name": "b", "parameters": {}})");
  EXPECT_EQ(names_and_arguments(result), (Calls{{"a", "{}"}}));
}

TEST(ReplyParser, Qwen3ThinksThenCalls) {
  const Assembled result = feed_every_split(
      ReplyOptions{.tool_calls = ToolCallFormat::Hermes, .reasoning = ReasoningFormat::Think},
      "<think>\nI need the weather.\n</think>\n\n<tool_call>\n{\"name\": \"get_weather\", "
      "\"arguments\": {\"city\": \"Paris\"}}\n</tool_call>");
  EXPECT_EQ(result.reasoning, "I need the weather.");
  EXPECT_EQ(result.content, "");
  EXPECT_EQ(names_and_arguments(result), (Calls{{"get_weather", R"({"city":"Paris"})"}}));
}

TEST(ReplyParser, CallMarkupInsideReasoningIsReasoning) {
  const Assembled result = feed_every_split(
      ReplyOptions{.tool_calls = ToolCallFormat::Hermes,
                   .reasoning = ReasoningFormat::Think,
                   .starts_in_reasoning = true},
      "Maybe <tool_call>{\"name\": \"f\"}</tool_call>?\n</think>\n\nNo call needed.");
  EXPECT_EQ(result.reasoning, "Maybe <tool_call>{\"name\": \"f\"}</tool_call>?");
  EXPECT_EQ(result.content, "No call needed.");
  EXPECT_TRUE(result.calls.empty());
}

TEST(ReplyParser, MistralAfterReasoning) {
  const Assembled result = feed_every_split(
      ReplyOptions{.tool_calls = ToolCallFormat::Mistral, .reasoning = ReasoningFormat::Think},
      "<think>R</think>OK[TOOL_CALLS]f[ARGS]{\"a\": \"b\"}");
  EXPECT_EQ(result.reasoning, "R");
  EXPECT_EQ(result.content, "OK");
  EXPECT_EQ(names_and_arguments(result), (Calls{{"f", R"({"a":"b"})"}}));
}

TEST(ReplyParser, InvalidCallsMakeNoToolCalls) {
  ReplyParser parser(ReplyOptions{.tool_calls = ToolCallFormat::Hermes});
  EXPECT_EQ(parser.push("<tool_call>{</tool_call>").content, "<tool_call>{</tool_call>");
  EXPECT_TRUE(parser.finish().empty());
  EXPECT_FALSE(parser.made_tool_calls());
}

TEST(ReplyParser, NoFormatsPassTextThroughUnchanged) {
  ReplyParser parser(ReplyOptions{});
  EXPECT_EQ(parser.push("<think>").content, "<think>");
  EXPECT_EQ(parser.push("[TOOL_CALLS]<tool_").content, "[TOOL_CALLS]<tool_");
  EXPECT_TRUE(parser.finish().empty());
}

TEST(ReplyDelta, Empty) {
  EXPECT_TRUE(ReplyDelta{}.empty());
  ReplyDelta content;
  content.content = "a";
  EXPECT_FALSE(content.empty());
  ReplyDelta reasoning;
  reasoning.reasoning = "a";
  EXPECT_FALSE(reasoning.empty());
  ReplyDelta call;
  call.tool_calls.push_back(ToolCallDelta{});
  EXPECT_FALSE(call.empty());
}

}  // namespace
}  // namespace fastchat::reply
