#include "common/error/error_envelope.h"

#include <gtest/gtest.h>

namespace fastchat {
namespace {

using nlohmann::json;

TEST(ErrorEnvelope, WritesTypeParamAndCode) {
  const json body = error_envelope(Error{ErrorCode::InvalidRequest, "bad n", "n"});
  EXPECT_EQ(body["error"]["message"], "bad n");
  EXPECT_EQ(body["error"]["type"], "invalid_request_error");
  EXPECT_EQ(body["error"]["code"], "invalid_request_error");
  EXPECT_EQ(body["error"]["param"], "n");
  EXPECT_TRUE(error_envelope(Error{ErrorCode::Internal, "x", ""})["error"]["param"].is_null());
}

TEST(ErrorEnvelope, ReadsBackEveryCodeItWrites) {
  for (auto code : {ErrorCode::InvalidRequest, ErrorCode::ContextLengthExceeded,
                    ErrorCode::Unauthorized, ErrorCode::NotFound, ErrorCode::Overloaded,
                    ErrorCode::Unavailable, ErrorCode::UpstreamTimeout, ErrorCode::Internal}) {
    const auto parsed = parse_error_body(error_envelope(Error{code, "m", "p"}).dump());
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->code, code) << error_type(code);
    EXPECT_EQ(parsed->message, "m");
    EXPECT_EQ(parsed->param, "p");
  }
}

TEST(ErrorEnvelope, ForeignShapes) {
  // An unknown type (another server's) is an upstream failure with its message kept.
  auto other = parse_error_body(R"({"error": {"message": "slow down", "type": "requests"}})");
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(other->code, ErrorCode::UpstreamFailed);
  EXPECT_EQ(other->message, "slow down");
  // Some servers send the message as a plain string.
  auto plain = parse_error_body(R"({"error": "model not loaded"})");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->message, "model not loaded");
  EXPECT_FALSE(parse_error_body("<html>502 Bad Gateway</html>").has_value());
  EXPECT_FALSE(parse_error_body(R"({"choices": []})").has_value());
  EXPECT_FALSE(parse_error_body(R"({"error": 7})").has_value());
}

TEST(ErrorEnvelope, DescribesAFailedResponseForPeople) {
  EXPECT_EQ(describe_error_response(429, R"({"error": {"message": "queue full", "type": "x"}})"),
            "HTTP 429: queue full");
  const std::string page(1000, 'x');
  EXPECT_EQ(describe_error_response(502, page), "HTTP 502: " + std::string(200, 'x'));
}

}  // namespace
}  // namespace fastchat
