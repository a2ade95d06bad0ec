#pragma once
// Parses a template into a Program: text, `{{ expression }}` and the statements set (with
// `set x %}...{% endset`), if/elif/else, for (tuple targets, inline `if` filter, else), macro,
// call (with caller parameters), filter blocks, break/continue, and Hugging Face's
// `generation` markers (whose contents render as they are). Expressions: ExpressionParser.

#include <initializer_list>
#include <string_view>
#include <vector>

#include "text/jinja/ast.h"
#include "text/jinja/expression_parser.h"
#include "text/jinja/token_stream.h"

namespace fastchat::jinja {

class Parser {
 public:
  /// Throws ErrorException (InvalidModel, param "chat_template") naming the line and column of
  /// the first syntax error.
  static Program parse(std::string_view source);

 private:
  explicit Parser(std::string_view source) : tokens_(source), expressions_(tokens_) {}

  /// Statements up to a `{% name` with name in `enders` (not consumed), or to the end of the
  /// template when `enders` is empty.
  std::vector<Stmt> parse_block(std::initializer_list<std::string_view> enders);
  void parse_statement(std::vector<Stmt>& out);
  Stmt parse_if(std::uint32_t offset);
  Stmt parse_for(std::uint32_t offset);
  Stmt parse_set(std::uint32_t offset);
  Stmt parse_macro(std::uint32_t offset);
  Stmt parse_call_block(std::uint32_t offset);
  Stmt parse_filter_block(std::uint32_t offset);
  /// `(` parameters `)` of a macro or call block: names, each with an optional default.
  std::vector<Param> parse_parameters();
  /// A macro or call-block body, which has loops and `varargs`/`kwargs` of its own.
  std::vector<Stmt> parse_callable_body(Stmt& stmt, std::string_view ender);
  void expect_close() { tokens_.expect(TokenType::CloseStatement, "'%}'"); }
  /// `{% name %}`.
  void expect_end(std::string_view name);

  TokenStream tokens_;
  ExpressionParser expressions_;
  int loop_depth_ = 0;
};

}  // namespace fastchat::jinja
