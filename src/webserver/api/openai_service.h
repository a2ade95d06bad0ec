#pragma once
// fastchat-server's routes: the OpenAI API (/v1/models, /v1/models/{model},
// /v1/chat/completions, /v1/completions, /v1/embeddings and FastChat's legacy
// /v1/engines/{model}/embeddings), FastChat's own /api/v1/chat/completions and
// /api/v1/token_check (behind the same key check, unlike FastChat), /health and Prometheus'
// /metrics. Requests are validated into typed structs
// (openai/), turned into worker generations (ChoiceRunner over the WorkerPool) and answered as
// one JSON body or as server-sent events. Every error leaves in OpenAI's envelope with its
// status.

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "common/http/router.h"
#include "protocol/openai/chat_request.h"
#include "webserver/api/choice_runner.h"
#include "webserver/api/server_metrics.h"
#include "webserver/upstream/controller_client.h"
#include "webserver/upstream/worker_pool.h"

namespace fastchat::api {

struct ApiOptions {
  /// Accepted bearer keys; empty: no authentication.
  std::vector<std::string> api_keys;
};

class OpenAiService {
 public:
  OpenAiService(upstream::ControllerClient& controller, upstream::WorkerPool& pool,
                ApiOptions options);

  std::shared_ptr<http::Router> router();
  ServerMetrics& metrics() { return metrics_; }
  /// Shutting down: /health answers 503 and new /v1 requests are refused with 503 in OpenAI's
  /// error shape; requests already running (streams) go on. Any thread.
  void set_draining(bool draining) { draining_ = draining; }

 private:
  void list_models(const http::Request& request, http::Responder& out);
  void retrieve_model(const http::Request& request, http::Responder& out);
  void chat_completions(const http::Request& request, http::Responder& out,
                        openai::ChatDialect dialect);
  void token_check(const http::Request& request, http::Responder& out);
  void embeddings(const http::Request& request, http::Responder& out);
  void completions(const http::Request& request, http::Responder& out);
  void health(const http::Request& request, http::Responder& out);
  void metrics_page(const http::Request& request, http::Responder& out);
  void authenticate(const http::Request& request) const;
  /// Throws ErrorException{Unavailable} while draining.
  void refuse_if_draining() const;

  upstream::ControllerClient& controller_;
  upstream::WorkerPool& pool_;
  ApiOptions options_;
  ServerMetrics metrics_;
  std::atomic<bool> draining_{false};
};

}  // namespace fastchat::api
