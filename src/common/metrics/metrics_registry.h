#pragma once
// The set of metric families one process exposes on GET /metrics. Families are added at
// startup and never removed; the references returned stay valid for the registry's lifetime,
// so callers look their series up once and update them lock-free afterwards.
//
//   MetricsRegistry registry;
//   auto& tokens = registry.counter("fastchat_server_prompt_tokens_total", "Prompt tokens.",
//                                   {"model"});
//   tokens.labels({"stories260K"}).inc(12);
//   std::string body = registry.render();  // Content-Type: metrics::kContentType

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/metrics/collected_family.h"
#include "common/metrics/counter.h"
#include "common/metrics/gauge.h"
#include "common/metrics/histogram.h"

namespace fastchat::metrics {

class MetricsRegistry {
 public:
  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // Each throws std::invalid_argument for a malformed or already registered name.
  CounterFamily& counter(std::string name, std::string help,
                         std::vector<std::string> label_names = {});
  GaugeFamily& gauge(std::string name, std::string help, std::vector<std::string> label_names = {});
  HistogramFamily& histogram(std::string name, std::string help,
                             std::vector<std::string> label_names, std::vector<double> buckets);
  CollectedFamily& collected(std::string name, std::string help, MetricType type,
                             std::vector<std::string> label_names,
                             CollectedFamily::Collect collect);

  /// Every family with at least one series, in registration order, in text format 0.0.4.
  /// Thread-safe; may run while other threads update series.
  std::string render() const;

 private:
  template <typename Family>
  Family& add(std::unique_ptr<Family> family);

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<MetricFamily>> families_;
};

}  // namespace fastchat::metrics
