#include "worker/service/worker_metrics.h"

#include <optional>

#include "common/metrics/latency_buckets.h"

namespace fastchat::service {

namespace {

constexpr const char* kPrefix = "fastchat_worker_";

std::string metric(const char* name) { return std::string(kPrefix) + name; }

}  // namespace

WorkerMetrics::WorkerMetrics(std::string model_name)
    : model_(std::move(model_name)),
      time_to_first_token_(
          registry_
              .histogram(
                  metric("time_to_first_token_seconds"),
                  "Seconds from a request's arrival in the engine to its first output token.",
                  {"model"}, metrics::time_to_first_token_buckets())
              .labels({model_})),
      time_per_output_token_(
          registry_
              .histogram(metric("time_per_output_token_seconds"),
                         "Mean seconds between output tokens of a request after the first "
                         "(requests with at least two output tokens).",
                         {"model"}, metrics::time_per_output_token_buckets())
              .labels({model_})),
      e2e_latency_(registry_
                       .histogram(metric("e2e_request_latency_seconds"),
                                  "Seconds from a request's arrival in the engine to its end, "
                                  "whatever the finish reason.",
                                  {"model"}, metrics::request_latency_buckets())
                       .labels({model_})),
      queue_time_(registry_
                      .histogram(metric("request_queue_time_seconds"),
                                 "Seconds a request waited before it was first scheduled.",
                                 {"model"}, metrics::request_latency_buckets())
                      .labels({model_})),
      finished_(registry_.counter(metric("requests_finished_total"),
                                  "Requests that ended, by finish reason (stop, length, abort, "
                                  "error, timeout).",
                                  {"model", "finish_reason"})) {
  // Every reason from the start, so rate() sees a series before its first increment.
  for (auto reason :
       {engine::FinishReason::Stop, engine::FinishReason::Length, engine::FinishReason::Abort,
        engine::FinishReason::Error, engine::FinishReason::Timeout}) {
    finished_by_reason_.at(static_cast<size_t>(reason)) =
        &finished_.labels({model_, engine::to_string(reason)});
  }
  add_collected_families();
}

void WorkerMetrics::on_request_finished(const engine::RequestRecord& record) {
  const auto reason = static_cast<size_t>(record.reason);
  if (reason < finished_by_reason_.size() && finished_by_reason_[reason]) {
    finished_by_reason_[reason]->inc();
  } else {  // a reason added to the engine since: still counted, through the lookup
    finished_.labels({model_, engine::to_string(record.reason)}).inc();
  }
  e2e_latency_.observe(record.total_seconds);
  if (record.queue_seconds) queue_time_.observe(*record.queue_seconds);
  if (record.first_token_seconds) {
    time_to_first_token_.observe(*record.first_token_seconds);
    if (record.output_tokens > 1) {
      time_per_output_token_.observe((record.total_seconds - *record.first_token_seconds) /
                                     (record.output_tokens - 1));
    }
  }
}

void WorkerMetrics::set_stats_source(StatsSource source) {
  std::lock_guard lock(sources_mutex_);
  stats_source_ = std::move(source);
}

void WorkerMetrics::set_refusal_source(CountSource source) {
  std::lock_guard lock(sources_mutex_);
  refusal_source_ = std::move(source);
}

std::optional<engine::EngineStats> WorkerMetrics::engine_stats() const {
  StatsSource source;
  {
    std::lock_guard lock(sources_mutex_);
    source = stats_source_;
  }
  if (!source) return std::nullopt;
  return source();
}

int64_t WorkerMetrics::refusals() const {
  CountSource source;
  {
    std::lock_guard lock(sources_mutex_);
    source = refusal_source_;
  }
  return source ? source() : 0;
}

void WorkerMetrics::add_collected_families() {
  using metrics::MetricType;
  using metrics::Sample;
  using Stats = engine::EngineStats;
  struct EngineSeries {
    const char* name;
    const char* help;
    MetricType type;
    double (*read)(const Stats&);
  };
  static const EngineSeries kEngineSeries[] = {
      {"num_requests_running", "Requests in the engine's running batch.", MetricType::Gauge,
       [](const Stats& s) { return double(s.num_running); }},
      {"num_requests_waiting", "Requests queued and not yet started.", MetricType::Gauge,
       [](const Stats& s) { return double(s.num_waiting); }},
      {"kv_cache_usage_ratio", "Share of KV cache blocks in use, from 0 to 1.", MetricType::Gauge,
       [](const Stats& s) {
         return s.num_kv_blocks > 0
                    ? double(s.num_kv_blocks - s.num_free_kv_blocks) / s.num_kv_blocks
                    : 0.0;
       }},
      {"prompt_tokens_total",
       "Prompt tokens run through prefill (recomputation after preemption included).",
       MetricType::Counter, [](const Stats& s) { return double(s.num_prompt_tokens); }},
      {"generation_tokens_total", "Output tokens generated.", MetricType::Counter,
       [](const Stats& s) { return double(s.num_generated_tokens); }},
      {"prefix_cache_queries_total", "Prompt tokens looked up in the prefix cache.",
       MetricType::Counter, [](const Stats& s) { return double(s.num_prefix_cache_queries); }},
      {"prefix_cache_hits_total", "Prompt tokens found in the prefix cache.", MetricType::Counter,
       [](const Stats& s) { return double(s.num_prefix_cache_hits); }},
      {"num_preemptions_total", "Times a running request was preempted to free KV cache blocks.",
       MetricType::Counter, [](const Stats& s) { return double(s.num_preemptions); }},
      {"requests_aborted_total", "Requests cancelled by their client (or a client that went away).",
       MetricType::Counter, [](const Stats& s) { return double(s.num_aborted); }},
  };
  // Each reads one engine value when scraped, and nothing while no engine is attached.
  for (const auto& series : kEngineSeries) {
    registry_.collected(metric(series.name), series.help, series.type, {"model"},
                        [this, read = series.read]() -> std::vector<Sample> {
                          auto stats = engine_stats();
                          if (!stats) return {};
                          return {Sample{{model_}, read(*stats)}};
                        });
  }
  // Present from the start: the worker refuses requests itself, engine or not.
  registry_.collected(metric("requests_rejected_total"),
                      "Requests refused at once as overloaded: the worker at "
                      "--limit-worker-concurrency or the engine queue at --max-queue-len.",
                      MetricType::Counter, {"model"}, [this]() -> std::vector<Sample> {
                        auto stats = engine_stats();
                        const int64_t engine_rejected = stats ? stats->num_rejected : 0;
                        return {Sample{{model_}, double(engine_rejected + refusals())}};
                      });
}

}  // namespace fastchat::service
