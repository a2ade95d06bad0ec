#include "common/metrics/counter.h"

#include <cmath>
#include <stdexcept>

namespace fastchat::metrics {

void Counter::inc(double amount) {
  if (!(amount > 0.0)) return;  // also drops NaN
  value_.fetch_add(amount, std::memory_order_relaxed);
}

CounterFamily::CounterFamily(std::string name, std::string help,
                             std::vector<std::string> label_names)
    : MetricFamily(std::move(name), std::move(help), MetricType::Counter, std::move(label_names)) {
  if (!this->name().ends_with("_total")) {
    throw std::invalid_argument("counter " + this->name() +
                                ": a counter's name must end in _total");
  }
}

Counter& CounterFamily::labels(const LabelValues& values) {
  check_label_values(values);
  return series_.get(values);
}

void CounterFamily::render_samples(std::string& out) const {
  series_.for_each([&](const LabelValues& values, const Counter& counter) {
    append_sample(out, name(), format_labels(label_names(), values), counter.value());
  });
}

}  // namespace fastchat::metrics
