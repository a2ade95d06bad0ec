// Expressions: literals, arithmetic, comparison, membership, logic (Python truthiness,
// short-circuit, operands returned), concatenation, conditional expressions, attribute and item
// access, slices, calls with keyword arguments, and the `is` tests.

#include <gtest/gtest.h>

#include "render_helper.h"

namespace fastchat::jinja {
namespace {

using nlohmann::ordered_json;
using testing::render;

TEST(JinjaLiterals, StringsNumbersAndConstants) {
  EXPECT_EQ(render(R"({{ 'a\'b' }}|{{ "tab\there" }}|{{ "\u00e9\x41" }}|{{ 'x' "y" }})"),
            "a'b|tab\there|\xC3\xA9"
            "A|xy");
  EXPECT_EQ(render(R"({{ "\ud83d\ude00" }})"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(render("{{ 42 }}|{{ -7 }}|{{ 1.5 }}|{{ 2.0 }}|{{ +3 }}"), "42|-7|1.5|2.0|3");
  EXPECT_EQ(render("{{ true }}|{{ True }}|{{ false }}|{{ False }}|{{ none }}|{{ None }}|"),
            "true|true|false|false|||");
  EXPECT_EQ(render("{{ [1, 'a', [none]] }}|{{ {'k': 1, 'j': [true]} }}|{{ (1, 2) }}"),
            "[1, \"a\", [null]]|{\"k\": 1, \"j\": [true]}|[1, 2]");
}

TEST(JinjaArithmetic, FollowsPythonForIntsAndFloats) {
  EXPECT_EQ(render("{{ 7 + 2 }} {{ 7 - 9 }} {{ 6 * 7 }} {{ 7 / 2 }} {{ 10 / 2 }} {{ 7 // 2 }}"),
            "9 -2 42 3.5 5.0 3");
  EXPECT_EQ(render("{{ -7 // 2 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 7.5 % 2 }} {{ 2 ** 10 }}"),
            "-4 2 -2 1.5 1024");
  EXPECT_EQ(render("{{ 2 ** -1 }} {{ 2 ** 3 ** 2 }} {{ 1.5 + 1 }} {{ 0.1 + 0.2 }}"),
            "0.5 64 2.5 0.30000000000000004");
  EXPECT_EQ(render("{{ 9223372036854775807 + 1 }}"), "9223372036854775808.0");
  EXPECT_EQ(render("{% set x = 5 %}{{ -x }} {{ - -x }} {{ +x }}"), "-5 5 5");
  EXPECT_EQ(render("{{ 2 + 3 * 4 }} {{ (2 + 3) * 4 }} {{ 10 - 2 - 3 }}"), "14 20 5");
}

TEST(JinjaConcatenation, TildeAndPlusJoinText) {
  EXPECT_EQ(render("{{ 'a' ~ 1 ~ true ~ 2.0 ~ [1] }}"), "a1true2.0[1]");
  EXPECT_EQ(render("{{ 'n' + 1 }}|{{ 1 + 'n' }}|{{ 'x' * 3 }}|{{ [1] * 2 }}"), "n1|1n|xxx|[1, 1]");
  EXPECT_EQ(render("{{ 'a' ~ missing ~ 'b' }}"), "ab");
  EXPECT_EQ(render("{{ [1, 2] + [3] }}"), "[1, 2, 3]");
}

TEST(JinjaComparison, ComparesNumbersStringsAndValues) {
  EXPECT_EQ(render("{{ 1 < 2 }}{{ 2 <= 2 }}{{ 3 > 4 }}{{ 1 >= 1.0 }}{{ 'a' < 'b' }}"),
            "truetruefalsetruetrue");
  EXPECT_EQ(
      render("{{ 1 == 1.0 }}{{ 1 == '1' }}{{ [1, [2]] == [1, [2]] }}{{ {'a': 1} != {'a': 1} }}"),
      "truefalsetruefalse");
  EXPECT_EQ(render("{{ none == none }}{{ missing == none }}{{ missing is undefined }}"),
            "truefalsetrue");
}

TEST(JinjaMembership, InAndNotIn) {
  EXPECT_EQ(
      render("{{ 'b' in 'abc' }}{{ 2 in [1, 2] }}{{ 'k' in {'k': 0} }}{{ 'z' not in 'abc' }}"),
      "truetruetruetrue");
  EXPECT_EQ(render("{{ 'x' in missing }}{{ 'x' not in missing }}"), "falsetrue");
}

TEST(JinjaLogic, ShortCircuitsAndReturnsOperands) {
  EXPECT_EQ(render("{{ 0 or 'fallback' }}|{{ 'a' and 'b' }}|{{ [] and 1 }}|{{ not [] }}"),
            "fallback|b|[]|true");
  EXPECT_EQ(render("{{ false and raise_exception('not evaluated') }}"), "false");
  EXPECT_EQ(render("{{ true or raise_exception('not evaluated') }}"), "true");
  EXPECT_EQ(render("{{ not 1 == 2 }}{{ not (1 == 1) }}"), "truefalse");
  EXPECT_EQ(render("{% if '' or {} or 0.0 or none %}t{% else %}f{% endif %}"), "f");
}

TEST(JinjaConditional, ChoosesABranch) {
  EXPECT_EQ(render("{{ 'y' if 1 > 0 else 'n' }}{{ 'y' if 0 else 'n' if 0 else 'm' }}"), "ym");
  EXPECT_EQ(render("[{{ 'shown' if false }}]"), "[]");
}

TEST(JinjaAccess, AttributesItemsAndSlices) {
  const ordered_json context = {
      {"messages", {{{"role", "system"}, {"content", "S"}}, {{"role", "user"}, {"content", "U"}}}}};
  EXPECT_EQ(render("{{ messages[0].role }} {{ messages[1]['content'] }} {{ messages[-1].role }}",
                   context),
            "system U user");
  EXPECT_EQ(render("{{ messages[1:] | length }} {{ messages[::-1][0].role }} {{ messages[5] }}|",
                   context),
            "1 user |");
  EXPECT_EQ(render("{{ messages.0.role }} {{ messages[0].missing is defined }}", context),
            "system false");
  EXPECT_EQ(render("{{ 'abcdef'[1:4] }} {{ 'abcdef'[::-2] }} {{ 'héllo'[1] }} {{ 'abc'[-1] }}"),
            "bcd fdb é c");
  EXPECT_EQ(render("{{ [1, 2, 3, 4][:-1] }} {{ [1, 2, 3, 4][-2:] }} {{ [1, 2, 3][5:] }}"),
            "[1, 2, 3] [3, 4] []");
}

TEST(JinjaCalls, GlobalsWithPositionalAndKeywordArguments) {
  EXPECT_EQ(render("{{ range(3) }} {{ range(1, 7, 2) }} {{ range(3, 0, -1) }}"),
            "[0, 1, 2] [1, 3, 5] [3, 2, 1]");
  EXPECT_EQ(render("{{ dict(a=1, b='x') }} {{ namespace(a=1).a }}"), "{\"a\": 1, \"b\": \"x\"} 1");
  EXPECT_EQ(render("{% set f = 'x'.upper %}{{ f() }}"), "X");
  EXPECT_EQ(render("{{ 'a-b-c'.split('-', maxsplit=1) }}"), "[\"a\", \"b-c\"]");
  EXPECT_EQ(render("{% set args = [1, 4] %}{{ range(*args) }}"), "[1, 2, 3]");
}

TEST(JinjaTests, TypeTests) {
  EXPECT_EQ(render("{{ 'a' is string }}{{ 1 is number }}{{ 1.5 is number }}{{ true is number }}"),
            "truetruetruefalse");
  EXPECT_EQ(render("{{ 1 is integer }}{{ 1.0 is float }}{{ 1.0 is integer }}{{ true is boolean }}"),
            "truetruefalsetrue");
  EXPECT_EQ(
      render("{{ {} is mapping }}{{ [] is mapping }}{{ [] is iterable }}{{ 'x' is iterable }}"),
      "truefalsetruetrue");
  EXPECT_EQ(
      render("{{ {} is iterable }}{{ [] is sequence }}{{ {} is sequence }}{{ 1 is sequence }}"),
      "falsetruetruefalse");
  EXPECT_EQ(render("{{ none is none }}{{ 0 is none }}{{ x is defined }}{{ x is undefined }}"),
            "truefalsefalsetrue");
  EXPECT_EQ(render("{{ true is true }}{{ 1 is true }}{{ false is false }}{{ range is callable }}"),
            "truefalsetruetrue");
}

TEST(JinjaTests, ValueTestsAndNegation) {
  EXPECT_EQ(
      render("{{ 3 is odd }}{{ 4 is even }}{{ 9 is divisibleby(3) }}{{ 9 is divisibleby 4 }}"),
      "truetruetruefalse");
  EXPECT_EQ(render("{{ 'ab' is lower }}{{ 'AB' is upper }}{{ 'Ab' is lower }}"), "truetruefalse");
  EXPECT_EQ(render("{{ 2 is equalto 2 }}{{ 2 is eq(3) }}{{ 2 is ne(3) }}{{ 1 is lt(2) }}"
                   "{{ 1 is gt 2 }}{{ 2 is le(2) }}{{ 2 is ge(3) }}{{ 2 is in([1, 2]) }}"),
            "truefalsetruetruefalsetruefalsetrue");
  EXPECT_EQ(render("{{ 1 is not string }}{{ none is not none }}{{ x is not defined }}"),
            "truefalsetrue");
}

}  // namespace
}  // namespace fastchat::jinja
