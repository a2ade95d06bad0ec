// Errors: every failure is an ErrorException naming the template line and column and the
// problem, with InvalidModel when the template is at fault (syntax, an unknown filter) and
// InvalidRequest when the conversation is (raise_exception, types, undefined values, limits).

#include <gtest/gtest.h>

#include <string>

#include "chat_templates.h"
#include "render_helper.h"

namespace fastchat::jinja {
namespace {

using nlohmann::ordered_json;
using testing::render;
using testing::render_error;

// Expects `error` to have `code` and a message with `fragment`.
void expect_error(const Error& error, ErrorCode code, const std::string& fragment) {
  EXPECT_EQ(error.code, code) << error.message;
  EXPECT_NE(error.message.find(fragment), std::string::npos)
      << "message '" << error.message << "' lacks '" << fragment << "'";
}

TEST(JinjaSyntaxErrors, NameTheLineColumnAndProblem) {
  const ErrorCode model = ErrorCode::InvalidModel;
  expect_error(render_error("line one\n{% if x %}\nno end"), model,
               "chat template line 3, column 7: syntax error: unexpected end of template: "
               "missing {% endif %}");
  expect_error(render_error("ab\n  {{ 1 + }}"), model,
               "chat template line 2, column 10: syntax error: unexpected '}}'");
  expect_error(render_error("{% foo %}"), model,
               "line 1, column 4: syntax error: unknown statement 'foo'");
  expect_error(render_error("{% endfor %}"), model, "unexpected '{% endfor %}'");
  expect_error(render_error("{{ 'abc }}"), model,
               "line 1, column 4: syntax error: string literal is not closed");
  expect_error(render_error("{{ a ! b }}"), model,
               "column 6: syntax error: unexpected character '!'");
  expect_error(render_error("{{ 'é' + é }}"), model,
               "column 10: syntax error: unexpected character 'é'");
  expect_error(render_error("{% break %}"), model, "'break' outside a for loop");
  expect_error(render_error("{% for 1 in x %}{% endfor %}"), model, "assigns to a name");
  expect_error(render_error("{% set x + 1 = 2 %}"), model, "cannot assign");
  expect_error(render_error("{% macro m(a=1, b) %}{% endmacro %}"), model, "without a default");
  expect_error(render_error("{{ f(a=1, 2) }}"), model, "positional argument follows");
  expect_error(render_error("{# open"), model, "comment is not closed");
  expect_error(render_error("{% raw %}x"), model, "'raw' block is not closed");
  expect_error(render_error("{{ '\\q' }}"), model, "unknown escape sequence");
  EXPECT_EQ(render_error("{{ }}").param, "chat_template");
}

TEST(JinjaSyntaxErrors, DeepNestingIsRefusedNotAStackOverflow) {
  expect_error(render_error("{{ " + std::string(5000, '(') + "1" + std::string(5000, ')') + " }}"),
               ErrorCode::InvalidModel, "nests blocks or expressions more than 100 levels");
  std::string chain = "{{ 1";
  for (int i = 0; i < 5000; ++i) chain += " + 1";
  expect_error(render_error(chain + " }}"), ErrorCode::InvalidModel, "expression nests more than");
  std::string ifs;
  for (int i = 0; i < 500; ++i) ifs += "{% if true %}";
  expect_error(render_error(ifs), ErrorCode::InvalidModel, "more than 100 levels");
  std::string nots = "{{ ";
  for (int i = 0; i < 5000; ++i) nots += "not ";
  expect_error(render_error(nots + "x }}"), ErrorCode::InvalidModel, "more than 100 levels");
}

TEST(JinjaRenderErrors, RaiseExceptionNamesTheTemplateLine) {
  const auto gemma3 = Template::parse(testing::chat_template("gemma3"));
  try {
    gemma3.render(ordered_json{
        {"messages",
         {{{"role", "user"}, {"content", "a"}}, {{"role", "user"}, {"content", "b"}}}}});
    ADD_FAILURE() << "expected raise_exception";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::InvalidRequest);
    EXPECT_EQ(e.error().message,
              "chat template line 19, column 12: raise_exception: Conversation roles must "
              "alternate user/assistant/user/assistant/...");
    EXPECT_EQ(e.error().param, "");
  }
}

TEST(JinjaRenderErrors, UnsupportedNamesFailOnlyWhenReached) {
  EXPECT_EQ(render("{% if false %}{{ x | frobnicate }}{% endif %}ok"), "ok");
  expect_error(render_error("\n{{ 'x' | frobnicate }}"), ErrorCode::InvalidModel,
               "chat template line 2, column 10: unknown filter 'frobnicate'");
  expect_error(render_error("{{ 1 is frob }}"), ErrorCode::InvalidModel, "unknown test 'frob'");
  expect_error(render_error("{{ lipsum(2) }}"), ErrorCode::InvalidModel,
               "unknown function 'lipsum'");
  expect_error(render_error("{{ 'x'.zfill(3) }}"), ErrorCode::InvalidModel,
               "unknown method 'zfill'");
  EXPECT_EQ(render_error("{{ 1 | nope }}").param, "chat_template");
}

TEST(JinjaRenderErrors, UndefinedValuesAreNamed) {
  const ordered_json context = {{"message", {{"role", "user"}}}};
  expect_error(render_error("{{ message.content.text }}", context), ErrorCode::InvalidRequest,
               "column 20: 'message.content' is undefined (cannot read its attribute 'text')");
  expect_error(render_error("{{ missing[0] }}"), ErrorCode::InvalidRequest,
               "'missing' is undefined (cannot read its item 0)");
  expect_error(render_error("{{ message.content + '!' }}", context), ErrorCode::InvalidRequest,
               "'message.content' is undefined");
  expect_error(render_error("{{ message.content | trim }}", context), ErrorCode::InvalidRequest,
               "filter 'trim' cannot apply to undefined ('message.content' is undefined)");
  expect_error(render_error("{{ nothing() }}", {{"nothing", nullptr}}), ErrorCode::InvalidRequest,
               "'nothing' is not callable (it is none)");
}

TEST(JinjaRenderErrors, TypeErrorsNameTheTypes) {
  expect_error(render_error("{{ [1] - 1 }}"), ErrorCode::InvalidRequest,
               "unsupported operand types for '-': list and integer");
  expect_error(render_error("{{ c.strip() }}", {{"c", {1, 2}}}), ErrorCode::InvalidRequest,
               "list has no method 'strip' ('c' is list)");
  expect_error(render_error("{{ 1 // 0 }}"), ErrorCode::InvalidRequest, "division by zero");
  expect_error(render_error("{% for x in none %}{% endfor %}"), ErrorCode::InvalidRequest,
               "cannot loop over none");
  expect_error(render_error("{% set d = {} %}{% set d.x = 1 %}"), ErrorCode::InvalidRequest,
               "only a namespace() has assignable attributes");
  expect_error(render_error("{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}"),
               ErrorCode::InvalidRequest, "macro 'm' takes not more than 1 argument(s)");
  expect_error(render_error("{% macro m(a) %}{% endmacro %}{{ m(b=2) }}"),
               ErrorCode::InvalidRequest, "macro 'm' takes no keyword argument 'b'");
  expect_error(render_error("{{ range | tojson }}"), ErrorCode::InvalidRequest,
               "cannot convert function 'range' to JSON");
}

TEST(JinjaRenderErrors, ErrorsInsideMacrosPointIntoTheMacro) {
  expect_error(render_error("{% macro m() %}\n\n  {{ 1 + none }}{% endmacro %}{{ m() }}"),
               ErrorCode::InvalidRequest, "chat template line 3, column 8: unsupported operand");
}

TEST(JinjaRenderErrors, ContextMustBeAnObject) {
  try {
    Template::parse("x").render(ordered_json::array({1}));
    ADD_FAILURE() << "expected an error";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::InvalidRequest);
  }
}

TEST(JinjaLimits, RecursionDepth) {
  expect_error(render_error("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}"),
               ErrorCode::InvalidRequest, "macro calls nest deeper than 64 levels");
}

TEST(JinjaLimits, RunawayLoops) {
  expect_error(render_error("{% for i in range(10 ** 9) %}{% endfor %}"), ErrorCode::InvalidRequest,
               "exceeds its budget of 10000000 steps");
  RenderLimits small;
  small.max_steps = 100'000;
  expect_error(render_error("{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}"
                            "{% endfor %}",
                            {}, small),
               ErrorCode::InvalidRequest, "exceeds its budget of 100000 steps");
  // A macro that calls itself twice: shallow, but exponential.
  expect_error(render_error("{% macro m(n) %}{% if n < 40 %}{{ m(n + 1) }}{{ m(n + 1) }}{% endif %}"
                            "{% endmacro %}{{ m(0) }}",
                            {}, small),
               ErrorCode::InvalidRequest, "budget");
}

TEST(JinjaLimits, OutputAndStringSize) {
  RenderLimits small;
  small.max_output_bytes = 100'000;
  expect_error(render_error("{% for i in range(1000) %}{{ 'x' * 1000 }}{% endfor %}", {}, small),
               ErrorCode::InvalidRequest, "over the limit of 100000");
  expect_error(render_error("{% set ns = namespace(s='xy') %}{% for i in range(100) %}"
                            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
                            {}, small),
               ErrorCode::InvalidRequest, "over the limit of 100000");
  expect_error(render_error("{{ 'ab' * 10 ** 12 }}", {}, small), ErrorCode::InvalidRequest,
               "over the limit");
  expect_error(render_error("{{ 'a'.replace('', 'x' * 60000) }}", {}, small),
               ErrorCode::InvalidRequest, "more than 100000 bytes");
}

TEST(JinjaLimits, CallerCannotOutliveItsBlock) {
  expect_error(
      render_error("{% set ns = namespace() %}{% macro m() %}{% set ns.c = caller %}"
                   "{% endmacro %}{% for i in [1] %}{% call m() %}body{% endcall %}{% endfor %}"
                   "{{ ns.c() }}"),
      ErrorCode::InvalidRequest, "caller() called after its call block ended");
}

}  // namespace
}  // namespace fastchat::jinja
