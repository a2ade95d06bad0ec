#include "text/reply/hermes_tool_call_parser.h"

#include <gtest/gtest.h>

#include "reply_streaming.h"

namespace fastchat::reply {
namespace {

using testing::Assembled;
using testing::feed_every_split;
using testing::names_and_arguments;
using Calls = std::vector<std::pair<std::string, std::string>>;

const ReplyOptions kHermes{.tool_calls = ToolCallFormat::Hermes};

constexpr std::string_view kWeatherCall =
    "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"unit\": "
    "\"c\"}}\n</tool_call>";
constexpr std::string_view kTimeCall =
    "<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>";
const std::pair<std::string, std::string> kWeather{"get_weather", R"({"city":"Paris","unit":"c"})"};
const std::pair<std::string, std::string> kTime{"get_time", "{}"};

std::string joined(std::initializer_list<std::string_view> parts) {
  std::string text;
  for (std::string_view part : parts) text += part;
  return text;
}

TEST(HermesToolCalls, OneCall) {
  const Assembled result = feed_every_split(kHermes, kWeatherCall);
  EXPECT_EQ(result.content, "");
  EXPECT_EQ(names_and_arguments(result), Calls{kWeather});
}

TEST(HermesToolCalls, ContentBeforeAndSeveralCalls) {
  const Assembled result =
      feed_every_split(kHermes, joined({"Let me check.\n", kWeatherCall, "\n", kTimeCall, "\n"}));
  EXPECT_EQ(result.content, "Let me check.\n");
  EXPECT_EQ(names_and_arguments(result), (Calls{kWeather, kTime}));
}

TEST(HermesToolCalls, TextAfterACallStaysContent) {
  const Assembled result = feed_every_split(kHermes, joined({kTimeCall, "\n\nDone."}));
  EXPECT_EQ(result.content, "\n\nDone.");
  EXPECT_EQ(names_and_arguments(result), Calls{kTime});
}

TEST(HermesToolCalls, InvalidJsonIsContent) {
  const std::string text =
      "A<tool_call>\n{\"name\": \"f\", \"arguments\": {\"x\": }\n</tool_call>B";
  const Assembled result = feed_every_split(kHermes, text);
  EXPECT_EQ(result.content, text);
  EXPECT_TRUE(result.calls.empty());
}

TEST(HermesToolCalls, CallWithoutANameIsContent) {
  const std::string text = "<tool_call>{\"arguments\": {}}</tool_call>";
  const Assembled result = feed_every_split(kHermes, text);
  EXPECT_EQ(result.content, text);
  EXPECT_TRUE(result.calls.empty());
}

TEST(HermesToolCalls, UnterminatedCallIsContent) {
  const std::string text = "Hi <tool_call>\n{\"name\": \"f\", \"arguments\": {\"x\": 1}}";
  const Assembled result = feed_every_split(kHermes, text);
  EXPECT_EQ(result.content, text);
  EXPECT_TRUE(result.calls.empty());
}

TEST(HermesToolCalls, InvalidCallBetweenValidOnesKeepsItsPlace) {
  const Assembled result = feed_every_split(
      kHermes, joined({kWeatherCall, "\n<tool_call>oops</tool_call>\n", kTimeCall}));
  EXPECT_EQ(result.content, "<tool_call>oops</tool_call>\n");
  EXPECT_EQ(names_and_arguments(result), (Calls{kWeather, kTime}));
}

TEST(HermesToolCalls, ArgumentsWrittenAsAString) {
  const Assembled result = feed_every_split(
      kHermes, R"(<tool_call>{"name": "f", "arguments": "{\"a\": 1}"}</tool_call>)");
  EXPECT_EQ(names_and_arguments(result), (Calls{{"f", R"({"a": 1})"}}));
}

TEST(HermesToolCalls, MissingArgumentsAreAnEmptyObject) {
  const Assembled result = feed_every_split(kHermes, R"(<tool_call>{"name": "f"}</tool_call>)");
  EXPECT_EQ(names_and_arguments(result), (Calls{{"f", "{}"}}));
}

TEST(HermesToolCalls, WhitespaceAroundTheJson) {
  const Assembled result = feed_every_split(
      kHermes,
      "<tool_call>\n  {\"name\":\"f\",\"arguments\":{\"b\":[1, 2],\"a\":\"é\"}}  \n\n</tool_call>");
  EXPECT_EQ(names_and_arguments(result), (Calls{{"f", R"({"b":[1,2],"a":"é"})"}}));
  EXPECT_EQ(result.content, "");
}

TEST(HermesToolCalls, PartialTagAtTheEndIsContent) {
  EXPECT_EQ(feed_every_split(kHermes, "See <tool_c").content, "See <tool_c");
  EXPECT_EQ(feed_every_split(kHermes, "a <tool_cal> b").content, "a <tool_cal> b");
}

TEST(HermesToolCalls, ContentStreamsAtOnce) {
  HermesToolCallParser parser;
  EXPECT_EQ(parser.push("Hello <to").content, "Hello ");
  EXPECT_EQ(parser.push("day").content, "<today");
  EXPECT_EQ(parser.push(" <tool_call>{\"name\": \"f\"}").content, " ");
  const ToolCallSplit closed = parser.push("</tool_call>");
  EXPECT_EQ(closed.content, "");
  EXPECT_EQ(closed.calls, (std::vector<ToolCall>{{"f", "{}"}}));
  EXPECT_EQ(parser.push("\n").content, "");  // may be layout before another call
  EXPECT_EQ(parser.push("ok").content, "\nok");
  EXPECT_EQ(parser.finish().content, "");
}

TEST(HermesToolCalls, WithoutAFormatMarkupIsContent) {
  const std::string text = joined({"x ", kTimeCall});
  const Assembled result = feed_every_split(ReplyOptions{}, text);
  EXPECT_EQ(result.content, text);
  EXPECT_TRUE(result.calls.empty());
}

}  // namespace
}  // namespace fastchat::reply
