#include "model/llama/llama_model.h"

#include <torch/torch.h>

#include <string>

#include "common/error/error.h"
#include "model/batch_tensors.h"
#include "model/layers/gated_mlp.h"
#include "model/layers/linear.h"
#include "model/layers/packed_weight.h"
#include "model/layers/paged_attention.h"
#include "model/layers/rms_norm.h"

namespace fastchat::model {

LlamaModel::LlamaModel(loader::ModelConfig config, const loader::WeightStore& weights,
                       torch::ScalarType dtype, const torch::Device& device, ModelOptions options)
    : config_(std::move(config)),
      weight_dtype_(dtype),
      activation_dtype_(device.is_cpu() ? torch::kFloat32 : dtype),
      device_(device),
      fast_kernels_(device.is_cpu() && !options.reference_kernels),
      rotary_(config_, device) {
  c10::InferenceMode guard;
  const int64_t hidden = config_.hidden_size;
  const int64_t vocab = config_.vocab_size;
  embed_tokens_ =
      weights.load("model.embed_tokens.weight", {vocab, hidden}, activation_dtype_, device);
  final_norm_ = weights.load("model.norm.weight", {hidden}, activation_dtype_, device);
  // A tied model may still ship an lm_head copy (stories260K does); the tie decides. The logits
  // keep the activations' precision: in bfloat16 their 8-bit mantissa would turn clear margins
  // between candidate tokens into ties.
  lm_head_ = config_.tie_word_embeddings
                 ? embed_tokens_
                 : weights.load("lm_head.weight", {vocab, hidden}, activation_dtype_, device);
  const bool tied = lm_head_.is_same(embed_tokens_);
  prepare_matrix(lm_head_);
  // A tied model keeps one copy: embedding rows are then read from the packed matrix.
  if (tied && lm_head_.dim() == 3) embed_tokens_ = torch::Tensor();
  layers_.reserve(config_.num_hidden_layers);
  for (int64_t i = 0; i < config_.num_hidden_layers; ++i) load_layer(weights, i);
}

void LlamaModel::prepare_matrix(torch::Tensor& weight) const {
  if (fast_kernels_ && layers::can_pack(weight)) weight = layers::pack_weight(weight);
}

void LlamaModel::load_layer(const loader::WeightStore& weights, int64_t index) {
  const int64_t hidden = config_.hidden_size;
  const int64_t q_width = config_.num_attention_heads * config_.head_dim;
  const int64_t kv_width = config_.num_key_value_heads * config_.head_dim;
  const int64_t inter = config_.intermediate_size;
  const std::string prefix = "model.layers." + std::to_string(index) + ".";
  auto load = [&](const std::string& name, std::vector<int64_t> shape) {
    // Matrices in the weight dtype; vectors (norms, biases) with the activations.
    const auto dtype = shape.size() == 2 ? weight_dtype_ : activation_dtype_;
    return weights.load(prefix + name, shape, dtype, device_);
  };
  Layer layer;
  layer.input_norm = load("input_layernorm.weight", {hidden});
  layer.post_norm = load("post_attention_layernorm.weight", {hidden});
  layer.qkv = torch::cat({load("self_attn.q_proj.weight", {q_width, hidden}),
                          load("self_attn.k_proj.weight", {kv_width, hidden}),
                          load("self_attn.v_proj.weight", {kv_width, hidden})});
  if (config_.qkv_bias) {
    layer.qkv_bias = torch::cat({load("self_attn.q_proj.bias", {q_width}),
                                 load("self_attn.k_proj.bias", {kv_width}),
                                 load("self_attn.v_proj.bias", {kv_width})});
  }
  layer.o = load("self_attn.o_proj.weight", {hidden, q_width});
  if (config_.o_bias) layer.o_bias = load("self_attn.o_proj.bias", {hidden});
  layer.gate_up = torch::cat(
      {load("mlp.gate_proj.weight", {inter, hidden}), load("mlp.up_proj.weight", {inter, hidden})});
  layer.down = load("mlp.down_proj.weight", {hidden, inter});
  if (config_.mlp_bias) {
    layer.gate_up_bias =
        torch::cat({load("mlp.gate_proj.bias", {inter}), load("mlp.up_proj.bias", {inter})});
    layer.down_bias = load("mlp.down_proj.bias", {hidden});
  }
  for (auto* matrix : {&layer.qkv, &layer.o, &layer.gate_up, &layer.down}) prepare_matrix(*matrix);
  layers_.push_back(std::move(layer));
}

ForwardOutput LlamaModel::forward(const ForwardBatch& batch, model::KvCacheStorage& cache) {
  c10::InferenceMode guard;
  const bool fast = fast_kernels_;
  const int64_t tokens = batch.num_tokens();
  const layers::AttentionShape shape{config_.num_attention_heads, config_.num_key_value_heads,
                                     config_.head_dim, cache.shape().block_size,
                                     config_.sliding_window.value_or(0)};
  BatchTensors tensors;
  torch::Tensor token_ids;
  torch::Tensor logits_rows;
  if (fast) {
    // CPU kernels read the host vectors; only the two gathers need tensors, viewed in place.
    token_ids =
        torch::from_blob(const_cast<int32_t*>(batch.token_ids.data()), {tokens}, torch::kInt32);
    logits_rows = torch::from_blob(const_cast<int32_t*>(batch.logits_rows.data()),
                                   {static_cast<int64_t>(batch.logits_rows.size())}, torch::kInt32);
  } else {
    tensors = make_batch_tensors(batch, shape.block_size, device_);
    token_ids = tensors.token_ids;
    logits_rows = tensors.logits_rows;
  }

  auto x = embed_tokens_.defined() ? embed_tokens_.index_select(0, token_ids)
                                   : layers::packed_rows(lm_head_, token_ids);
  const double eps = config_.rms_norm_eps;
  for (size_t i = 0; i < layers_.size(); ++i) {
    const Layer& layer = layers_[i];
    auto h = layers::rms_norm(x, layer.input_norm, eps, fast);
    auto qkv = layers::linear(h, layer.qkv, layer.qkv_bias);
    rotary_.apply(qkv, batch.positions, tensors.positions, fast);
    auto attn =
        layers::paged_attention(qkv, cache.keys(static_cast<int64_t>(i)),
                                cache.values(static_cast<int64_t>(i)), batch, tensors, shape, fast);
    layers::linear_accumulate(x, attn, layer.o, layer.o_bias);
    h = layers::rms_norm(x, layer.post_norm, eps, fast);
    auto gate_up = layers::linear(h, layer.gate_up, layer.gate_up_bias);
    layers::linear_accumulate(x, layers::silu_and_mul(gate_up, fast), layer.down, layer.down_bias);
  }
  ForwardOutput out;
  if (!batch.logits_rows.empty()) {
    auto last = layers::rms_norm(x.index_select(0, logits_rows), final_norm_, eps, fast);
    out.logits = layers::linear(last, lm_head_).to(torch::kFloat32);
  } else {
    out.logits =
        torch::empty({0, config_.vocab_size}, torch::dtype(torch::kFloat32).device(device_));
  }
  if (!batch.pooled_sequences.empty()) out.pooled = pool(batch, x);
  return out;
}

torch::Tensor LlamaModel::pool(const ForwardBatch& batch, const torch::Tensor& x) const {
  std::vector<torch::Tensor> pooled;
  pooled.reserve(batch.pooled_sequences.size());
  for (int32_t s : batch.pooled_sequences) {
    const int64_t begin = batch.query_starts[s];
    const int64_t end = batch.query_starts[s + 1];
    auto rows = layers::rms_norm(x.slice(0, begin, end).contiguous(), final_norm_,
                                 config_.rms_norm_eps, fast_kernels_)
                    .to(torch::kFloat32);
    pooled.push_back(torch::stack({rows.sum(0), rows[0], rows[end - begin - 1]}));
  }
  return torch::stack(pooled);
}

}  // namespace fastchat::model
