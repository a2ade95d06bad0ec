#pragma once
// All weights of a Hugging Face model folder, by tensor name, across one or many shards.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <torch/types.h>

#include "model/loader/safetensors_file.h"

namespace fastchat::loader {

/// Owns the mapped files of model.safetensors, or of model.safetensors.index.json's shards
/// (weight_map). Move-only. Immutable after open(): load() may run on several threads at once.
class WeightStore {
 public:
  /// Error if neither file exists: "no model.safetensors or model.safetensors.index.json in
  /// <folder>". A shard that is missing, or lacks a tensor its weight_map promises, is an error.
  static WeightStore open(const std::filesystem::path& folder);

  WeightStore(WeightStore&&) noexcept = default;
  WeightStore& operator=(WeightStore&&) noexcept = default;
  WeightStore(const WeightStore&) = delete;
  WeightStore& operator=(const WeightStore&) = delete;
  ~WeightStore() = default;

  bool contains(std::string_view name) const;
  /// All tensor names, sorted.
  std::vector<std::string> names() const;
  /// The header entry of a tensor (dtype, shape); nullptr when absent.
  const SafetensorsFile::Entry* find(std::string_view name) const;

  /// Loads one tensor converted ONCE to dtype and placed on device: checks the shape equals
  /// `expected_shape` (error names the file, tensor, expected and actual shapes), converts
  /// (F16/BF16/F32 -> target), copies to device, then release()s the mapped bytes. Missing
  /// tensor -> InvalidModel naming the tensor and the file/index.
  torch::Tensor load(std::string_view name, torch::IntArrayRef expected_shape,
                     torch::ScalarType dtype, const torch::Device& device) const;

 private:
  WeightStore() = default;

  struct Location {
    size_t file = 0;                                // index into files_
    const SafetensorsFile::Entry* entry = nullptr;  // owned by files_[file]; stable on move
  };

  std::filesystem::path source_;  // model.safetensors or the index, for error messages
  std::vector<SafetensorsFile> files_;
  std::map<std::string, Location, std::less<>> tensors_;
};

}  // namespace fastchat::loader
