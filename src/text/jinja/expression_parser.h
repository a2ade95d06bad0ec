#pragma once
// Parses expressions with the grammar and precedence of @huggingface/jinja 0.5.11, loosest
// first: `a if c else b`, or, and, not, comparisons and `in`, `+ - ~`, `* / // %`, `**`
// (left-associative, as in Jinja2), `is` tests, `|` filters, unary signs, then calls, attributes,
// subscripts and slices on a primary (literal, name, parenthesized expression or tuple, list,
// dict). Jinja2's test arguments (`is divisibleby(3)`, `is divisibleby 3`) come on top.
// Used by Parser only.

#include <vector>

#include "text/jinja/ast.h"
#include "text/jinja/token_stream.h"

namespace fastchat::jinja {

class ExpressionParser {
 public:
  explicit ExpressionParser(TokenStream& tokens) : tokens_(tokens) {}

  ExprPtr parse();
  /// `a, b, c` as a Tuple (one item alone stays as it is); `primary_only` for loop targets.
  ExprPtr parse_sequence(bool primary_only = false);
  /// A primary with its attributes, subscripts and calls (the callee of `{% call %}`).
  ExprPtr parse_postfix();
  /// `(` arguments `)` of a call, filter or test.
  std::vector<Argument> parse_arguments();
  /// A filter name and its optional arguments applied to `operand`.
  ExprPtr parse_filter(ExprPtr operand);

  /// Set while parsing a macro body: whether it reads `varargs` / `kwargs`.
  struct MacroUse {
    bool varargs = false;
    bool kwargs = false;
  };
  void set_macro_use(MacroUse* use) { macro_use_ = use; }
  MacroUse* macro_use() const { return macro_use_; }

 private:
  // The levels of binary operators, loosest first.
  enum class Level { Or, And, Comparison, Additive, Multiplicative, Power };

  ExprPtr parse_conditional();
  ExprPtr parse_binary(Level level);
  /// Consumes the operator of `level` at the cursor into `op`; false when there is none.
  bool take_operator(Level level, Op& op);
  ExprPtr parse_not();
  ExprPtr parse_test();
  ExprPtr parse_filters();
  ExprPtr parse_unary();
  ExprPtr parse_primary();
  ExprPtr parse_subscript(ExprPtr object);
  ExprPtr parse_list(std::uint32_t offset);
  ExprPtr parse_dict(std::uint32_t offset);
  ExprPtr name_or_constant(const Token& token);

  ExprPtr node(ExprKind kind, std::uint32_t offset);
  ExprPtr binary(Op op, ExprPtr left, ExprPtr right, std::uint32_t offset);
  /// Fails when `expr` makes the tree deeper than TokenStream::kMaxNesting * 2.
  ExprPtr checked(ExprPtr expr);

  TokenStream& tokens_;
  MacroUse* macro_use_ = nullptr;
};

}  // namespace fastchat::jinja
