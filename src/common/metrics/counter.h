#pragma once
// Counters: values that only go up (requests, tokens), so that Prometheus' rate() can tell a
// restart (a drop to zero) from traffic. Names end in `_total`, as the exposition format's
// conventions and promtool's linter require.

#include <atomic>
#include <string>
#include <vector>

#include "common/metrics/metric_family.h"

namespace fastchat::metrics {

/// One series. inc() is a single atomic add: cheap enough for the engine thread.
class Counter {
 public:
  /// Adds `amount`; negative or NaN amounts are ignored (a counter never goes down).
  void inc(double amount = 1.0);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class CounterFamily : public MetricFamily {
 public:
  /// Throws std::invalid_argument unless `name` ends in "_total".
  CounterFamily(std::string name, std::string help, std::vector<std::string> label_names);

  /// The series for these label values (created at 0 on first use).
  Counter& labels(const LabelValues& values);

 protected:
  void render_samples(std::string& out) const override;

 private:
  SeriesMap<Counter> series_;
};

}  // namespace fastchat::metrics
