#include "text/jinja/sequence_filters.h"

#include <algorithm>
#include <array>
#include <utility>

#include "text/jinja/render_state.h"
#include "text/jinja/unicode_text.h"
#include "text/jinja/value_format.h"
#include "text/jinja/value_ops.h"

namespace fastchat::jinja {
namespace {

// What iterating `operand` yields, as in Jinja2: list items, a string's characters, a
// mapping's keys; undefined yields nothing.
std::vector<Value> items_of(const Value& operand, std::string_view filter, RenderState& state) {
  std::vector<Value> items;
  switch (operand.kind()) {
    case Value::Kind::Undefined:
      return items;
    case Value::Kind::List:
      return operand.as_list();
    case Value::Kind::String: {
      const std::string& s = operand.as_string();
      const std::vector<std::size_t> offsets = code_point_offsets(s);
      state.charge_items(offsets.size());
      for (std::size_t i = 0; i + 1 < offsets.size(); ++i) {
        items.emplace_back(s.substr(offsets[i], offsets[i + 1] - offsets[i]));
      }
      return items;
    }
    case Value::Kind::Map:
      for (const auto& entry : operand.as_map().entries) items.emplace_back(entry.first);
      return items;
    default:
      throw EvalError("filter '" + std::string(filter) + "' cannot apply to " +
                      std::string(operand.type_name()));
  }
}

// The value an item is compared or mapped by: itself, or its `attribute` path.
Value key_of(const Value& item, const std::optional<std::string>& attribute) {
  return attribute ? get_attribute_path(item, *attribute) : item;
}

Value list_filter(const Value& operand, const CallArgs&, RenderState& state) {
  if (operand.is_list()) return operand;
  return Value::list(items_of(operand, "list", state));
}

template <bool kFirst>
Value first_or_last(const Value& operand, const CallArgs&, RenderState& state) {
  if (operand.is_list()) {
    const auto& items = operand.as_list();
    if (items.empty()) return Value();
    return kFirst ? items.front() : items.back();
  }
  const std::vector<Value> items = items_of(operand, kFirst ? "first" : "last", state);
  if (items.empty()) return Value();
  return kFirst ? items.front() : items.back();
}

Value reverse(const Value& operand, const CallArgs&, RenderState& state) {
  std::vector<Value> items = items_of(operand, "reverse", state);
  std::reverse(items.begin(), items.end());
  if (!operand.is_string()) return Value::list(std::move(items));
  std::string out;
  for (const Value& c : items) out += c.as_string();
  return Value(std::move(out));
}

Value sort(const Value& operand, const CallArgs& args, RenderState& state) {
  std::vector<Value> items = items_of(operand, "sort", state);
  const bool reversed = args.get_bool(0, "reverse", false, "sort");
  const bool case_sensitive = args.get_bool(1, "case_sensitive", false, "sort");
  std::optional<std::string> attribute;
  if (const Value* a = args.get(2, "attribute"); a != nullptr && a->is_int()) {
    attribute = std::to_string(a->as_int());
  } else {
    attribute = args.get_string(2, "attribute", "sort");
  }
  state.charge_items(items.size());
  std::stable_sort(items.begin(), items.end(), [&](const Value& a, const Value& b) {
    const int order = compare_for_sort(key_of(a, attribute), key_of(b, attribute), case_sensitive);
    return reversed ? order > 0 : order < 0;
  });
  return Value::list(std::move(items));
}

Value unique(const Value& operand, const CallArgs& args, RenderState& state) {
  const bool case_sensitive = args.get_bool(0, "case_sensitive", false, "unique");
  const std::optional<std::string> attribute = args.get_string(1, "attribute", "unique");
  std::vector<Value> seen;
  std::vector<Value> out;
  for (const Value& item : items_of(operand, "unique", state)) {
    Value key = key_of(item, attribute);
    if (key.is_string() && !case_sensitive) key = Value(to_lower(key.as_string()));
    state.charge(seen.size() / 16 + 1);
    const bool repeated =
        std::any_of(seen.begin(), seen.end(), [&](const Value& s) { return values_equal(s, key); });
    if (repeated) continue;
    seen.push_back(std::move(key));
    out.push_back(item);
  }
  return Value::list(std::move(out));
}

Value join(const Value& operand, const CallArgs& args, RenderState& state) {
  std::optional<std::string> separator = args.get_string(0, "d", "join");
  if (!separator) separator = args.get_string(kKeywordOnly, "separator", "join");
  const std::optional<std::string> attribute = args.get_string(1, "attribute", "join");
  std::string out;
  bool first = true;
  for (const Value& item : items_of(operand, "join", state)) {
    if (!first && separator) out += *separator;
    first = false;
    append_output(out, key_of(item, attribute));
    state.charge_string(out.size());
  }
  return Value(std::move(out));
}

// map(attribute='a.b', default=...) or map('filter', filter arguments...).
Value map(const Value& operand, const CallArgs& args, RenderState& state) {
  std::vector<Value> items = items_of(operand, "map", state);
  state.charge_items(items.size());
  if (const std::optional<std::string> attribute =
          args.get_string(kKeywordOnly, "attribute", "map")) {
    const Value* fallback = args.get(kKeywordOnly, "default");
    for (Value& item : items) {
      item = get_attribute_path(item, *attribute);
      if (item.is_undefined() && fallback != nullptr) item = *fallback;
    }
    return Value::list(std::move(items));
  }
  if (args.positional.empty() || !args.positional.front().is_string()) {
    throw EvalError("map() needs a filter name or attribute=");
  }
  const std::string& name = args.positional.front().as_string();
  const FilterFn filter = find_filter(name);
  if (filter == nullptr)
    throw EvalError("map(): unknown filter '" + name + "'", ErrorCode::InvalidModel);
  CallArgs rest{{args.positional.begin() + 1, args.positional.end()}, args.keyword};
  for (Value& item : items) item = filter(item, rest, state);
  return Value::list(std::move(items));
}

// select/reject (kAttribute false) and selectattr/rejectattr: keep the items whose value (or
// attribute) passes the named test, or is truthy without one.
template <bool kKeep, bool kAttribute>
Value select(const Value& operand, const CallArgs& args, RenderState& state) {
  const char* name =
      kAttribute ? (kKeep ? "selectattr" : "rejectattr") : (kKeep ? "select" : "reject");
  const std::size_t test_index = kAttribute ? 1 : 0;
  std::optional<std::string> attribute;
  if (kAttribute) attribute = args.require_string(0, "attribute", name);
  const std::optional<std::string> test_name = args.get_string(test_index, "test", name);
  TestFn test = nullptr;
  if (test_name) {
    test = find_test(*test_name);
    if (test == nullptr) {
      throw EvalError(std::string(name) + "(): unknown test '" + *test_name + "'",
                      ErrorCode::InvalidModel);
    }
  }
  CallArgs test_args;
  if (args.positional.size() > test_index + 1) {
    test_args.positional.assign(args.positional.begin() + static_cast<long>(test_index) + 1,
                                args.positional.end());
  }
  std::vector<Value> out;
  for (const Value& item : items_of(operand, name, state)) {
    state.charge(1);
    const Value value = key_of(item, attribute);
    const bool passes = test != nullptr ? test(value, test_args) : value.truthy();
    if (passes == kKeep) out.push_back(item);
  }
  return Value::list(std::move(out));
}

template <bool kMax>
Value min_max(const Value& operand, const CallArgs& args, RenderState& state) {
  const bool case_sensitive = args.get_bool(0, "case_sensitive", false, kMax ? "max" : "min");
  const std::optional<std::string> attribute =
      args.get_string(1, "attribute", kMax ? "max" : "min");
  const std::vector<Value> items = items_of(operand, kMax ? "max" : "min", state);
  const Value* best = nullptr;
  for (const Value& item : items) {
    if (best == nullptr) {
      best = &item;
      continue;
    }
    const int order =
        compare_for_sort(key_of(item, attribute), key_of(*best, attribute), case_sensitive);
    if (kMax ? order > 0 : order < 0) best = &item;
  }
  return best != nullptr ? *best : Value();
}

Value sum(const Value& operand, const CallArgs& args, RenderState& state) {
  const std::optional<std::string> attribute = args.get_string(0, "attribute", "sum");
  const Value* start = args.get(1, "start");
  Value total = start != nullptr ? *start : Value(0);
  for (const Value& item : items_of(operand, "sum", state)) {
    total = binary_op(Op::Add, total, key_of(item, attribute), state);
  }
  return total;
}

Value pairs(const MapData& map, RenderState& state) {
  state.charge_items(map.entries.size());
  std::vector<Value> items;
  items.reserve(map.entries.size());
  for (const auto& [key, value] : map.entries) items.push_back(Value::list({Value(key), value}));
  return Value::list(std::move(items));
}

Value items(const Value& operand, const CallArgs&, RenderState& state) {
  if (operand.is_undefined()) return Value::list({});
  if (operand.is_map()) return pairs(operand.as_map(), state);
  if (operand.is_namespace()) return pairs(operand.as_namespace().attributes, state);
  throw EvalError("filter 'items' cannot apply to " + std::string(operand.type_name()));
}

Value dictsort(const Value& operand, const CallArgs& args, RenderState& state) {
  if (!operand.is_map()) {
    throw EvalError("filter 'dictsort' cannot apply to " + std::string(operand.type_name()));
  }
  const bool case_sensitive = args.get_bool(0, "case_sensitive", false, "dictsort");
  const std::string by = args.get_string(1, "by", "dictsort").value_or("key");
  const bool reversed = args.get_bool(2, "reverse", false, "dictsort");
  if (by != "key" && by != "value") throw EvalError("dictsort(): by must be 'key' or 'value'");
  std::vector<Value> entries = pairs(operand.as_map(), state).as_list();
  const std::size_t index = by == "key" ? 0 : 1;
  std::stable_sort(entries.begin(), entries.end(), [&](const Value& a, const Value& b) {
    const int order = compare_for_sort(a.as_list()[index], b.as_list()[index], case_sensitive);
    return reversed ? order > 0 : order < 0;
  });
  return Value::list(std::move(entries));
}

using Entry = std::pair<std::string_view, FilterFn>;

const std::array kSequenceFilters = {
    Entry{"list", list_filter},
    Entry{"first", first_or_last<true>},
    Entry{"last", first_or_last<false>},
    Entry{"reverse", reverse},
    Entry{"sort", sort},
    Entry{"unique", unique},
    Entry{"join", join},
    Entry{"map", map},
    Entry{"select", select<true, false>},
    Entry{"reject", select<false, false>},
    Entry{"selectattr", select<true, true>},
    Entry{"rejectattr", select<false, true>},
    Entry{"min", min_max<false>},
    Entry{"max", min_max<true>},
    Entry{"sum", sum},
    Entry{"items", items},
    Entry{"dictsort", dictsort},
};

}  // namespace

FilterFn find_sequence_filter(std::string_view name) {
  for (const auto& [filter_name, fn] : kSequenceFilters) {
    if (filter_name == name) return fn;
  }
  return nullptr;
}

}  // namespace fastchat::jinja
