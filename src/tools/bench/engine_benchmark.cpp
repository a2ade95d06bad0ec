#include "tools/bench/engine_benchmark.h"

#include <sys/resource.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <random>

namespace fastchat::bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::vector<std::vector<int32_t>> random_prompts(int32_t batch, int32_t length, int32_t vocab,
                                                 uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int32_t> token(3, vocab - 1);
  std::vector<std::vector<int32_t>> prompts(batch, std::vector<int32_t>(length));
  for (auto& prompt : prompts) {
    for (auto& id : prompt) id = token(rng);
  }
  return prompts;
}

protocol::SamplingParams fixed_length(int32_t tokens) {
  protocol::SamplingParams params;
  params.temperature = 0.0f;
  params.max_tokens = tokens;
  params.ignore_eos = true;
  return params;
}

// Drains a stream; returns tokens received.
int64_t drain(engine::RequestStream& stream) {
  int64_t tokens = 0;
  while (true) {
    auto update = stream.next();
    tokens += static_cast<int64_t>(update.tokens.size());
    if (update.finish) return tokens;
  }
}

}  // namespace

EngineBenchResult run_engine_benchmark(engine::Engine& engine, int32_t batch,
                                       const EngineBenchOptions& options) {
  const auto vocab = static_cast<int32_t>(engine.model_config().vocab_size);
  EngineBenchResult result;
  result.batch = batch;

  // Prefill: every prompt, one token out each.
  auto prompts = random_prompts(batch, options.prompt_len, vocab, options.seed);
  auto start = Clock::now();
  std::vector<std::shared_ptr<engine::RequestStream>> streams;
  for (auto& prompt : prompts) streams.push_back(engine.submit({prompt, fixed_length(1)}));
  for (auto& stream : streams) drain(*stream);
  result.prefill_tokens_per_s =
      static_cast<double>(batch) * options.prompt_len / seconds_since(start);

  // Decode: the window from the step that gave everyone its first token to the end.
  prompts = random_prompts(batch, options.prompt_len, vocab, options.seed + 1);
  streams.clear();
  for (auto& prompt : prompts)
    streams.push_back(engine.submit({prompt, fixed_length(options.output_len)}));
  for (auto& stream : streams) stream->next();
  start = Clock::now();
  int64_t steps_before = engine.stats().num_steps;
  int64_t window_tokens = 0;
  for (auto& stream : streams) window_tokens += drain(*stream);
  const double elapsed = seconds_since(start);
  const int64_t steps = engine.stats().num_steps - steps_before;
  result.decode_tokens_per_s = static_cast<double>(window_tokens) / elapsed;
  result.decode_step_ms = steps > 0 ? elapsed * 1000.0 / static_cast<double>(steps) : 0.0;
  return result;
}

double measure_matmul_gflops() {
  constexpr int64_t n = 1024;
  auto a = torch::randn({n, n});
  auto b = torch::randn({n, n});
  auto c = torch::empty({n, n});
  // Warm-up of about half a second: thread pool, BLAS buffers and the CPU's clock ramp.
  const auto warm_until = Clock::now() + std::chrono::milliseconds(500);
  while (Clock::now() < warm_until) torch::mm_out(c, a, b);
  // Best of many short runs: on a shared machine the best run is the machine's capability.
  double best = 0;
  for (int run = 0; run < 12; ++run) {
    auto start = Clock::now();
    constexpr int reps = 4;
    for (int i = 0; i < reps; ++i) torch::mm_out(c, a, b);
    best = std::max(best, 2.0 * n * n * n * reps / seconds_since(start) / 1e9);
  }
  return best;
}

double decode_flops_per_token(const loader::ModelConfig& c, double context) {
  const double q = static_cast<double>(c.num_attention_heads * c.head_dim);
  const double kv = static_cast<double>(c.num_key_value_heads * c.head_dim);
  const double h = static_cast<double>(c.hidden_size);
  const double per_layer_weights = h * (q + 2 * kv) + q * h + 3 * h * c.intermediate_size;
  const double attention = 4.0 * q * context;  // QK^T and PV
  return static_cast<double>(c.num_hidden_layers) * (2 * per_layer_weights + attention) +
         2.0 * h * c.vocab_size;
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace fastchat::bench
