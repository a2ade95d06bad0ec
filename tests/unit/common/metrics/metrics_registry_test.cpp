// The registry: registration order, duplicate names, collected families, and updates from
// several threads racing a scraper.

#include "common/metrics/metrics_registry.h"

#include <atomic>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

namespace fastchat::metrics {
namespace {

TEST(MetricsRegistry, RendersFamiliesInRegistrationOrderAndSkipsEmptyOnes) {
  MetricsRegistry registry;
  registry.gauge("b_gauge_value", "B.").labels({}).set(2);
  registry.counter("never_used_total", "No series yet.", {"model"});
  registry.counter("a_total", "A.").labels({}).inc();
  EXPECT_EQ(registry.render(),
            "# HELP b_gauge_value B.\n# TYPE b_gauge_value gauge\nb_gauge_value 2\n"
            "# HELP a_total A.\n# TYPE a_total counter\na_total 1\n");
}

TEST(MetricsRegistry, RefusesADuplicateName) {
  MetricsRegistry registry;
  registry.counter("x_total", "x");
  EXPECT_THROW(registry.gauge("x_total", "again"), std::invalid_argument);
  EXPECT_THROW(registry.histogram("x_total", "again", {}, {1}), std::invalid_argument);
}

TEST(MetricsRegistry, CollectedFamiliesAreReadAtScrapeTime) {
  MetricsRegistry registry;
  double running = 3;
  std::vector<Sample> samples;
  registry.collected("running", "Running requests.", MetricType::Gauge, {"model"}, [&] {
    return std::vector<Sample>{{{"m"}, running}};
  });
  registry.collected("steps_total", "Steps.", MetricType::Counter, {"model"},
                     [&] { return samples; });
  EXPECT_EQ(registry.render(),
            "# HELP running Running requests.\n# TYPE running gauge\nrunning{model=\"m\"} 3\n")
      << "a collect callback with no samples leaves its family out";
  running = 1;
  samples = {{{"m"}, 10}, {{"too", "many"}, 1}};  // the malformed sample is skipped
  EXPECT_EQ(registry.render(),
            "# HELP running Running requests.\n# TYPE running gauge\nrunning{model=\"m\"} 1\n"
            "# HELP steps_total Steps.\n# TYPE steps_total counter\nsteps_total{model=\"m\"} 10\n");
  EXPECT_THROW(registry.collected("steps", "x", MetricType::Counter, {},
                                  [] { return std::vector<Sample>{}; }),
               std::invalid_argument);
  EXPECT_THROW(
      registry.collected("h", "x", MetricType::Histogram, {}, [] { return std::vector<Sample>{}; }),
      std::invalid_argument);
}

// In every scrape, each histogram's _count equals its +Inf bucket.
void expect_histograms_consistent(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  std::string inf;
  while (std::getline(lines, line)) {
    if (line.find("le=\"+Inf\"}") != std::string::npos) inf = line.substr(line.rfind(' ') + 1);
    if (line.find("_count") != std::string::npos) {
      EXPECT_EQ(line.substr(line.rfind(' ') + 1), inf) << text;
    }
  }
}

TEST(MetricsRegistry, ConcurrentUpdatesAreAllCountedWhileScrapesRun) {
  MetricsRegistry registry;
  auto& counters = registry.counter("events_total", "Events.", {"kind"});
  auto& gauge = registry.gauge("in_flight", "In flight.").labels({});
  auto& histograms = registry.histogram("latency_seconds", "Latency.", {"kind"}, {0.5, 1, 2});
  constexpr int kThreads = 4;
  constexpr int kIterations = 20000;
  std::atomic<int> finished{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      // Half the threads share a series, half create their own: both paths race.
      const LabelValues kind = {t % 2 == 0 ? "shared" : "own" + std::to_string(t)};
      auto& counter = counters.labels(kind);
      auto& histogram = histograms.labels(kind);
      for (int i = 0; i < kIterations; ++i) {
        gauge.inc();
        counter.inc();
        counters.labels({"shared"}).inc();  // looked up every time
        histogram.observe(static_cast<double>(i % 3));
        gauge.dec();
      }
      finished.fetch_add(1);
    });
  }
  // Scrape for as long as the writers run (their loops are bounded, so this is too).
  int scrapes = 0;
  while (finished.load() < kThreads) {
    expect_histograms_consistent(registry.render());
    ++scrapes;
  }
  for (auto& writer : writers) writer.join();

  EXPECT_DOUBLE_EQ(counters.labels({"shared"}).value(),
                   kThreads * kIterations + kIterations * kThreads / 2);
  EXPECT_DOUBLE_EQ(counters.labels({"own1"}).value(), kIterations);
  EXPECT_DOUBLE_EQ(gauge.value(), 0);
  auto shared = histograms.labels({"shared"}).snapshot();
  EXPECT_EQ(shared.count, 2u * kIterations);
  // Values cycle 0, 1, 2: a third in each finite bucket from 0.5 up, none above 2.
  const uint64_t third = (kIterations + 2) / 3;
  EXPECT_EQ(shared.cumulative[0], 2 * third);
  EXPECT_EQ(shared.cumulative.back(), 2u * kIterations);
  double expected_sum = 0;
  for (int i = 0; i < kIterations; ++i) expected_sum += 2.0 * (i % 3);
  EXPECT_DOUBLE_EQ(shared.sum, expected_sum);
  expect_histograms_consistent(registry.render());
  RecordProperty("scrapes_during_updates", scrapes);
}

}  // namespace
}  // namespace fastchat::metrics
