#pragma once
// Python's str operations as chat templates call them (as methods, `s.strip('\n')`, or as
// filters, `s | trim`), on UTF-8 strings. Whitespace is JavaScript's (as in the reference),
// which differs from Python's only in a few control and format characters.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fastchat::jinja {

/// str.strip/lstrip/rstrip: `chars` (any of its characters) or, without it, whitespace.
std::string strip_chars(std::string_view text, const std::optional<std::string>& chars, bool left,
                        bool right);

/// str.split: by `sep`, or by runs of whitespace without it; at most `max_split` splits when it
/// is not negative. Throws EvalError for an empty separator.
std::vector<std::string> split(std::string_view text, const std::optional<std::string>& sep,
                               std::int64_t max_split);

/// str.replace: `count` replacements at most when not negative; an empty `old` inserts `with`
/// between characters. Throws EvalError (via `max_bytes`) when the result would be larger.
std::string replace(std::string_view text, std::string_view old, std::string_view with,
                    std::int64_t count, std::size_t max_bytes);

/// The reference's title case: the first ASCII letter or digit of each word upper-cased, the
/// rest left as it is.
std::string title_case(std::string_view text);
/// The first character upper-cased, the rest left as it is (as the reference does).
std::string capitalize(std::string_view text);

/// str.find (code point index, -1 when absent) and str.count (non-overlapping).
std::int64_t find(std::string_view text, std::string_view sub);
std::int64_t count(std::string_view text, std::string_view sub);

}  // namespace fastchat::jinja
