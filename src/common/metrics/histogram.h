#pragma once
// Histograms: distributions of latencies and sizes, as cumulative `_bucket{le="..."}` counts
// plus `_sum` and `_count`, from which Prometheus computes quantiles across processes.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/metrics/metric_family.h"

namespace fastchat::metrics {

/// One series. observe() is two atomic adds (its bucket and the sum) after a binary search over
/// the bounds; buckets are stored per bucket and made cumulative only when rendered.
class Histogram {
 public:
  /// `bounds`: the family's finite upper bounds, ascending; they must outlive this series.
  explicit Histogram(const std::vector<double>& bounds);

  /// Counts `value` in the first bucket whose bound is >= value (Prometheus' `le` is
  /// inclusive), or in +Inf. NaN is ignored.
  void observe(double value);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  ///< one per finite bound, then +Inf
    double sum = 0.0;
    uint64_t count = 0;  ///< always equal to the +Inf bucket
  };
  /// A consistent-enough view for a scrape: buckets and count agree exactly; the sum may miss
  /// an observation that is being recorded at the same moment.
  Snapshot snapshot() const;

 private:
  const std::vector<double>& bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1 (the last is +Inf)
  std::atomic<double> sum_{0.0};
};

class HistogramFamily : public MetricFamily {
 public:
  /// `buckets`: finite upper bounds, strictly ascending, at least one; +Inf is implied. Throws
  /// std::invalid_argument otherwise, or when a label is named "le".
  HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                  std::vector<double> buckets);

  /// The series for these label values (created empty on first use).
  Histogram& labels(const LabelValues& values);
  const std::vector<double>& buckets() const { return buckets_; }

 protected:
  void render_samples(std::string& out) const override;

 private:
  std::vector<double> buckets_;
  SeriesMap<Histogram> series_;
};

}  // namespace fastchat::metrics
