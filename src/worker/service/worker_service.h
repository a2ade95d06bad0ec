#pragma once
// The worker's HTTP routes: FastChat's worker protocol (so FastChat's controller, API server
// and scripts can use this worker unchanged), the native delta stream fastchat-server uses,
// health probes and Prometheus metrics. Generation handlers run on the server's handler pool
// (common/http/handler_pool.h) and only wait on the engine; the engine thread does all model
// work.
//
// The service exists before its model: fastchat-worker starts listening first and loads the
// model after, so that "the process is up" (/health/live) and "the model is ready" (/health)
// can be told apart while a large model loads. Until set_model(), the routes that need the
// model refuse with Unavailable.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/http/router.h"
#include "worker/engine/model_instance.h"
#include "worker/service/admission.h"
#include "worker/service/worker_metrics.h"

namespace fastchat::service {

struct WorkerIdentity {
  std::vector<std::string> model_names;
  int32_t limit_concurrency = 1024;
  /// /health reports "engine not answering" once one engine step has run longer than this
  /// (a wedged device or a dead engine thread).
  std::chrono::steady_clock::duration engine_stall_limit = std::chrono::seconds(30);
};

class WorkerService {
 public:
  /// Loading: /health/live and /metrics answer; /health and the model's routes answer 503.
  explicit WorkerService(WorkerIdentity identity);
  /// Ready at once (tests, and programs that load before they serve).
  WorkerService(engine::ModelInstance& model, WorkerIdentity identity);

  /// The model is loaded: the routes serve it and /metrics reads its engine's totals. The model
  /// must outlive every use of the router. This does not make metrics() the engine's observer,
  /// because the observer must then outlive the engine: the owner of both does that.
  void set_model(engine::ModelInstance& model);
  bool model_loaded() const { return model_.load() != nullptr; }

  /// The routing table; the service must outlive the server using it.
  std::shared_ptr<http::Router> router();

  /// FastChat's queue_length: generations admitted and not finished.
  int32_t queue_length() const { return admission_.in_flight(); }
  const WorkerIdentity& identity() const { return identity_; }
  /// After this, /health answers 503 and new generations are refused (draining).
  void set_draining(bool draining) { draining_ = draining; }
  /// The engine observer behind the per-request histograms (see set_model()).
  WorkerMetrics& metrics() { return metrics_; }

 private:
  void generate_stream(const http::Request& request, http::Responder& out);
  void generate(const http::Request& request, http::Responder& out);
  void native_generate(const http::Request& request, http::Responder& out);
  void get_status(const http::Request& request, http::Responder& out);
  void count_token(const http::Request& request, http::Responder& out);
  void get_embeddings(const http::Request& request, http::Responder& out);
  void conv_template(const http::Request& request, http::Responder& out);
  void model_details(const http::Request& request, http::Responder& out);
  void health(const http::Request& request, http::Responder& out);
  void live(const http::Request& request, http::Responder& out);
  void metrics_page(const http::Request& request, http::Responder& out);
  /// The model, or ErrorException{Unavailable} while it loads.
  engine::ModelInstance& loaded_model() const;
  /// As loaded_model(), and also refused while draining: for new generations.
  engine::ModelInstance& serving_model() const;

  std::atomic<engine::ModelInstance*> model_{nullptr};
  WorkerIdentity identity_;
  Admission admission_;
  WorkerMetrics metrics_;
  std::atomic<bool> draining_{false};
};

}  // namespace fastchat::service
