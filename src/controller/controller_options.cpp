#include "controller/controller_options.h"

#include <cmath>

#include "common/process/run_program.h"
#include "common/process/run_service.h"

namespace fastchat::controller {

void add_controller_flags(CLI::App& app, ControllerOptions& options) {
  app.set_config("--config", "", "TOML file of flag values (key = value, e.g. port = 21001)");
  app.add_option("--host", options.host, "Address to listen on")
      ->check(
          [](const std::string& s) { return s.empty() ? std::string("must not be empty") : ""; })
      ->capture_default_str();
  app.add_option("--port", options.port, "Port to listen on (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option("--dispatch-method", options.dispatch_method,
                 "How to choose among a model's workers")
      ->check(CLI::IsMember({"shortest_queue", "lottery"}))
      ->capture_default_str();
  app.add_option("--heart-beat-expiration", options.heart_beat_expiration_s,
                 "Seconds without a heartbeat after which a worker is removed (fractions allowed)")
      ->envname("FASTCHAT_CONTROLLER_HEART_BEAT_EXPIRATION")
      ->check(CLI::Range(0.05, 31536000.0))
      ->capture_default_str();
  app.add_option("--auth-token", options.auth_token,
                 "Shared secret workers must send as 'Authorization: Bearer <token>' to "
                 "register, heartbeat, unregister or refresh")
      ->envname("FASTCHAT_CONTROLLER_TOKEN")
      ->check([](const std::string& s) {
        return s.empty() ? std::string("must not be empty (omit it to turn auth off)") : "";
      });
  app.add_option("--allowed-worker-hosts", options.allowed_worker_hosts,
                 "Comma list of host names, addresses and CIDR blocks workers may register "
                 "from, or * for any (default: localhost, 127.0.0.0/8, ::1 and --host)")
      ->check([](const std::string& s) -> std::string {
        try {
          HostAllowlist::parse(s);
          return "";
        } catch (const ErrorException& e) {
          return e.error().message;
        }
      });
  process::add_handler_flags(app, options.handler_threads, options.handler_queue);
  process::add_drain_timeout_flag(app, options.drain_timeout_s);
  app.add_option("--log-level", options.log_level, "trace|debug|info|warn|error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
}

ServiceOptions make_service_options(const ControllerOptions& options) {
  ServiceOptions service;
  if (!options.auth_token.empty()) service.auth_token = options.auth_token;
  service.allowed_hosts = options.allowed_worker_hosts.empty()
                              ? HostAllowlist::loopback_and(options.host)
                              : HostAllowlist::parse(options.allowed_worker_hosts);
  return service;
}

std::chrono::milliseconds heart_beat_expiration(const ControllerOptions& options) {
  return std::chrono::milliseconds(
      static_cast<int64_t>(std::llround(options.heart_beat_expiration_s * 1000.0)));
}

}  // namespace fastchat::controller
