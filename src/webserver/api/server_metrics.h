#pragma once
// fastchat-server's Prometheus metrics (GET /metrics): what clients experienced, as seen from
// the API server. HTTP-level series (requests by endpoint and status, in flight, 429s) come
// from instrument(), which wraps a route's handler; per-model latency and token series come
// from a RequestMetrics per generation request. Model labels are only ever created for models
// a worker actually answered for, so a client cannot grow the series by inventing names.

#include <string>

#include "common/http/router.h"
#include "common/metrics/metrics_registry.h"

namespace fastchat::api {

class ServerMetrics {
 public:
  ServerMetrics();
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  /// `handler`, counted: in flight while it runs, then one request under `endpoint` and the
  /// status the client got (the status of a rendered error when the handler throws, as the
  /// router renders it).
  http::Handler instrument(std::string endpoint, http::Handler handler);

  /// The series of one model, looked up once per request.
  struct ModelSeries {
    metrics::Histogram& time_to_first_token;
    metrics::Histogram& time_per_output_token;
    metrics::Histogram& e2e_latency;
    metrics::Counter& prompt_tokens;
    metrics::Counter& completion_tokens;
    metrics::Counter& client_disconnects;
  };
  ModelSeries model(const std::string& name);

  /// The whole exposition (Content-Type metrics::kContentType).
  std::string render() const { return registry_.render(); }

 private:
  void count_request(const std::string& endpoint, int status);

  metrics::MetricsRegistry registry_;
  metrics::HistogramFamily& time_to_first_token_;
  metrics::HistogramFamily& time_per_output_token_;
  metrics::HistogramFamily& e2e_latency_;
  metrics::CounterFamily& requests_;
  metrics::CounterFamily& rejected_;
  metrics::CounterFamily& prompt_tokens_;
  metrics::CounterFamily& completion_tokens_;
  metrics::CounterFamily& client_disconnects_;
  metrics::Gauge& in_flight_;
};

}  // namespace fastchat::api
