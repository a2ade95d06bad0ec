#include "text/reply/tool_call_json.h"

#include <gtest/gtest.h>

namespace fastchat::reply {
namespace {

using nlohmann::ordered_json;

TEST(JsonValueEnd, MatchesBracketsOutsideStrings) {
  const std::string_view text = R"(x{"a": "}]\"{", "b": [1, {"c": 2}]}; {"d": 3})";
  EXPECT_EQ(json_value_end(text, 1), text.find(';'));
  EXPECT_EQ(json_value_end(text, text.rfind('{')), text.size());
}

TEST(JsonValueEnd, ArraysAndUnclosedValues) {
  EXPECT_EQ(json_value_end(R"([{"a": 1}] tail)", 0), 10u);
  EXPECT_EQ(json_value_end(R"({"a": [1, 2})", 0), std::string_view::npos);
  EXPECT_EQ(json_value_end(R"({"a": "\"})", 0), std::string_view::npos);
  EXPECT_EQ(json_value_end("abc", 0), std::string_view::npos);
  EXPECT_EQ(json_value_end("{}", 2), std::string_view::npos);
}

TEST(ArgumentsText, ObjectIsReserializedCompactlyInTheModelsKeyOrder) {
  const ordered_json arguments =
      ordered_json::parse(R"({ "b" : 1, "a" : {"z": [1, 2.5], "y": null}, "c": "Zürich \"x\"" })");
  EXPECT_EQ(arguments_text(arguments), R"({"b":1,"a":{"z":[1,2.5],"y":null},"c":"Zürich \"x\""})");
}

TEST(ArgumentsText, StringIsTheJsonTextItself) {
  EXPECT_EQ(arguments_text(ordered_json("{\"a\": 1}")), "{\"a\": 1}");
}

TEST(ArgumentsText, NullIsEmptyObjectAndOtherTypesAreRejected) {
  EXPECT_EQ(arguments_text(ordered_json()), "{}");
  EXPECT_EQ(arguments_text(ordered_json(3)), std::nullopt);
  EXPECT_EQ(arguments_text(ordered_json::array({1})), std::nullopt);
}

TEST(ToolCallFromJson, NameAndArguments) {
  EXPECT_EQ(tool_call_from_json(ordered_json::parse(R"({"name": "f", "arguments": {"x": 1}})")),
            (ToolCall{"f", R"({"x":1})"}));
  EXPECT_EQ(tool_call_from_json(ordered_json::parse(R"({"name": "f", "parameters": {"x": 1}})")),
            (ToolCall{"f", R"({"x":1})"}));
  EXPECT_EQ(tool_call_from_json(ordered_json::parse(R"({"name": "f"})")), (ToolCall{"f", "{}"}));
}

TEST(ToolCallFromJson, RejectsWhatIsNotACall) {
  EXPECT_EQ(tool_call_from_json(ordered_json::parse(R"({"arguments": {}})")), std::nullopt);
  EXPECT_EQ(tool_call_from_json(ordered_json::parse(R"({"name": 1})")), std::nullopt);
  EXPECT_EQ(tool_call_from_json(ordered_json::parse(R"({"name": ""})")), std::nullopt);
  EXPECT_EQ(tool_call_from_json(ordered_json::parse(R"({"name": "f", "arguments": 1})")),
            std::nullopt);
  EXPECT_EQ(tool_call_from_json(ordered_json::parse(R"(["f"])")), std::nullopt);
}

TEST(ParseJson, InvalidTextIsNullopt) {
  EXPECT_EQ(parse_json("{\"a\": }"), std::nullopt);
  EXPECT_EQ(parse_json("{} x"), std::nullopt);
  EXPECT_EQ(parse_json(" {\"a\": 1} "), ordered_json::parse("{\"a\": 1}"));
}

TEST(TrimWhitespace, BothEnds) {
  EXPECT_EQ(trim_whitespace(" \n\t{}\r\n "), "{}");
  EXPECT_EQ(trim_whitespace(" \n"), "");
}

}  // namespace
}  // namespace fastchat::reply
