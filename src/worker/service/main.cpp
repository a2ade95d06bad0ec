// fastchat-worker: serves one model (FastChat's `python3 -m fastchat.serve.model_worker`):
// starts listening, loads the model with the engine, answers FastChat's worker protocol and the
// native stream, and then registers with the controller, sending heartbeats with its queue
// length.

#include <iostream>
#include <memory>

#include <spdlog/spdlog.h>

#include "common/error/error.h"
#include "common/http/graceful_shutdown.h"
#include "common/http/http_server.h"
#include "common/process/run_program.h"
#include "common/process/shutdown_signals.h"
#include "worker/engine/openmp_wait_policy.h"
#include "worker/registration/controller_registration.h"
#include "worker/service/worker_options.h"
#include "worker/service/worker_service.h"

namespace {

using namespace fastchat;

int serve(service::WorkerOptions& options) {
  process::block_shutdown_signals();
  http::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = static_cast<uint16_t>(options.port);
  server_options.max_body_bytes = options.max_body_bytes;
  // Generations stream for as long as they take; a stalled reader is dropped after this.
  server_options.write_timeout = std::chrono::seconds(60);
  service::finish_worker_options(options, options.port);
  // Declaration order is destruction order in reverse: the server stops (and its handlers
  // finish) before the model goes, and the service, whose metrics observe the engine, goes last.
  service::WorkerService service({options.model_names, options.limit_worker_concurrency});
  std::unique_ptr<engine::ModelInstance> model;
  http::HttpServer server(server_options, service.router());
  if (options.worker_address.empty()) {  // --port 0: the address needs the port the OS picked
    service::finish_worker_options(options, server.port());
  }
  // Listen before loading, so that a slow load reads as "live, not ready" (/health/live 200,
  // /health 503 "loading") instead of a refused connection.
  server.start();
  std::cout << "fastchat-worker listening on " << server.url() << std::endl;
  spdlog::info("advertised to the controller as {}", options.worker_address);

  // A load failure escapes as before: run_program prints it and the process exits non-zero.
  model = std::make_unique<engine::ModelInstance>(options.launch);
  model->engine().set_observer(&service.metrics());
  service.set_model(*model);
  spdlog::info("serving {} as {}", options.launch.model_path.string(),
               fmt::format("{}", fmt::join(options.model_names, ", ")));

  // Registered only once the model is ready: the controller must not route to a loading worker.
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
  // /health 503 and new generations refused, then off the controller, so that nobody is sent
  // here; the generations in flight finish (up to --drain-timeout) before the server stops.
  server.begin_drain();
  service.set_draining(true);
  if (registration) registration->stop();
  http::drain_and_stop(server, http::drain_timeout(options.drain_timeout_s));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  fastchat::engine::prefer_passive_openmp_wait(argv);
  CLI::App app{"fastchat-worker: serve one model to fastchat-server and FastChat clients"};
  service::WorkerOptions options;
  service::add_worker_flags(app, options);
  return process::run_program(app, argc, argv, "fastchat-worker", options.log_level,
                              [&] { return serve(options); });
}
