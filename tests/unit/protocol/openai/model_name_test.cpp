#include "protocol/openai/request_body.h"

#include <gtest/gtest.h>

#include "expect_error.h"

namespace fastchat::openai {
namespace {

using nlohmann::json;
using testing::expect_invalid;

TEST(ModelName, IsARequiredNonEmptyString) {
  EXPECT_EQ(parse_model_name(json{{"model", "vicuna"}}), "vicuna");
  expect_invalid([] { parse_model_name(json::object()); }, "model", "is required");
  expect_invalid([] { parse_model_name(json{{"model", nullptr}}); }, "model", "is required");
  expect_invalid(
      [] {
        parse_model_name(json{{"model", 3}});
      },
      "model", "must be a string, got number");
  expect_invalid([] { parse_model_name(json{{"model", ""}}); }, "model", "must not be empty");
}

}  // namespace
}  // namespace fastchat::openai
