// fastchat-controller: FastChat's controller (python3 -m fastchat.serve.controller): the
// registry of model workers and the dispatcher that tells front-ends which one to call.

#include <memory>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "common/error/error.h"
#include "common/http/http_server.h"
#include "common/process/run_program.h"
#include "common/process/run_service.h"
#include "controller/controller_options.h"
#include "controller/controller_service.h"
#include "controller/expiry_sweeper.h"

namespace {

using namespace fastchat;
using namespace fastchat::controller;

http::ServerOptions server_options(const ControllerOptions& options) {
  http::ServerOptions server;
  server.host = options.host;
  server.port = static_cast<uint16_t>(options.port);
  server.handler_threads = options.handler_threads;
  server.handler_queue = options.handler_queue;
  return server;
}

// The controller's components, in the order they are made (and destroyed in reverse: the
// sweeper and the server stop before the registry they use goes).
class Controller final : public process::ServerProgram {
 public:
  Controller(const ControllerOptions& options, const ServiceOptions& service_options)
      : policy_(make_dispatch_policy(options.dispatch_method)),
        service_(registry_, *policy_, service_options),
        server_(server_options(options), service_.make_router()),
        sweeper_(registry_, heart_beat_expiration(options)) {
    spdlog::info("dispatch: {}; heartbeat expiration: {} s; auth: {}; allowed worker hosts: {}",
                 policy_->name(), options.heart_beat_expiration_s,
                 service_options.auth_token ? "bearer token" : "off",
                 service_options.allowed_hosts.describe());
    if (!service_options.auth_token) {
      spdlog::warn("no --auth-token: any allowed host may register workers");
    }
  }

  http::HttpServer& server() override { return server_; }
  // Only /health changes (503 "draining"): the other routes keep answering so that workers can
  // still unregister during the drain.
  void on_drain() override { service_.set_draining(true); }
  void on_stopped() override { sweeper_.stop(); }

 private:
  WorkerRegistry registry_;
  std::unique_ptr<DispatchPolicy> policy_;
  ControllerService service_;
  http::HttpServer server_;
  ExpirySweeper sweeper_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fastchat-controller: registry and dispatcher of FastChat model workers"};
  ControllerOptions options;
  add_controller_flags(app, options);
  return process::run_program(app, argc, argv, "fastchat-controller", options.log_level, [&] {
    return process::run_service("fastchat-controller", options.drain_timeout_s, [&] {
      return std::make_unique<Controller>(options, make_service_options(options));
    });
  });
}
