#pragma once
// Architecture name (config.json "architectures"[0]) -> model implementation.

#include <torch/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "model/causal_lm.h"
#include "model/llama/llama_model.h"

namespace fastchat::model {

/// Loads a Hugging Face folder's config and weights onto `device` in `dtype`.
/// Throws ErrorException (InvalidModel) naming the file, tensor or architecture at fault.
std::unique_ptr<CausalLm> load_causal_lm(const std::filesystem::path& folder,
                                         torch::ScalarType dtype, const torch::Device& device,
                                         ModelOptions options = {});

/// Same, for a config already read (the benchmark's synthetic models).
std::unique_ptr<CausalLm> make_causal_lm(const loader::ModelConfig& config,
                                         const loader::WeightStore& weights,
                                         torch::ScalarType dtype, const torch::Device& device,
                                         ModelOptions options = {});

}  // namespace fastchat::model
