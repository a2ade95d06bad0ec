#include "text/reply/mistral_tool_call_parser.h"

#include <gtest/gtest.h>

#include "reply_streaming.h"

namespace fastchat::reply {
namespace {

using testing::Assembled;
using testing::feed_every_split;
using testing::names_and_arguments;
using Calls = std::vector<std::pair<std::string, std::string>>;

const ReplyOptions kMistral{.tool_calls = ToolCallFormat::Mistral};

void expect_content(std::string_view text) {
  const Assembled result = feed_every_split(kMistral, text);
  EXPECT_EQ(result.content, text);
  EXPECT_TRUE(result.calls.empty()) << text;
}

TEST(MistralToolCalls, JsonArray) {
  const Assembled result = feed_every_split(
      kMistral, R"([TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Paris"}}, )"
                R"({"name": "get_time", "arguments": "{}"}])");
  EXPECT_EQ(result.content, "");
  EXPECT_EQ(names_and_arguments(result),
            (Calls{{"get_weather", R"({"city":"Paris"})"}, {"get_time", "{}"}}));
}

TEST(MistralToolCalls, ContentBeforeTheMarker) {
  const Assembled result =
      feed_every_split(kMistral, R"(Sure. [TOOL_CALLS][{"name": "f", "arguments": {"a": [1]}}])");
  EXPECT_EQ(result.content, "Sure. ");
  EXPECT_EQ(names_and_arguments(result), (Calls{{"f", R"({"a":[1]})"}}));
}

TEST(MistralToolCalls, NameArgsForm) {
  const Assembled result = feed_every_split(
      kMistral,
      R"([TOOL_CALLS]get_weather[ARGS]{"city": "Paris", "unit": "c"}[TOOL_CALLS]get_time[ARGS]{})");
  EXPECT_EQ(result.content, "");
  EXPECT_EQ(names_and_arguments(result),
            (Calls{{"get_weather", R"({"city":"Paris","unit":"c"})"}, {"get_time", "{}"}}));
}

TEST(MistralToolCalls, WhatIsNotAListOfCallsIsContent) {
  expect_content(R"(x [TOOL_CALLS][{"name": "f", )");                          // cut off
  expect_content(R"([TOOL_CALLS][{"name": "f", "arguments": {}}] trailing)");  // text after
  expect_content(R"([TOOL_CALLS][{"arguments": {}}])");                        // no name
  expect_content("[TOOL_CALLS][]");
  expect_content("[TOOL_CALLS]");
  expect_content("[TOOL_CALLS]get weather[ARGS]{}");
  expect_content("[TOOL_CALLS]f[ARGS]\"{}\"");
  expect_content("a [TOOL_CA");
}

TEST(MistralToolCalls, ContentStreamsAtOnceAndCallsAtTheEnd) {
  MistralToolCallParser parser;
  EXPECT_EQ(parser.push("Hi [TOOL").content, "Hi ");
  ToolCallSplit out = parser.push(R"(_CALLS]f[ARGS]{"a": 1})");
  EXPECT_EQ(out.content, "");
  EXPECT_TRUE(out.calls.empty());
  out = parser.finish();
  EXPECT_EQ(out.content, "");
  EXPECT_EQ(out.calls, (std::vector<ToolCall>{{"f", R"({"a":1})"}}));
}

}  // namespace
}  // namespace fastchat::reply
