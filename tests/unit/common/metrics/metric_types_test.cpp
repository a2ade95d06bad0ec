// Counters, gauges and histograms: values, rendering and the constraints they enforce.

#include <cmath>
#include <stdexcept>

#include <gtest/gtest.h>

#include "common/metrics/counter.h"
#include "common/metrics/gauge.h"
#include "common/metrics/histogram.h"

namespace fastchat::metrics {
namespace {

std::string rendered(const MetricFamily& family) {
  std::string out;
  family.render(out);
  return out;
}

TEST(CounterFamily, CountsUpOnlyAndRendersOneLinePerSeriesInLabelOrder) {
  CounterFamily family("tokens_total", "Tokens \"seen\".", {"model"});
  EXPECT_EQ(rendered(family), "") << "no series yet: no header either";
  auto& b = family.labels({"b"});
  b.inc();
  b.inc(2.5);
  b.inc(-4);            // ignored: counters never go down
  b.inc(std::nan(""));  // ignored
  family.labels({"a"});
  EXPECT_DOUBLE_EQ(b.value(), 3.5);
  EXPECT_EQ(&family.labels({"b"}), &b) << "a series is looked up, not recreated";
  EXPECT_EQ(rendered(family),
            "# HELP tokens_total Tokens \"seen\".\n"
            "# TYPE tokens_total counter\n"
            "tokens_total{model=\"a\"} 0\n"
            "tokens_total{model=\"b\"} 3.5\n");
}

TEST(CounterFamily, RefusesNamesWithoutTotalAndWrongLabelCounts) {
  EXPECT_THROW(CounterFamily("tokens", "x", {}), std::invalid_argument);
  EXPECT_THROW(CounterFamily("bad-name_total", "x", {}), std::invalid_argument);
  EXPECT_THROW(CounterFamily("x_total", "x", {"bad label"}), std::invalid_argument);
  CounterFamily family("x_total", "x", {"a", "b"});
  EXPECT_THROW(family.labels({"only one"}), std::invalid_argument);
}

TEST(GaugeFamily, GoesUpAndDownWithoutLabels) {
  GaugeFamily family("in_flight", "Requests in flight.", {});
  auto& gauge = family.labels({});
  gauge.inc();
  gauge.inc();
  gauge.dec();
  EXPECT_EQ(rendered(family),
            "# HELP in_flight Requests in flight.\n# TYPE in_flight gauge\nin_flight 1\n");
  gauge.set(0.25);
  EXPECT_DOUBLE_EQ(gauge.value(), 0.25);
}

TEST(HistogramFamily, BucketsAreCumulativeWithInclusiveBoundsAndInf) {
  HistogramFamily family("latency_seconds", "Latency.", {"model"}, {0.1, 0.5, 1});
  auto& h = family.labels({"m"});
  for (double v : {0.05, 0.1, 0.3, 0.5, 0.7, 2.0, 30.0}) h.observe(v);
  h.observe(std::nan(""));  // ignored
  const auto snapshot = h.snapshot();
  EXPECT_EQ(snapshot.cumulative, (std::vector<uint64_t>{2, 4, 5, 7}));
  EXPECT_EQ(snapshot.count, 7u);
  EXPECT_NEAR(snapshot.sum, 33.65, 1e-9);
  EXPECT_EQ(rendered(family),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{model=\"m\",le=\"0.1\"} 2\n"
            "latency_seconds_bucket{model=\"m\",le=\"0.5\"} 4\n"
            "latency_seconds_bucket{model=\"m\",le=\"1\"} 5\n"
            "latency_seconds_bucket{model=\"m\",le=\"+Inf\"} 7\n"
            "latency_seconds_sum{model=\"m\"} 33.65\n"
            "latency_seconds_count{model=\"m\"} 7\n");
}

TEST(HistogramFamily, AnEmptySeriesRendersZerosAndValuesBelowTheFirstBoundCount) {
  HistogramFamily family("size", "Size.", {}, {1, 2});
  family.labels({});
  EXPECT_EQ(rendered(family),
            "# HELP size Size.\n# TYPE size histogram\n"
            "size_bucket{le=\"1\"} 0\nsize_bucket{le=\"2\"} 0\nsize_bucket{le=\"+Inf\"} 0\n"
            "size_sum 0\nsize_count 0\n");
  family.labels({}).observe(-5);
  EXPECT_EQ(family.labels({}).snapshot().cumulative, (std::vector<uint64_t>{1, 1, 1}));
}

TEST(HistogramFamily, RefusesBadBucketsAndTheReservedLeLabel) {
  EXPECT_THROW(HistogramFamily("h", "x", {}, {}), std::invalid_argument);
  EXPECT_THROW(HistogramFamily("h", "x", {}, {1, 1}), std::invalid_argument);
  EXPECT_THROW(HistogramFamily("h", "x", {}, {2, 1}), std::invalid_argument);
  EXPECT_THROW(HistogramFamily("h", "x", {}, {1, INFINITY}), std::invalid_argument);
  EXPECT_THROW(HistogramFamily("h", "x", {"le"}, {1}), std::invalid_argument);
}

}  // namespace
}  // namespace fastchat::metrics
