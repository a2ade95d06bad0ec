// fastchat-server: the OpenAI-compatible API (FastChat's `python3 -m
// fastchat.serve.openai_api_server`): asks the controller where a model lives and relays the
// worker's generation as OpenAI answers.

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "common/error/error.h"
#include "common/http/http_server.h"
#include "common/process/run_program.h"
#include "common/process/run_service.h"
#include "webserver/api/openai_service.h"
#include "webserver/api/server_options.h"

namespace {

using namespace fastchat;

std::chrono::milliseconds to_milliseconds(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000.0));
}

http::ClientOptions controller_calls() {
  http::ClientOptions calls;
  calls.connect_timeout = std::chrono::seconds(3);
  calls.read_timeout = std::chrono::seconds(10);
  return calls;
}

upstream::ControllerClientOptions outage_options(const api::ServerOptions& options) {
  upstream::ControllerClientOptions outage;
  outage.outage_grace = to_milliseconds(options.controller_outage_grace_s);
  return outage;
}

upstream::WorkerPoolOptions pool_options(const api::ServerOptions& options) {
  upstream::WorkerPoolOptions pool;
  pool.worker_read_timeout = to_milliseconds(options.worker_timeout_s);
  return pool;
}

http::ServerOptions server_options(const api::ServerOptions& options) {
  http::ServerOptions server;
  server.host = options.host;
  server.port = static_cast<uint16_t>(options.port);
  server.max_body_bytes = options.max_body_bytes;
  server.max_connections = options.max_connections;
  server.write_timeout = to_milliseconds(options.write_timeout_s);
  server.handler_threads = options.handler_threads;
  server.handler_queue = options.handler_queue;
  return server;
}

// The API server's components, in the order they are made (and destroyed in reverse: the
// server stops before the service, worker pool and controller client its handlers use).
class ApiServer final : public process::ServerProgram {
 public:
  explicit ApiServer(const api::ServerOptions& options)
      : options_(options),
        controller_(http::Url::parse(options.controller_address, "--controller-address"),
                    controller_calls(), outage_options(options)),
        pool_(controller_, pool_options(options)),
        service_(controller_, pool_, {options.api_keys}),
        server_(server_options(options), service_.router()) {}

  http::HttpServer& server() override { return server_; }
  void on_listening() override {
    spdlog::info(
        "controller {} (outage grace {} s); API keys: {}", options_.controller_address,
        options_.controller_outage_grace_s,
        options_.api_keys.empty() ? "off (open)" : std::to_string(options_.api_keys.size()));
  }
  void on_drain() override { service_.set_draining(true); }

 private:
  const api::ServerOptions& options_;
  upstream::ControllerClient controller_;
  upstream::WorkerPool pool_;
  api::OpenAiService service_;
  http::HttpServer server_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fastchat-server: OpenAI-compatible API in front of fastchat workers"};
  api::ServerOptions options;
  api::add_server_flags(app, options);
  return process::run_program(app, argc, argv, "fastchat-server", options.log_level, [&] {
    api::finish_server_options(options);
    return process::run_service("fastchat-server", options.drain_timeout_s,
                                [&] { return std::make_unique<ApiServer>(options); });
  });
}
