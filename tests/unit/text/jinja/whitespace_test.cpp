// Whitespace as Hugging Face renders chat templates: trim_blocks and lstrip_blocks on, a single
// trailing newline dropped, `-` on any tag strips all whitespace on that side; comments and
// raw blocks.

#include <gtest/gtest.h>

#include "render_helper.h"

namespace fastchat::jinja {
namespace {

using testing::render;

TEST(JinjaWhitespace, TrimBlocksDropsTheNewlineAfterABlockTag) {
  EXPECT_EQ(render("{% if true %}\nyes\n{% endif %}\nafter"), "yes\nafter");
  EXPECT_EQ(render("{# note #}\nX"), "X");
}

TEST(JinjaWhitespace, ExpressionTagsKeepTheirNewline) {
  EXPECT_EQ(render("{{ 1 }}\n{{ 2 }}\n3"), "1\n2\n3");
}

TEST(JinjaWhitespace, LstripBlocksDropsIndentBeforeABlockTagOnItsLine) {
  EXPECT_EQ(render("a\n  {% if true %}\n  x\n  {% endif %}\nb"), "a\n  x\nb");
  EXPECT_EQ(render("\t {# c #}\nz"), "z");
  // Not at the start of a line: kept.
  EXPECT_EQ(render("a  {% if true %}b{% endif %}"), "a  b");
  // Expression tags are not stripped.
  EXPECT_EQ(render("  {{ 'v' }}"), "  v");
}

TEST(JinjaWhitespace, OneTrailingNewlineIsDropped) {
  EXPECT_EQ(render("text\n"), "text");
  EXPECT_EQ(render("text\n\n"), "text\n");
}

TEST(JinjaWhitespace, DashesStripAllWhitespaceOnTheirSide) {
  EXPECT_EQ(render("a  \n\t {%- if true -%}  \n b {%- endif %}"), "ab");
  EXPECT_EQ(render("x \n {{- 'y' -}} \n z"), "xyz");
  EXPECT_EQ(render("x \n {#- comment -#} \n z"), "xz");
  EXPECT_EQ(render("{{ 'a' }}\n\n{{- 'b' }}"), "ab");
}

TEST(JinjaWhitespace, DashesStripUnicodeWhitespaceLikeJavaScript) {
  EXPECT_EQ(render("a\u00a0\u3000{{- 'b' -}}\u2028c"), "abc");
}

TEST(JinjaWhitespace, CommentsRenderNothing) {
  EXPECT_EQ(render("a{# {{ not evaluated }} {% if %} #}b"), "ab");
}

TEST(JinjaWhitespace, RawBlocksKeepTagsAsText) {
  EXPECT_EQ(render("{% raw %}{{ x }} {% if %}{% endraw %}!"), "{{ x }} {% if %}!");
  EXPECT_EQ(render("<{% raw -%}  {{ y }}  {%- endraw %}>"), "<{{ y }}>");
}

TEST(JinjaWhitespace, CarriageReturnsAreLineStartsForLstrip) {
  EXPECT_EQ(render("a\r  {% if true %}b{% endif %}"), "a\rb");
}

TEST(JinjaWhitespace, GenerationMarkersRenderTheirContents) {
  EXPECT_EQ(render("{% generation %}answer{% endgeneration %}"), "answer");
  EXPECT_EQ(render("a {%- generation -%} b {%- endgeneration -%} c"), "abc");
}

}  // namespace
}  // namespace fastchat::jinja
