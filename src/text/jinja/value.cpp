#include "text/jinja/value.h"

#include <algorithm>
#include <climits>
#include <cmath>

#include <nlohmann/json.hpp>

#include "text/jinja/callable.h"

namespace fastchat::jinja {
namespace {

std::uint32_t depth_of(const Value& value) { return value.nesting(); }

template <typename Json>
Value convert(const Json& json, std::uint32_t depth) {
  if (depth > kMaxNesting) {
    throw EvalError("the context nests more than " + std::to_string(kMaxNesting) + " levels");
  }
  using Type = nlohmann::json::value_t;
  switch (json.type()) {
    case Type::null:
      return Value::none();
    case Type::boolean:
      return Value(json.template get<bool>());
    case Type::number_integer:
      return Value(json.template get<std::int64_t>());
    case Type::number_unsigned: {
      const auto u = json.template get<std::uint64_t>();
      if (u <= static_cast<std::uint64_t>(INT64_MAX)) return Value(static_cast<std::int64_t>(u));
      return Value(static_cast<double>(u));
    }
    case Type::number_float: {
      // JSON has one number type: the JavaScript reference reads 1.0 as the integer 1.
      const double d = json.template get<double>();
      if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.007199254740992e15) {
        return Value(static_cast<std::int64_t>(d));
      }
      return Value(d);
    }
    case Type::string:
      return Value(json.template get_ref<const std::string&>());
    case Type::array: {
      std::vector<Value> items;
      items.reserve(json.size());
      for (const auto& item : json) items.push_back(convert(item, depth + 1));
      return Value::list(std::move(items));
    }
    case Type::object: {
      MapData map;
      map.entries.reserve(json.size());
      for (auto it = json.begin(); it != json.end(); ++it) {
        map.entries.emplace_back(it.key(), convert(it.value(), depth + 1));
      }
      return Value::map(std::move(map));
    }
    default:  // binary and discarded values have no template meaning
      return Value();
  }
}

std::uint32_t checked_depth(std::uint32_t deepest_child) {
  if (deepest_child >= kMaxNesting) {
    throw EvalError("a list or map nests more than " + std::to_string(kMaxNesting) + " levels");
  }
  return deepest_child + 1;
}

}  // namespace

Value Value::list(std::vector<Value> items) {
  std::uint32_t deepest = 0;
  for (const Value& item : items) deepest = std::max(deepest, depth_of(item));
  auto data = std::make_shared<ListData>();
  data->depth = checked_depth(deepest);
  data->items = std::move(items);
  return Value(ListPtr(std::move(data)));
}

Value Value::map(MapData map) {
  std::uint32_t deepest = 0;
  for (const auto& entry : map.entries) deepest = std::max(deepest, depth_of(entry.second));
  map.depth = checked_depth(deepest);
  return Value(MapPtr(std::make_shared<const MapData>(std::move(map))));
}

const std::vector<Value>& Value::as_list() const { return std::get<ListPtr>(storage_)->items; }

double Value::as_number() const {
  switch (kind()) {
    case Kind::Int:
      return static_cast<double>(as_int());
    case Kind::Float:
      return as_float();
    case Kind::Bool:
      return as_bool() ? 1.0 : 0.0;
    default:
      return 0.0;
  }
}

std::uint32_t Value::nesting() const {
  switch (kind()) {
    case Kind::List:
      return std::get<ListPtr>(storage_)->depth;
    case Kind::Map:
      return std::get<MapPtr>(storage_)->depth;
    case Kind::Namespace:
      return 1;
    case Kind::Callable:
      return std::get<CallablePtr>(storage_)->self.nesting() + 1;
    default:
      return 0;
  }
}

bool Value::truthy() const {
  switch (kind()) {
    case Kind::Undefined:
    case Kind::None:
      return false;
    case Kind::Bool:
      return as_bool();
    case Kind::Int:
      return as_int() != 0;
    case Kind::Float:
      return as_float() != 0.0 && !std::isnan(as_float());
    case Kind::String:
      return !as_string().empty();
    case Kind::List:
      return !as_list().empty();
    case Kind::Map:
      return !as_map().entries.empty();
    case Kind::Namespace:
    case Kind::Callable:
      return true;
  }
  return false;
}

std::string_view Value::kind_name(Kind kind) {
  switch (kind) {
    case Kind::Undefined:
      return "undefined";
    case Kind::None:
      return "none";
    case Kind::Bool:
      return "boolean";
    case Kind::Int:
      return "integer";
    case Kind::Float:
      return "float";
    case Kind::String:
      return "string";
    case Kind::List:
      return "list";
    case Kind::Map:
      return "mapping";
    case Kind::Namespace:
      return "namespace";
    case Kind::Callable:
      return "callable";
  }
  return "value";
}

Value Value::from_json(const nlohmann::json& json) { return convert(json, 0); }
Value Value::from_json(const nlohmann::ordered_json& json) { return convert(json, 0); }

const Value* MapData::find(std::string_view key) const {
  for (const auto& entry : entries) {
    if (entry.first == key) return &entry.second;
  }
  return nullptr;
}

void MapData::set(std::string key, Value value) {
  for (auto& entry : entries) {
    if (entry.first == key) {
      entry.second = std::move(value);
      return;
    }
  }
  entries.emplace_back(std::move(key), std::move(value));
}

bool values_equal(const Value& a, const Value& b) {
  using Kind = Value::Kind;
  const bool a_num = a.is_number() || a.is_bool();
  const bool b_num = b.is_number() || b.is_bool();
  if (a_num && b_num) {
    if (a.is_int() && b.is_int()) return a.as_int() == b.as_int();
    return a.as_number() == b.as_number();
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::Undefined:
    case Kind::None:
      return true;
    case Kind::String:
      return a.as_string() == b.as_string();
    case Kind::List: {
      const auto& x = a.as_list();
      const auto& y = b.as_list();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!values_equal(x[i], y[i])) return false;
      }
      return true;
    }
    case Kind::Map: {
      const auto& x = a.as_map().entries;
      const auto& y = b.as_map();
      if (x.size() != y.entries.size()) return false;
      for (const auto& [key, value] : x) {
        const Value* other = y.find(key);
        if (other == nullptr || !values_equal(value, *other)) return false;
      }
      return true;
    }
    case Kind::Namespace:
      return a.namespace_ptr() == b.namespace_ptr();
    case Kind::Callable:
      return &a.as_callable() == &b.as_callable();
    default:
      return false;
  }
}

}  // namespace fastchat::jinja
