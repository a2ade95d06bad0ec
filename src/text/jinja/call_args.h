#pragma once
// The evaluated arguments of one call of a filter, test, method, global function or macro:
// positional values in order, then keyword values by name, with typed readers that name the
// function and argument in their EvalError.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/jinja/value.h"

namespace fastchat::jinja {

/// The index to pass to CallArgs readers for an argument that is only taken by keyword.
inline constexpr std::size_t kKeywordOnly = static_cast<std::size_t>(-1);

struct CallArgs {
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> keyword;

  /// The argument at `index` when given positionally, else the keyword `name`, else nullptr.
  const Value* get(std::size_t index, std::string_view name) const;
  bool empty() const { return positional.empty() && keyword.empty(); }

  // Typed readers: `fallback` when the argument is absent (or none, for the optional ones);
  // EvalError "<function>(): argument '<name>' must be ..." when it has another type.
  bool get_bool(std::size_t index, std::string_view name, bool fallback,
                std::string_view function) const;
  std::int64_t get_int(std::size_t index, std::string_view name, std::int64_t fallback,
                       std::string_view function) const;
  std::optional<std::string> get_string(std::size_t index, std::string_view name,
                                        std::string_view function) const;
  /// A string that must be given.
  const std::string& require_string(std::size_t index, std::string_view name,
                                    std::string_view function) const;
};

}  // namespace fastchat::jinja
