#include "controller/worker_protocol.h"

#include <cmath>
#include <limits>

#include "common/json/request_body.h"

namespace fastchat::controller {
namespace {

using nlohmann::json;

// Generous, but far from overflow when dispatch adds to it.
constexpr int64_t kMaxQueueLength = 1'000'000'000;

[[noreturn]] void bad(ErrorCode code, std::string_view param, const std::string& rule) {
  throw_error(code, "'" + std::string(param) + "' " + rule, std::string(param));
}

int64_t parse_queue_length(const json& value, std::string_view param, ErrorCode code) {
  if (value.is_number_unsigned()) {
    if (value.get<uint64_t>() <= static_cast<uint64_t>(kMaxQueueLength)) {
      return value.get<int64_t>();
    }
  } else if (value.is_number_integer()) {
    const auto q = value.get<int64_t>();
    if (q >= 0 && q <= kMaxQueueLength) return q;
  }
  bad(code, param, "must be an integer between 0 and " + std::to_string(kMaxQueueLength));
}

std::optional<bool> optional_bool(const json& body, std::string_view field) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) bad(ErrorCode::InvalidRequest, field, "must be true or false");
  return it->get<bool>();
}

const json& required(const json& body, std::string_view field, ErrorCode code,
                     std::string_view param) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) bad(code, param, "is required");
  return *it;
}

// A worker URL from a request (Url::parse refuses paths that could forge a request line).
// Worker addresses are short; a bound keeps megabyte names out of the registry and the logs.
http::Url parse_request_url(const std::string& text, std::string_view param) {
  constexpr size_t kMaxUrlChars = 2048;
  if (text.size() > kMaxUrlChars) {
    bad(ErrorCode::InvalidRequest, param,
        "must be an http:// URL of at most " + std::to_string(kMaxUrlChars) + " characters");
  }
  return http::Url::parse(text, param, /*from_request=*/true);
}

}  // namespace

json parse_json_object(std::string_view body) {
  // The shared parser also refuses bodies nested deep enough to exhaust the stack.
  return parse_request_body(body);
}

WorkerStatus parse_worker_status(const json& value, std::string_view prefix, ErrorCode code) {
  const std::string p(prefix);
  if (!value.is_object())
    bad(code, p.empty() ? "worker_status" : p.substr(0, p.size() - 1), "must be an object");
  WorkerStatus status;
  const auto& names = required(value, "model_names", code, p + "model_names");
  if (!names.is_array() || names.empty()) {
    bad(code, p + "model_names", "must be a non-empty list of model names");
  }
  for (const auto& name : names) {
    if (!name.is_string() || name.get_ref<const std::string&>().empty()) {
      bad(code, p + "model_names", "must hold non-empty strings only");
    }
    status.model_names.push_back(name.get<std::string>());
  }
  const auto speed_it = value.find("speed");
  if (speed_it != value.end() && !speed_it->is_null()) {
    if (!speed_it->is_number() || !std::isfinite(speed_it->get<double>()) ||
        speed_it->get<double>() <= 0.0) {
      bad(code, p + "speed", "must be a number greater than 0");
    }
    status.speed = speed_it->get<double>();
  }
  const auto queue_it = value.find("queue_length");
  if (queue_it != value.end() && !queue_it->is_null()) {
    status.queue_length = parse_queue_length(*queue_it, p + "queue_length", code);
  }
  return status;
}

json speed_to_json(double speed) {
  if (speed == std::floor(speed) && std::abs(speed) < 9e15) return static_cast<int64_t>(speed);
  return speed;
}

json to_json(const WorkerStatus& status) {
  return json{{"model_names", status.model_names},
              {"speed", speed_to_json(status.speed)},
              {"queue_length", status.queue_length}};
}

http::Url parse_worker_url(const json& body, std::string_view param) {
  const auto& value = required(body, param, ErrorCode::InvalidRequest, param);
  if (!value.is_string()) bad(ErrorCode::InvalidRequest, param, "must be an http:// URL string");
  return parse_request_url(value.get_ref<const std::string&>(), param);
}

RegisterRequest parse_register_request(const json& body) {
  RegisterRequest request;
  request.url = parse_worker_url(body, "worker_name");
  request.worker_name = request.url.to_string();
  request.check_heart_beat = optional_bool(body, "check_heart_beat").value_or(true);
  request.multimodal = optional_bool(body, "multimodal").value_or(false);
  const auto it = body.find("worker_status");
  if (it != body.end() && !it->is_null() && !(it->is_object() && it->empty())) {
    request.status = parse_worker_status(*it, "worker_status.");
  }
  return request;
}

HeartbeatRequest parse_heartbeat_request(const json& body) {
  HeartbeatRequest request;
  request.worker_name = parse_worker_url(body, "worker_name").to_string();
  request.queue_length =
      parse_queue_length(required(body, "queue_length", ErrorCode::InvalidRequest, "queue_length"),
                         "queue_length", ErrorCode::InvalidRequest);
  return request;
}

AddressRequest parse_address_request(const json& body) {
  AddressRequest request;
  const auto& model = required(body, "model", ErrorCode::InvalidRequest, "model");
  if (!model.is_string()) bad(ErrorCode::InvalidRequest, "model", "must be a string");
  request.model = model.get<std::string>();
  const auto it = body.find("exclude");
  if (it != body.end() && !it->is_null()) {
    if (!it->is_array())
      bad(ErrorCode::InvalidRequest, "exclude", "must be a list of worker addresses");
    for (const auto& entry : *it) {
      if (!entry.is_string())
        bad(ErrorCode::InvalidRequest, "exclude", "must hold address strings only");
      request.exclude.push_back(
          parse_request_url(entry.get_ref<const std::string&>(), "exclude").to_string());
    }
  }
  return request;
}

}  // namespace fastchat::controller
