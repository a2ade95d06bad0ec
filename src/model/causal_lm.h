#pragma once
// What the runner needs from a model: one batched, paged forward step. Implementations own
// their weights on one device; forward() is called by the engine thread only.

#include <torch/types.h>

#include "model/forward_batch.h"
#include "model/kv_cache_storage.h"
#include "model/loader/model_config.h"

namespace fastchat::model {

/// What one forward step returns, float32 on the model's device.
struct ForwardOutput {
  /// [batch.logits_rows.size(), vocab]
  torch::Tensor logits;
  /// [batch.pooled_sequences.size(), 3, hidden]: for each pooled sequence's chunk, the sum of
  /// its rows' final (normed) hidden states, its first row's and its last row's: enough to pool
  /// a prompt computed in several chunks by mean, first ("cls") or last token. Undefined when
  /// nothing is pooled.
  torch::Tensor pooled;
};

class CausalLm {
 public:
  virtual ~CausalLm() = default;

  /// Runs the new tokens of `batch`, writing their keys/values into `cache`.
  virtual ForwardOutput forward(const ForwardBatch& batch, model::KvCacheStorage& cache) = 0;

  virtual const loader::ModelConfig& config() const = 0;
  virtual torch::Device device() const = 0;
  virtual torch::ScalarType dtype() const = 0;
};

}  // namespace fastchat::model
