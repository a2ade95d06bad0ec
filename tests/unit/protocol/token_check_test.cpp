#include "protocol/token_check.h"

#include <gtest/gtest.h>

#include "common/error/error.h"

namespace fastchat::protocol {
namespace {

TEST(TokenCheck, ParsesFastChatsRequest) {
  const auto items = parse_token_check_request(
      R"({"prompts": [{"model": "m", "prompt": "Hello", "max_tokens": 16},
                      {"model": "n", "prompt": "", "max_tokens": 0}]})");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].model, "m");
  EXPECT_EQ(items[0].prompt, "Hello");
  EXPECT_EQ(items[0].max_tokens, 16);
  EXPECT_EQ(items[1].max_tokens, 0);
  EXPECT_TRUE(parse_token_check_request(R"({"prompts": []})").empty());
}

TEST(TokenCheck, AnswersWithFastChatsFieldNames) {
  EXPECT_EQ(token_check_response({{true, 7, 512}, {false, 600, 512}}).dump(),
            R"({"prompts":[{"contextLength":512,"fits":true,"tokenCount":7},)"
            R"({"contextLength":512,"fits":false,"tokenCount":600}]})");
}

TEST(TokenCheck, ErrorsNameTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({})", "prompts"},
      {R"({"prompts": {}})", "prompts"},
      {R"({"prompts": [5]})", "prompts[0]"},
      {R"({"prompts": [{"prompt": "x", "max_tokens": 1}]})", "prompts[0].model"},
      {R"({"prompts": [{"model": "m", "max_tokens": 1}]})", "prompts[0].prompt"},
      {R"({"prompts": [{"model": "m", "prompt": "x"}]})", "prompts[0].max_tokens"},
      {R"({"prompts": [{"model": "m", "prompt": "x", "max_tokens": -1}]})",
       "prompts[0].max_tokens"},
      {R"({"prompts": [{"model": "m", "prompt": "x", "max_tokens": "1"}]})",
       "prompts[0].max_tokens"},
      {R"({"prompts": [{"model": 1, "prompt": "x", "max_tokens": 1}]})", "prompts[0].model"},
  };
  for (const auto& [body, param] : cases) {
    try {
      parse_token_check_request(body);
      ADD_FAILURE() << body;
    } catch (const ErrorException& e) {
      EXPECT_EQ(e.error().code, ErrorCode::InvalidRequest) << body;
      EXPECT_EQ(e.error().param, param) << body << ": " << e.error().message;
    }
  }
  std::string many = R"({"prompts": [)";
  for (size_t i = 0; i <= kMaxTokenCheckPrompts; ++i) {
    many += std::string(i ? "," : "") + R"({"model": "m", "prompt": "x", "max_tokens": 1})";
  }
  many += "]}";
  EXPECT_THROW(parse_token_check_request(many), ErrorException);
}

}  // namespace
}  // namespace fastchat::protocol
