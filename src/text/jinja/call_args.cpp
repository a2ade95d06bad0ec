#include "text/jinja/call_args.h"

namespace fastchat::jinja {
namespace {

[[noreturn]] void wrong_type(std::string_view function, std::string_view name,
                             std::string_view expected, const Value& got) {
  throw EvalError(std::string(function) + "(): argument '" + std::string(name) + "' must be " +
                  std::string(expected) + ", not " + std::string(got.type_name()));
}

bool absent(const Value* v) { return v == nullptr || v->is_none() || v->is_undefined(); }

}  // namespace

const Value* CallArgs::get(std::size_t index, std::string_view name) const {
  if (index < positional.size()) return &positional[index];
  for (const auto& [key, value] : keyword) {
    if (key == name) return &value;
  }
  return nullptr;
}

bool CallArgs::get_bool(std::size_t index, std::string_view name, bool fallback,
                        std::string_view function) const {
  const Value* v = get(index, name);
  if (absent(v)) return fallback;
  if (v->is_bool()) return v->as_bool();
  if (v->is_int()) return v->as_int() != 0;
  wrong_type(function, name, "a boolean", *v);
}

std::int64_t CallArgs::get_int(std::size_t index, std::string_view name, std::int64_t fallback,
                               std::string_view function) const {
  const Value* v = get(index, name);
  if (absent(v)) return fallback;
  if (v->is_int()) return v->as_int();
  wrong_type(function, name, "an integer", *v);
}

std::optional<std::string> CallArgs::get_string(std::size_t index, std::string_view name,
                                                std::string_view function) const {
  const Value* v = get(index, name);
  if (absent(v)) return std::nullopt;
  if (v->is_string()) return v->as_string();
  wrong_type(function, name, "a string", *v);
}

const std::string& CallArgs::require_string(std::size_t index, std::string_view name,
                                            std::string_view function) const {
  const Value* v = get(index, name);
  if (v == nullptr) {
    throw EvalError(std::string(function) + "(): missing argument '" + std::string(name) + "'");
  }
  if (!v->is_string()) wrong_type(function, name, "a string", *v);
  return v->as_string();
}

}  // namespace fastchat::jinja
