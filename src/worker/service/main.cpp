// fastchat-worker: serves one model (FastChat's `python3 -m fastchat.serve.model_worker`):
// loads it with the engine, answers FastChat's worker protocol and the native stream, and
// registers with the controller, sending heartbeats with its queue length.

#include <iostream>

#include <spdlog/spdlog.h>

#include "common/error/error.h"
#include "common/http/http_server.h"
#include "common/process/run_program.h"
#include "common/process/shutdown_signals.h"
#include "worker/registration/controller_registration.h"
#include "worker/service/worker_options.h"
#include "worker/service/worker_service.h"

namespace {

using namespace fastchat;

int serve(service::WorkerOptions& options) {
  process::block_shutdown_signals();
  engine::ModelInstance model(options.launch);

  http::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = static_cast<uint16_t>(options.port);
  server_options.max_body_bytes = options.max_body_bytes;
  // Generations stream for as long as they take; a stalled reader is dropped after this.
  server_options.write_timeout = std::chrono::seconds(60);
  service::finish_worker_options(options, options.port);
  service::WorkerService service(model, {options.model_names, options.limit_worker_concurrency});
  http::HttpServer server(server_options, service.router());
  if (options.worker_address.empty()) {  // --port 0: the address needs the port the OS picked
    service::finish_worker_options(options, server.port());
  }
  server.start();
  std::cout << "fastchat-worker listening on " << server.url() << std::endl;
  spdlog::info("advertised to the controller as {}", options.worker_address);
  spdlog::info("serving {} as {}", options.launch.model_path.string(),
               fmt::format("{}", fmt::join(options.model_names, ", ")));

  std::unique_ptr<registration::ControllerRegistration> registration;
  if (!options.no_register) {
    registration::RegistrationOptions reg;
    reg.controller = http::Url::parse(options.controller_address, "--controller-address");
    reg.worker_address = options.worker_address;
    reg.model_names = options.model_names;
    reg.heart_beat_interval = std::chrono::milliseconds(
        static_cast<int64_t>(options.heart_beat_interval_s * 1000.0));
    if (!options.controller_token.empty()) reg.auth_token = options.controller_token;
    reg.queue_length = [&service] { return service.queue_length(); };
    registration = std::make_unique<registration::ControllerRegistration>(std::move(reg));
    registration->start();
  }

  spdlog::info("received {}, shutting down", process::wait_for_shutdown_signal());
  service.set_draining(true);
  if (registration) registration->stop();
  server.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fastchat-worker: serve one model to fastchat-server and FastChat clients"};
  service::WorkerOptions options;
  service::add_worker_flags(app, options);
  return process::run_program(app, argc, argv, "fastchat-worker", options.log_level,
                              [&] { return serve(options); });
}
