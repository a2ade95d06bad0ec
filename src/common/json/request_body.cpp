#include "common/json/request_body.h"

#include <string>

#include "common/error/error.h"
#include "common/json/json_fields.h"

namespace fastchat {
namespace {

using nlohmann::json;

// Parser messages echo the bytes around the error ("last read: '...'"); a long line of garbage
// should not come back whole in the error body.
constexpr std::size_t kMaxParserMessage = 200;

// Thrown from the parser callback to stop at the first container past the limit; nlohmann lets
// exceptions from the callback propagate, so nothing deeper is ever built.
struct DepthExceeded {};

std::string trim_parser_message(const std::string& what) {
  // "[json.exception.parse_error.101] parse error at ..." -> "parse error at ...".
  std::string message = what;
  if (!message.empty() && message.front() == '[') {
    const auto end = message.find("] ");
    if (end != std::string::npos) message.erase(0, end + 2);
  }
  if (message.size() > kMaxParserMessage) {
    message.resize(kMaxParserMessage);
    message += "...";
  }
  return message;
}

}  // namespace

nlohmann::json parse_request_body(std::string_view body) {
  // The callback's depth is the number of enclosing containers, so a container opening at depth
  // kMaxJsonDepth would be level kMaxJsonDepth + 1. nlohmann's parser is iterative (an explicit
  // stack), so counting here is enough to bound memory and the recursive work done later.
  const json::parser_callback_t limit_depth = [](int depth, json::parse_event_t event, json&) {
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        depth >= kMaxJsonDepth) {
      throw DepthExceeded{};
    }
    return true;
  };
  json parsed;
  try {
    parsed = json::parse(body.begin(), body.end(), limit_depth);
  } catch (const DepthExceeded&) {
    throw_error(ErrorCode::InvalidRequest,
                "request body is nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  } catch (const json::exception& e) {
    // parse_error, and out_of_range for numbers too large for a double (1e400).
    throw_error(ErrorCode::InvalidRequest,
                "request body is not valid JSON: " + trim_parser_message(e.what()));
  }
  if (!parsed.is_object()) {
    throw_error(ErrorCode::InvalidRequest,
                std::string("request body must be a JSON object, got ") + parsed.type_name());
  }
  return parsed;
}

}  // namespace fastchat
