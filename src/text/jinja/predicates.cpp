// The built-in tests (`value is name`): the reference's (boolean, callable, defined, even, false,
// integer, iterable, lower, mapping, none, number, odd, sequence, string, true, undefined, upper,
// equalto/eq) and the rest of Jinja2's that templates use (float, ne, lt, gt, le, ge and their
// longer spellings, divisibleby, in, sameas, escaped).

#include <array>
#include <cmath>
#include <utility>

#include "text/jinja/builtins.h"
#include "text/jinja/unicode_text.h"
#include "text/jinja/value_ops.h"

namespace fastchat::jinja {
namespace {

const Value& argument(const CallArgs& args, std::string_view test) {
  if (args.positional.empty()) {
    throw EvalError("test '" + std::string(test) + "' needs an argument");
  }
  return args.positional.front();
}

std::int64_t integer_operand(const Value& v, std::string_view test) {
  if (!v.is_int()) {
    throw EvalError("test '" + std::string(test) + "' needs an integer, not " +
                    std::string(v.type_name()));
  }
  return v.as_int();
}

template <Op kOp>
bool ordered(const Value& v, const CallArgs& args) {
  RenderState scratch{RenderLimits{}};  // comparisons build nothing
  return binary_op(kOp, v, argument(args, "comparison"), scratch).as_bool();
}

bool equal(const Value& v, const CallArgs& args) { return values_equal(v, argument(args, "eq")); }
bool not_equal(const Value& v, const CallArgs& args) { return !equal(v, args); }

bool divisible_by(const Value& v, const CallArgs& args) {
  const std::int64_t d = integer_operand(argument(args, "divisibleby"), "divisibleby");
  if (d == 0) throw EvalError("test 'divisibleby' divides by zero");
  return d == -1 || integer_operand(v, "divisibleby") % d == 0;
}

using Entry = std::pair<std::string_view, TestFn>;

const std::array kTests = {
    Entry{"boolean", [](const Value& v, const CallArgs&) { return v.is_bool(); }},
    Entry{"callable", [](const Value& v, const CallArgs&) { return v.is_callable(); }},
    Entry{"defined", [](const Value& v, const CallArgs&) { return !v.is_undefined(); }},
    Entry{"undefined", [](const Value& v, const CallArgs&) { return v.is_undefined(); }},
    Entry{"none", [](const Value& v, const CallArgs&) { return v.is_none(); }},
    Entry{"true", [](const Value& v, const CallArgs&) { return v.is_bool() && v.as_bool(); }},
    Entry{"false", [](const Value& v, const CallArgs&) { return v.is_bool() && !v.as_bool(); }},
    Entry{"string", [](const Value& v, const CallArgs&) { return v.is_string(); }},
    Entry{"number", [](const Value& v, const CallArgs&) { return v.is_number(); }},
    Entry{"integer", [](const Value& v, const CallArgs&) { return v.is_int(); }},
    Entry{"float", [](const Value& v, const CallArgs&) { return v.is_float(); }},
    Entry{"mapping", [](const Value& v, const CallArgs&) { return v.is_map(); }},
    // As in the reference: lists and strings are iterable, mappings are not.
    Entry{"iterable", [](const Value& v, const CallArgs&) { return v.is_list() || v.is_string(); }},
    Entry{"sequence", [](const Value& v,
                         const CallArgs&) { return v.is_list() || v.is_map() || v.is_string(); }},
    Entry{"odd",
          [](const Value& v, const CallArgs&) { return integer_operand(v, "odd") % 2 != 0; }},
    Entry{"even",
          [](const Value& v, const CallArgs&) { return integer_operand(v, "even") % 2 == 0; }},
    Entry{"divisibleby", divisible_by},
    Entry{"lower",
          [](const Value& v, const CallArgs&) {
            return v.is_string() && to_lower(v.as_string()) == v.as_string();
          }},
    Entry{"upper",
          [](const Value& v, const CallArgs&) {
            return v.is_string() && to_upper(v.as_string()) == v.as_string();
          }},
    Entry{"equalto", equal},
    Entry{"eq", equal},
    Entry{"ne", not_equal},
    Entry{"lt", ordered<Op::Lt>},
    Entry{"lessthan", ordered<Op::Lt>},
    Entry{"gt", ordered<Op::Gt>},
    Entry{"greaterthan", ordered<Op::Gt>},
    Entry{"le", ordered<Op::Le>},
    Entry{"ge", ordered<Op::Ge>},
    Entry{"in", [](const Value& v, const CallArgs& a) { return contains(argument(a, "in"), v); }},
    // Values have no identity apart from namespaces: the same kind and equal is the same.
    Entry{"sameas",
          [](const Value& v, const CallArgs& a) {
            const Value& other = argument(a, "sameas");
            return v.kind() == other.kind() && values_equal(v, other);
          }},
    Entry{"escaped", [](const Value&, const CallArgs&) { return false; }},
};

}  // namespace

TestFn find_test(std::string_view name) {
  for (const auto& [test_name, fn] : kTests) {
    if (test_name == name) return fn;
  }
  return nullptr;
}

}  // namespace fastchat::jinja
