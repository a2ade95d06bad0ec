// fastchat-controller: FastChat's controller (python3 -m fastchat.serve.controller): the
// registry of model workers and the dispatcher that tells front-ends which one to call.

#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "common/error/error.h"
#include "common/http/http_server.h"
#include "common/process/shutdown_signals.h"
#include "controller/controller_options.h"
#include "controller/controller_service.h"
#include "controller/expiry_sweeper.h"

namespace {

using namespace fastchat;
using namespace fastchat::controller;

std::string url_host(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

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
  std::cout << "fastchat-controller listening on http://" << url_host(options.host) << ":"
            << server.port() << std::endl;

  spdlog::info("received {}, stopping", process::wait_for_shutdown_signal());
  sweeper.stop();
  server.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fastchat-controller: registry and dispatcher of FastChat model workers"};
  ControllerOptions options;
  add_controller_flags(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help is a "success" parse error; every real one is a usage error (exit 2).
    return app.exit(e) == 0 ? 0 : 2;
  }
  spdlog::set_level(spdlog::level::from_str(options.log_level));

  ServiceOptions service_options;
  try {
    service_options = make_service_options(options);
  } catch (const ErrorException& e) {
    std::cerr << "fastchat-controller: " << e.what() << "\n";
    return 2;
  }
  try {
    return serve(options, service_options);
  } catch (const ErrorException& e) {
    std::cerr << "fastchat-controller: " << e.what() << "\n";
    return 1;
  }
}
