#include "common/metrics/gauge.h"

namespace fastchat::metrics {

GaugeFamily::GaugeFamily(std::string name, std::string help, std::vector<std::string> label_names)
    : MetricFamily(std::move(name), std::move(help), MetricType::Gauge, std::move(label_names)) {}

Gauge& GaugeFamily::labels(const LabelValues& values) {
  check_label_values(values);
  return series_.get(values);
}

void GaugeFamily::render_samples(std::string& out) const {
  series_.for_each([&](const LabelValues& values, const Gauge& gauge) {
    append_sample(out, name(), format_labels(label_names(), values), gauge.value());
  });
}

}  // namespace fastchat::metrics
