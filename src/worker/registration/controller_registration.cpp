#include "worker/registration/controller_registration.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "common/error/error_envelope.h"
#include "common/http/http_client.h"

namespace fastchat::registration {

using nlohmann::json;
using namespace std::chrono_literals;

std::chrono::milliseconds default_heart_beat_interval() {
  constexpr auto kFastChatDefault = 45s;
  const char* text = std::getenv("FASTCHAT_WORKER_HEART_BEAT_INTERVAL");
  if (text == nullptr || *text == '\0') return kFastChatDefault;
  char* end = nullptr;
  const double seconds = std::strtod(text, &end);
  if (end == text || *end != '\0' || !std::isfinite(seconds) || seconds < 0.01 || seconds > 86400) {
    spdlog::warn("ignoring FASTCHAT_WORKER_HEART_BEAT_INTERVAL='{}' (want seconds in 0.01..86400)",
                 text);
    return kFastChatDefault;
  }
  return std::chrono::milliseconds(std::llround(seconds * 1000.0));
}

ControllerRegistration::ControllerRegistration(RegistrationOptions options)
    : options_(std::move(options)) {
  worker_name_ = http::Url::parse(options_.worker_address, "worker-address").to_string();
  if (options_.model_names.empty()) {
    throw_error(ErrorCode::InvalidConfig, "a worker must serve at least one model name",
                "model-names");
  }
  if (options_.speed <= 0) throw_error(ErrorCode::InvalidConfig, "speed must be > 0", "speed");
  if (options_.heart_beat_interval <= 0ms) {
    throw_error(ErrorCode::InvalidConfig, "the heartbeat interval must be positive",
                "heart-beat-interval");
  }
  retry_interval_ = options_.retry_interval > 0ms
                        ? options_.retry_interval
                        : std::min<std::chrono::milliseconds>(5s, options_.heart_beat_interval);
}

ControllerRegistration::~ControllerRegistration() { stop(); }

int ControllerRegistration::current_queue_length() const {
  return options_.queue_length ? std::max(0, options_.queue_length()) : 0;
}

bool ControllerRegistration::try_register() {
  const auto controller = options_.controller.to_string();
  try {
    const json body = {{"worker_name", worker_name_},
                       {"check_heart_beat", true},
                       {"worker_status",
                        {{"model_names", options_.model_names},
                         {"speed", options_.speed},
                         {"queue_length", current_queue_length()}}},
                       {"multimodal", options_.multimodal}};
    http::ClientOptions client;
    client.connect_timeout = client.read_timeout = options_.request_timeout;
    if (options_.auth_token)
      client.headers.emplace_back("Authorization", "Bearer " + *options_.auth_token);
    const auto response =
        http::post_json(options_.controller, "/register_worker", body.dump(), client);
    if (response.status == 200) {
      spdlog::info("registered {} with controller {}", worker_name_, controller);
      return true;
    }
    spdlog::warn("controller {} refused to register {} ({}); retrying in {} ms", controller,
                 worker_name_, describe_error_response(response.status, response.body),
                 retry_interval_.count());
  } catch (const std::exception& e) {
    spdlog::warn("cannot register {} with controller {} ({}); retrying in {} ms", worker_name_,
                 controller, e.what(), retry_interval_.count());
  }
  return false;
}

ControllerRegistration::Beat ControllerRegistration::send_heartbeat() {
  try {
    const json body = {{"worker_name", worker_name_}, {"queue_length", current_queue_length()}};
    http::ClientOptions client;
    client.connect_timeout = client.read_timeout = options_.request_timeout;
    if (options_.auth_token)
      client.headers.emplace_back("Authorization", "Bearer " + *options_.auth_token);
    const auto response =
        http::post_json(options_.controller, "/receive_heart_beat", body.dump(), client);
    const auto answer = json::parse(response.body, nullptr, false);
    if (response.status == 200 && answer.is_object() && answer.contains("exist") &&
        answer["exist"].is_boolean()) {
      if (answer["exist"].get<bool>()) return Beat::Known;
      spdlog::info("controller {} does not know {}: registering again",
                   options_.controller.to_string(), worker_name_);
      return Beat::Unknown;
    }
    spdlog::warn("heartbeat of {} failed ({})", worker_name_,
                 describe_error_response(response.status, response.body));
  } catch (const std::exception& e) {
    spdlog::warn("heartbeat of {} failed ({})", worker_name_, e.what());
  }
  return Beat::Failed;
}

void ControllerRegistration::unregister() {
  try {
    http::ClientOptions client;
    // Shutdown should not wait on a dead controller: it expires us anyway.
    client.connect_timeout = client.read_timeout =
        std::min<std::chrono::milliseconds>(1s, options_.request_timeout);
    if (options_.auth_token)
      client.headers.emplace_back("Authorization", "Bearer " + *options_.auth_token);
    const auto response = http::post_json(options_.controller, "/unregister_worker",
                                          json{{"worker_name", worker_name_}}.dump(), client);
    if (response.status == 200) {
      spdlog::info("unregistered {} from controller {}", worker_name_,
                   options_.controller.to_string());
    } else {
      spdlog::warn("unregistering {} failed ({})", worker_name_,
                   describe_error_response(response.status, response.body));
    }
  } catch (const std::exception& e) {
    spdlog::warn("unregistering {} failed ({}); the controller will expire it", worker_name_,
                 e.what());
  }
}

bool ControllerRegistration::start() {
  {
    std::lock_guard lock(mutex_);
    if (started_) return registered_;
    started_ = true;
  }
  const bool ok = try_register();
  {
    std::lock_guard lock(mutex_);
    registered_ = ok;
    ever_registered_ = ok;
  }
  thread_ = std::thread([this] { run(); });
  return ok;
}

void ControllerRegistration::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (!registered_) {
      lock.unlock();
      const bool ok = try_register();
      lock.lock();
      registered_ = ok;
      ever_registered_ = ever_registered_ || ok;
      if (!ok) wake_.wait_for(lock, retry_interval_, [this] { return stopping_; });
      continue;
    }
    if (wake_.wait_for(lock, options_.heart_beat_interval, [this] { return stopping_; })) break;
    lock.unlock();
    const auto beat = send_heartbeat();
    lock.lock();
    // Unknown: the controller restarted or expired us. Failed: it may come back having lost
    // us; registering again (an overwrite when it had not) covers both.
    if (beat != Beat::Known) registered_ = false;
    if (beat == Beat::Failed) wake_.wait_for(lock, retry_interval_, [this] { return stopping_; });
  }
}

void ControllerRegistration::stop() {
  bool unregister_needed = false;
  {
    std::lock_guard lock(mutex_);
    if (!started_ || stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard lock(mutex_);
    unregister_needed = ever_registered_;
    registered_ = false;
  }
  if (unregister_needed) unregister();
}

bool ControllerRegistration::registered() const {
  std::lock_guard lock(mutex_);
  return registered_;
}

}  // namespace fastchat::registration
