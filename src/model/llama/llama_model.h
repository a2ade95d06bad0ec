#pragma once
// Llama-family decoder (Llama 2/3 with optional attention and MLP biases, Mistral with its
// sliding window, Qwen2 with q/k/v bias): embed -> N x (RMSNorm, GQA attention over the paged
// cache, RMSNorm, SwiGLU MLP) -> norm -> lm_head. q/k/v and gate/up projections are fused into
// one matmul each at load time. The final norm and lm_head run in the activation dtype (float32
// on the CPU whatever the weights are), so bfloat16 weights do not round the logits.

#include <torch/types.h>

#include <vector>

#include "model/causal_lm.h"
#include "model/layers/rotary_embedding.h"
#include "model/loader/weight_store.h"

namespace fastchat::model {

struct ModelOptions {
  /// Run the torch-op reference kernels even where the float32 CPU kernels apply (tests).
  bool reference_kernels = false;
};

class LlamaModel : public CausalLm {
 public:
  /// Loads and converts every weight once; throws ErrorException naming the tensor on a
  /// missing or mis-shaped weight.
  LlamaModel(loader::ModelConfig config, const loader::WeightStore& weights,
             torch::ScalarType dtype, const torch::Device& device, ModelOptions options = {});

  ForwardOutput forward(const ForwardBatch& batch, model::KvCacheStorage& cache) override;
  const loader::ModelConfig& config() const override { return config_; }
  torch::Device device() const override { return device_; }
  /// Activations and KV cache: float32 on the CPU whatever the weights are, else the weights'.
  torch::ScalarType dtype() const override { return activation_dtype_; }

 private:
  struct Layer {
    torch::Tensor input_norm;
    torch::Tensor qkv;       // [(H + 2 KV) * D, hidden]
    torch::Tensor qkv_bias;  // undefined unless the architecture has attention bias
    torch::Tensor o;         // [hidden, H * D]
    torch::Tensor o_bias;    // undefined unless config.o_bias
    torch::Tensor post_norm;
    torch::Tensor gate_up;       // [2 * intermediate, hidden]
    torch::Tensor gate_up_bias;  // undefined unless config.mlp_bias
    torch::Tensor down;          // [hidden, intermediate]
    torch::Tensor down_bias;     // undefined unless config.mlp_bias
  };

  void load_layer(const loader::WeightStore& weights, int64_t index);
  /// ForwardOutput::pooled from the last layer's output `x` [T, hidden].
  torch::Tensor pool(const ForwardBatch& batch, const torch::Tensor& x) const;
  /// With the CPU kernels, a float32 matrix is re-laid for the packed GEMM (packed_weight.h).
  void prepare_matrix(torch::Tensor& weight) const;

  loader::ModelConfig config_;
  torch::ScalarType weight_dtype_;      // projection matrices
  torch::ScalarType activation_dtype_;  // embeddings, norms, biases, activations, KV cache
  torch::Device device_;
  bool fast_kernels_;
  torch::Tensor embed_tokens_;  // [vocab, hidden]; undefined when read from the packed lm_head
  torch::Tensor final_norm_;
  torch::Tensor lm_head_;  // [vocab, hidden] in the activation dtype, or packed
  std::vector<Layer> layers_;
  layers::RotaryEmbedding rotary_;
};

}  // namespace fastchat::model
