#include "text/jinja/evaluator.h"

#include <memory>

#include "text/jinja/callable.h"
#include "text/jinja/interpreter.h"
#include "text/jinja/template_error.h"
#include "text/jinja/value_format.h"
#include "text/jinja/value_ops.h"

namespace fastchat::jinja {
namespace {

// Long enough to recognize, short enough for a message line.
constexpr std::size_t kDescriptionLimit = 80;

bool is_owned(const Value& ref, const Value& temp) { return &ref == &temp; }

}  // namespace

std::string describe_expression(const Expr& expr) {
  std::string text;
  switch (expr.kind) {
    case ExprKind::Name:
      text = expr.name;
      break;
    case ExprKind::Attribute:
      text = describe_expression(*expr.operands[0]) + "." + expr.name;
      break;
    case ExprKind::Item: {
      const Expr& key = *expr.operands[1];
      text = describe_expression(*expr.operands[0]) + "[" +
             (key.kind == ExprKind::Literal ? to_json(key.literal) : describe_expression(key)) +
             "]";
      break;
    }
    case ExprKind::Call:
      text = describe_expression(*expr.operands[0]) + "()";
      break;
    case ExprKind::Filter:
      text = describe_expression(*expr.operands[0]) + " | " + expr.name;
      break;
    case ExprKind::Literal:
      text = to_json(expr.literal);
      break;
    default:
      text = "expression";
      break;
  }
  if (text.size() > kDescriptionLimit) text = text.substr(0, kDescriptionLimit) + "...";
  return text;
}

void Evaluator::fail(std::uint32_t offset, const EvalError& error) const {
  throw_template_error(source_, offset, error.code(), error.what());
}

void Evaluator::require_defined(const Value& value, const Expr& expr,
                                std::string_view action) const {
  if (!value.is_undefined()) return;
  throw EvalError("'" + describe_expression(expr) + "' is undefined" +
                  (action.empty() ? std::string() : " (" + std::string(action) + ")"));
}

Value Evaluator::eval(const Expr& expr, Scope& scope) {
  Value temp;
  const Value& value = eval_ref(expr, scope, temp);
  return is_owned(value, temp) ? std::move(temp) : value;
}

const Value& Evaluator::eval_ref(const Expr& expr, Scope& scope, Value& temp) {
  try {
    return eval_node(expr, scope, temp);
  } catch (const EvalError& error) {
    fail(expr.offset, error);
  }
}

const Value& Evaluator::eval_node(const Expr& expr, Scope& scope, Value& temp) {
  switch (expr.kind) {
    case ExprKind::Literal:
      return expr.literal;
    case ExprKind::Name: {
      if (const Value* value = scope.find(expr.symbol)) return *value;
      if (expr.global_fn != nullptr) {
        auto fn = std::make_shared<CallableData>();
        fn->kind = CallableData::Kind::Global;
        fn->name = expr.name;
        fn->global = expr.global_fn;
        temp = Value(CallablePtr(std::move(fn)));
      }
      return temp;  // undefined when there is no such variable
    }
    case ExprKind::Attribute:
      return eval_attribute(expr, scope, temp);
    case ExprKind::Item:
      return eval_item(expr, scope, temp);
    case ExprKind::Slice: {
      Value object_temp;
      const Value& object = eval_ref(*expr.operands[0], scope, object_temp);
      require_defined(object, *expr.operands[0], "cannot slice it");
      Value bounds[3];
      for (int i = 0; i < 3; ++i) {
        if (expr.operands[i + 1]) bounds[i] = eval(*expr.operands[i + 1], scope);
      }
      temp = slice(object, bounds[0], bounds[1], bounds[2], state_);
      return temp;
    }
    case ExprKind::Call:
      temp = eval_call(expr, scope);
      return temp;
    case ExprKind::Filter: {
      Value operand_temp;
      const Value& operand = eval_ref(*expr.operands[0], scope, operand_temp);
      temp = eval_filter(expr, operand, scope);
      return temp;
    }
    case ExprKind::Test:
      temp = Value(eval_test(expr, scope));
      return temp;
    case ExprKind::Unary: {
      Value operand_temp;
      const Value& operand = eval_ref(*expr.operands[0], scope, operand_temp);
      if (expr.op != Op::Not) require_defined(operand, *expr.operands[0], "");
      temp = unary_op(expr.op, operand);
      return temp;
    }
    case ExprKind::Binary:
      temp = eval_binary(expr, scope);
      return temp;
    case ExprKind::Conditional:
      if (eval(*expr.operands[1], scope).truthy()) return eval_ref(*expr.operands[0], scope, temp);
      if (expr.operands[2]) return eval_ref(*expr.operands[2], scope, temp);
      temp = Value();
      return temp;
    case ExprKind::List:
    case ExprKind::Tuple:
    case ExprKind::Dict:
      temp = eval_collection(expr, scope);
      return temp;
  }
  return temp;
}

// Items of immutable lists and mappings are returned by reference; a namespace's attributes are
// copied, since a macro called later in the same expression may reassign them.
const Value& Evaluator::eval_attribute(const Expr& expr, Scope& scope, Value& temp) {
  Value object_temp;
  const Value& object = eval_ref(*expr.operands[0], scope, object_temp);
  require_defined(object, *expr.operands[0], "cannot read its attribute '" + expr.name + "'");
  if (object.is_map()) {
    if (const Value* found = object.as_map().find(expr.name)) {
      if (!is_owned(object, object_temp)) return *found;
      temp = *found;
      return temp;
    }
  }
  temp = get_attribute(object, expr.name);
  return temp;
}

const Value& Evaluator::eval_item(const Expr& expr, Scope& scope, Value& temp) {
  Value object_temp;
  const Value& object = eval_ref(*expr.operands[0], scope, object_temp);
  Value key_temp;
  const Value& key = eval_ref(*expr.operands[1], scope, key_temp);
  require_defined(object, *expr.operands[0],
                  "cannot read its item " + (key.is_undefined() ? "undefined" : to_json(key)));
  const Value* found = nullptr;
  if (object.is_map() && key.is_string()) {
    found = object.as_map().find(key.as_string());
  } else if (object.is_list() && key.is_int()) {
    const auto& items = object.as_list();
    const auto size = static_cast<std::int64_t>(items.size());
    const std::int64_t index = key.as_int() < 0 ? key.as_int() + size : key.as_int();
    if (index >= 0 && index < size) found = &items[static_cast<std::size_t>(index)];
  }
  if (found != nullptr) {
    if (!is_owned(object, object_temp)) return *found;
    temp = *found;
    return temp;
  }
  temp = get_item(object, key);
  return temp;
}

Value Evaluator::eval_binary(const Expr& expr, Scope& scope) {
  const Expr& left_expr = *expr.operands[0];
  const Expr& right_expr = *expr.operands[1];
  Value left_temp;
  const Value& left = eval_ref(left_expr, scope, left_temp);
  if (expr.op == Op::And || expr.op == Op::Or) {  // short-circuit, yielding an operand
    if (left.truthy() == (expr.op == Op::Or)) return left;
    return eval(right_expr, scope);
  }
  Value right_temp;
  const Value& right = eval_ref(right_expr, scope, right_temp);
  const bool undefined_ok = expr.op == Op::Eq || expr.op == Op::Ne || expr.op == Op::In ||
                            expr.op == Op::NotIn || expr.op == Op::Concat;
  if (!undefined_ok) {
    require_defined(left, left_expr, "");
    require_defined(right, right_expr, "");
  }
  if (expr.op == Op::Add && left.is_string() && right.is_string() && is_owned(left, left_temp)) {
    state_.charge_string(left.as_string().size() + right.as_string().size());
    std::string text = std::move(left_temp).take_string();  // append in place: a + b + c ...
    text += right.as_string();
    return Value(std::move(text));
  }
  return binary_op(expr.op, left, right, state_);
}

Value Evaluator::eval_filter(const Expr& expr, const Value& operand, Scope& scope) {
  if (expr.filter == nullptr) {
    throw EvalError("unknown filter '" + expr.name + "'", ErrorCode::InvalidModel);
  }
  const CallArgs args = eval_arguments(expr.args, scope);
  try {
    return expr.filter(operand, args, state_);
  } catch (const EvalError& error) {
    if (!operand.is_undefined()) throw;
    throw EvalError(std::string(error.what()) + " ('" + describe_expression(*expr.operands[0]) +
                        "' is undefined)",
                    error.code());
  }
}

Value Evaluator::apply_filter_chain(const Expr& filter, Value operand, Scope& scope) {
  const Expr& inner = *filter.operands[0];
  if (inner.kind == ExprKind::Filter)
    operand = apply_filter_chain(inner, std::move(operand), scope);
  try {
    return eval_filter(filter, operand, scope);
  } catch (const EvalError& error) {
    fail(filter.offset, error);
  }
}

bool Evaluator::eval_test(const Expr& expr, Scope& scope) {
  if (expr.test == nullptr)
    throw EvalError("unknown test '" + expr.name + "'", ErrorCode::InvalidModel);
  Value operand_temp;
  const Value& operand = eval_ref(*expr.operands[0], scope, operand_temp);
  const CallArgs args = eval_arguments(expr.args, scope);
  return expr.test(operand, args) != expr.negated;
}

Value Evaluator::eval_collection(const Expr& expr, Scope& scope) {
  state_.charge_items(expr.operands.size());
  if (expr.kind != ExprKind::Dict) {
    std::vector<Value> items;
    items.reserve(expr.operands.size());
    for (const ExprPtr& item : expr.operands) items.push_back(eval(*item, scope));
    return Value::list(std::move(items));
  }
  MapData map;
  for (std::size_t i = 0; i + 1 < expr.operands.size(); i += 2) {
    Value key = eval(*expr.operands[i], scope);
    if (!key.is_string()) {
      throw EvalError("dict keys must be strings, not " + std::string(key.type_name()));
    }
    map.set(key.as_string(), eval(*expr.operands[i + 1], scope));
  }
  return Value::map(std::move(map));
}

CallArgs Evaluator::eval_arguments(const std::vector<Argument>& args, Scope& scope) {
  CallArgs out;
  out.positional.reserve(args.size());
  for (const Argument& arg : args) {
    Value value = eval(*arg.value, scope);
    if (arg.spread == Argument::Spread::List) {
      if (!value.is_list())
        throw EvalError("'*' needs a list, not " + std::string(value.type_name()));
      for (const Value& item : value.as_list()) out.positional.push_back(item);
    } else if (arg.spread == Argument::Spread::Map) {
      if (!value.is_map())
        throw EvalError("'**' needs a mapping, not " + std::string(value.type_name()));
      for (const auto& [key, item] : value.as_map().entries) out.keyword.emplace_back(key, item);
    } else if (!arg.name.empty()) {
      out.keyword.emplace_back(arg.name, std::move(value));
    } else {
      out.positional.push_back(std::move(value));
    }
  }
  for (std::size_t i = 0; i < out.keyword.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (out.keyword[i].first == out.keyword[j].first) {
        throw EvalError("keyword argument '" + out.keyword[i].first + "' given twice");
      }
    }
  }
  return out;
}

Value Evaluator::eval_call(const Expr& expr, Scope& scope) {
  const Expr& callee = *expr.operands[0];
  CallArgs args = eval_arguments(expr.args, scope);
  if (callee.kind == ExprKind::Name) {
    if (const Value* fn = scope.find(callee.symbol)) {
      return call_value(*fn, callee, std::move(args), scope);
    }
    if (callee.global_fn != nullptr) return callee.global_fn(args, state_);
    throw EvalError("unknown function '" + callee.name + "'", ErrorCode::InvalidModel);
  }
  if (callee.kind != ExprKind::Attribute) {
    return call_value(eval(callee, scope), callee, std::move(args), scope);
  }
  Value object_temp;
  const Value& object = eval_ref(*callee.operands[0], scope, object_temp);
  require_defined(object, *callee.operands[0], "cannot call its method '" + callee.name + "'");
  const Value* member = object.is_map()         ? object.as_map().find(callee.name)
                        : object.is_namespace() ? object.as_namespace().attributes.find(callee.name)
                                                : nullptr;
  if (member != nullptr) return call_value(Value(*member), callee, std::move(args), scope);
  const Method* method = expr.method;
  if (method != nullptr && object.is_string() && method->on_string != nullptr) {
    return method->on_string(object.as_string(), args, state_);
  }
  if (method != nullptr && object.is_map() && method->on_map != nullptr) {
    return method->on_map(object, args, state_);
  }
  if (method == nullptr) {
    throw EvalError("unknown method '" + callee.name + "'", ErrorCode::InvalidModel);
  }
  throw EvalError(std::string(object.type_name()) + " has no method '" + callee.name + "' ('" +
                  describe_expression(*callee.operands[0]) + "' is " +
                  std::string(object.type_name()) + ")");
}

Value Evaluator::call_value(const Value& callee, const Expr& callee_expr, CallArgs args,
                            Scope& scope) {
  require_defined(callee, callee_expr, "cannot call it");
  if (!callee.is_callable()) {
    throw EvalError("'" + describe_expression(callee_expr) + "' is not callable (it is " +
                    std::string(callee.type_name()) + ")");
  }
  const CallableData& fn = callee.as_callable();
  switch (fn.kind) {
    case CallableData::Kind::Global:
      return fn.global(args, state_);
    case CallableData::Kind::Method:
      return fn.self.is_string() ? fn.method->on_string(fn.self.as_string(), args, state_)
                                 : fn.method->on_map(fn.self, args, state_);
    case CallableData::Kind::Macro:
    case CallableData::Kind::Caller:
      return interpreter_.call(fn, std::move(args), scope);
  }
  return Value();
}

}  // namespace fastchat::jinja
