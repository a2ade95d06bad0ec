#pragma once
// Offline engine throughput: prefill and decode tokens/s at a given batch size, driving the
// Engine directly (no HTTP, no tokenizer) with random prompt ids, so the figures are the
// engine's own. Runs on the calling thread; the engine does the work on its thread.

#include <cstdint>

#include "worker/engine/engine.h"

namespace fastchat::bench {

struct EngineBenchOptions {
  int32_t prompt_len = 128;
  int32_t output_len = 128;
  uint64_t seed = 1;
};

struct EngineBenchResult {
  int32_t batch = 0;
  double prefill_tokens_per_s = 0;
  double decode_tokens_per_s = 0;
  double decode_step_ms = 0;  // one decode step of the whole batch
};

EngineBenchResult run_engine_benchmark(engine::Engine& engine, int32_t batch,
                                       const EngineBenchOptions& options);

/// The machine's float32 matmul rate through libtorch on the calling thread's settings, in
/// GFLOP/s (square 1024 matrices, best of several runs).
double measure_matmul_gflops();

/// Model FLOPs per decoded token at an average context of `context` tokens: the matmuls
/// (2 per weight, lm_head included, embedding lookup excluded) plus attention.
double decode_flops_per_token(const loader::ModelConfig& config, double context);

/// Peak resident set size of this process so far, in MiB.
double peak_rss_mib();

}  // namespace fastchat::bench
