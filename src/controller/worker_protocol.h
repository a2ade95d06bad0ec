#pragma once
// FastChat's controller request bodies, parsed and checked field by field. Every rule that
// fails throws ErrorException naming the field (param), so a client learns what to fix.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "common/http/url.h"
#include "controller/registry/worker_registry.h"

namespace fastchat::controller {

/// A request body that must be a JSON object (400 otherwise).
nlohmann::json parse_json_object(std::string_view body);

/// {model_names, speed, queue_length}. `prefix` goes before each field's name in errors
/// ("worker_status."); `code` is InvalidRequest for a client's body, UpstreamFailed for a
/// worker's answer.
WorkerStatus parse_worker_status(const nlohmann::json& value, std::string_view prefix,
                                 ErrorCode code = ErrorCode::InvalidRequest);
nlohmann::json to_json(const WorkerStatus& status);
/// FastChat sends integer speeds; keep them integers on the wire when they are whole.
nlohmann::json speed_to_json(double speed);

/// A worker's base URL from `body[param]`: a required http:// URL string.
http::Url parse_worker_url(const nlohmann::json& body, std::string_view param = "worker_name");

struct RegisterRequest {
  http::Url url;
  std::string worker_name;  ///< canonical: url.to_string()
  bool check_heart_beat = true;
  bool multimodal = false;
  /// Absent, null or {}: the controller asks the worker (FastChat treats any falsy value so).
  std::optional<WorkerStatus> status;
};
RegisterRequest parse_register_request(const nlohmann::json& body);

struct HeartbeatRequest {
  std::string worker_name;
  int64_t queue_length = 0;
};
HeartbeatRequest parse_heartbeat_request(const nlohmann::json& body);

struct AddressRequest {
  std::string model;
  std::vector<std::string> exclude;  ///< canonical worker names
};
AddressRequest parse_address_request(const nlohmann::json& body);

}  // namespace fastchat::controller
