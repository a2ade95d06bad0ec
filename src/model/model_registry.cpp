#include "model/model_registry.h"

#include <torch/torch.h>

#include <algorithm>

#include "common/error/error.h"

namespace fastchat::model {

std::unique_ptr<CausalLm> make_causal_lm(const loader::ModelConfig& config,
                                         const loader::WeightStore& weights,
                                         torch::ScalarType dtype, const torch::Device& device,
                                         ModelOptions options) {
  // load_model_config() already refuses other architectures; configs built in code land here.
  const auto& supported = loader::supported_architectures();
  if (std::find(supported.begin(), supported.end(), config.architecture) == supported.end()) {
    throw_error(ErrorCode::InvalidModel,
                "config.json: architecture '" + config.architecture + "' is not supported",
                "architectures");
  }
  // All three share the Llama math; what differs (biases, sliding window) is in the config.
  return std::make_unique<LlamaModel>(config, weights, dtype, device, options);
}

std::unique_ptr<CausalLm> load_causal_lm(const std::filesystem::path& folder,
                                         torch::ScalarType dtype, const torch::Device& device,
                                         ModelOptions options) {
  auto config = loader::load_model_config(folder);
  auto weights = loader::WeightStore::open(folder);
  return make_causal_lm(config, weights, dtype, device, options);
}

}  // namespace fastchat::model
