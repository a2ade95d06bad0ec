#pragma once
// Evaluates expressions for one render. Errors leave as ErrorException naming the template
// position of the expression that failed (and, for an undefined operand, which expression was
// undefined). Macros and caller() are called back through the Interpreter, which runs their
// bodies. One per render, on the rendering thread.

#include <string>
#include <string_view>
#include <vector>

#include "text/jinja/ast.h"
#include "text/jinja/call_args.h"
#include "text/jinja/render_state.h"
#include "text/jinja/scope.h"

namespace fastchat::jinja {

class Interpreter;

class Evaluator {
 public:
  Evaluator(Interpreter& interpreter, RenderState& state, std::string_view source)
      : interpreter_(interpreter), state_(state), source_(source) {}

  Value eval(const Expr& expr, Scope& scope);
  /// The value of `expr`: a reference to where it already lives (a variable, an item of a list
  /// or mapping, a literal) when it does, else to `temp`, which then holds it. Valid while the
  /// scope and `temp` are.
  const Value& eval_ref(const Expr& expr, Scope& scope, Value& temp);
  CallArgs eval_arguments(const std::vector<Argument>& args, Scope& scope);
  /// A chain of Filter nodes applied to `operand` in place of its innermost operand (the
  /// rendered body of a filter block).
  Value apply_filter_chain(const Expr& filter, Value operand, Scope& scope);

  /// Throws the ErrorException of `error` at `offset`.
  [[noreturn]] void fail(std::uint32_t offset, const EvalError& error) const;

 private:
  const Value& eval_node(const Expr& expr, Scope& scope, Value& temp);
  const Value& eval_attribute(const Expr& expr, Scope& scope, Value& temp);
  const Value& eval_item(const Expr& expr, Scope& scope, Value& temp);
  Value eval_binary(const Expr& expr, Scope& scope);
  Value eval_call(const Expr& expr, Scope& scope);
  Value eval_filter(const Expr& expr, const Value& operand, Scope& scope);
  bool eval_test(const Expr& expr, Scope& scope);
  Value eval_collection(const Expr& expr, Scope& scope);
  Value call_value(const Value& callee, const Expr& callee_expr, CallArgs args, Scope& scope);
  /// Throws "'<expr>' is undefined" when `value` is undefined, saying what was attempted.
  void require_defined(const Value& value, const Expr& expr, std::string_view action) const;

  Interpreter& interpreter_;
  RenderState& state_;
  std::string_view source_;
};

/// A short text naming an expression for messages: `message.content`, `messages[0]`, `f()`.
std::string describe_expression(const Expr& expr);

}  // namespace fastchat::jinja
