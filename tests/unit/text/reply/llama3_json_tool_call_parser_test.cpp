#include "text/reply/llama3_json_tool_call_parser.h"

#include <gtest/gtest.h>

#include "reply_streaming.h"

namespace fastchat::reply {
namespace {

using testing::Assembled;
using testing::feed_every_split;
using testing::names_and_arguments;
using Calls = std::vector<std::pair<std::string, std::string>>;

const ReplyOptions kLlama{.tool_calls = ToolCallFormat::Llama3Json};

void expect_content(std::string_view text) {
  const Assembled result = feed_every_split(kLlama, text);
  EXPECT_EQ(result.content, text);
  EXPECT_TRUE(result.calls.empty()) << text;
}

TEST(Llama3JsonToolCalls, OneCallWithParameters) {
  const Assembled result = feed_every_split(
      kLlama, R"({"name": "get_weather", "parameters": {"city": "Paris", "days": 2}})");
  EXPECT_EQ(result.content, "");
  EXPECT_EQ(names_and_arguments(result), (Calls{{"get_weather", R"({"city":"Paris","days":2})"}}));
}

TEST(Llama3JsonToolCalls, PythonTagAndWhitespaceBefore) {
  const Assembled result =
      feed_every_split(kLlama, "\n<|python_tag|> {\"name\": \"f\", \"arguments\": {}}\n");
  EXPECT_EQ(result.content, "");
  EXPECT_EQ(names_and_arguments(result), (Calls{{"f", "{}"}}));
}

TEST(Llama3JsonToolCalls, SeveralCallsSeparatedBySemicolons) {
  const Assembled result = feed_every_split(
      kLlama, R"({"name": "a", "parameters": {"s": "x;y"}}; {"name": "b", "parameters": {}};)");
  EXPECT_EQ(result.content, "");
  EXPECT_EQ(names_and_arguments(result), (Calls{{"a", R"({"s":"x;y"})"}, {"b", "{}"}}));
}

TEST(Llama3JsonToolCalls, ArgumentsAsAString) {
  const Assembled result =
      feed_every_split(kLlama, R"({"name": "f", "parameters": "{\"q\": \"z\"}"})");
  EXPECT_EQ(names_and_arguments(result), (Calls{{"f", R"({"q": "z"})"}}));
}

TEST(Llama3JsonToolCalls, WhatIsNotAListOfCallsIsContent) {
  expect_content(R"({"name": "f", "parameters": {)");             // cut off
  expect_content(R"({"name": "Ada", "age": 36})");                // a JSON answer, not a call
  expect_content(R"({"name": "f", "parameters": {}} and more)");  // text after the call
  expect_content(R"({"name": "f", "parameters": {}} {"name": "g", "parameters": {}})");
  expect_content("<|python_tag|>brave_search.call(query=\"x\")");
  expect_content(" \n");
  expect_content("<|python");
}

TEST(Llama3JsonToolCalls, PlainAnswerStreamsAtOnce) {
  Llama3JsonToolCallParser parser;
  EXPECT_EQ(parser.push(" ").content, "");  // may still open a call
  EXPECT_EQ(parser.push("The").content, " The");
  EXPECT_EQ(parser.push(" {x}").content, " {x}");
  EXPECT_EQ(parser.finish().content, "");
}

TEST(Llama3JsonToolCalls, CallsAreHeldUntilTheEnd) {
  Llama3JsonToolCallParser parser;
  ToolCallSplit out = parser.push(R"({"name": "f", )");
  EXPECT_EQ(out.content, "");
  EXPECT_TRUE(out.calls.empty());
  out = parser.push(R"("parameters": {"a": 1}})");
  EXPECT_TRUE(out.calls.empty());
  out = parser.finish();
  EXPECT_EQ(out.content, "");
  EXPECT_EQ(out.calls, (std::vector<ToolCall>{{"f", R"({"a":1})"}}));
}

}  // namespace
}  // namespace fastchat::reply
