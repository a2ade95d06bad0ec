// WorkerMetrics without a model: the histograms and counters a sequence of finished-request
// records produces, and the engine totals read through a fake stats source at scrape time.

#include "worker/service/worker_metrics.h"

#include <gtest/gtest.h>

#include "metrics_checks.h"

namespace fastchat::service {
namespace {

using fastchat::testing::describe;
using fastchat::testing::promtool_check_metrics;
using fastchat::testing::sample_value;

engine::RequestRecord record(engine::FinishReason reason, int output_tokens,
                             std::optional<double> queue, std::optional<double> first_token,
                             double total) {
  engine::RequestRecord r;
  r.reason = reason;
  r.prompt_tokens = 4;
  r.output_tokens = output_tokens;
  r.queue_seconds = queue;
  r.first_token_seconds = first_token;
  r.total_seconds = total;
  return r;
}

std::string series(const std::string& name, const std::string& extra = "") {
  return "fastchat_worker_" + name + "{model=\"m\"" + extra + "}";
}

TEST(WorkerMetrics, RecordsBecomeHistogramsAndFinishReasonCounts) {
  WorkerMetrics metrics("m");
  using engine::FinishReason;
  metrics.on_request_finished(record(FinishReason::Length, 11, 0.002, 0.03, 0.53));  // 0.05 s/token
  metrics.on_request_finished(
      record(FinishReason::Stop, 1, 0.001, 0.02, 0.02));  // one token: no TPOT
  metrics.on_request_finished(
      record(FinishReason::Abort, 0, std::nullopt, std::nullopt, 0.4));  // never ran
  metrics.on_request_finished(record(FinishReason::Timeout, 0, std::nullopt, std::nullopt, 5));

  const auto text = metrics.render();
  EXPECT_EQ(sample_value(text, series("time_to_first_token_seconds_count")), 2);
  EXPECT_NEAR(*sample_value(text, series("time_to_first_token_seconds_sum")), 0.05, 1e-12);
  EXPECT_EQ(sample_value(text, series("time_to_first_token_seconds_bucket", ",le=\"0.02\"")), 1);
  EXPECT_EQ(sample_value(text, series("time_to_first_token_seconds_bucket", ",le=\"0.04\"")), 2);
  EXPECT_EQ(sample_value(text, series("time_per_output_token_seconds_count")), 1);
  EXPECT_NEAR(*sample_value(text, series("time_per_output_token_seconds_sum")), 0.05, 1e-12);
  EXPECT_EQ(sample_value(text, series("e2e_request_latency_seconds_count")), 4);
  EXPECT_EQ(sample_value(text, series("e2e_request_latency_seconds_bucket", ",le=\"+Inf\"")), 4);
  EXPECT_EQ(sample_value(text, series("request_queue_time_seconds_count")), 2);
  EXPECT_EQ(sample_value(text, series("requests_finished_total", ",finish_reason=\"length\"")), 1);
  EXPECT_EQ(sample_value(text, series("requests_finished_total", ",finish_reason=\"stop\"")), 1);
  EXPECT_EQ(sample_value(text, series("requests_finished_total", ",finish_reason=\"abort\"")), 1);
  EXPECT_EQ(sample_value(text, series("requests_finished_total", ",finish_reason=\"timeout\"")), 1);
  EXPECT_EQ(sample_value(text, series("requests_finished_total", ",finish_reason=\"error\"")), 0)
      << "every reason is there from the start";
}

TEST(WorkerMetrics, EngineTotalsAppearOnceThereIsAnEngineAndRejectionsAddUp) {
  WorkerMetrics metrics("m");
  int64_t refused = 2;
  metrics.set_refusal_source([&] { return refused; });
  auto before = metrics.render();
  EXPECT_FALSE(sample_value(before, series("num_requests_running"))) << "no engine while loading";
  EXPECT_FALSE(sample_value(before, series("generation_tokens_total")));
  EXPECT_EQ(sample_value(before, series("requests_rejected_total")), 2);

  engine::EngineStats stats;
  stats.num_running = 3;
  stats.num_waiting = 1;
  stats.num_kv_blocks = 8;
  stats.num_free_kv_blocks = 6;
  stats.num_prompt_tokens = 40;
  stats.num_generated_tokens = 17;
  stats.num_preemptions = 2;
  stats.num_prefix_cache_queries = 32;
  stats.num_prefix_cache_hits = 16;
  stats.num_rejected = 5;
  stats.num_aborted = 4;
  metrics.set_stats_source([&] { return stats; });
  const auto text = metrics.render();
  EXPECT_EQ(sample_value(text, series("num_requests_running")), 3);
  EXPECT_EQ(sample_value(text, series("num_requests_waiting")), 1);
  EXPECT_EQ(sample_value(text, series("kv_cache_usage_ratio")), 0.25);
  EXPECT_EQ(sample_value(text, series("prompt_tokens_total")), 40);
  EXPECT_EQ(sample_value(text, series("generation_tokens_total")), 17);
  EXPECT_EQ(sample_value(text, series("num_preemptions_total")), 2);
  EXPECT_EQ(sample_value(text, series("prefix_cache_queries_total")), 32);
  EXPECT_EQ(sample_value(text, series("prefix_cache_hits_total")), 16);
  EXPECT_EQ(sample_value(text, series("requests_aborted_total")), 4);
  EXPECT_EQ(sample_value(text, series("requests_rejected_total")), 7)
      << "engine queue + worker limit";

  auto check = promtool_check_metrics(text);
  EXPECT_EQ(check.exit_code, 0) << describe(check, text);
  EXPECT_EQ(check.output, "") << describe(check, text);
}

TEST(WorkerMetrics, ModelNamesAreEscapedInLabels) {
  WorkerMetrics metrics("odd \"name\"\\");
  metrics.on_request_finished(record(engine::FinishReason::Stop, 2, 0.0, 0.01, 0.02));
  const auto text = metrics.render();
  EXPECT_NE(text.find(R"(model="odd \"name\"\\")"), std::string::npos) << text;
  auto check = promtool_check_metrics(text);
  EXPECT_EQ(check.exit_code, 0) << describe(check, text);
}

}  // namespace
}  // namespace fastchat::service
