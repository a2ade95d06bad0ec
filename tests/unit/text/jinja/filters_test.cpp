// The built-in filters, with the results @huggingface/jinja gives where it has the filter and
// Jinja2's where only Jinja2 has it.

#include <gtest/gtest.h>

#include "render_helper.h"

namespace fastchat::jinja {
namespace {

using nlohmann::ordered_json;
using testing::render;

TEST(JinjaTextFilters, TrimCaseAndReplace) {
  EXPECT_EQ(render("[{{ ' \n a b \t'|trim }}]{{ 'xxaxx'|trim('x') }}"), "[a b]a");
  EXPECT_EQ(render("{{ 'aBc'|upper }}{{ 'AbC'|lower }}{{ 'ÉCOLE ß'|lower }}{{ 'école ß'|upper }}"),
            "ABCabcécole ßÉCOLE SS");
  EXPECT_EQ(render("{{ 'hello wORLD-x_y'|title }}|{{ 'hello WORLD'|capitalize }}"),
            "Hello WORLD-X_y|Hello WORLD");
  EXPECT_EQ(render("{{ 'aaa'|replace('a', 'b') }}{{ 'aaa'|replace('a', 'b', 2) }}"
                   "{{ 'ab'|replace('', '-') }}"),
            "bbbbba-a-b-");
  EXPECT_EQ(render("{{ 42|upper }}"), "42");
}

TEST(JinjaTextFilters, Indent) {
  EXPECT_EQ(render("{{ 'a\nb\n\nc'|indent }}"), "a\n    b\n\n    c");
  EXPECT_EQ(render("{{ 'a\nb'|indent(2, true) }}|{{ 'a\n\nb'|indent(width=1, blank=true) }}"),
            "  a\n  b|a\n \n b");
  EXPECT_EQ(render("{{ 'a\nb'|indent('> ') }}"), "a\n> b");
}

TEST(JinjaTextFilters, EscapeWordcountStringSafe) {
  EXPECT_EQ(render("{{ '<a href=\"x\">&\\'</a>'|e }}"),
            "&lt;a href=&#34;x&#34;&gt;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(render("{{ 'one two,three  four'|wordcount }}"), "4");
  EXPECT_EQ(render("{{ 5|string }}{{ [1]|string }}{{ true|string }}{{ '<b>'|safe }}"),
            "5[1]true<b>");
}

TEST(JinjaNumberFilters, ConvertAndRound) {
  EXPECT_EQ(
      render("{{ '3.7'|float }} {{ '42x'|int }} {{ 'x'|int(7) }} {{ 3.9|int }} {{ true|int }}"),
      "3.7 42 7 3 1");
  EXPECT_EQ(render("{{ ' 1e3'|float }} {{ 'x'|float }} {{ 2|float }}"), "1000.0 0.0 2.0");
  EXPECT_EQ(render("{{ -3|abs }} {{ 2.5|abs }} {{ 2.567|round(2) }} {{ 2.5|round }} {{ 2|round }}"),
            "3 2.5 2.57 3.0 2.0");
  EXPECT_EQ(render("{{ 2.1|round(method='ceil') }} {{ 2.9|round(0, 'floor') }}"), "3.0 2.0");
}

TEST(JinjaSequenceFilters, LengthFirstLastReverseList) {
  EXPECT_EQ(render("{{ 'héllo'|length }}{{ [1, 2]|count }}{{ {'a': 1}|length }}"), "521");
  EXPECT_EQ(render("{{ [1, 2]|first }}{{ [1, 2]|last }}[{{ []|first }}]{{ 'abc'|first }}"),
            "12[]a");
  EXPECT_EQ(render("{{ [1, 2]|reverse }}{{ 'abc'|reverse }}{{ 'ab'|list }}{{ {'k': 1}|list }}"),
            "[2, 1]cba[\"a\", \"b\"][\"k\"]");
}

TEST(JinjaSequenceFilters, SortUniqueMinMaxSum) {
  EXPECT_EQ(render("{{ [3, 1, 2]|sort }}{{ ['b', 'A', 'c']|sort(reverse=true) }}"
                   "{{ ['b', 'A']|sort(case_sensitive=true) }}"),
            "[1, 2, 3][\"c\", \"b\", \"A\"][\"A\", \"b\"]");
  EXPECT_EQ(render("{{ [{'n': 2}, {'n': 1}]|sort(attribute='n') }}"), "[{\"n\": 1}, {\"n\": 2}]");
  EXPECT_EQ(render("{{ [1, 2, 2, 'a', 'A']|unique }}{{ ['a', 'A']|unique(case_sensitive=true) }}"),
            "[1, 2, \"a\"][\"a\", \"A\"]");
  EXPECT_EQ(render("{{ [3, 1, 2]|min }}{{ [3, 1, 2]|max }}{{ [1, 2, 3]|sum }}"
                   "{{ [{'v': 2}, {'v': 5}]|sum(attribute='v') }}"),
            "1367");
}

TEST(JinjaSequenceFilters, JoinMapSelectReject) {
  EXPECT_EQ(render("{{ [1, 2, 3]|join(', ') }}|{{ ['a', none, 1]|join }}|"
                   "{{ [{'n': 'x'}, {'n': 'y'}]|join('+', attribute='n') }}"),
            "1, 2, 3|a1|x+y");
  EXPECT_EQ(render("{{ [{'a': {'b': 1}}, {'a': {'b': 2}}]|map(attribute='a.b')|list }}"
                   "{{ [{'a': 1}, {}]|map(attribute='a', default=0)|list }}{{ ['a', "
                   "'b']|map('upper')|list }}"),
            "[1, 2][1, 0][\"A\", \"B\"]");
  EXPECT_EQ(
      render("{{ range(6)|select('odd')|list }}{{ range(6)|reject('odd')|list }}"
             "{{ [0, 1, '', 'x']|select|list }}{{ range(10)|select('divisibleby', 3)|list }}"),
      "[1, 3, 5][0, 2, 4][1, \"x\"][0, 3, 6, 9]");
  const ordered_json context = {
      {"messages",
       {{{"role", "user"}, {"x", 1}}, {{"role", "assistant"}}, {{"role", "user"}, {"x", 2}}}}};
  EXPECT_EQ(render("{{ messages|selectattr('role', 'equalto', 'user')|map(attribute='x')|list }}"
                   "{{ messages|rejectattr('role', 'equalto', 'user')|list }}"
                   "{{ messages|selectattr('x')|list|length }}"
                   "{{ messages|selectattr('x', 'defined')|list|length }}",
                   context),
            "[1, 2][{\"role\": \"assistant\"}]22");
}

TEST(JinjaMappingFilters, ItemsDictsortAttr) {
  EXPECT_EQ(render("{{ {'b': 1, 'a': 2}|items|list }}"), "[[\"b\", 1], [\"a\", 2]]");
  EXPECT_EQ(render("{{ {'b': 1, 'a': 2}|dictsort }}{{ {'b': 1, 'a': 2}|dictsort(by='value') }}"),
            "[[\"a\", 2], [\"b\", 1]][[\"b\", 1], [\"a\", 2]]");
  EXPECT_EQ(render("{{ {'k': 'v'}|attr('k') }}"), "v");
}

TEST(JinjaDefaultFilter, ReplacesUndefinedOrFalsy) {
  EXPECT_EQ(render("{{ 'x'|default('d') }}{{ missing|default('d') }}{{ ''|default('d', true) }}"
                   "[{{ none|default('d') }}]{{ missing|d }}|"),
            "xdd[]|");
}

TEST(JinjaTojsonFilter, WritesJsonLikePythonsJsonDumps) {
  EXPECT_EQ(render("{{ {'a': 'é', 'b': [1, 2.5, true, none]}|tojson }}"),
            "{\"a\": \"é\", \"b\": [1, 2.5, true, null]}");
  EXPECT_EQ(render("{{ {'a': {'b': [1]}, 'c': {}, 'd': []}|tojson(indent=2) }}"),
            "{\n  \"a\": {\n    \"b\": [\n      1\n    ]\n  },\n  \"c\": {},\n  \"d\": []\n}");
  EXPECT_EQ(render(R"({{ 'x"y\\z\n\t\u0001/'|tojson }})"), R"("x\"y\\z\n\t\u0001/")");
  EXPECT_EQ(
      render(
          "{{ {'b': 1, 'a': 2}|tojson(sort_keys=true) }}"
          "{{ 'é😀'|tojson(ensure_ascii=true) }}{{ [1, {'a': 2}]|tojson(separators=[',', ':']) }}"),
      "{\"a\": 2, \"b\": 1}\"\\u00e9\\ud83d\\ude00\"[1,{\"a\":2}]");
  EXPECT_EQ(render("{{ missing|tojson }} {{ 1.0|tojson }} {{ 0.1|tojson }} "
                   "{{ [10.0 ** 300 * 10.0 ** 300]|tojson }}"),
            "null 1 0.1 [null]");
}

TEST(JinjaTojsonFilter, KeepsTheContextsKeyOrder) {
  const ordered_json tool = ordered_json::parse(R"({"z": 1, "a": {"y": true, "b": null}})");
  EXPECT_EQ(render("{{ tool|tojson }}", {{"tool", tool}}),
            R"({"z": 1, "a": {"y": true, "b": null}})");
  // nlohmann::json itself keeps keys sorted: what it holds is what tojson writes.
  const nlohmann::json sorted = tool;
  EXPECT_EQ(Template::parse("{{ tool|tojson }}").render(nlohmann::json{{"tool", sorted}}),
            R"({"a": {"b": null, "y": true}, "z": 1})");
}

}  // namespace
}  // namespace fastchat::jinja
