#include "model/loader/weight_store.h"

#include <fstream>
#include <sstream>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "common/json/json_file.h"
#include "model/loader/torch_dtype.h"

namespace fastchat::loader {
namespace {

constexpr const char* kSingleFile = "model.safetensors";
constexpr const char* kIndexFile = "model.safetensors.index.json";

std::string shape_string(torch::IntArrayRef shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

/// weight_map of the index: tensor name -> shard file name.
std::map<std::string, std::string> read_weight_map(const std::filesystem::path& index) {
  auto doc = read_json_file(index);
  if (!doc.is_object()) {
    throw_error(ErrorCode::InvalidModel, index.string() + ": not a JSON object", index.string());
  }
  auto it = doc.find("weight_map");
  if (it == doc.end() || !it->is_object() || it->empty()) {
    throw_error(ErrorCode::InvalidModel, index.string() + ": weight_map missing or empty",
                "weight_map");
  }
  std::map<std::string, std::string> map;
  for (const auto& [name, file] : it->items()) {
    if (!file.is_string()) {
      throw_error(ErrorCode::InvalidModel,
                  index.string() + ": weight_map entry for '" + name + "' is not a file name",
                  name);
    }
    // Shards live beside the index; refuse paths that would escape the model folder.
    std::filesystem::path shard = file.get<std::string>();
    if (shard.empty() || shard.is_absolute() || !shard.has_filename() ||
        shard.filename() != shard || shard == "." || shard == "..") {
      throw_error(ErrorCode::InvalidModel,
                  index.string() + ": weight_map entry for '" + name + "' names '" +
                      shard.string() + "', not a file in the model folder",
                  name);
    }
    map.emplace(name, shard.string());
  }
  return map;
}

}  // namespace

WeightStore WeightStore::open(const std::filesystem::path& folder) {
  WeightStore store;
  const auto single = folder / kSingleFile;
  const auto index = folder / kIndexFile;
  if (std::filesystem::is_regular_file(single)) {
    store.source_ = single;
    store.files_.push_back(SafetensorsFile::open(single));
    for (const auto& entry : store.files_.back().entries()) {
      store.tensors_.emplace(entry.name, Location{0, &entry});
    }
    return store;
  }
  if (!std::filesystem::is_regular_file(index)) {
    throw_error(ErrorCode::InvalidModel,
                "no model.safetensors or model.safetensors.index.json in " + folder.string(),
                folder.string());
  }

  store.source_ = index;
  const auto weight_map = read_weight_map(index);
  std::map<std::string, size_t> shard_index;  // shard file name -> index into files_
  for (const auto& [name, shard] : weight_map) {
    auto [it, inserted] = shard_index.emplace(shard, store.files_.size());
    if (inserted) {
      const auto shard_path = folder / shard;
      if (!std::filesystem::is_regular_file(shard_path)) {
        throw_error(
            ErrorCode::InvalidModel,
            index.string() + ": shard " + shard + " (holding '" + name + "') does not exist",
            shard);
      }
      store.files_.push_back(SafetensorsFile::open(shard_path));
    }
    // Checked now so that a broken download fails at startup, not halfway through loading.
    const auto* entry = store.files_[it->second].find(name);
    if (entry == nullptr) {
      throw_error(ErrorCode::InvalidModel,
                  index.string() + ": tensor '" + name + "' is not in its shard " + shard, name);
    }
    store.tensors_.emplace(name, Location{it->second, entry});
  }
  return store;
}

bool WeightStore::contains(std::string_view name) const { return tensors_.count(name) > 0; }

std::vector<std::string> WeightStore::names() const {
  std::vector<std::string> out;
  out.reserve(tensors_.size());
  for (const auto& [name, location] : tensors_) out.push_back(name);
  return out;
}

const SafetensorsFile::Entry* WeightStore::find(std::string_view name) const {
  auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : it->second.entry;
}

torch::Tensor WeightStore::load(std::string_view name, torch::IntArrayRef expected_shape,
                                torch::ScalarType dtype, const torch::Device& device) const {
  auto it = tensors_.find(name);
  if (it == tensors_.end()) {
    throw_error(ErrorCode::InvalidModel,
                source_.string() + ": tensor '" + std::string(name) + "' is missing",
                std::string(name));
  }
  const auto& file = files_[it->second.file];
  const auto& entry = *it->second.entry;
  if (torch::IntArrayRef(entry.shape) != expected_shape) {
    throw_error(ErrorCode::InvalidModel,
                file.path().string() + ": tensor '" + entry.name + "' has shape " +
                    shape_string(entry.shape) + ", expected " + shape_string(expected_shape),
                entry.name);
  }
  const torch::ScalarType stored = to_torch(entry.dtype);
  const bool convertible =
      stored == dtype || (c10::isFloatingType(stored) && c10::isFloatingType(dtype));
  if (!convertible) {
    throw_error(ErrorCode::InvalidModel,
                file.path().string() + ": tensor '" + entry.name + "' has dtype " +
                    c10::toString(stored) + ", which cannot be loaded as " + c10::toString(dtype),
                entry.name);
  }
  // copy=true: even a same-dtype CPU load must own its bytes, as the mapping is released below.
  torch::Tensor out =
      tensor_view(file, entry).to(device, dtype, /*non_blocking=*/false, /*copy=*/true);
  file.release(entry);
  return out;
}

}  // namespace fastchat::loader
