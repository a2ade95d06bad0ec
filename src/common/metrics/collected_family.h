#pragma once
// Counters and gauges whose values live elsewhere and are read when scraped: the engine keeps
// its totals as plain integers under its own lock, and copying them into metric objects on
// every step would put work on the engine thread for nothing. The callback runs on the
// scraping thread; it must be thread-safe and quick.

#include <functional>
#include <string>
#include <vector>

#include "common/metrics/metric_family.h"

namespace fastchat::metrics {

struct Sample {
  LabelValues labels;  ///< one value per label name of the family
  double value = 0.0;
};

class CollectedFamily : public MetricFamily {
 public:
  using Collect = std::function<std::vector<Sample>()>;

  /// `type` is Counter or Gauge (a counter's name must end in _total); throws
  /// std::invalid_argument otherwise.
  CollectedFamily(std::string name, std::string help, MetricType type,
                  std::vector<std::string> label_names, Collect collect);

 protected:
  /// Calls the callback; samples with the wrong number of label values are skipped (a scrape
  /// must not fail because of one bad series). Returning no samples leaves the family out.
  void render_samples(std::string& out) const override;

 private:
  Collect collect_;
};

}  // namespace fastchat::metrics
