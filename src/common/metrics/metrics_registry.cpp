#include "common/metrics/metrics_registry.h"

#include <stdexcept>

namespace fastchat::metrics {

template <typename Family>
Family& MetricsRegistry::add(std::unique_ptr<Family> family) {
  std::lock_guard lock(mutex_);
  for (const auto& existing : families_) {
    if (existing->name() == family->name()) {
      throw std::invalid_argument("metric " + family->name() + " is already registered");
    }
  }
  Family& added = *family;
  families_.push_back(std::move(family));
  return added;
}

CounterFamily& MetricsRegistry::counter(std::string name, std::string help,
                                        std::vector<std::string> label_names) {
  return add(
      std::make_unique<CounterFamily>(std::move(name), std::move(help), std::move(label_names)));
}

GaugeFamily& MetricsRegistry::gauge(std::string name, std::string help,
                                    std::vector<std::string> label_names) {
  return add(
      std::make_unique<GaugeFamily>(std::move(name), std::move(help), std::move(label_names)));
}

HistogramFamily& MetricsRegistry::histogram(std::string name, std::string help,
                                            std::vector<std::string> label_names,
                                            std::vector<double> buckets) {
  return add(std::make_unique<HistogramFamily>(std::move(name), std::move(help),
                                               std::move(label_names), std::move(buckets)));
}

CollectedFamily& MetricsRegistry::collected(std::string name, std::string help, MetricType type,
                                            std::vector<std::string> label_names,
                                            CollectedFamily::Collect collect) {
  return add(std::make_unique<CollectedFamily>(std::move(name), std::move(help), type,
                                               std::move(label_names), std::move(collect)));
}

std::string MetricsRegistry::render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& family : families_) family->render(out);
  return out;
}

}  // namespace fastchat::metrics
