// Statements: if/elif/else, for (loop variables, else, inline filter, unpacking, break and
// continue, scoping), set (expressions, tuples, blocks, namespace attributes), macros with
// defaults, varargs, kwargs and caller(), call blocks and filter blocks.

#include <gtest/gtest.h>

#include "render_helper.h"

namespace fastchat::jinja {
namespace {

using nlohmann::ordered_json;
using testing::render;

TEST(JinjaIfStatement, TakesTheFirstTrueBranch) {
  const char* source =
      "{% if x == 1 %}one{% elif x == 2 %}two{% elif x == 3 %}three"
      "{% else %}many{% endif %}";
  EXPECT_EQ(render(source, {{"x", 1}}), "one");
  EXPECT_EQ(render(source, {{"x", 2}}), "two");
  EXPECT_EQ(render(source, {{"x", 3}}), "three");
  EXPECT_EQ(render(source, {{"x", 9}}), "many");
  EXPECT_EQ(render("{% if missing %}x{% endif %}-"), "-");
}

TEST(JinjaForStatement, ProvidesTheLoopVariables) {
  EXPECT_EQ(render("{% for x in xs %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}"
                   "{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }};"
                   "{% endfor %}",
                   {{"xs", {"a", "b"}}}),
            "1021truefalse2;2110falsetrue2;");
  EXPECT_EQ(render("{% for x in [1, 2, 3] %}{{ loop.previtem }}<{{ x }}>{{ loop.nextitem }},"
                   "{% endfor %}"),
            "<1>2,1<2>3,2<3>,");
}

TEST(JinjaForStatement, ElseRunsWhenNothingIsIterated) {
  EXPECT_EQ(render("{% for x in [] %}x{% else %}empty{% endfor %}"), "empty");
  EXPECT_EQ(render("{% for x in missing %}x{% else %}none{% endfor %}"), "none");
  EXPECT_EQ(render("{% for x in [1] %}{{ x }}{% else %}empty{% endfor %}"), "1");
}

TEST(JinjaForStatement, InlineIfFiltersItemsBeforeLoopCounts) {
  EXPECT_EQ(render("{% for i in range(10) if i is odd %}{{ loop.index }}:{{ i }}"
                   "{{ '' if loop.last else ',' }}{% endfor %}"),
            "1:1,2:3,3:5,4:7,5:9");
}

TEST(JinjaForStatement, UnpacksPairs) {
  const ordered_json context = {{"d", {{"b", 1}, {"a", 2}}}};
  EXPECT_EQ(render("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", context), "b=1;a=2;");
  EXPECT_EQ(render("{% for k, v in d | items %}{{ k }}{{ v }}{% endfor %}", context), "b1a2");
  EXPECT_EQ(render("{% for k in d %}{{ k }}{% endfor %}", context), "ba");
  EXPECT_EQ(render("{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }} {% endfor %}"), "3 7 ");
}

TEST(JinjaForStatement, IteratesStringsByCharacter) {
  EXPECT_EQ(render("{% for c in 'héj' %}[{{ c }}]{% endfor %}"), "[h][é][j]");
}

TEST(JinjaForStatement, BreakAndContinue) {
  EXPECT_EQ(render("{% for i in range(10) %}{% if i == 2 %}{% continue %}{% endif %}"
                   "{% if i == 5 %}{% break %}{% endif %}{{ i }}{% endfor %}"),
            "0134");
}

TEST(JinjaForStatement, NestedLoopsHaveTheirOwnLoopVariable) {
  EXPECT_EQ(render("{% for a in [1, 2] %}{% for b in 'xy' %}{{ loop.index }}{% endfor %}"
                   "{{ loop.index }}|{% endfor %}"),
            "121|122|");
}

TEST(JinjaForStatement, AssignmentsInsideStayInsideTheLoop) {
  EXPECT_EQ(render("{% set x = 'out' %}{% for i in [1, 2] %}{% set x = i %}{{ x }}{% endfor %}"
                   "{{ x }}"),
            "12out");
}

TEST(JinjaSetStatement, AssignsExpressionsTuplesAndBlocks) {
  EXPECT_EQ(render("{% set x = 1 + 2 %}{{ x }}"), "3");
  EXPECT_EQ(render("{% set a, b = 1, 'two' %}{{ a }}{{ b }}"), "1two");
  EXPECT_EQ(render("{% set t = 1, 2 %}{{ t }}"), "[1, 2]");
  EXPECT_EQ(render("{% set block %}  <{{ 4 * 2 }}>  {% endset %}[{{ block }}]"), "[  <8>  ]");
  EXPECT_EQ(render("{% if true %}{% set inner = 5 %}{% endif %}{{ inner }}"), "5");
}

TEST(JinjaSetStatement, NamespacesCarryValuesOutOfLoops) {
  EXPECT_EQ(render("{% set ns = namespace(count=0, found=false) %}"
                   "{% for x in [3, 8, 5] %}{% set ns.count = ns.count + 1 %}"
                   "{% if x > 4 and not ns.found %}{% set ns.found = x %}{% endif %}{% endfor %}"
                   "{{ ns.count }} {{ ns.found }} {{ ns }}"),
            "3 8 {\"count\": 3, \"found\": 8}");
  EXPECT_EQ(render("{% set ns = namespace({'a': 1}, b=2) %}{% set ns.c %}x{% endset %}"
                   "{{ ns.a }}{{ ns.b }}{{ ns.c }}{{ ns.missing is defined }}"),
            "12xfalse");
}

TEST(JinjaMacroStatement, CallsWithPositionalKeywordAndDefaultArguments) {
  const std::string macro =
      "{% macro tag(name, value='?', sep=': ') %}<{{ name }}{{ sep }}"
      "{{ value }}>{% endmacro %}";
  EXPECT_EQ(render(macro + "{{ tag('a') }}{{ tag('b', 2) }}{{ tag('c', sep='=', value=3) }}"),
            "<a: ?><b: 2><c=3>");
  EXPECT_EQ(render("{% macro m(a, b=a * 2) %}{{ b }}{% endmacro %}{{ m(4) }}"), "8");
}

TEST(JinjaMacroStatement, VarargsAndKwargsCollectTheRest) {
  EXPECT_EQ(render("{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}"
                   "{{ m(1, 2, 3, x=4) }}"),
            "1[2, 3]{\"x\": 4}");
}

TEST(JinjaMacroStatement, MacrosCanRecurse) {
  EXPECT_EQ(render("{% macro count(n) %}{{ n }}{% if n > 0 %}{{ count(n - 1) }}{% endif %}"
                   "{% endmacro %}{{ count(3) }}"),
            "3210");
}

TEST(JinjaCallStatement, CallerRendersTheBlock) {
  EXPECT_EQ(render("{% macro box(title) %}[{{ title }}: {{ caller() }}]{% endmacro %}"
                   "{% call box('t') %}inside {{ 1 + 1 }}{% endcall %}"),
            "[t: inside 2]");
  EXPECT_EQ(render("{% macro each(items) %}{% for i in items %}{{ caller(i) }}{% endfor %}"
                   "{% endmacro %}{% call(item) each([1, 2]) %}<{{ item }}>{% endcall %}"),
            "<1><2>");
}

TEST(JinjaFilterStatement, FiltersTheRenderedBlock) {
  EXPECT_EQ(render("{% filter upper %}hi {{ 'there' }}{% endfilter %}"), "HI THERE");
  EXPECT_EQ(render("{% filter replace('a', 'o') | upper %}banana{% endfilter %}"), "BONONO");
}

}  // namespace
}  // namespace fastchat::jinja
