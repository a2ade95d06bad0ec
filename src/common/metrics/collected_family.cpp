#include "common/metrics/collected_family.h"

#include <stdexcept>

namespace fastchat::metrics {

CollectedFamily::CollectedFamily(std::string name, std::string help, MetricType type,
                                 std::vector<std::string> label_names, Collect collect)
    : MetricFamily(std::move(name), std::move(help), type, std::move(label_names)),
      collect_(std::move(collect)) {
  if (type == MetricType::Histogram) {
    throw std::invalid_argument("metric " + this->name() +
                                ": collected families are counters or gauges");
  }
  if (type == MetricType::Counter && !this->name().ends_with("_total")) {
    throw std::invalid_argument("counter " + this->name() +
                                ": a counter's name must end in _total");
  }
  if (!collect_) throw std::invalid_argument("metric " + this->name() + ": no collect callback");
}

void CollectedFamily::render_samples(std::string& out) const {
  for (const auto& sample : collect_()) {
    if (sample.labels.size() != label_names().size()) continue;
    append_sample(out, name(), format_labels(label_names(), sample.labels), sample.value);
  }
}

}  // namespace fastchat::metrics
