#pragma once
// How values turn into text: what `{{ value }}` prints and what the `tojson` filter writes.
// Both follow @huggingface/jinja 0.5.11, the implementation the test references come from
// (tests/clients/jinja): booleans print as `true`/`false`, numbers as JavaScript prints them
// (`1.0` for an integral float, `1e-7`, `0.30000000000000004`), lists and maps as JSON with
// Python's json.dumps separators (", " and ": "), non-ASCII text kept as it is.

#include <optional>
#include <string>
#include <string_view>

#include "text/jinja/value.h"

namespace fastchat::jinja {

/// What `{{ value }}` appends to the output: undefined and none print nothing, strings print as
/// they are, containers print as JSON (an undefined item as `undefined`, as the reference does).
/// Throws EvalError for containers nested (through namespaces) past kMaxNesting.
std::string to_output(const Value& value);
void append_output(std::string& out, const Value& value);

/// Options of the `tojson` filter, with json.dumps' names and defaults.
struct JsonOptions {
  std::optional<int> indent;  ///< pretty-print with this many spaces (0 or none: one line)
  bool ensure_ascii = false;  ///< write non-ASCII characters as \uXXXX escapes
  bool sort_keys = false;     ///< keys in code point order instead of insertion order
  std::optional<std::string> item_separator;  ///< default ", " (or "," when indenting)
  std::optional<std::string> key_separator;   ///< default ": "
};

/// The `tojson` filter: undefined becomes null; a callable cannot be written (EvalError).
std::string to_json(const Value& value, const JsonOptions& options = {});

/// A double as JavaScript's Number.prototype.toString writes it (shortest round-trip digits).
std::string format_js_number(double value);
/// A float value as the reference prints it: `2.0` for integral values, else format_js_number.
std::string format_float(double value);

/// `text` as a JSON string literal, quotes included (JSON.stringify's escapes).
void append_json_string(std::string& out, std::string_view text, bool ensure_ascii);

}  // namespace fastchat::jinja
