#pragma once
// The values a chat template computes with: undefined, none, booleans, 64-bit integers, doubles,
// UTF-8 strings, lists, insertion-ordered maps, namespaces and callables (macros, built-in
// functions, bound methods). Lists and maps are immutable once built and shared by reference, so
// copying a Value is cheap; a namespace is the one mutable container (`set ns.x = ...`).
//
// Values live inside one render of one template: the interpreter builds them from the JSON
// context and never lets them escape, so nothing here is shared between threads.

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/error/error.h"

namespace fastchat::jinja {

class Value;
struct ListData;
struct MapData;
struct NamespaceData;
struct CallableData;

using ListPtr = std::shared_ptr<const ListData>;
using MapPtr = std::shared_ptr<const MapData>;
using NamespacePtr = std::shared_ptr<NamespaceData>;
using CallablePtr = std::shared_ptr<const CallableData>;

class Value {
 public:
  enum class Kind : std::uint8_t {
    Undefined,
    None,
    Bool,
    Int,
    Float,
    String,
    List,
    Map,
    Namespace,
    Callable
  };

  // Implicit constructors, so that building values reads like the JSON they mirror.
  Value() = default;  // undefined
  static Value none() { return Value(Storage(std::in_place_index<1>)); }
  Value(bool b) : storage_(std::in_place_type<bool>, b) {}
  Value(std::int64_t i) : storage_(std::in_place_type<std::int64_t>, i) {}
  Value(int i) : storage_(std::in_place_type<std::int64_t>, i) {}
  Value(double d) : storage_(std::in_place_type<double>, d) {}
  Value(std::string s) : storage_(std::in_place_type<std::string>, std::move(s)) {}
  Value(std::string_view s) : storage_(std::in_place_type<std::string>, s) {}
  Value(const char* s) : storage_(std::in_place_type<std::string>, s) {}
  Value(ListPtr list) : storage_(std::in_place_type<ListPtr>, std::move(list)) {}
  Value(MapPtr map) : storage_(std::in_place_type<MapPtr>, std::move(map)) {}
  Value(NamespacePtr ns) : storage_(std::in_place_type<NamespacePtr>, std::move(ns)) {}
  Value(CallablePtr fn) : storage_(std::in_place_type<CallablePtr>, std::move(fn)) {}

  /// Throws EvalError when the items nest containers more than kMaxNesting deep.
  static Value list(std::vector<Value> items);
  static Value map(MapData data);

  Kind kind() const { return static_cast<Kind>(storage_.index()); }
  bool is_undefined() const { return kind() == Kind::Undefined; }
  bool is_none() const { return kind() == Kind::None; }
  bool is_bool() const { return kind() == Kind::Bool; }
  bool is_int() const { return kind() == Kind::Int; }
  bool is_float() const { return kind() == Kind::Float; }
  bool is_number() const { return is_int() || is_float(); }
  bool is_string() const { return kind() == Kind::String; }
  bool is_list() const { return kind() == Kind::List; }
  bool is_map() const { return kind() == Kind::Map; }
  bool is_namespace() const { return kind() == Kind::Namespace; }
  bool is_callable() const { return kind() == Kind::Callable; }

  // Accessors; each requires the matching kind.
  bool as_bool() const { return std::get<bool>(storage_); }
  std::int64_t as_int() const { return std::get<std::int64_t>(storage_); }
  double as_float() const { return std::get<double>(storage_); }
  /// An int, float or bool as a double.
  double as_number() const;
  const std::string& as_string() const { return std::get<std::string>(storage_); }
  /// Moves the string out of a string value.
  std::string take_string() && { return std::move(std::get<std::string>(storage_)); }
  const std::vector<Value>& as_list() const;
  const MapData& as_map() const { return *std::get<MapPtr>(storage_); }
  const MapPtr& map_ptr() const { return std::get<MapPtr>(storage_); }
  NamespaceData& as_namespace() const { return *std::get<NamespacePtr>(storage_); }
  const NamespacePtr& namespace_ptr() const { return std::get<NamespacePtr>(storage_); }
  const CallableData& as_callable() const { return *std::get<CallablePtr>(storage_); }

  /// How deeply this value nests containers: 0 for scalars, 1 for a namespace (emptied when its
  /// render ends, so it never chains), 1 + the deepest item for lists and maps.
  std::uint32_t nesting() const;

  /// Python truthiness: undefined, none, false, 0, 0.0, "" and empty containers are false.
  bool truthy() const;

  /// The type name used in error messages ("string", "list", "undefined", ...).
  std::string_view type_name() const { return kind_name(kind()); }
  static std::string_view kind_name(Kind kind);

  /// A value for a JSON document: objects keep their order (nlohmann::json's own order is sorted
  /// keys, ordered_json's is insertion order). A float with an integral value becomes an int, as
  /// in the JavaScript reference, so `1.0` prints and serializes as `1`.
  static Value from_json(const nlohmann::json& json);
  static Value from_json(const nlohmann::ordered_json& json);

 private:
  using Storage = std::variant<std::monostate, std::monostate, bool, std::int64_t, double,
                               std::string, ListPtr, MapPtr, NamespacePtr, CallablePtr>;
  explicit Value(Storage storage) : storage_(std::move(storage)) {}
  Storage storage_;
};

/// How deeply lists and maps may nest: deep enough for any JSON schema, shallow enough that
/// printing, comparing and freeing a value never exhausts the stack.
inline constexpr std::uint32_t kMaxNesting = 200;

/// An error in evaluating an expression, without a position: the interpreter adds the template
/// line and turns it into an ErrorException with `code` (InvalidRequest unless the template
/// itself is at fault, as with an unknown filter: InvalidModel).
class EvalError : public std::runtime_error {
 public:
  explicit EvalError(const std::string& message, ErrorCode code = ErrorCode::InvalidRequest)
      : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

struct ListData {
  std::vector<Value> items;
  std::uint32_t depth = 1;  ///< 1 + the deepest list or map among the items
};

/// A map with string keys in insertion order (what JSON objects and Python dicts keep). Lookups
/// are linear: chat messages and tool schemas have a handful of keys each.
struct MapData {
  std::vector<std::pair<std::string, Value>> entries;
  std::uint32_t depth = 1;  ///< set by Value::map

  const Value* find(std::string_view key) const;
  /// Sets `key`, keeping its first position when it is already there.
  void set(std::string key, Value value);
};

/// `namespace(...)`: attributes a template may assign from inside loops.
struct NamespaceData {
  MapData attributes;
};

/// Python-style equality: numbers compare by value across int/float/bool, lists and maps
/// compare element by element, undefined equals only undefined.
bool values_equal(const Value& a, const Value& b);

}  // namespace fastchat::jinja
