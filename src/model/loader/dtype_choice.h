#pragma once
// The --dtype and --device flags of the worker, resolved against the model and this machine.

#include <string_view>

#include <torch/types.h>

#include "model/loader/model_config.h"

namespace fastchat::loader {

/// --dtype auto|float32|bfloat16|float16 resolution: auto = config torch_dtype, but float32 on
/// CPU (bf16/fp16 matmuls are slow there). Bad string -> InvalidConfig naming "--dtype".
torch::ScalarType resolve_dtype(std::string_view requested, const ModelConfig& config,
                                const torch::Device& device);

/// "cpu", "cuda", "cuda:1" -> torch::Device ("cuda" means cuda:0, so devices compare equal to
/// those of the tensors placed on them); bad string or CUDA unavailable -> InvalidConfig naming
/// "--device" with a clear message.
torch::Device parse_device(std::string_view text);

}  // namespace fastchat::loader
