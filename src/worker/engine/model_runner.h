#pragma once
// Turns a SchedulerOutput into one model forward and one sampling call: builds the ragged
// ForwardBatch (positions, cache slots, block tables), runs the model, samples the sequences
// whose chunk reached their last token. Owns the model, the KV storage and the sampler.
// Engine thread only.

#include <memory>
#include <vector>

#include "model/causal_lm.h"
#include "model/kv_cache_storage.h"
#include "worker/kv_cache/kv_cache_manager.h"
#include "worker/sampling/sampler.h"
#include "worker/scheduler/scheduler_output.h"

namespace fastchat::engine {

/// The KV cache geometry of a model: the one place it is derived from a config.
model::KvCacheShape kv_cache_shape(const loader::ModelConfig& config, int32_t block_size,
                                   torch::ScalarType dtype);

/// Per-sequence sampling inputs the runner cannot know itself.
struct SamplingInputs {
  const protocol::SamplingParams* params = nullptr;
  sampling::RequestRng* rng = nullptr;
  std::vector<int32_t> suppressed_tokens;
};

/// What a step produced: a token per sampling chunk, and for each pooled chunk (embedding
/// requests) its ForwardOutput::pooled row [3 * hidden] on the host, both in chunk order.
struct StepResult {
  std::vector<sampling::SampledToken> sampled;
  std::vector<std::vector<float>> pooled;
};

class ModelRunner {
 public:
  ModelRunner(std::unique_ptr<model::CausalLm> model, int64_t num_blocks, int32_t block_size);

  /// One step. `pooled[c]` says whether chunk c belongs to an embedding request: its hidden
  /// states are pooled and it is never sampled. `inputs[i]` belongs to the i-th sampling chunk
  /// (a chunk that completes its sequence's tokens and is not pooled).
  StepResult execute(const scheduler::SchedulerOutput& output,
                     const kv_cache::KvCacheManager& kv_cache,
                     const std::vector<SamplingInputs>& inputs, const std::vector<bool>& pooled);

  model::CausalLm& model() { return *model_; }
  const model::KvCacheStorage& storage() const { return storage_; }

 private:
  void build_batch(const scheduler::SchedulerOutput& output,
                   const kv_cache::KvCacheManager& kv_cache, const std::vector<bool>& pooled);

  std::unique_ptr<model::CausalLm> model_;
  model::KvCacheStorage storage_;
  sampling::Sampler sampler_;
  model::ForwardBatch batch_;  // reused across steps to avoid reallocations
};

}  // namespace fastchat::engine
