#include "webserver/api/server_options.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "common/error/error.h"
#include "common/http/url.h"
#include "common/process/run_program.h"
#include "common/process/run_service.h"

namespace fastchat::api {

void add_server_flags(CLI::App& app, ServerOptions& options) {
  app.set_config("--config", "", "TOML file with any of these options (flag names without --)");
  app.add_option("--host", options.host, "Address to listen on")->capture_default_str();
  app.add_option("--port", options.port, "Port to listen on (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option("--controller-address", options.controller_address, "Controller URL")
      ->capture_default_str();
  app.add_option("--api-keys", options.api_keys,
                 "Comma-separated keys clients must send as 'Authorization: Bearer <key>' "
                 "(or FASTCHAT_API_KEYS); none: open")
      ->delimiter(',');
  app.add_option("--worker-timeout", options.worker_timeout_s,
                 "Seconds a worker may stay silent during a generation")
      ->check(CLI::Range(0.1, 86400.0))
      ->capture_default_str();
  app.add_option("--max-body-bytes", options.max_body_bytes, "Largest request body accepted")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 30))
      ->capture_default_str();
  app.add_option("--max-connections", options.max_connections, "Most open client connections")
      ->check(CLI::Range(size_t{1}, size_t{1} << 20))
      ->capture_default_str();
  app.add_option("--write-timeout", options.write_timeout_s,
                 "Seconds a client may leave the response unread (a stalled stream) before the "
                 "server drops it and cancels its generation")
      ->check(CLI::Range(0.1, 86400.0))
      ->capture_default_str();
  app.add_option("--controller-outage-grace", options.controller_outage_grace_s,
                 "While the controller cannot be reached, keep routing with what it answered up "
                 "to this many seconds before; 0: answer 503 at once")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  process::add_handler_flags(app, options.handler_threads, options.handler_queue);
  process::add_drain_timeout_flag(app, options.drain_timeout_s);
  app.add_option("--log-level", options.log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
}

void finish_server_options(ServerOptions& options) {
  http::Url::parse(options.controller_address, "--controller-address");
  // CLI::Range lets "nan" through (every comparison with it is false).
  if (!std::isfinite(options.write_timeout_s)) {
    throw_error(ErrorCode::InvalidConfig, "--write-timeout must be a number of seconds",
                "write-timeout");
  }
  if (!std::isfinite(options.controller_outage_grace_s)) {
    throw_error(ErrorCode::InvalidConfig, "--controller-outage-grace must be a number of seconds",
                "controller-outage-grace");
  }
  if (options.api_keys.empty()) {
    if (const char* env = std::getenv("FASTCHAT_API_KEYS")) {
      std::stringstream keys(env);
      for (std::string key; std::getline(keys, key, ',');) {
        if (!key.empty()) options.api_keys.push_back(key);
      }
    }
  }
  for (const auto& key : options.api_keys) {
    if (key.empty())
      throw_error(ErrorCode::InvalidConfig, "--api-keys must not contain an empty key", "api-keys");
  }
}

}  // namespace fastchat::api
