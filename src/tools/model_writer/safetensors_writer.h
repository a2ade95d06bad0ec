#pragma once
// Writes .safetensors files: the fixtures of tests and the benchmark's synthetic model.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <torch/types.h>

namespace fastchat::model_writer {

/// Writes `tensors` (any device, any layout; copied to contiguous CPU) in the given order:
/// u64 LE header length, header JSON with "__metadata__":{"format":"pt"} padded with spaces to a
/// multiple of 8, then the raw data. Dtypes: F32/F16/BF16 (and F64/I64/I32/I16/I8/U8/BOOL).
/// Duplicate names or unsupported dtypes throw InvalidModel; I/O failures throw Internal.
void write_safetensors(const std::filesystem::path& path,
                       const std::vector<std::pair<std::string, torch::Tensor>>& tensors);

}  // namespace fastchat::model_writer
