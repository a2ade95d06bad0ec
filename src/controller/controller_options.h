#pragma once
// fastchat-controller's flags (FastChat's controller.py flags plus the security ones), their
// environment fallbacks, and the checks that turn them into service settings.

#include <chrono>
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "common/http/http_server.h"
#include "controller/controller_service.h"

namespace fastchat::controller {

struct ControllerOptions {
  std::string host = "127.0.0.1";  // FastChat binds "localhost"; one address is clearer
  int port = 21001;
  std::string dispatch_method = "shortest_queue";
  double heart_beat_expiration_s = 90.0;
  std::string auth_token;            ///< empty: no authentication
  std::string allowed_worker_hosts;  ///< empty: loopback plus --host
  /// --drain-timeout: seconds a SIGINT/SIGTERM lets requests in flight finish.
  double drain_timeout_s = 30.0;
  /// --handler-threads / --handler-queue: the server's threads for blocking routes (streams
  /// hold one each until their end) and the requests that may wait for one.
  size_t handler_threads = http::kDefaultHandlerThreads;
  size_t handler_queue = http::kDefaultHandlerQueue;
  std::string log_level = "info";
};

/// Adds every flag (and --config) to `app`; CLI11 checks each value when parsing.
void add_controller_flags(CLI::App& app, ControllerOptions& options);

/// The service's settings; throws ErrorException{InvalidConfig} naming the flag.
ServiceOptions make_service_options(const ControllerOptions& options);

std::chrono::milliseconds heart_beat_expiration(const ControllerOptions& options);

}  // namespace fastchat::controller
