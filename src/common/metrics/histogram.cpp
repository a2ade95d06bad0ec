#include "common/metrics/histogram.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace fastchat::metrics {

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), counts_(std::make_unique<std::atomic<uint64_t>[]>(bounds.size() + 1)) {}

void Histogram::observe(double value) {
  if (std::isnan(value)) return;
  const auto bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot snapshot;
  snapshot.cumulative.reserve(bounds_.size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    snapshot.cumulative.push_back(running);
  }
  snapshot.count = running;
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

HistogramFamily::HistogramFamily(std::string name, std::string help,
                                 std::vector<std::string> label_names, std::vector<double> buckets)
    : MetricFamily(std::move(name), std::move(help), MetricType::Histogram, std::move(label_names)),
      buckets_(std::move(buckets)) {
  if (buckets_.empty()) throw std::invalid_argument("histogram " + this->name() + ": no buckets");
  for (size_t i = 0; i < buckets_.size(); ++i) {
    if (!std::isfinite(buckets_[i]) || (i > 0 && buckets_[i] <= buckets_[i - 1])) {
      throw std::invalid_argument("histogram " + this->name() +
                                  ": buckets must be finite and strictly ascending");
    }
  }
  const auto& labels = this->label_names();
  if (std::find(labels.begin(), labels.end(), "le") != labels.end()) {
    throw std::invalid_argument("histogram " + this->name() + ": the label name 'le' is reserved");
  }
}

Histogram& HistogramFamily::labels(const LabelValues& values) {
  check_label_values(values);
  return series_.get(values, buckets_);
}

void HistogramFamily::render_samples(std::string& out) const {
  const std::string bucket_name = name() + "_bucket";
  const std::string sum_name = name() + "_sum";
  const std::string count_name = name() + "_count";
  std::vector<std::string> bounds;
  bounds.reserve(buckets_.size() + 1);
  for (double bound : buckets_) bounds.push_back(format_value(bound));
  bounds.push_back("+Inf");
  series_.for_each([&](const LabelValues& values, const Histogram& histogram) {
    const auto snapshot = histogram.snapshot();
    for (size_t i = 0; i < bounds.size(); ++i) {
      append_sample(out, bucket_name, format_labels(label_names(), values, "le", bounds[i]),
                    static_cast<double>(snapshot.cumulative[i]));
    }
    const std::string labels = format_labels(label_names(), values);
    append_sample(out, sum_name, labels, snapshot.sum);
    append_sample(out, count_name, labels, static_cast<double>(snapshot.count));
  });
}

}  // namespace fastchat::metrics
