#include "common/json/json_fields.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "expect_error.h"

namespace fastchat {
namespace {

using nlohmann::json;
using testing::expect_invalid;

TEST(JsonFields, FindFieldTreatsNullAsAbsent) {
  const json body = json::parse(R"({"a": 1, "b": null})");
  ASSERT_NE(find_field(body, "a"), nullptr);
  EXPECT_EQ(*find_field(body, "a"), 1);
  EXPECT_EQ(find_field(body, "b"), nullptr);
  EXPECT_EQ(find_field(body, "c"), nullptr);
}

TEST(JsonFields, TypeErrorsNameFieldAndBothTypes) {
  expect_invalid([] { read_number(json("x"), "temperature"); }, "temperature",
                 "'temperature' must be a number, got string");
  expect_invalid([] { read_number(json(true), "top_p"); }, "top_p",
                 "must be a number, got boolean");
  expect_invalid([] { read_bool(json(1), "stream"); }, "stream", "must be a boolean, got number");
  expect_invalid([] { read_string(json::array(), "user"); }, "user", "must be a string, got array");
  expect_invalid([] { read_integer(json::object(), "n"); }, "n", "must be an integer, got object");
  expect_invalid([] { read_integer(json(false), "n"); }, "n", "got boolean");
}

TEST(JsonFields, IntegersMayBeIntegralFloats) {
  EXPECT_EQ(read_integer(json(2), "n"), 2);
  EXPECT_EQ(read_integer(json(-7), "n"), -7);
  EXPECT_EQ(read_integer(json(2.0), "n"), 2);
  EXPECT_EQ(read_integer(json(-3.0), "n"), -3);
  expect_invalid([] { read_integer(json(2.5), "n"); }, "n", "must be an integer, got 2.5");
  expect_invalid([] { read_integer(json(1e30), "n"); }, "n", "must be an integer");
  expect_invalid([] { read_integer(json(UINT64_MAX), "n"); }, "n", "64 bits");
}

TEST(JsonFields, RangesAreInclusiveOrOpenAsPrinted) {
  const Interval top_p{0.0, 1.0, true};
  EXPECT_EQ(top_p.text(), "(0, 1]");
  EXPECT_TRUE(top_p.contains(1.0));
  EXPECT_FALSE(top_p.contains(0.0));
  EXPECT_FALSE(top_p.contains(std::nan("")));
  EXPECT_EQ((Interval{-2, 2}).text(), "[-2, 2]");
  EXPECT_DOUBLE_EQ(read_number_in(json(0.5), "top_p", top_p), 0.5);
  expect_invalid([&] { read_number_in(json(1.5), "top_p", top_p); }, "top_p",
                 "'top_p' must be in (0, 1], got 1.5");
  EXPECT_EQ(read_integer_in(json(16), "n", 1, 16), 16);
  expect_invalid([] { read_integer_in(json(17), "n", 1, 16); }, "n", "must be in [1, 16], got 17");
}

TEST(JsonFields, DescribeValueQuotesShortValuesOnly) {
  EXPECT_EQ(describe_value(json(3)), "3");
  EXPECT_EQ(describe_value(json("ab")), "\"ab\"");
  EXPECT_EQ(describe_value(json(std::string(100, 'x'))), "string");
  EXPECT_EQ(describe_value(json::array({1})), "array");
}

}  // namespace
}  // namespace fastchat
