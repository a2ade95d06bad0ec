#include "common/metrics/metric_family.h"

#include <stdexcept>

namespace fastchat::metrics {

const char* to_string(MetricType type) {
  switch (type) {
    case MetricType::Counter:
      return "counter";
    case MetricType::Gauge:
      return "gauge";
    case MetricType::Histogram:
      return "histogram";
  }
  return "untyped";
}

MetricFamily::MetricFamily(std::string name, std::string help, MetricType type,
                           std::vector<std::string> label_names)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)) {
  if (!valid_metric_name(name_)) throw std::invalid_argument("invalid metric name '" + name_ + "'");
  for (const auto& label : label_names_) {
    if (!valid_label_name(label)) {
      throw std::invalid_argument("metric " + name_ + ": invalid label name '" + label + "'");
    }
  }
}

void MetricFamily::render(std::string& out) const {
  std::string samples;
  render_samples(samples);
  if (samples.empty()) return;
  out += "# HELP " + name_ + " " + escape_help(help_) + "\n";
  out += "# TYPE " + name_ + " " + to_string(type_) + "\n";
  out += samples;
}

void MetricFamily::check_label_values(const LabelValues& values) const {
  if (values.size() != label_names_.size()) {
    throw std::invalid_argument("metric " + name_ + ": " + std::to_string(values.size()) +
                                " label values for " + std::to_string(label_names_.size()) +
                                " label names");
  }
}

}  // namespace fastchat::metrics
