#pragma once
// Free memory of a device, for sizing the KV cache automatically.

#include <torch/types.h>

#include <cstdint>
#include <optional>

namespace fastchat::engine {

/// Free bytes on `device` right now: physical available memory for the CPU, the CUDA
/// runtime's answer for a GPU (looked up at run time, so no build needs CUDA headers);
/// nullopt when it cannot be known.
std::optional<int64_t> free_device_memory(const torch::Device& device);

}  // namespace fastchat::engine
