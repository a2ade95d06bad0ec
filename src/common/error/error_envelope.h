#pragma once
// The JSON body every server of the platform answers an error with, as OpenAI's API does:
// {"error": {"message", "type", "param", "code"}}. Written in one place and read in one place,
// by whatever relays or reports another process's failure (the API server relaying a worker's
// refusal, a worker reading the controller's, the load generator and other OpenAI clients).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/error/error.h"

namespace fastchat {

/// {"error": {"message", "type": error_type(code), "param": param or null, "code": type}}.
nlohmann::json error_envelope(const Error& error);

/// The Error an envelope describes: its message, param, and the code whose error_type() is its
/// "type" (an unknown type is UpstreamFailed). Also takes {"error": "message"}, as some servers
/// send. nullopt when `body` holds no error object.
std::optional<Error> parse_error_envelope(const nlohmann::json& body);
/// The same from a response body's text (nullopt for text that is not JSON).
std::optional<Error> parse_error_body(std::string_view body);

/// What a person should read about a failed HTTP answer: "HTTP <status>: <the envelope's message>",
/// or the start of the body when it is no envelope.
std::string describe_error_response(int status, std::string_view body);

}  // namespace fastchat
