#include "text/jinja/value_ops.h"

#include <charconv>
#include <cmath>
#include <memory>

#include "text/jinja/callable.h"
#include "text/jinja/unicode_text.h"
#include "text/jinja/value_format.h"

namespace fastchat::jinja {
namespace {

std::string_view op_symbol(Op op) {
  static constexpr std::string_view kSymbols[] = {
      "+", "-",  "*",  "/",  "//",     "%",   "**", "~",   "==", "!=", "<",
      ">", "<=", ">=", "in", "not in", "and", "or", "not", "-",  "+"};
  return kSymbols[static_cast<int>(op)];
}

[[noreturn]] void unsupported(Op op, const Value& left, const Value& right) {
  throw EvalError("unsupported operand types for '" + std::string(op_symbol(op)) +
                  "': " + std::string(left.type_name()) + " and " + std::string(right.type_name()));
}

bool numeric(const Value& v) { return v.is_int() || v.is_float() || v.is_bool(); }
std::int64_t int_of(const Value& v) { return v.is_bool() ? (v.as_bool() ? 1 : 0) : v.as_int(); }
bool integral(const Value& v) { return v.is_int() || v.is_bool(); }

Value integer_power(std::int64_t base, std::int64_t exponent) {
  std::int64_t result = 1;
  std::int64_t factor = base;
  for (std::int64_t e = exponent; e > 0; e >>= 1) {
    if ((e & 1) && __builtin_mul_overflow(result, factor, &result)) {
      return Value(std::pow(static_cast<double>(base), static_cast<double>(exponent)));
    }
    if (e > 1 && __builtin_mul_overflow(factor, factor, &factor)) {
      return Value(std::pow(static_cast<double>(base), static_cast<double>(exponent)));
    }
  }
  return Value(result);
}

Value power(const Value& left, const Value& right) {
  const double a = left.as_number();
  const double b = right.as_number();
  if (a == 0 && b < 0) throw EvalError("0.0 cannot be raised to a negative power");
  if (integral(left) && integral(right) && int_of(right) >= 0) {
    return integer_power(int_of(left), int_of(right));
  }
  const double result = std::pow(a, b);
  if (!std::isfinite(result)) throw EvalError("'**' gives no finite real number here");
  return Value(result);
}

Value arithmetic(Op op, const Value& left, const Value& right) {
  const bool ints = integral(left) && integral(right);
  const double a = left.as_number();
  const double b = right.as_number();
  if ((op == Op::Div || op == Op::FloorDiv || op == Op::Mod) && b == 0) {
    throw EvalError("division by zero");
  }
  if (ints) {
    const std::int64_t x = int_of(left);
    const std::int64_t y = int_of(right);
    std::int64_t r = 0;
    switch (op) {
      case Op::Add:
        if (!__builtin_add_overflow(x, y, &r)) return Value(r);
        break;
      case Op::Sub:
        if (!__builtin_sub_overflow(x, y, &r)) return Value(r);
        break;
      case Op::Mul:
        if (!__builtin_mul_overflow(x, y, &r)) return Value(r);
        break;
      case Op::FloorDiv:
        if (x == INT64_MIN && y == -1) break;
        r = x / y;
        return Value((x % y != 0 && ((x < 0) != (y < 0))) ? r - 1 : r);
      case Op::Mod:
        if (y == -1) return Value(std::int64_t{0});
        r = x % y;
        return Value((r != 0 && ((r < 0) != (y < 0))) ? r + y : r);
      default:
        break;
    }
  }
  switch (op) {  // floats, or ints past int64 (computed as the reference does, in doubles)
    case Op::Add:
      return Value(a + b);
    case Op::Sub:
      return Value(a - b);
    case Op::Mul:
      return Value(a * b);
    case Op::Div:
      return Value(a / b);
    case Op::FloorDiv:
      return Value(std::floor(a / b));
    case Op::Mod: {
      const double r = std::fmod(a, b);
      return Value((r != 0 && ((r < 0) != (b < 0))) ? r + b : r);
    }
    default:
      return Value();
  }
}

Value compare(Op op, int order) {
  switch (op) {
    case Op::Lt:
      return Value(order < 0);
    case Op::Gt:
      return Value(order > 0);
    case Op::Le:
      return Value(order <= 0);
    default:
      return Value(order >= 0);
  }
}

Value repeat(const Value& sequence, std::int64_t times, RenderState& state) {
  const std::size_t count = times > 0 ? static_cast<std::size_t>(times) : 0;
  if (sequence.is_string()) {
    const std::string& s = sequence.as_string();
    if (count > 0 && s.size() > state.limits().max_output_bytes / count) {
      state.charge_string(state.limits().max_output_bytes + 1);
    }
    state.charge_string(s.size() * count);
    std::string out;
    out.reserve(s.size() * count);
    for (std::size_t i = 0; i < count; ++i) out += s;
    return Value(std::move(out));
  }
  const auto& items = sequence.as_list();
  if (count > 0 && items.size() > state.limits().max_steps / count) state.charge(UINT64_MAX / 2);
  state.charge_items(items.size() * count);
  std::vector<Value> out;
  out.reserve(items.size() * count);
  for (std::size_t i = 0; i < count; ++i) out.insert(out.end(), items.begin(), items.end());
  return Value::list(std::move(out));
}

Value concatenate(const Value& left, const Value& right, RenderState& state) {
  std::string out = to_output(left);
  const std::string tail = to_output(right);
  state.charge_string(out.size() + tail.size());
  out += tail;
  return Value(std::move(out));
}

// Python's slice bounds, as the reference computes them.
void slice_bounds(std::int64_t length, const Value& start, const Value& stop, std::int64_t step,
                  std::int64_t& first, std::int64_t& last) {
  auto given = [](const Value& v) { return v.is_int(); };
  if (step > 0) {
    first = given(start) ? start.as_int() : 0;
    last = given(stop) ? stop.as_int() : length;
    first = first < 0 ? std::max<std::int64_t>(length + first, 0) : std::min(first, length);
    last = last < 0 ? std::max<std::int64_t>(length + last, 0) : std::min(last, length);
  } else {
    first = given(start) ? start.as_int() : length - 1;
    last = given(stop) ? stop.as_int() : -1;
    first = first < 0 ? std::max<std::int64_t>(length + first, -1) : std::min(first, length - 1);
    if (given(stop)) {
      last = last < 0 ? std::max<std::int64_t>(length + last, -1) : std::min(last, length - 1);
    }
  }
}

}  // namespace

Value binary_op(Op op, const Value& left, const Value& right, RenderState& state) {
  switch (op) {
    case Op::Eq:
      return Value(values_equal(left, right));
    case Op::Ne:
      return Value(!values_equal(left, right));
    case Op::In:
      return Value(contains(right, left));
    case Op::NotIn:
      return Value(!contains(right, left));
    case Op::Concat:
      return concatenate(left, right, state);
    default:
      break;
  }
  if (left.is_none() || right.is_none()) unsupported(op, left, right);
  if (numeric(left) && numeric(right)) {
    if (op == Op::Pow) return power(left, right);
    if (op == Op::Lt || op == Op::Gt || op == Op::Le || op == Op::Ge) {
      const double a = left.as_number();
      const double b = right.as_number();
      if (std::isnan(a) || std::isnan(b)) return Value(false);
      return compare(op, a < b ? -1 : (a > b ? 1 : 0));
    }
    return arithmetic(op, left, right);
  }
  if (op == Op::Add && left.is_list() && right.is_list()) {
    state.charge_items(left.as_list().size() + right.as_list().size());
    std::vector<Value> items = left.as_list();
    items.insert(items.end(), right.as_list().begin(), right.as_list().end());
    return Value::list(std::move(items));
  }
  if (op == Op::Add && (left.is_string() || right.is_string())) {
    return concatenate(left, right, state);
  }
  if (op == Op::Mul && (left.is_string() || left.is_list()) && integral(right)) {
    return repeat(left, int_of(right), state);
  }
  if (op == Op::Mul && (right.is_string() || right.is_list()) && integral(left)) {
    return repeat(right, int_of(left), state);
  }
  if (left.is_string() && right.is_string() &&
      (op == Op::Lt || op == Op::Gt || op == Op::Le || op == Op::Ge)) {
    return compare(op, left.as_string().compare(right.as_string()));
  }
  unsupported(op, left, right);
}

Value unary_op(Op op, const Value& operand) {
  if (op == Op::Not) return Value(!operand.truthy());
  if (operand.is_float()) return Value(op == Op::Neg ? -operand.as_float() : operand.as_float());
  if (integral(operand)) {
    const std::int64_t v = int_of(operand);
    if (op == Op::Pos) return Value(v);
    if (v == INT64_MIN) return Value(-static_cast<double>(v));
    return Value(-v);
  }
  throw EvalError("bad operand type for unary '" + std::string(op_symbol(op)) +
                  "': " + std::string(operand.type_name()));
}

bool contains(const Value& haystack, const Value& needle) {
  switch (haystack.kind()) {
    case Value::Kind::Undefined:
      return false;  // as in the reference
    case Value::Kind::List:
      for (const Value& item : haystack.as_list()) {
        if (values_equal(item, needle)) return true;
      }
      return false;
    case Value::Kind::String:
      if (!needle.is_string()) break;
      return haystack.as_string().find(needle.as_string()) != std::string::npos;
    case Value::Kind::Map:
      return needle.is_string() && haystack.as_map().find(needle.as_string()) != nullptr;
    case Value::Kind::Namespace:
      return needle.is_string() &&
             haystack.as_namespace().attributes.find(needle.as_string()) != nullptr;
    default:
      break;
  }
  throw EvalError("'in' needs a list, string or mapping on its right, not " +
                  std::string(haystack.type_name()) +
                  (haystack.is_string() ? " (with " + std::string(needle.type_name()) + " left)"
                                        : std::string()));
}

int compare_for_sort(const Value& a, const Value& b, bool case_sensitive) {
  if ((a.is_none() && b.is_none()) || (a.is_undefined() && b.is_undefined())) return 0;
  if (numeric(a) && numeric(b)) {
    const double x = a.as_number();
    const double y = b.as_number();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (a.is_string() && b.is_string()) {
    const int order = case_sensitive ? a.as_string().compare(b.as_string())
                                     : to_lower(a.as_string()).compare(to_lower(b.as_string()));
    return order < 0 ? -1 : (order > 0 ? 1 : 0);
  }
  throw EvalError("cannot compare " + std::string(a.type_name()) + " with " +
                  std::string(b.type_name()));
}

Value get_attribute(const Value& object, std::string_view name) {
  if (object.is_map()) {
    if (const Value* value = object.as_map().find(name)) return *value;
  } else if (object.is_namespace()) {
    const Value* value = object.as_namespace().attributes.find(name);
    return value != nullptr ? *value : Value();
  }
  const Method* method = find_method(name);
  const bool bound = method != nullptr && ((object.is_string() && method->on_string) ||
                                           (object.is_map() && method->on_map));
  if (!bound) return Value();
  auto callable = std::make_shared<CallableData>();
  callable->kind = CallableData::Kind::Method;
  callable->name = std::string(name);
  callable->method = method;
  callable->self = object;
  return Value(CallablePtr(std::move(callable)));
}

Value get_item(const Value& object, const Value& key) {
  if (key.is_string()) return get_attribute(object, key.as_string());
  if (!key.is_int()) return Value();
  const std::int64_t index = key.as_int();
  if (object.is_list()) {
    const auto& items = object.as_list();
    const auto size = static_cast<std::int64_t>(items.size());
    const std::int64_t at = index < 0 ? index + size : index;
    return at >= 0 && at < size ? items[static_cast<std::size_t>(at)] : Value();
  }
  if (object.is_string()) {
    const std::vector<std::size_t> offsets = code_point_offsets(object.as_string());
    const auto size = static_cast<std::int64_t>(offsets.size()) - 1;
    const std::int64_t at = index < 0 ? index + size : index;
    if (at < 0 || at >= size) return Value();
    const auto i = static_cast<std::size_t>(at);
    return Value(object.as_string().substr(offsets[i], offsets[i + 1] - offsets[i]));
  }
  return Value();
}

Value slice(const Value& object, const Value& start, const Value& stop, const Value& step,
            RenderState& state) {
  for (const Value* bound : {&start, &stop, &step}) {
    if (!bound->is_int() && !bound->is_undefined() && !bound->is_none()) {
      throw EvalError("slice indices must be integers or none, not " +
                      std::string(bound->type_name()));
    }
  }
  const std::int64_t by = step.is_int() ? step.as_int() : 1;
  if (by == 0) throw EvalError("slice step cannot be zero");
  if (!object.is_list() && !object.is_string()) {
    throw EvalError("cannot slice " + std::string(object.type_name()));
  }
  const bool text = object.is_string();
  const std::vector<std::size_t> offsets =
      text ? code_point_offsets(object.as_string()) : std::vector<std::size_t>{};
  const auto length =
      static_cast<std::int64_t>(text ? offsets.size() - 1 : object.as_list().size());
  std::int64_t first = 0;
  std::int64_t last = 0;
  slice_bounds(length, start, stop, by, first, last);
  std::vector<Value> items;
  std::string out;
  for (std::int64_t i = first; by > 0 ? i < last : i > last; i += by) {
    const auto at = static_cast<std::size_t>(i);
    if (text) {
      out.append(object.as_string(), offsets[at], offsets[at + 1] - offsets[at]);
    } else {
      items.push_back(object.as_list()[at]);
    }
  }
  state.charge_items(items.size() + out.size() / 64);
  return text ? Value(std::move(out)) : Value::list(std::move(items));
}

Value get_attribute_path(const Value& object, std::string_view path) {
  Value current = object;
  while (true) {
    const std::size_t dot = path.find('.');
    const std::string_view part = path.substr(0, dot);
    if (current.is_list()) {
      std::int64_t index = 0;
      const auto result = std::from_chars(part.data(), part.data() + part.size(), index);
      if (result.ec != std::errc() || result.ptr != part.data() + part.size()) return Value();
      current = get_item(current, Value(index));
    } else if (current.is_map() || current.is_namespace()) {
      current = get_attribute(current, part);
    } else {
      return Value();
    }
    if (dot == std::string_view::npos) return current;
    path.remove_prefix(dot + 1);
  }
}

}  // namespace fastchat::jinja
