#pragma once
// Gauges: values that go up and down (requests in flight, cache usage).

#include <atomic>
#include <string>
#include <vector>

#include "common/metrics/metric_family.h"

namespace fastchat::metrics {

/// One series; every operation is a single atomic.
class Gauge {
 public:
  void set(double value) { value_.store(value, std::memory_order_relaxed); }
  void inc(double amount = 1.0) { value_.fetch_add(amount, std::memory_order_relaxed); }
  void dec(double amount = 1.0) { value_.fetch_sub(amount, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class GaugeFamily : public MetricFamily {
 public:
  GaugeFamily(std::string name, std::string help, std::vector<std::string> label_names);

  /// The series for these label values (created at 0 on first use).
  Gauge& labels(const LabelValues& values);

 protected:
  void render_samples(std::string& out) const override;

 private:
  SeriesMap<Gauge> series_;
};

}  // namespace fastchat::metrics
