#pragma once
// The worker's HTTP routes: FastChat's worker protocol (so FastChat's controller, API server
// and scripts can use this worker unchanged) and the native delta stream fastchat-server uses.
// Generation handlers run on their own threads and only wait on the engine; the engine thread
// does all model work.

#include <memory>
#include <string>
#include <vector>

#include "common/http/router.h"
#include "worker/engine/model_instance.h"
#include "worker/service/admission.h"

namespace fastchat::service {

struct WorkerIdentity {
  std::vector<std::string> model_names;
  int32_t limit_concurrency = 1024;
};

class WorkerService {
 public:
  WorkerService(engine::ModelInstance& model, WorkerIdentity identity);

  /// The routing table; the service must outlive the server using it.
  std::shared_ptr<http::Router> router();

  /// FastChat's queue_length: generations admitted and not finished.
  int32_t queue_length() const { return admission_.in_flight(); }
  const WorkerIdentity& identity() const { return identity_; }
  /// After this, /health answers 503 and new generations are refused (draining).
  void set_draining(bool draining) { draining_ = draining; }

 private:
  void generate_stream(const http::Request& request, http::Responder& out);
  void generate(const http::Request& request, http::Responder& out);
  void native_generate(const http::Request& request, http::Responder& out);
  void get_status(const http::Request& request, http::Responder& out);
  void count_token(const http::Request& request, http::Responder& out);
  void conv_template(const http::Request& request, http::Responder& out);
  void model_details(const http::Request& request, http::Responder& out);
  void health(const http::Request& request, http::Responder& out);
  void refuse_if_draining() const;

  engine::ModelInstance& model_;
  WorkerIdentity identity_;
  Admission admission_;
  std::atomic<bool> draining_{false};
};

}  // namespace fastchat::service
