#pragma once
// A worker's membership in a controller (FastChat's base_model_worker registration): register,
// heartbeat every interval, re-register when the controller forgot us (restart, expiry) or was
// unreachable, and unregister on shutdown. Unlike FastChat, an absent controller never stops
// the worker: registration keeps retrying in the background.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/http/url.h"

namespace fastchat::registration {

/// FASTCHAT_WORKER_HEART_BEAT_INTERVAL (seconds, fractions allowed) or FastChat's 45 s.
std::chrono::milliseconds default_heart_beat_interval();

struct RegistrationOptions {
  http::Url controller;
  std::string worker_address;  ///< this worker's base URL, as the controller should call it
  std::vector<std::string> model_names;
  int speed = 1;
  bool multimodal = false;
  std::chrono::milliseconds heart_beat_interval = default_heart_beat_interval();
  /// Wait between attempts while the controller is unreachable; 0: min(5 s, the interval).
  std::chrono::milliseconds retry_interval{0};
  /// Connect and read timeout of register and heartbeat calls (FastChat: 5 s).
  std::chrono::milliseconds request_timeout{std::chrono::seconds(5)};
  /// Sent as "Authorization: Bearer <token>" when set (the controller's --auth-token).
  std::optional<std::string> auth_token;
  /// In-flight plus waiting requests, reported with every heartbeat; null reports 0. Called on
  /// the heartbeat thread, so it must be safe to call from there.
  std::function<int()> queue_length;
};

class ControllerRegistration {
 public:
  /// Checks the options; throws ErrorException{InvalidConfig} naming the bad one.
  explicit ControllerRegistration(RegistrationOptions options);
  ~ControllerRegistration();  ///< stop()
  ControllerRegistration(const ControllerRegistration&) = delete;
  ControllerRegistration& operator=(const ControllerRegistration&) = delete;

  /// Registers once now (so the usual case is done when this returns) and starts the
  /// heartbeat thread, which keeps retrying if that failed. Returns whether it registered.
  bool start();
  /// Stops the thread (promptly, unless a call to the controller is in flight: at most the
  /// request timeout), then unregisters, best effort with a short timeout. Idempotent.
  void stop();

  bool registered() const;
  /// The canonical worker name the controller knows us by.
  const std::string& worker_name() const { return worker_name_; }

 private:
  enum class Beat { Known, Unknown, Failed };

  bool try_register();
  Beat send_heartbeat();
  void unregister();
  void run();
  int current_queue_length() const;

  RegistrationOptions options_;
  std::string worker_name_;
  std::chrono::milliseconds retry_interval_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool started_ = false;
  bool stopping_ = false;
  bool registered_ = false;
  bool ever_registered_ = false;
  std::thread thread_;
};

}  // namespace fastchat::registration
