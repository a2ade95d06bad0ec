#pragma once
// fastchat-server's flags (FastChat's openai_api_server flags where they exist), from the
// command line or a TOML file given with --config.

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/http/http_server.h"

namespace fastchat::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8000;
  std::string controller_address = "http://127.0.0.1:21001";
  std::vector<std::string> api_keys;  ///< also FASTCHAT_API_KEYS (comma-separated)
  double worker_timeout_s = 600.0;
  size_t max_body_bytes = 8u << 20;
  size_t max_connections = 1024;
  /// --handler-threads / --handler-queue: the server's threads for blocking routes (streams
  /// hold one each until their end) and the requests that may wait for one.
  size_t handler_threads = http::kDefaultHandlerThreads;
  size_t handler_queue = http::kDefaultHandlerQueue;
  /// --drain-timeout: seconds a SIGINT/SIGTERM lets requests in flight (streams) finish.
  double drain_timeout_s = 30.0;
  /// --controller-outage-grace: while the controller cannot be reached, routes it gave up to
  /// this many seconds ago keep serving; 0: an unreachable controller is a 503 at once.
  double controller_outage_grace_s = 60.0;
  /// --write-timeout: seconds a client may leave a response (a stream chunk) unread before the
  /// server gives up on it and cancels the generation behind it.
  double write_timeout_s = 60.0;
  std::string log_level = "info";
};

void add_server_flags(CLI::App& app, ServerOptions& options);

/// Environment fallbacks and cross-flag checks; throws ErrorException{InvalidConfig}.
void finish_server_options(ServerOptions& options);

}  // namespace fastchat::api
