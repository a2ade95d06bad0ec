// fastchat-worker: serves one model (FastChat's `python3 -m fastchat.serve.model_worker`):
// starts listening, loads the model with the engine, answers FastChat's worker protocol and the
// native stream, and then registers with the controller, sending heartbeats with its queue
// length.

#include <memory>

#include <spdlog/spdlog.h>

#include "common/error/error.h"
#include "common/http/http_server.h"
#include "common/process/run_program.h"
#include "common/process/run_service.h"
#include "worker/engine/openmp_wait_policy.h"
#include "worker/registration/controller_registration.h"
#include "worker/service/worker_options.h"
#include "worker/service/worker_service.h"

namespace {

using namespace fastchat;

http::ServerOptions server_options(const service::WorkerOptions& options) {
  http::ServerOptions server;
  server.host = options.host;
  server.port = static_cast<uint16_t>(options.port);
  server.max_body_bytes = options.max_body_bytes;
  // Generations stream for as long as they take; a stalled reader is dropped after this.
  server.write_timeout = std::chrono::seconds(60);
  server.handler_threads = options.handler_threads;
  server.handler_queue = options.handler_queue;
  return server;
}

registration::RegistrationOptions registration_options(const service::WorkerOptions& options,
                                                       const service::WorkerService& service) {
  registration::RegistrationOptions reg;
  reg.controller = http::Url::parse(options.controller_address, "--controller-address");
  reg.worker_address = options.worker_address;
  reg.model_names = options.model_names;
  reg.heart_beat_interval =
      std::chrono::milliseconds(static_cast<int64_t>(options.heart_beat_interval_s * 1000.0));
  if (!options.controller_token.empty()) reg.auth_token = options.controller_token;
  reg.queue_length = [&service] { return service.queue_length(); };
  return reg;
}

// The worker listens before it loads its model, so that a slow load reads as "live, not ready"
// (/health/live 200, /health 503 "loading") instead of a refused connection; it registers with
// the controller only once the model is ready, and unregisters as soon as it drains.
class Worker final : public process::ServerProgram {
 public:
  explicit Worker(service::WorkerOptions& options)
      : options_(options),
        service_({options.model_names, options.limit_worker_concurrency}),
        server_(server_options(options), service_.router()) {
    if (options_.worker_address.empty()) {  // --port 0: the address needs the port the OS picked
      service::finish_worker_options(options_, server_.port());
    }
  }

  http::HttpServer& server() override { return server_; }

  void on_listening() override {
    spdlog::info("advertised to the controller as {}", options_.worker_address);
    // A load failure escapes: run_program prints it and the process exits non-zero.
    model_ = std::make_unique<engine::ModelInstance>(options_.launch);
    model_->engine().set_observer(&service_.metrics());
    service_.set_model(*model_);
    spdlog::info("serving {} as {}", options_.launch.model_path.string(),
                 fmt::format("{}", fmt::join(options_.model_names, ", ")));
    // Registered only once the model is ready: the controller must not route to a loading
    // worker.
    if (options_.no_register) return;
    registration_ = std::make_unique<registration::ControllerRegistration>(
        registration_options(options_, service_));
    registration_->start();
  }

  // /health 503 and new generations refused, then off the controller, so that nobody is sent
  // here; the generations in flight finish (up to --drain-timeout) before the server stops.
  void on_drain() override {
    service_.set_draining(true);
    if (registration_) registration_->stop();
  }

 private:
  service::WorkerOptions& options_;
  // Declaration order is destruction order in reverse: the server stops (and its handlers
  // finish) before the model goes, and the service, whose metrics observe the engine, goes last.
  service::WorkerService service_;
  std::unique_ptr<engine::ModelInstance> model_;
  http::HttpServer server_;
  std::unique_ptr<registration::ControllerRegistration> registration_;
};

}  // namespace

int main(int argc, char** argv) {
  fastchat::engine::prefer_passive_openmp_wait(argv);
  CLI::App app{"fastchat-worker: serve one model to fastchat-server and FastChat clients"};
  service::WorkerOptions options;
  service::add_worker_flags(app, options);
  return process::run_program(app, argc, argv, "fastchat-worker", options.log_level, [&] {
    service::finish_worker_options(options, options.port);
    return process::run_service("fastchat-worker", options.drain_timeout_s,
                                [&] { return std::make_unique<Worker>(options); });
  });
}
