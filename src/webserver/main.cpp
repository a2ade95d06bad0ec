// fastchat-server: the OpenAI-compatible API (FastChat's `python3 -m
// fastchat.serve.openai_api_server`): asks the controller where a model lives and relays the
// worker's generation as OpenAI answers.

#include <iostream>

#include <spdlog/spdlog.h>

#include "common/error/error.h"
#include "common/http/graceful_shutdown.h"
#include "common/http/http_server.h"
#include "common/process/run_program.h"
#include "common/process/shutdown_signals.h"
#include "webserver/api/openai_service.h"
#include "webserver/api/server_options.h"

namespace {

using namespace fastchat;

std::chrono::milliseconds to_milliseconds(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000.0));
}

int serve(const api::ServerOptions& options) {
  process::block_shutdown_signals();
  http::ClientOptions controller_calls;
  controller_calls.connect_timeout = std::chrono::seconds(3);
  controller_calls.read_timeout = std::chrono::seconds(10);
  upstream::ControllerClientOptions outage;
  outage.outage_grace = to_milliseconds(options.controller_outage_grace_s);
  upstream::ControllerClient controller(
      http::Url::parse(options.controller_address, "--controller-address"), controller_calls,
      outage);
  upstream::WorkerPoolOptions pool_options;
  pool_options.worker_read_timeout = to_milliseconds(options.worker_timeout_s);
  upstream::WorkerPool pool(controller, pool_options);
  api::OpenAiService service(controller, pool, {options.api_keys});

  http::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = static_cast<uint16_t>(options.port);
  server_options.max_body_bytes = options.max_body_bytes;
  server_options.max_connections = options.max_connections;
  server_options.write_timeout = to_milliseconds(options.write_timeout_s);
  http::HttpServer server(server_options, service.router());
  server.start();
  std::cout << "fastchat-server listening on " << server.url() << std::endl;
  spdlog::info("controller {} (outage grace {} s); API keys: {}", options.controller_address,
               options.controller_outage_grace_s,
               options.api_keys.empty() ? "off (open)" : std::to_string(options.api_keys.size()));
  spdlog::info("received {}, shutting down", process::wait_for_shutdown_signal());
  server.begin_drain();
  service.set_draining(true);
  http::drain_and_stop(server, http::drain_timeout(options.drain_timeout_s));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fastchat-server: OpenAI-compatible API in front of fastchat workers"};
  api::ServerOptions options;
  api::add_server_flags(app, options);
  return process::run_program(app, argc, argv, "fastchat-server", options.log_level, [&] {
    api::finish_server_options(options);
    return serve(options);
  });
}
