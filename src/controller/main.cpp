// fastchat-controller: FastChat's controller (python3 -m fastchat.serve.controller): the
// registry of model workers and the dispatcher that tells front-ends which one to call.

#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "common/error/error.h"
#include "common/http/graceful_shutdown.h"
#include "common/http/http_server.h"
#include "common/process/run_program.h"
#include "common/process/shutdown_signals.h"
#include "controller/controller_options.h"
#include "controller/controller_service.h"
#include "controller/expiry_sweeper.h"

namespace {

using namespace fastchat;
using namespace fastchat::controller;

int serve(const ControllerOptions& options, const ServiceOptions& service_options) {
  // Before any thread starts, so that the signal reaches the wait below and no server thread.
  process::block_shutdown_signals();

  WorkerRegistry registry;
  auto policy = make_dispatch_policy(options.dispatch_method);
  ControllerService service(registry, *policy, service_options);
  http::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = static_cast<uint16_t>(options.port);
  http::HttpServer server(server_options, service.make_router());
  server.start();
  const auto expiry = heart_beat_expiration(options);
  ExpirySweeper sweeper(registry, expiry);

  spdlog::info("dispatch: {}; heartbeat expiration: {} s; auth: {}; allowed worker hosts: {}",
               policy->name(), options.heart_beat_expiration_s,
               service_options.auth_token ? "bearer token" : "off",
               service_options.allowed_hosts.describe());
  if (!service_options.auth_token) {
    spdlog::warn("no --auth-token: any allowed host may register workers");
  }
  std::cout << "fastchat-controller listening on " << server.url() << std::endl;

  spdlog::info("received {}, shutting down", process::wait_for_shutdown_signal());
  server.begin_drain();
  service.set_draining(true);
  http::drain_and_stop(server, http::drain_timeout(options.drain_timeout_s));
  sweeper.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fastchat-controller: registry and dispatcher of FastChat model workers"};
  ControllerOptions options;
  add_controller_flags(app, options);
  return process::run_program(app, argc, argv, "fastchat-controller", options.log_level,
                              [&] { return serve(options, make_service_options(options)); });
}
