#include "tools/bench/serve_benchmark.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "common/error/error.h"
#include "tools/bench/serve_request.h"

namespace fastchat::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int32_t kMaxConcurrency = 4096;
constexpr size_t kMaxSamples = size_t{1} << 22;  // per metric; beyond it, a uniform sample

// A uniform sample of at most kMaxSamples values (reservoir sampling), with the exact count and
// mean of everything added.
class Samples {
 public:
  explicit Samples(uint64_t seed) : rng_(seed) {}

  void add(double value) {
    ++count_;
    sum_ += value;
    if (values_.size() < kMaxSamples) {
      values_.push_back(value);
      return;
    }
    const uint64_t slot = rng_() % static_cast<uint64_t>(count_);
    if (slot < kMaxSamples) values_[slot] = value;
  }

  LatencyStats stats() {
    LatencyStats out;
    out.count = count_;
    if (count_ == 0) return out;
    std::sort(values_.begin(), values_.end());
    out.mean = sum_ / static_cast<double>(count_);
    out.p50 = percentile(values_, 50);
    out.p95 = percentile(values_, 95);
    out.p99 = percentile(values_, 99);
    return out;
  }

 private:
  std::mt19937_64 rng_;
  std::vector<double> values_;
  int64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace

const char* endpoint_path(ServeEndpoint endpoint) {
  switch (endpoint) {
    case ServeEndpoint::Chat:
      return "/chat/completions";
    case ServeEndpoint::Completions:
      return "/completions";
    case ServeEndpoint::Native:
      return "/native/generate";
  }
  return "/";
}

const char* endpoint_name(ServeEndpoint endpoint) {
  switch (endpoint) {
    case ServeEndpoint::Chat:
      return "chat";
    case ServeEndpoint::Completions:
      return "completions";
    case ServeEndpoint::Native:
      return "native";
  }
  return "?";
}

double percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double rank = std::clamp(q, 0.0, 100.0) / 100.0 * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<size_t>(std::floor(rank));
  const size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = rank - static_cast<double>(below);
  return sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

namespace {

void validate(const ServeBenchOptions& options) {
  if (options.model.empty() && options.endpoint != ServeEndpoint::Native) {
    throw_error(ErrorCode::InvalidConfig, "--model is required (except with --endpoint native)",
                "--model");
  }
  if (options.concurrency < 1 || options.concurrency > kMaxConcurrency) {
    throw_error(ErrorCode::InvalidConfig,
                "--concurrency must be 1.." + std::to_string(kMaxConcurrency), "--concurrency");
  }
  if (options.num_requests < 1)
    throw_error(ErrorCode::InvalidConfig, "--num-requests must be >= 1", "--num-requests");
  if (options.output_len < 1)
    throw_error(ErrorCode::InvalidConfig, "--output-len must be >= 1", "--output-len");
  if (options.prompts.empty() && options.prompt_len < 1) {
    throw_error(ErrorCode::InvalidConfig, "--prompt-len must be >= 1", "--prompt-len");
  }
  if (options.shared_prefix_len < 0) {
    throw_error(ErrorCode::InvalidConfig, "--shared-prefix-len must be >= 0",
                "--shared-prefix-len");
  }
  if (!(options.timeout_s > 0) || options.timeout_s > 86400) {
    throw_error(ErrorCode::InvalidConfig, "--timeout must be in (0, 86400] seconds", "--timeout");
  }
}

// Runs request `prompt` against the options' endpoint: one function for the whole benchmark, so
// the workers need not know which kind of stream they read.
using RequestRunner = std::function<RequestOutcome(const RequestPrompt& prompt)>;

RequestRunner make_runner(const ServeBenchOptions& options) {
  const auto url = http::Url::parse(options.url, "--url");
  const auto timeout = std::chrono::milliseconds(
      std::max<int64_t>(1, static_cast<int64_t>(std::llround(options.timeout_s * 1000))));
  if (options.endpoint == ServeEndpoint::Native) {
    http::ClientOptions http;
    http.connect_timeout = timeout;
    http.read_timeout = timeout;
    http.max_response_bytes = size_t{64} << 20;
    if (!options.api_key.empty())
      http.headers.emplace_back("Authorization", "Bearer " + options.api_key);
    return [&options, url, http](const RequestPrompt& prompt) {
      return run_native_request(options, url, http, prompt);
    };
  }
  client::OpenAiClientOptions client_options;
  client_options.base_url = options.url;
  client_options.api_key = options.api_key;
  client_options.connect_timeout = timeout;
  client_options.read_timeout = timeout;
  client_options.total_timeout = timeout;
  auto client = std::make_shared<const client::OpenAiClient>(client_options);
  return [&options, client](const RequestPrompt& prompt) {
    return run_openai_request(options, *client, prompt);
  };
}

}  // namespace

ServeBenchResult run_serve_benchmark(const ServeBenchOptions& options) {
  validate(options);
  const RequestRunner run = make_runner(options);

  std::mutex mutex;  // guards everything below it
  ServeBenchResult result;
  Samples ttft(options.seed + 1), itl(options.seed + 2), tpot(options.seed + 3),
      e2e(options.seed + 4);

  std::atomic<int64_t> next{0};
  auto worker = [&] {
    while (true) {
      const int64_t index = next.fetch_add(1);
      if (index >= options.num_requests) return;
      const RequestPrompt prompt = request_prompt(options, index);
      const RequestOutcome outcome = run(prompt);
      std::lock_guard lock(mutex);
      ++result.requests;
      if (!outcome.ok) {
        ++result.errors;
        ++result.errors_by_cause[outcome.cause];
        if (result.first_error.empty()) result.first_error = outcome.cause + ": " + outcome.message;
        continue;
      }
      ++result.completed;
      result.output_tokens += outcome.output_tokens;
      result.prompt_tokens += outcome.prompt_tokens;
      if (!outcome.has_usage) ++result.usage_missing;
      if (outcome.ttft_ms >= 0) ttft.add(outcome.ttft_ms);
      for (double gap : outcome.itl_ms) itl.add(gap);
      if (outcome.ttft_ms >= 0 && outcome.output_tokens > 1) {
        tpot.add((outcome.e2e_ms - outcome.ttft_ms) /
                 static_cast<double>(outcome.output_tokens - 1));
      }
      e2e.add(outcome.e2e_ms);
    }
  };

  const int32_t threads = std::min(options.concurrency, options.num_requests);
  const auto start = Clock::now();
  {
    std::vector<std::jthread> pool;
    pool.reserve(static_cast<size_t>(threads));
    for (int32_t i = 0; i < threads; ++i) pool.emplace_back(worker);
  }  // joins
  result.duration_s = std::chrono::duration<double>(Clock::now() - start).count();
  if (result.duration_s > 0) {
    result.requests_per_s = static_cast<double>(result.completed) / result.duration_s;
    result.output_tokens_per_s = static_cast<double>(result.output_tokens) / result.duration_s;
  }
  result.ttft_ms = ttft.stats();
  result.itl_ms = itl.stats();
  result.tpot_ms = tpot.stats();
  result.e2e_ms = e2e.stats();
  return result;
}

}  // namespace fastchat::bench
