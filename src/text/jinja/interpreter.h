#pragma once
// Runs a parsed template's statements for one render: text and `{{ }}` output, if, for (with
// `loop`, filters, else, break/continue), set (names, tuples, namespace attributes, blocks),
// macros and call blocks, filter blocks. Expressions go to the Evaluator, which calls back into
// call() for macros and caller(). One per render, on the rendering thread.

#include <string>
#include <string_view>
#include <vector>

#include "text/jinja/ast.h"
#include "text/jinja/call_args.h"
#include "text/jinja/callable.h"
#include "text/jinja/evaluator.h"
#include "text/jinja/render_state.h"
#include "text/jinja/scope.h"

namespace fastchat::jinja {

class Interpreter {
 public:
  Interpreter(const Program& program, std::string_view source, RenderState& state)
      : program_(program), state_(state), evaluator_(*this, state, source) {}

  /// The render's scopes: the outermost (context) scope is opened on this list by the caller.
  ScopeList& scopes() { return scopes_; }

  /// The template's output with `globals` as the outermost scope. Throws ErrorException.
  std::string render(Scope& globals);

  /// Calls a macro or a caller() from the scope `scope` of the call. Throws EvalError for bad
  /// arguments and ErrorException from the body.
  Value call(const CallableData& callable, CallArgs args, Scope& scope);

 private:
  enum class Flow { Normal, Break, Continue };

  Flow exec_block(const std::vector<Stmt>& body, Scope& scope);
  Flow exec(const Stmt& stmt, Scope& scope);
  Flow exec_for(const Stmt& stmt, Scope& scope);
  void exec_call_block(const Stmt& stmt, Scope& scope);
  /// `set target = value` (target: a name, a tuple of names or a namespace attribute).
  void assign(const Expr& target, Value value, Scope& scope);
  /// Runs `body` with its output captured instead of emitted.
  std::string capture(const std::vector<Stmt>& body, Scope& scope);
  void bind_arguments(const CallableData& callable, CallArgs args, Scope& local);
  void emit(std::string_view text);

  const Program& program_;
  RenderState& state_;
  ScopeList scopes_;
  Evaluator evaluator_;
  std::string* out_ = nullptr;
};

}  // namespace fastchat::jinja
