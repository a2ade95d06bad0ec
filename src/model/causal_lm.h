#pragma once
// What the runner needs from a model: one batched, paged forward step. Implementations own
// their weights on one device; forward() is called by the engine thread only.

#include <torch/types.h>

#include "model/forward_batch.h"
#include "model/kv_cache_storage.h"
#include "model/loader/model_config.h"

namespace fastchat::model {

class CausalLm {
 public:
  virtual ~CausalLm() = default;

  /// Runs the new tokens of `batch`, writing their keys/values into `cache`, and returns
  /// float32 logits [batch.logits_rows.size(), vocab] on the model's device.
  virtual torch::Tensor forward(const ForwardBatch& batch, model::KvCacheStorage& cache) = 0;

  virtual const loader::ModelConfig& config() const = 0;
  virtual torch::Device device() const = 0;
  virtual torch::ScalarType dtype() const = 0;
};

}  // namespace fastchat::model
