// Values: how they print (as the reference prints them), JSON context conversion, number
// formatting, Python's str and dict methods, and the nesting bound.

#include <gtest/gtest.h>

#include <cmath>

#include "chat_templates.h"
#include "render_helper.h"
#include "text/jinja/value.h"
#include "text/jinja/value_format.h"

namespace fastchat::jinja {
namespace {

using nlohmann::ordered_json;
using testing::render;

TEST(JinjaValuePrinting, ScalarsPrintAsTheReferencePrintsThem) {
  EXPECT_EQ(render("{{ 1.0 }} {{ -0.0 }} {{ 2.50 }} {{ 1/3 }} {{ 0.000001 }} {{ 0.0000001 }}"),
            "1.0 -0.0 2.5 0.3333333333333333 0.000001 1e-7");
  EXPECT_EQ(render("{{ 100000000000000000000000.0 }} {{ 123456789012.5 }}"),
            "1e+23 123456789012.5");
  EXPECT_EQ(render("{{ true }} {{ false }} [{{ none }}] [{{ missing }}]"), "true false [] []");
}

TEST(JinjaValuePrinting, ContainersPrintAsJson) {
  EXPECT_EQ(render("{{ x }}", {{"x", ordered_json::parse(R"({"b": [1, "two", null, false]})")}}),
            R"({"b": [1, "two", null, false]})");
  EXPECT_EQ(render("{% for x in [1] %}{{ loop }}{% endfor %}"),
            R"({"index": 1, "index0": 0, "revindex": 1, "revindex0": 0, "first": true, )"
            R"("last": true, "length": 1, "previtem": undefined, "nextitem": undefined})");
}

TEST(JinjaJsNumbers, ShortestRoundTripInJavaScriptLayout) {
  EXPECT_EQ(format_js_number(0.1), "0.1");
  EXPECT_EQ(format_js_number(-1.5e-7), "-1.5e-7");
  EXPECT_EQ(format_js_number(1e21), "1e+21");
  EXPECT_EQ(format_js_number(123456789012345680000.0), "123456789012345680000");
  EXPECT_EQ(format_js_number(std::nan("")), "NaN");
  EXPECT_EQ(format_float(3.0), "3.0");
  EXPECT_EQ(format_float(1e22), "1e+22");
  EXPECT_EQ(format_float(-INFINITY), "-Infinity");
}

TEST(JinjaJsonContext, ConvertsEveryJsonType) {
  const auto value = Value::from_json(
      ordered_json::parse(R"({"s": "x", "i": -3, "u": 18446744073709551615, "f": 2.5,
                              "whole": 3.0, "b": true, "n": null, "l": [1, [2]], "m": {}})"));
  ASSERT_TRUE(value.is_map());
  const MapData& map = value.as_map();
  EXPECT_EQ(map.entries.front().first, "s");
  EXPECT_TRUE(map.find("i")->is_int());
  EXPECT_TRUE(map.find("u")->is_float());
  EXPECT_EQ(map.find("f")->as_float(), 2.5);
  EXPECT_TRUE(map.find("whole")->is_int());  // JSON's 3.0 is the reference's integer 3
  EXPECT_TRUE(map.find("n")->is_none());
  EXPECT_EQ(map.find("l")->nesting(), 2u);
  EXPECT_EQ(to_json(value),
            R"({"s": "x", "i": -3, "u": 18446744073709552000, "f": 2.5, "whole": 3, "b": true, )"
            R"("n": null, "l": [1, [2]], "m": {}})");
}

TEST(JinjaJsonContext, RefusesContextsNestedTooDeeply) {
  ordered_json deep = 1;
  for (std::uint32_t i = 0; i <= kMaxNesting + 1; ++i) deep = ordered_json::array({deep});
  const Error error = testing::render_error("{{ x }}", {{"x", deep}});
  EXPECT_EQ(error.code, ErrorCode::InvalidRequest);
  EXPECT_NE(error.message.find("nests more than"), std::string::npos) << error.message;
}

TEST(JinjaStringMethods, PythonStrMethods) {
  EXPECT_EQ(render("[{{ ' a '.strip() }}][{{ ' a '.lstrip() }}][{{ ' a '.rstrip() }}]"),
            "[a][a ][ a]");
  EXPECT_EQ(render("{{ 'abc'.startswith('ab') }}{{ 'abc'.endswith(('x', 'c')) }}"
                   "{{ 'abc'.startswith('b') }}"),
            "truetruefalse");
  EXPECT_EQ(render("{{ 'a,b,,c'.split(',') }}{{ '  a  b '.split() }}{{ 'a b c'.split(' ', 1) }}"),
            R"(["a", "b", "", "c"]["a", "b"]["a", "b c"])");
  EXPECT_EQ(render("{{ 'aXbX'.replace('X', '-') }}{{ 'Hi'.upper() }}{{ 'Hi'.lower() }}"
                   "{{ 'hi you'.title() }}{{ 'hi'.capitalize() }}"),
            "a-b-HIhiHi YouHi");
  EXPECT_EQ(render("{{ 'héllo'.find('l') }}{{ 'abc'.find('z') }}{{ 'banana'.count('an') }}"
                   "{{ ', '.join(['a', 'b']) }}"),
            "2-12a, b");
}

TEST(JinjaStringMethods, StripWithCharsStripsOnlyThose) {
  // Python strips only the given characters; the reference strips all whitespace whatever the
  // argument. Qwen3's template relies on Python's behaviour: content.lstrip('\n') keeps the
  // indentation of an answer's first line.
  EXPECT_EQ(render("[{{ '\n  code\n'.lstrip('\n') }}][{{ 'xxhixx'.strip('x') }}]"
                   "[{{ '--a--'.rstrip('-') }}][{{ 'ab'.strip('') }}]"),
            "[  code\n][hi][--a][ab]");
  const auto qwen3 = Template::parse(testing::chat_template("qwen3"));
  const ordered_json messages = ordered_json::parse(
      R"json([{"role": "user", "content": "Code?"},
          {"role": "assistant", "content": "<think>\nhm\n</think>\n\n    indented()"}])json");
  EXPECT_EQ(qwen3.render({{"messages", messages}, {"add_generation_prompt", false}}),
            "<|im_start|>user\nCode?<|im_end|>\n<|im_start|>assistant\n<think>\nhm\n</think>\n\n"
            "    indented()<|im_end|>\n");
}

TEST(JinjaDictMethods, GetItemsKeysValues) {
  const ordered_json context = {{"d", {{"b", 1}, {"a", 2}}}};
  EXPECT_EQ(render("{{ d.get('a') }}{{ d.get('z', 'def') }}[{{ d.get('z') }}]", context), "2def[]");
  EXPECT_EQ(render("{{ d.items() }}{{ d.keys() }}{{ d.values() }}", context),
            R"([["b", 1], ["a", 2]]["b", "a"][1, 2])");
  // A key shadows the method of the same name, as in the reference.
  EXPECT_EQ(render("{{ m.items }}", {{"m", {{"items", "mine"}}}}), "mine");
}

TEST(JinjaNesting, BuiltValuesAreBoundedToo) {
  const Error error = testing::render_error(
      "{% set ns = namespace(x=1) %}{% for i in range(300) %}{% set ns.x = [ns.x] %}{% endfor %}");
  EXPECT_EQ(error.code, ErrorCode::InvalidRequest);
  EXPECT_NE(error.message.find("nests more than 200 levels"), std::string::npos) << error.message;
  const Error cycle =
      testing::render_error("{% set ns = namespace() %}{% set ns.self = ns %}{{ ns }}");
  EXPECT_NE(cycle.message.find("nested more than"), std::string::npos) << cycle.message;
}

}  // namespace
}  // namespace fastchat::jinja
