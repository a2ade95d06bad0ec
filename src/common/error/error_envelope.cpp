#include "common/error/error_envelope.h"

namespace fastchat {
namespace {

// Enough of a non-envelope body to recognise it (an HTML error page, a proxy's message).
constexpr size_t kBodyExcerpt = 200;

std::string string_field(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

nlohmann::json error_envelope(const Error& error) {
  const std::string_view type = error_type(error.code);
  return {{"error",
           {{"message", error.message},
            {"type", type},
            {"param", error.param.empty() ? nlohmann::json(nullptr) : nlohmann::json(error.param)},
            {"code", type}}}};
}

std::optional<Error> parse_error_envelope(const nlohmann::json& body) {
  if (!body.is_object()) return std::nullopt;
  auto error = body.find("error");
  if (error == body.end()) return std::nullopt;
  if (error->is_string()) return Error{ErrorCode::UpstreamFailed, error->get<std::string>(), ""};
  if (!error->is_object()) return std::nullopt;
  return Error{error_code_from_type(string_field(*error, "type")), string_field(*error, "message"),
               string_field(*error, "param")};
}

std::optional<Error> parse_error_body(std::string_view body) {
  return parse_error_envelope(nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false));
}

std::string describe_error_response(int status, std::string_view body) {
  std::string out = "HTTP " + std::to_string(status) + ": ";
  if (auto error = parse_error_body(body); error && !error->message.empty()) {
    return out + error->message;
  }
  return out + std::string(body.substr(0, kBodyExcerpt));
}

}  // namespace fastchat
