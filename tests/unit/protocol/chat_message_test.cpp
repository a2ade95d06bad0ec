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
  const std::vector<ChatMessage> expected = {
      {"system", "S"}, {"user", "Hi"}, {"assistant", "Hello!"}};
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
  const std::vector<ChatMessage> expected = {{"system", "D"}, {"assistant", ""}, {"assistant", ""}};
  EXPECT_EQ(messages, expected);
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
                 "messages[1].role");
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
