#pragma once
// What every metric family shares: a name, a HELP text, a type, label names and the rendering
// of its `# HELP` / `# TYPE` header. Subclasses own the series (one per set of label values)
// and write their sample lines. Families are created through MetricsRegistry and live as long
// as it does, so the references handed out stay valid.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "common/metrics/exposition.h"

namespace fastchat::metrics {

enum class MetricType { Counter, Gauge, Histogram };

/// "counter", "gauge", "histogram": the word on the `# TYPE` line.
const char* to_string(MetricType type);

class MetricFamily {
 public:
  /// Throws std::invalid_argument for a malformed name or label name: these are constants in
  /// the code, so a bad one is a bug to find at startup, not at the first scrape.
  MetricFamily(std::string name, std::string help, MetricType type,
               std::vector<std::string> label_names);
  virtual ~MetricFamily() = default;
  MetricFamily(const MetricFamily&) = delete;
  MetricFamily& operator=(const MetricFamily&) = delete;

  const std::string& name() const { return name_; }
  MetricType type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  /// Appends the header and every sample; nothing at all while the family has no series, so
  /// that a scrape never shows a TYPE line without samples.
  void render(std::string& out) const;

 protected:
  /// Appends the sample lines only.
  virtual void render_samples(std::string& out) const = 0;
  /// Throws std::invalid_argument unless there is one value per label name.
  void check_label_values(const LabelValues& values) const;

 private:
  std::string name_;
  std::string help_;
  MetricType type_;
  std::vector<std::string> label_names_;
};

/// The series of a family, keyed by label values. Lookups take a mutex, so hot paths look a
/// series up once and keep the reference; updates to the series itself are atomic. Series are
/// never removed, which is what keeps those references valid.
template <typename Series>
class SeriesMap {
 public:
  template <typename... Args>
  Series& get(const LabelValues& values, Args&&... args) {
    std::lock_guard lock(mutex_);
    auto& slot = series_[values];
    if (!slot) slot = std::make_unique<Series>(std::forward<Args>(args)...);
    return *slot;
  }

  /// Calls f(values, series) in label order, under the lock (f must not look series up).
  template <typename F>
  void for_each(F&& f) const {
    std::lock_guard lock(mutex_);
    for (const auto& [values, series] : series_) f(values, *series);
  }

 private:
  mutable std::mutex mutex_;
  std::map<LabelValues, std::unique_ptr<Series>> series_;
};

}  // namespace fastchat::metrics
