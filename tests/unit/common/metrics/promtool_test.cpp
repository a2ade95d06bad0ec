// Prometheus' own checker accepts what the registry renders: every metric type, labels that
// need escaping, special values. promtool must be installed (scripts/install_deps.sh installs
// it); a missing promtool fails these tests rather than skipping them.

#include <cmath>

#include <gtest/gtest.h>

#include "common/metrics/latency_buckets.h"
#include "common/metrics/metrics_registry.h"
#include "metrics_checks.h"

namespace fastchat::metrics {
namespace {

using testing::describe;
using testing::promtool_check_metrics;

TEST(Promtool, AcceptsEveryMetricTypeWithTrickyLabelValues) {
  MetricsRegistry registry;
  auto& requests =
      registry.counter("fastchat_test_requests_total",
                       "Requests by \"endpoint\".\nSecond line \\ here.", {"endpoint", "status"});
  requests.labels({"/v1/chat/completions", "200"}).inc(3);
  requests.labels({"quote\" backslash\\ newline\n", "429"}).inc();
  registry.gauge("fastchat_test_kv_cache_usage_ratio", "Share of KV blocks in use.", {"model"})
      .labels({"stories260K"})
      .set(0.125);
  auto& ttft = registry.histogram("fastchat_test_time_to_first_token_seconds", "TTFT.", {"model"},
                                  time_to_first_token_buckets());
  for (double v : {0.0004, 0.02, 3.0, 1e4}) ttft.labels({"stories260K"}).observe(v);
  registry
      .histogram("fastchat_test_request_latency_seconds", "Latency.", {}, request_latency_buckets())
      .labels({});
  registry
      .histogram("fastchat_test_time_per_output_token_seconds", "TPOT.", {"model"},
                 time_per_output_token_buckets())
      .labels({"a"})
      .observe(1e-7);
  registry.collected("fastchat_test_preemptions_total", "Preemptions.", MetricType::Counter,
                     {"model"}, [] {
                       return std::vector<Sample>{{{"stories260K"}, 2}};
                     });
  auto& unbounded = registry.gauge("fastchat_test_unbounded", "Infinite and NaN gauges.", {"kind"});
  unbounded.labels({"inf"}).set(INFINITY);
  unbounded.labels({"nan"}).set(NAN);

  const std::string text = registry.render();
  const auto result = promtool_check_metrics(text);
  EXPECT_EQ(result.exit_code, 0) << describe(result, text);
  EXPECT_EQ(result.output, "") << describe(result, text);
}

TEST(Promtool, RejectsBrokenInputSoThePassAboveMeansSomething) {
  const std::string no_total = "# HELP requests x\n# TYPE requests counter\nrequests 1\n";
  auto lint = promtool_check_metrics(no_total);
  EXPECT_NE(lint.exit_code, 127) << describe(lint, no_total);
  EXPECT_NE(lint.exit_code, 0) << describe(lint, no_total);
  const std::string unescaped = "# HELP a_total x\n# TYPE a_total counter\na_total{k=\"\"\"} 1\n";
  auto parse = promtool_check_metrics(unescaped);
  EXPECT_NE(parse.exit_code, 127) << describe(parse, unescaped);
  EXPECT_NE(parse.exit_code, 0) << describe(parse, unescaped);
}

}  // namespace
}  // namespace fastchat::metrics
