#pragma once
// JSON lines (one JSON value per line), as FastChat's logs, battle exports and datasets are
// written: the non-blank lines of a text with their 1-based line numbers, for errors that name
// the line.

#include <cstddef>
#include <functional>
#include <string_view>

namespace fastchat {

/// Calls `on_line(line, number)` for each line of `text` that is not blank (spaces, tabs, a
/// '\r' before the '\n'); stops early when it returns false.
void for_each_nonblank_line(
    std::string_view text,
    const std::function<bool(std::string_view line, size_t number)>& on_line);

}  // namespace fastchat
