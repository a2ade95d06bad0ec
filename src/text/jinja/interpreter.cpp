#include "text/jinja/interpreter.h"

#include <memory>
#include <utility>

#include "text/jinja/unicode_text.h"
#include "text/jinja/value_format.h"

namespace fastchat::jinja {
namespace {

// Keeps the macro call depth for the length of one call.
class CallDepth {
 public:
  explicit CallDepth(RenderState& state) : state_(state) { state_.enter_call(); }
  ~CallDepth() { state_.leave_call(); }
  CallDepth(const CallDepth&) = delete;
  CallDepth& operator=(const CallDepth&) = delete;

 private:
  RenderState& state_;
};

// The `loop` variable of iteration `i` of `items`, with the fields the reference has.
Value loop_info(const std::vector<Value>& items, std::size_t i) {
  const auto n = static_cast<std::int64_t>(items.size());
  const auto index = static_cast<std::int64_t>(i);
  MapData loop;
  loop.entries.reserve(9);
  loop.entries.emplace_back("index", Value(index + 1));
  loop.entries.emplace_back("index0", Value(index));
  loop.entries.emplace_back("revindex", Value(n - index));
  loop.entries.emplace_back("revindex0", Value(n - index - 1));
  loop.entries.emplace_back("first", Value(i == 0));
  loop.entries.emplace_back("last", Value(index == n - 1));
  loop.entries.emplace_back("length", Value(n));
  loop.entries.emplace_back("previtem", i > 0 ? items[i - 1] : Value());
  loop.entries.emplace_back("nextitem", index + 1 < n ? items[i + 1] : Value());
  return Value::map(std::move(loop));
}

// What a for loop iterates: list items, mapping keys, a string's characters; undefined is empty.
std::vector<Value> loop_items(const Value& iterable) {
  std::vector<Value> items;
  switch (iterable.kind()) {
    case Value::Kind::Undefined:
      break;
    case Value::Kind::List:
      items = iterable.as_list();
      break;
    case Value::Kind::Map:
      for (const auto& entry : iterable.as_map().entries) items.emplace_back(entry.first);
      break;
    case Value::Kind::String: {
      const std::string& s = iterable.as_string();
      const std::vector<std::size_t> offsets = code_point_offsets(s);
      for (std::size_t i = 0; i + 1 < offsets.size(); ++i) {
        items.emplace_back(s.substr(offsets[i], offsets[i + 1] - offsets[i]));
      }
      break;
    }
    default:
      throw EvalError("cannot loop over " + std::string(iterable.type_name()));
  }
  return items;
}

}  // namespace

std::string Interpreter::render(Scope& globals) { return capture(program_.body, globals); }

std::string Interpreter::capture(const std::vector<Stmt>& body, Scope& scope) {
  std::string text;
  std::string* const outer = out_;
  out_ = &text;
  struct Restore {
    std::string*& out;
    std::string* outer;
    ~Restore() { out = outer; }
  } restore{out_, outer};
  exec_block(body, scope);
  return text;
}

void Interpreter::emit(std::string_view text) {
  out_->append(text);
  if (out_->size() > state_.limits().max_output_bytes) state_.charge_string(out_->size());
  state_.charge(text.size() / 64);
}

Interpreter::Flow Interpreter::exec_block(const std::vector<Stmt>& body, Scope& scope) {
  for (const Stmt& stmt : body) {
    const Flow flow = exec(stmt, scope);
    if (flow != Flow::Normal) return flow;
  }
  return Flow::Normal;
}

Interpreter::Flow Interpreter::exec(const Stmt& stmt, Scope& scope) {
  try {
    state_.charge(1);
    switch (stmt.kind) {
      case StmtKind::Text:
        emit(stmt.text);
        break;
      case StmtKind::Output: {
        Value temp;
        const Value& value = evaluator_.eval_ref(*stmt.expr, scope, temp);
        if (value.is_string()) {
          emit(value.as_string());
        } else {
          emit(to_output(value));
        }
        break;
      }
      case StmtKind::If:
        return exec_block(evaluator_.eval(*stmt.expr, scope).truthy() ? stmt.body : stmt.orelse,
                          scope);
      case StmtKind::For:
        return exec_for(stmt, scope);
      case StmtKind::Set:
        assign(*stmt.target, evaluator_.eval(*stmt.expr, scope), scope);
        break;
      case StmtKind::SetBlock:
        assign(*stmt.target, Value(capture(stmt.body, scope)), scope);
        break;
      case StmtKind::Macro: {
        auto macro = std::make_shared<CallableData>();
        macro->kind = CallableData::Kind::Macro;
        macro->name = stmt.text;
        macro->statement = &stmt;
        scope.set(stmt.symbol, Value(CallablePtr(std::move(macro))));
        break;
      }
      case StmtKind::CallBlock:
        exec_call_block(stmt, scope);
        break;
      case StmtKind::FilterBlock:
        emit(to_output(
            evaluator_.apply_filter_chain(*stmt.expr, Value(capture(stmt.body, scope)), scope)));
        break;
      case StmtKind::Break:
        return Flow::Break;
      case StmtKind::Continue:
        return Flow::Continue;
    }
  } catch (const EvalError& error) {
    evaluator_.fail(stmt.offset, error);
  }
  return Flow::Normal;
}

Interpreter::Flow Interpreter::exec_for(const Stmt& stmt, Scope& scope) {
  Scope loop_scope(&scope, scopes_);
  std::vector<Value> items = loop_items(evaluator_.eval(*stmt.expr, loop_scope));
  if (stmt.condition) {  // `for x in xs if cond`: the loop sees only the items that pass
    std::vector<Value> kept;
    for (Value& item : items) {
      state_.charge(1);
      Scope test_scope(&loop_scope, scopes_);
      assign(*stmt.target, item, test_scope);
      if (evaluator_.eval(*stmt.condition, test_scope).truthy()) kept.push_back(std::move(item));
    }
    items = std::move(kept);
  }
  if (items.empty()) return exec_block(stmt.orelse, loop_scope);  // `else` runs in no loop
  for (std::size_t i = 0; i < items.size(); ++i) {
    state_.charge(1);
    loop_scope.set(kLoop, loop_info(items, i));
    assign(*stmt.target, items[i], loop_scope);
    if (exec_block(stmt.body, loop_scope) == Flow::Break) break;
  }
  return Flow::Normal;
}

void Interpreter::assign(const Expr& target, Value value, Scope& scope) {
  switch (target.kind) {
    case ExprKind::Name:
      scope.set(target.symbol, std::move(value));
      return;
    case ExprKind::Tuple: {
      const std::size_t n = target.operands.size();
      if (!value.is_list() || value.as_list().size() != n) {
        throw EvalError("cannot unpack " + std::string(value.type_name()) +
                        (value.is_list()
                             ? " of " + std::to_string(value.as_list().size()) + " items"
                             : std::string()) +
                        " into " + std::to_string(n) + " names");
      }
      for (std::size_t i = 0; i < n; ++i) scope.set(target.operands[i]->symbol, value.as_list()[i]);
      return;
    }
    case ExprKind::Attribute: {
      const Value object = evaluator_.eval(*target.operands[0], scope);
      if (!object.is_namespace()) {
        throw EvalError("cannot set attribute '" + target.name + "' of " +
                        std::string(object.type_name()) + " '" +
                        describe_expression(*target.operands[0]) +
                        "': only a namespace() has "
                        "assignable attributes");
      }
      object.as_namespace().attributes.set(target.name, std::move(value));
      return;
    }
    default:
      throw EvalError("cannot assign to this expression");
  }
}

void Interpreter::exec_call_block(const Stmt& stmt, Scope& scope) {
  auto caller = std::make_shared<CallableData>();
  caller->kind = CallableData::Kind::Caller;
  caller->name = "caller";
  caller->statement = &stmt;
  caller->scope = &scope;
  caller->scope_serial = scope.serial;
  Scope call_scope(&scope, scopes_);
  call_scope.set(kCaller, Value(CallablePtr(std::move(caller))));
  Value temp;
  const Value& result = evaluator_.eval_ref(*stmt.expr, call_scope, temp);
  emit(to_output(result));
}

Value Interpreter::call(const CallableData& callable, CallArgs args, Scope& scope) {
  Scope* parent = &scope;  // macros see the scope they are called from, as in the reference
  if (callable.kind == CallableData::Kind::Caller) {
    if (!scopes_.is_alive(callable.scope, callable.scope_serial)) {
      throw EvalError("caller() called after its call block ended");
    }
    parent = callable.scope;
  }
  CallDepth depth(state_);
  state_.charge(1);
  Scope local(parent, scopes_);
  bind_arguments(callable, std::move(args), local);
  return Value(capture(callable.statement->body, local));
}

void Interpreter::bind_arguments(const CallableData& callable, CallArgs args, Scope& local) {
  const Stmt& stmt = *callable.statement;
  const std::string who = callable.kind == CallableData::Kind::Caller
                              ? std::string("caller()")
                              : "macro '" + callable.name + "'";
  std::vector<const Param*> defaults;
  for (std::size_t i = 0; i < stmt.params.size(); ++i) {
    const Param& param = stmt.params[i];
    Value value;
    bool given = i < args.positional.size();
    if (given) value = std::move(args.positional[i]);
    for (auto it = args.keyword.begin(); !given && it != args.keyword.end(); ++it) {
      if (it->first == param.name) {
        value = std::move(it->second);
        args.keyword.erase(it);
        given = true;
      }
    }
    if (!given && param.default_value) defaults.push_back(&param);
    local.set(param.symbol, std::move(value));
  }
  if (stmt.takes_kwargs) {
    MapData kwargs;
    for (auto& [key, value] : args.keyword) kwargs.set(key, std::move(value));
    local.set(kKwargs, Value::map(std::move(kwargs)));
  } else if (!args.keyword.empty()) {
    throw EvalError(who + " takes no keyword argument '" + args.keyword.front().first + "'");
  }
  if (stmt.takes_varargs) {
    std::vector<Value> rest;
    for (std::size_t i = stmt.params.size(); i < args.positional.size(); ++i) {
      rest.push_back(std::move(args.positional[i]));
    }
    local.set(kVarargs, Value::list(std::move(rest)));
  } else if (args.positional.size() > stmt.params.size()) {
    throw EvalError(who + " takes not more than " + std::to_string(stmt.params.size()) +
                    " argument(s), got " + std::to_string(args.positional.size()));
  }
  for (const Param* param : defaults) {  // after binding, so a default may use earlier params
    local.set(param->symbol, evaluator_.eval(*param->default_value, local));
  }
}

}  // namespace fastchat::jinja
