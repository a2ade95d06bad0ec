#include "webserver/upstream/controller_client.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/error/error.h"

namespace fastchat::upstream {

using nlohmann::json;

ControllerClient::ControllerClient(http::Url controller, http::ClientOptions options)
    : controller_(std::move(controller)), options_(std::move(options)) {}

http::ClientResponse ControllerClient::call(std::string_view path, std::string body) {
  try {
    auto response = http::post_json(controller_, path, std::move(body), options_);
    if (response.status != 200) {
      throw_error(ErrorCode::Unavailable,
                  "the controller at " + controller_.to_string() + " answered " + std::string(path) +
                      " with HTTP " + std::to_string(response.status));
    }
    return response;
  } catch (const http::ClientError& e) {
    throw_error(ErrorCode::Unavailable, "the controller is unreachable: " + e.error().message);
  }
}

std::vector<std::string> ControllerClient::list_models() {
  auto response = call("/list_models", "{}");
  json body = json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("models") || !body["models"].is_array()) {
    throw_error(ErrorCode::Unavailable, "the controller sent a malformed /list_models answer");
  }
  std::vector<std::string> models;
  for (const auto& name : body["models"]) {
    if (name.is_string()) models.push_back(name.get<std::string>());
  }
  std::sort(models.begin(), models.end());
  models.erase(std::unique(models.begin(), models.end()), models.end());
  std::lock_guard lock(mutex_);
  seen_models_.insert(models.begin(), models.end());
  return models;
}

std::optional<http::Url> ControllerClient::worker_for(const std::string& model,
                                                      const std::vector<std::string>& exclude) {
  json request = {{"model", model}};
  if (!exclude.empty()) request["exclude"] = exclude;
  auto response = call("/get_worker_address", request.dump());
  json body = json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("address") || !body["address"].is_string()) {
    throw_error(ErrorCode::Unavailable, "the controller sent a malformed /get_worker_address answer");
  }
  const auto& address = body["address"].get_ref<const std::string&>();
  if (address.empty()) return std::nullopt;
  {
    std::lock_guard lock(mutex_);
    seen_models_.insert(model);
  }
  try {
    return http::Url::parse(address, "address");
  } catch (const ErrorException&) {
    throw_error(ErrorCode::UpstreamFailed, "the controller named an invalid worker address '" +
                                               address.substr(0, 100) + "'");
  }
}

bool ControllerClient::has_seen(const std::string& model) const {
  std::lock_guard lock(mutex_);
  return seen_models_.count(model) > 0;
}

}  // namespace fastchat::upstream
