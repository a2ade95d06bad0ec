#pragma once
// fastchat-worker's flags (FastChat's model_worker flags where they exist), readable from the
// command line or a TOML file given with --config.

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/http/http_server.h"
#include "worker/engine/model_instance.h"

namespace fastchat::service {

struct WorkerOptions {
  engine::LaunchOptions launch;
  std::string host = "127.0.0.1";
  int port = 21002;
  /// How the controller and fastchat-server reach this worker; default http://HOST:PORT.
  std::string worker_address;
  std::string controller_address = "http://127.0.0.1:21001";
  /// Names clients use; default: the model folder's name (FastChat's rule).
  std::vector<std::string> model_names;
  int limit_worker_concurrency = 1024;
  double heart_beat_interval_s = 45.0;
  std::string controller_token;  ///< also FASTCHAT_CONTROLLER_TOKEN
  bool no_register = false;
  /// --no-prefix-cache: sets launch.engine.enable_prefix_caching = false (finish_worker_options).
  bool no_prefix_cache = false;
  size_t max_body_bytes = 8u << 20;
  /// --handler-threads / --handler-queue: the server's threads for blocking routes (streams
  /// hold one each until their end) and the requests that may wait for one.
  size_t handler_threads = http::kDefaultHandlerThreads;
  size_t handler_queue = http::kDefaultHandlerQueue;
  /// --drain-timeout: seconds a SIGINT/SIGTERM lets generations in flight finish.
  double drain_timeout_s = 30.0;
  std::string log_level = "info";
};

void add_worker_flags(CLI::App& app, WorkerOptions& options);

/// Defaults that depend on other flags (model names, worker address once the port is known)
/// and cross-flag checks; throws ErrorException{InvalidConfig} naming the flag.
void finish_worker_options(WorkerOptions& options, int bound_port);

}  // namespace fastchat::service
