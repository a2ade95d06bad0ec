#include "common/json/request_body.h"

#include <gtest/gtest.h>

#include <string>

#include "expect_error.h"

namespace fastchat {
namespace {

using nlohmann::json;
using testing::expect_invalid;

std::string nested_arrays(int levels) {
  // {"x": [[...]]} with `levels` levels in total, counting the outer object.
  return R"({"x": )" + std::string(levels - 1, '[') + std::string(levels - 1, ']') + "}";
}

TEST(RequestBody, ParsesAnObject) {
  const json body = parse_request_body(R"({"model": "m", "n": 2})");
  EXPECT_EQ(body.at("n"), 2);
}

TEST(RequestBody, MalformedJsonIsAnInvalidRequestWithTheParserMessage) {
  for (const char* text : {"{", "", "{\"a\": }", "{'a': 1}", "{\"a\": 1} trailing"}) {
    expect_invalid([&] { parse_request_body(text); }, "", "request body is not valid JSON: ");
  }
  try {
    parse_request_body("{\"a\": tru}");
    FAIL();
  } catch (const ErrorException& e) {
    // The nlohmann prefix "[json.exception.parse_error.101]" is trimmed.
    EXPECT_EQ(e.error().message.find("[json.exception"), std::string::npos) << e.error().message;
    EXPECT_NE(e.error().message.find("parse error"), std::string::npos) << e.error().message;
  }
}

TEST(RequestBody, LongGarbageIsNotEchoedWhole) {
  const std::string body = "{\"a\": \"" + std::string(5000, 'x');
  try {
    parse_request_body(body);
    FAIL();
  } catch (const ErrorException& e) {
    EXPECT_LT(e.error().message.size(), 300u);
  }
}

TEST(RequestBody, NumberOverflowIsInvalidJson) {
  expect_invalid([] { parse_request_body(R"({"temperature": 1e400})"); }, "", "not valid JSON");
}

TEST(RequestBody, MustBeAnObject) {
  expect_invalid([] { parse_request_body("[1]"); }, "", "must be a JSON object, got array");
  expect_invalid([] { parse_request_body("\"hi\""); }, "", "got string");
  expect_invalid([] { parse_request_body("null"); }, "", "got null");
}

TEST(RequestBody, DepthIsLimitedTo64Levels) {
  EXPECT_NO_THROW(parse_request_body(nested_arrays(kMaxJsonDepth)));
  expect_invalid([] { parse_request_body(nested_arrays(kMaxJsonDepth + 1)); }, "",
                 "nested deeper than 64 levels");
  // A hostile body: a million unclosed brackets stops at the limit, quickly and without recursion.
  const std::string hostile = "{\"x\":" + std::string(1'000'000, '[');
  expect_invalid([&] { parse_request_body(hostile); }, "", "nested deeper than 64");
  const std::string objects = [] {
    std::string text;
    for (int i = 0; i < 100; ++i) text += "{\"a\":";
    return text + "1" + std::string(100, '}');
  }();
  expect_invalid([&] { parse_request_body(objects); }, "", "nested deeper");
}

}  // namespace
}  // namespace fastchat
