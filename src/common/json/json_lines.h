#pragma once
// JSON lines (one JSON value per line), as FastChat's logs, battle exports and datasets are
// written: the non-blank lines of a text with their 1-based line numbers, for errors that name
// the line.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace fastchat {

/// Calls `on_line(line, number)` for each line of `text` that is not blank (spaces, tabs, a
/// '\r' before the '\n'); stops early when it returns false.
void for_each_nonblank_line(
    std::string_view text,
    const std::function<bool(std::string_view line, size_t number)>& on_line);

/// Parses each non-blank line as JSON and calls `on_record(record, where)`, `where` being
/// "line N" for errors. A line that is not JSON is InvalidRequest "'line N' is not valid JSON".
void for_each_json_line(
    std::string_view text,
    const std::function<void(const nlohmann::json& record, const std::string& where)>& on_record);

}  // namespace fastchat
