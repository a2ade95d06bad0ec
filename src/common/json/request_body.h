#pragma once
// The first step of every JSON request: turn the HTTP body into a JSON object, refusing
// malformed, non-object and hostilely nested bodies with a 400 before any field is looked at.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace fastchat {

/// Deepest nesting a request body may have; the top-level object is level 1. Real requests stay
/// under 10 (messages[i].content[j] is 4), so 64 only stops bodies built to exhaust the server.
inline constexpr int kMaxJsonDepth = 64;

/// Parses `body` as a JSON object. Throws ErrorException{InvalidRequest, ..., param ""} when it is
/// not valid JSON ("request body is not valid JSON: <parser message>"), is nested deeper than
/// kMaxJsonDepth, or is not an object.
nlohmann::json parse_request_body(std::string_view body);

}  // namespace fastchat
