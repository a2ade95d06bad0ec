#pragma once
// Operators on values: arithmetic, comparison, membership, concatenation, attribute and item
// access, and slices. Python's rules where they and the reference agree; where the reference
// (@huggingface/jinja) accepts more, so do these: `"a" + 1` is "a1", as it renders there.
// Errors are EvalError with the operand types; the interpreter adds the template position.

#include <cstdint>
#include <string_view>

#include "text/jinja/ast.h"
#include "text/jinja/render_state.h"
#include "text/jinja/value.h"

namespace fastchat::jinja {

/// Every binary Op but And and Or (the interpreter short-circuits those). Neither operand may
/// be undefined (the interpreter reports which expression is), except on the right of `in`.
Value binary_op(Op op, const Value& left, const Value& right, RenderState& state);
/// Not, Neg, Pos.
Value unary_op(Op op, const Value& operand);

/// `needle in haystack`: an item of a list, a substring of a string, a key of a mapping.
bool contains(const Value& haystack, const Value& needle);

/// Ordering for sort, dictsort, min and max, as the reference orders: numbers (and booleans)
/// by value, strings (case-folded unless `case_sensitive`), none with none; anything else,
/// or two different types, is an EvalError.
int compare_for_sort(const Value& a, const Value& b, bool case_sensitive);

/// `object.name`: a key of a mapping or namespace, else a method of that name bound to the
/// object, else undefined. `object` must not be undefined.
Value get_attribute(const Value& object, std::string_view name);
/// `object[key]`: list and string indexes (negative from the end), mapping keys; undefined when
/// missing. `object` must not be undefined.
Value get_item(const Value& object, const Value& key);
/// `object[start:stop:step]` of a list or string; each bound an int, none or undefined.
Value slice(const Value& object, const Value& start, const Value& stop, const Value& step,
            RenderState& state);

/// `object.attr.0.name` for the attribute= argument of sort, map and friends.
Value get_attribute_path(const Value& object, std::string_view path);

}  // namespace fastchat::jinja
