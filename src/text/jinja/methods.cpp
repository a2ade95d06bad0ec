// Methods templates call on values: Python's str methods (strip, lstrip, rstrip, startswith,
// endswith, split, replace, upper, lower, title, capitalize, find, count, join) and dict
// methods (get, items, keys, values).

#include <array>

#include "text/jinja/builtins.h"
#include "text/jinja/render_state.h"
#include "text/jinja/string_functions.h"
#include "text/jinja/unicode_text.h"
#include "text/jinja/value_format.h"

namespace fastchat::jinja {
namespace {

Value string_list(std::vector<std::string> parts, RenderState& state) {
  state.charge_items(parts.size());
  std::vector<Value> items;
  items.reserve(parts.size());
  for (std::string& part : parts) items.emplace_back(std::move(part));
  return Value::list(std::move(items));
}

// startswith/endswith take a string or a list (tuple) of strings.
template <bool kStart>
Value affix_test(const std::string& self, const CallArgs& args, RenderState&) {
  const char* name = kStart ? "startswith" : "endswith";
  const Value* affix = args.get(0, "prefix");
  if (affix == nullptr) throw EvalError(std::string(name) + "() needs an argument");
  auto matches = [&](const Value& v) {
    if (!v.is_string()) throw EvalError(std::string(name) + "() takes strings");
    return kStart ? self.starts_with(v.as_string()) : self.ends_with(v.as_string());
  };
  if (affix->is_list()) {
    for (const Value& item : affix->as_list()) {
      if (matches(item)) return Value(true);
    }
    return Value(false);
  }
  return Value(matches(*affix));
}

template <bool kLeft, bool kRight>
Value strip(const std::string& self, const CallArgs& args, RenderState&) {
  return Value(strip_chars(self, args.get_string(0, "chars", "strip"), kLeft, kRight));
}

Value split_method(const std::string& self, const CallArgs& args, RenderState& state) {
  return string_list(
      split(self, args.get_string(0, "sep", "split"), args.get_int(1, "maxsplit", -1, "split")),
      state);
}

Value replace_method(const std::string& self, const CallArgs& args, RenderState& state) {
  return Value(replace(self, args.require_string(0, "old", "replace"),
                       args.require_string(1, "new", "replace"),
                       args.get_int(2, "count", -1, "replace"), state.limits().max_output_bytes));
}

Value join_method(const std::string& self, const CallArgs& args, RenderState& state) {
  const Value* items = args.get(0, "iterable");
  if (items == nullptr || !items->is_list()) throw EvalError("join() takes a list");
  std::string out;
  for (std::size_t i = 0; i < items->as_list().size(); ++i) {
    if (i > 0) out += self;
    append_output(out, items->as_list()[i]);
    state.charge_string(out.size());
  }
  return Value(std::move(out));
}

Value dict_get(const Value& self, const CallArgs& args, RenderState&) {
  const Value* key = args.get(0, "key");
  if (key == nullptr || !key->is_string()) throw EvalError("get() needs a string key");
  if (const Value* found = self.as_map().find(key->as_string())) return *found;
  const Value* fallback = args.get(1, "default");
  return fallback != nullptr ? *fallback : Value::none();
}

Value dict_items(const Value& self, const CallArgs&, RenderState& state) {
  const auto& entries = self.as_map().entries;
  state.charge_items(entries.size());
  std::vector<Value> items;
  items.reserve(entries.size());
  for (const auto& [key, value] : entries) items.push_back(Value::list({Value(key), value}));
  return Value::list(std::move(items));
}

Value dict_keys(const Value& self, const CallArgs&, RenderState& state) {
  const auto& entries = self.as_map().entries;
  state.charge_items(entries.size());
  std::vector<Value> items;
  for (const auto& entry : entries) items.emplace_back(entry.first);
  return Value::list(std::move(items));
}

Value dict_values(const Value& self, const CallArgs&, RenderState& state) {
  const auto& entries = self.as_map().entries;
  state.charge_items(entries.size());
  std::vector<Value> items;
  for (const auto& entry : entries) items.push_back(entry.second);
  return Value::list(std::move(items));
}

using StringFn = Value (*)(const std::string&, const CallArgs&, RenderState&);

template <std::string (*kTransform)(std::string_view)>
Value transform(const std::string& self, const CallArgs&, RenderState&) {
  return Value(kTransform(self));
}

const std::array kMethods = {
    Method{"strip", strip<true, true>, nullptr},
    Method{"lstrip", strip<true, false>, nullptr},
    Method{"rstrip", strip<false, true>, nullptr},
    Method{"startswith", affix_test<true>, nullptr},
    Method{"endswith", affix_test<false>, nullptr},
    Method{"split", split_method, nullptr},
    Method{"replace", replace_method, nullptr},
    Method{"upper", transform<to_upper>, nullptr},
    Method{"lower", transform<to_lower>, nullptr},
    Method{"title", transform<title_case>, nullptr},
    Method{"capitalize", transform<capitalize>, nullptr},
    Method{"find",
           [](const std::string& self, const CallArgs& args, RenderState&) {
             return Value(find(self, args.require_string(0, "sub", "find")));
           },
           nullptr},
    Method{"count",
           [](const std::string& self, const CallArgs& args, RenderState&) {
             return Value(count(self, args.require_string(0, "sub", "count")));
           },
           nullptr},
    Method{"join", join_method, nullptr},
    Method{"get", nullptr, dict_get},
    Method{"items", nullptr, dict_items},
    Method{"keys", nullptr, dict_keys},
    Method{"values", nullptr, dict_values},
};

}  // namespace

const Method* find_method(std::string_view name) {
  for (const Method& method : kMethods) {
    if (method.name == name) return &method;
  }
  return nullptr;
}

}  // namespace fastchat::jinja
