#pragma once
// The signatures of the built-in filters, tests, global functions and methods, and their lookup
// by name. The parser resolves every name once, so a render calls through a pointer; a name with
// no built-in resolves to null and fails only if a render reaches it (as in the reference, a
// template may hold an unsupported filter in a branch a conversation never takes).

#include <string>
#include <string_view>

#include "text/jinja/call_args.h"
#include "text/jinja/value.h"

namespace fastchat::jinja {

class RenderState;

/// `operand | name(args)`. Throws EvalError.
using FilterFn = Value (*)(const Value& operand, const CallArgs& args, RenderState& state);
/// `operand is name(args)`. Throws EvalError.
using TestFn = bool (*)(const Value& operand, const CallArgs& args);
/// `name(args)` for a global function such as range() or namespace(). Throws EvalError.
using GlobalFn = Value (*)(const CallArgs& args, RenderState& state);

/// `value.name(args)`: Python's str and dict methods of that name (null where the type has none).
struct Method {
  std::string_view name;
  Value (*on_string)(const std::string& self, const CallArgs& args, RenderState& state);
  Value (*on_map)(const Value& self, const CallArgs& args, RenderState& state);
};

FilterFn find_filter(std::string_view name);
TestFn find_test(std::string_view name);
GlobalFn find_global(std::string_view name);
const Method* find_method(std::string_view name);

}  // namespace fastchat::jinja
