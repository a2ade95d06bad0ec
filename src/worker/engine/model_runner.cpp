#include "worker/engine/model_runner.h"

#include <torch/torch.h>

#include <algorithm>

namespace fastchat::engine {
model::KvCacheShape kv_cache_shape(const loader::ModelConfig& config, int32_t block_size,
                                   torch::ScalarType dtype) {
  return {config.num_hidden_layers, config.num_key_value_heads, config.head_dim, block_size,
          static_cast<int64_t>(c10::elementSize(dtype))};
}

ModelRunner::ModelRunner(std::unique_ptr<model::CausalLm> model, int64_t num_blocks,
                         int32_t block_size)
    : model_(std::move(model)),
      storage_(kv_cache_shape(model_->config(), block_size, model_->dtype()), num_blocks,
               model_->dtype(), model_->device()) {}

void ModelRunner::build_batch(const scheduler::SchedulerOutput& output,
                              const kv_cache::KvCacheManager& kv_cache,
                              const std::vector<bool>& pooled) {
  const int32_t block_size = kv_cache.block_size();
  model::ForwardBatch& b = batch_;
  b.token_ids.clear();
  b.positions.clear();
  b.slots.clear();
  b.query_starts.assign(1, 0);
  b.context_lens.clear();
  b.block_tables.clear();
  b.logits_rows.clear();
  b.pooled_sequences.clear();
  int32_t max_blocks = 0;
  for (const auto& chunk : output.chunks) {
    max_blocks = std::max(max_blocks, kv_cache.blocks_for_tokens(chunk.start + chunk.num_tokens));
  }
  b.max_blocks_per_sequence = max_blocks;
  for (size_t c = 0; c < output.chunks.size(); ++c) {
    const auto& chunk = output.chunks[c];
    const auto& sequence = *chunk.sequence;
    const auto& table = kv_cache.block_table(sequence.id);
    for (int32_t p = chunk.start; p < chunk.start + chunk.num_tokens; ++p) {
      b.token_ids.push_back(sequence.tokens[p]);
      b.positions.push_back(p);
      b.slots.push_back(static_cast<int64_t>(table[p / block_size]) * block_size + p % block_size);
    }
    b.query_starts.push_back(b.num_tokens());
    b.context_lens.push_back(chunk.start + chunk.num_tokens);
    const int32_t used = kv_cache.blocks_for_tokens(chunk.start + chunk.num_tokens);
    b.block_tables.insert(b.block_tables.end(), table.begin(), table.begin() + used);
    b.block_tables.insert(b.block_tables.end(), max_blocks - used, 0);
    if (pooled[c]) {
      b.pooled_sequences.push_back(b.num_sequences() - 1);
    } else if (chunk.samples) {
      b.logits_rows.push_back(b.num_tokens() - 1);
    }
  }
}

StepResult ModelRunner::execute(const scheduler::SchedulerOutput& output,
                                const kv_cache::KvCacheManager& kv_cache,
                                const std::vector<SamplingInputs>& inputs,
                                const std::vector<bool>& pooled) {
  build_batch(output, kv_cache, pooled);
  auto forward = model_->forward(batch_, storage_);
  StepResult result;
  if (forward.pooled.defined()) {
    const auto host = forward.pooled.to(torch::kCPU).contiguous();
    for (int64_t i = 0; i < host.size(0); ++i) {
      const float* row = host[i].data_ptr<float>();
      result.pooled.emplace_back(row, row + host[i].numel());
    }
  }
  if (inputs.empty()) return result;
  std::vector<sampling::SamplingRow> rows;
  rows.reserve(inputs.size());
  size_t next = 0;
  for (size_t c = 0; c < output.chunks.size(); ++c) {
    const auto& chunk = output.chunks[c];
    if (!chunk.samples || pooled[c]) continue;
    const auto& sequence = *chunk.sequence;
    const auto& in = inputs[next++];
    std::span<const int32_t> all(sequence.tokens);
    rows.push_back({in.params, all.first(sequence.num_prompt_tokens),
                    all.subspan(sequence.num_prompt_tokens), in.rng, in.suppressed_tokens});
  }
  result.sampled = sampler_.sample(forward.logits, rows);
  return result;
}

}  // namespace fastchat::engine
