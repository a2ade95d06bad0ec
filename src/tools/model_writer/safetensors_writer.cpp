#include "tools/model_writer/safetensors_writer.h"

#include <fstream>
#include <set>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "model/loader/torch_dtype.h"

namespace fastchat::model_writer {

void write_safetensors(const std::filesystem::path& path,
                       const std::vector<std::pair<std::string, torch::Tensor>>& tensors) {
  nlohmann::json header = nlohmann::json::object();
  header["__metadata__"] = {{"format", "pt"}};
  std::vector<torch::Tensor> data;
  data.reserve(tensors.size());
  std::set<std::string> seen;
  size_t offset = 0;
  for (const auto& [name, tensor] : tensors) {
    if (name == "__metadata__" || !seen.insert(name).second) {
      throw_error(ErrorCode::InvalidModel,
                  path.string() + ": duplicate or reserved tensor name '" + name + "'", name);
    }
    auto cpu = tensor.detach().to(torch::kCPU).contiguous();
    const auto bytes = static_cast<size_t>(cpu.nbytes());
    header[name] = {
        {"dtype", std::string(loader::dtype_name(loader::from_torch(cpu.scalar_type())))},
        {"shape", cpu.sizes().vec()},
        {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
    data.push_back(std::move(cpu));
  }

  std::string text = header.dump();
  // Padding keeps the data section 8-byte aligned, so mapped views are aligned for every dtype.
  text.append((8 - text.size() % 8) % 8, ' ');
  const uint64_t length = text.size();  // little-endian host (checked in safetensors_file.cpp)

  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(&length), sizeof length);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  for (const auto& t : data) {
    out.write(static_cast<const char*>(t.data_ptr()), static_cast<std::streamsize>(t.nbytes()));
  }
  out.close();
  if (!out) {
    throw_error(ErrorCode::Internal, path.string() + ": cannot write safetensors file",
                path.string());
  }
}

}  // namespace fastchat::model_writer
