#include "worker/service/worker_options.h"

#include <cstdlib>

#include "common/error/error.h"
#include "common/http/url.h"
#include "common/process/run_program.h"
#include "common/process/run_service.h"
#include "worker/engine/launch_flags.h"
#include "worker/registration/controller_registration.h"

namespace fastchat::service {

void add_worker_flags(CLI::App& app, WorkerOptions& options) {
  app.set_config("--config", "", "TOML file with any of these options (flag names without --)");
  engine::add_launch_flags(app, options.launch);
  app.get_option("--model-path")->required();
  app.add_option("--host", options.host, "Address to listen on")->capture_default_str();
  app.add_option("--port", options.port, "Port to listen on (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option(
      "--worker-address", options.worker_address,
      "URL the controller and API server use to reach this worker (default http://HOST:PORT)");
  app.add_option("--controller-address", options.controller_address, "Controller URL")
      ->capture_default_str();
  app.add_option("--model-names", options.model_names,
                 "Comma-separated names to serve the model as (default: the model folder's name)")
      ->delimiter(',');
  app.add_option("--limit-worker-concurrency", options.limit_worker_concurrency,
                 "Most generations in flight; more are refused with 'overloaded'")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  options.heart_beat_interval_s = registration::default_heart_beat_interval().count() / 1000.0;
  app.add_option(
         "--heart-beat-interval", options.heart_beat_interval_s,
         "Seconds between heartbeats to the controller (or FASTCHAT_WORKER_HEART_BEAT_INTERVAL)")
      ->check(CLI::Range(0.05, 86400.0))
      ->capture_default_str();
  app.add_option("--controller-token", options.controller_token,
                 "Bearer token the controller requires (or FASTCHAT_CONTROLLER_TOKEN)");
  app.add_flag("--no-register", options.no_register, "Do not register with a controller");
  app.add_flag("--no-prefix-cache", options.no_prefix_cache,
               "Do not keep KV blocks of finished requests for reuse by later requests that share "
               "a prompt prefix");
  app.add_option("--max-body-bytes", options.max_body_bytes, "Largest request body accepted")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 30))
      ->capture_default_str();
  process::add_handler_flags(app, options.handler_threads, options.handler_queue);
  process::add_drain_timeout_flag(app, options.drain_timeout_s);
  app.add_option("--log-level", options.log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
}

void finish_worker_options(WorkerOptions& options, int bound_port) {
  http::Url::parse(options.controller_address, "--controller-address");
  if (options.no_prefix_cache) options.launch.engine.enable_prefix_caching = false;
  if (options.controller_token.empty()) {
    if (const char* token = std::getenv("FASTCHAT_CONTROLLER_TOKEN"))
      options.controller_token = token;
  }
  if (options.model_names.empty()) {
    auto path = options.launch.model_path.lexically_normal();
    if (!path.has_filename()) path = path.parent_path();
    options.model_names = {path.filename().string()};
  }
  for (const auto& name : options.model_names) {
    if (name.empty()) {
      throw_error(ErrorCode::InvalidConfig, "--model-names must not contain an empty name",
                  "model-names");
    }
  }
  if (options.worker_address.empty() && bound_port == 0) return;  // called again once bound
  if (options.worker_address.empty()) {
    bool ipv6 = options.host.find(':') != std::string::npos;
    std::string host = options.host == "0.0.0.0" ? "127.0.0.1" : options.host;
    options.worker_address =
        "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(bound_port);
  }
  options.worker_address = http::Url::parse(options.worker_address, "--worker-address").to_string();
}

}  // namespace fastchat::service
