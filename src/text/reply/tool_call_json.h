#pragma once
// Reading the JSON that models write for their calls: where a JSON value ends in a longer text,
// and how a parsed call object becomes a ToolCall.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "text/reply/tool_call_parser.h"

namespace fastchat::reply {

/// The position just past the object or array that starts at text[start] ('{' or '['), found by
/// matching brackets outside strings; npos when it does not close within `text`. The value is
/// not validated: parse text.substr(start, end - start) for that.
std::size_t json_value_end(std::string_view text, std::size_t start);

/// Parses `text` as one JSON value; nullopt when it is not valid JSON (or not valid UTF-8).
std::optional<nlohmann::ordered_json> parse_json(std::string_view text);

/// A call from `{"name": "f", "arguments": {...}}` ("parameters" is taken for "arguments", as
/// Llama writes it). The arguments become a JSON text: an object is re-serialized compactly
/// with its key order kept, a string (some models write the arguments as a JSON string) is used
/// as is, and missing or null arguments are "{}". nullopt when `object` is not an object, lacks
/// a non-empty string "name", or has arguments of another type.
std::optional<ToolCall> tool_call_from_json(const nlohmann::ordered_json& object);

/// The JSON text of a call's arguments, by the rules of tool_call_from_json; nullopt when they
/// are neither an object, a string, nor null.
std::optional<std::string> arguments_text(const nlohmann::ordered_json& arguments);

/// `text` without leading and trailing JSON whitespace.
std::string_view trim_whitespace(std::string_view text);

}  // namespace fastchat::reply
