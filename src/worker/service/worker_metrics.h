#pragma once
// The worker's Prometheus metrics (GET /metrics). Per-request distributions come from the
// engine as each request ends (this class is the engine's observer: one histogram observation
// per value, on the engine thread); totals and queue sizes the engine already keeps are read
// from Engine::stats() when scraped, so the engine loop does no extra work for them. Every
// series carries model="<first model name>", so workers of several models can share one
// Prometheus job. Names are listed in README.md ("Metrics").

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "common/metrics/metrics_registry.h"
#include "worker/engine/engine.h"
#include "worker/engine/engine_observer.h"

namespace fastchat::service {

class WorkerMetrics : public engine::EngineObserver {
 public:
  using StatsSource = std::function<engine::EngineStats()>;
  using CountSource = std::function<int64_t()>;

  explicit WorkerMetrics(std::string model_name);

  /// Engine thread: one call per request as it ends.
  void on_request_finished(const engine::RequestRecord& record) override;

  /// Where scrape-time engine values come from, once the model is loaded. Until then the
  /// engine-derived series are left out of the scrape (there is no engine to report on).
  void set_stats_source(StatsSource source);
  /// Requests the worker itself refused (--limit-worker-concurrency), added to the engine's
  /// queue-full refusals in the rejected-requests counter.
  void set_refusal_source(CountSource source);

  /// The whole exposition, for GET /metrics (Content-Type metrics::kContentType).
  std::string render() const { return registry_.render(); }
  metrics::MetricsRegistry& registry() { return registry_; }
  const std::string& model_name() const { return model_; }

 private:
  /// A copy of the current sources, taken under the lock so a scrape never races a setter.
  std::optional<engine::EngineStats> engine_stats() const;
  int64_t refusals() const;
  void add_collected_families();

  const std::string model_;
  metrics::MetricsRegistry registry_;
  metrics::Histogram& time_to_first_token_;
  metrics::Histogram& time_per_output_token_;
  metrics::Histogram& e2e_latency_;
  metrics::Histogram& queue_time_;
  metrics::CounterFamily& finished_;
  /// finished_'s series by FinishReason, looked up once: the engine thread takes no lock.
  std::array<metrics::Counter*, 5> finished_by_reason_{};

  mutable std::mutex sources_mutex_;
  StatsSource stats_source_;
  CountSource refusal_source_;
};

}  // namespace fastchat::service
