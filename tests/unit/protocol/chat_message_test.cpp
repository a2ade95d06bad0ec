#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "protocol/chat_message.h"

namespace fastchat::protocol {
namespace {

using nlohmann::json;

TEST(ParseChatMessages, StringContent) {
  const auto messages = parse_chat_messages(json::parse(R"([
      {"role": "system", "content": "S"},
      {"role": "user", "content": "Hi", "name": "bob"},
      {"role": "assistant", "content": "Hello!"}])"));
  ChatMessage named{"user", "Hi"};
  named.name = "bob";
  const std::vector<ChatMessage> expected = {{"system", "S"}, named, {"assistant", "Hello!"}};
  EXPECT_EQ(messages, expected);
}

TEST(ParseChatMessages, TextPartsAreJoinedWithNewline) {
  const auto messages = parse_chat_messages(json::parse(R"([
      {"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]},
      {"role": "user", "content": []}])"));
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].content, "a\nb");
  EXPECT_EQ(messages[1].content, "");
}

TEST(ParseChatMessages, DeveloperIsSystemAndAssistantMayHaveNoContent) {
  const auto messages = parse_chat_messages(json::parse(R"([
      {"role": "developer", "content": "D"},
      {"role": "assistant", "content": null, "tool_calls": []},
      {"role": "assistant"}])"));
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0], (ChatMessage{"system", "D"}));
  for (size_t i : {1u, 2u}) {
    EXPECT_EQ(messages[i].role, "assistant");
    EXPECT_EQ(messages[i].content, "");
    EXPECT_TRUE(messages[i].content_is_null) << i;  // templates test `content is none`
  }
}

TEST(ParseChatMessages, ToolCallsAndToolResultsAreKept) {
  const auto messages = parse_chat_messages(json::parse(R"([
      {"role": "user", "content": "Weather?"},
      {"role": "assistant", "content": null, "tool_calls": [
          {"id": "call_1", "type": "function",
           "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}},
          {"id": "call_2", "function": {"name": "get_time", "arguments": {"tz": "CET"}}}]},
      {"role": "tool", "tool_call_id": "call_1", "content": "sunny", "name": "get_weather"}])"));
  ASSERT_EQ(messages.size(), 3u);
  ASSERT_EQ(messages[1].tool_calls.size(), 2u);
  EXPECT_EQ(messages[1].tool_calls[0].id, "call_1");
  EXPECT_EQ(messages[1].tool_calls[0].name, "get_weather");
  EXPECT_EQ(messages[1].tool_calls[0].arguments, "{\"city\": \"Paris\"}");
  EXPECT_EQ(messages[1].tool_calls[1].arguments, nlohmann::ordered_json({{"tz", "CET"}}));
  EXPECT_FALSE(messages[1].is_plain());
  EXPECT_EQ(messages[2].role, "tool");
  EXPECT_EQ(messages[2].tool_call_id, "call_1");
  EXPECT_EQ(messages[2].name, "get_weather");
  EXPECT_FALSE(messages[2].is_plain());
  EXPECT_TRUE(messages[0].is_plain());

  // As a template sees them: OpenAI's shape, content null kept, arguments as sent.
  EXPECT_EQ(to_json(messages[1]).dump(),
            R"({"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",)"
            R"("function":{"name":"get_weather","arguments":"{\"city\": \"Paris\"}"}},)"
            R"({"id":"call_2","type":"function","function":{"name":"get_time","arguments":)"
            R"({"tz":"CET"}}}]})");
  EXPECT_EQ(to_json(messages[2]).dump(),
            R"({"role":"tool","content":"sunny","tool_call_id":"call_1","name":"get_weather"})");
  EXPECT_EQ(to_json(messages[0]).dump(), R"({"role":"user","content":"Weather?"})");
}

void expect_invalid(const char* messages_json, const std::string& param) {
  try {
    parse_chat_messages(json::parse(messages_json));
    ADD_FAILURE() << "expected InvalidRequest for " << messages_json;
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::InvalidRequest) << messages_json;
    EXPECT_EQ(e.error().param, param) << messages_json;
    EXPECT_NE(e.error().message.find(param), std::string::npos) << e.error().message;
  }
}

TEST(ParseChatMessages, ErrorsNameTheExactPath) {
  expect_invalid(R"("hello")", "messages");
  expect_invalid(R"({"role": "user"})", "messages");
  expect_invalid(R"([])", "messages");
  expect_invalid(R"(["hi"])", "messages[0]");
  expect_invalid(R"([{"content": "x"}])", "messages[0].role");
  expect_invalid(R"([{"role": 1, "content": "x"}])", "messages[0].role");
  expect_invalid(R"([{"role": "user", "content": "x"}, {"role": "tool", "content": "x"}])",
                 "messages[1].tool_call_id");
  expect_invalid(R"([{"role": "tool", "tool_call_id": "c"}])", "messages[0].content");
  expect_invalid(R"([{"role": "tool", "tool_call_id": 3, "content": "x"}])",
                 "messages[0].tool_call_id");
  expect_invalid(R"([{"role": "user", "content": "x", "tool_calls": []}])",
                 "messages[0].tool_calls");
  expect_invalid(R"([{"role": "assistant", "tool_calls": {}}])", "messages[0].tool_calls");
  expect_invalid(R"([{"role": "assistant", "tool_calls": ["x"]}])", "messages[0].tool_calls[0]");
  expect_invalid(R"([{"role": "assistant", "tool_calls": [{"function": {"name": "f",
                 "arguments": "{}"}}]}])",
                 "messages[0].tool_calls[0].id");
  expect_invalid(R"([{"role": "assistant", "tool_calls": [{"id": "c", "type": "code",
                 "function": {"name": "f", "arguments": "{}"}}]}])",
                 "messages[0].tool_calls[0].type");
  expect_invalid(R"([{"role": "assistant", "tool_calls": [{"id": "c", "function": {
                 "arguments": "{}"}}]}])",
                 "messages[0].tool_calls[0].function.name");
  expect_invalid(R"([{"role": "assistant", "tool_calls": [{"id": "c", "function": {
                 "name": "f", "arguments": 3}}]}])",
                 "messages[0].tool_calls[0].function.arguments");
  expect_invalid(R"([{"role": "user", "content": "x", "name": 5}])", "messages[0].name");
  expect_invalid(R"([{"role": "function", "content": "x"}])", "messages[0].role");
  expect_invalid(R"([{"role": "user", "content": null}])", "messages[0].content");
  expect_invalid(R"([{"role": "system"}])", "messages[0].content");
  expect_invalid(R"([{"role": "user", "content": 5}])", "messages[0].content");
  expect_invalid(R"([{"role": "user", "content": {"type": "text"}}])", "messages[0].content");
  expect_invalid(R"([{"role": "user", "content": ["x"]}])", "messages[0].content[0]");
  expect_invalid(R"([{"role": "user", "content": [{"type": "text", "text": "a"}, {"text": "b"}]}])",
                 "messages[0].content[1].type");
  expect_invalid(R"([{"role": "user", "content": [{"type": "text"}]}])",
                 "messages[0].content[0].text");
  expect_invalid(R"([{"role": "user", "content": [{"type": "text", "text": 3}]}])",
                 "messages[0].content[0].text");
}

TEST(ParseChatMessages, ImagePartsAreRejectedClearly) {
  try {
    parse_chat_messages(json::parse(R"([{"role": "user", "content": [
        {"type": "text", "text": "what is this?"},
        {"type": "image_url", "image_url": {"url": "http://x/y.png"}}]}])"));
    FAIL() << "expected InvalidRequest";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::InvalidRequest);
    EXPECT_EQ(e.error().param, "messages[0].content[1].type");
    EXPECT_NE(e.error().message.find("image_url"), std::string::npos);
    EXPECT_NE(e.error().message.find("only 'text'"), std::string::npos);
  }
}

}  // namespace
}  // namespace fastchat::protocol
