#include "model/loader/dtype_choice.h"

#include <charconv>
#include <optional>
#include <string>

#include <torch/torch.h>

#include "common/error/error.h"

namespace fastchat::loader {
namespace {

std::optional<torch::ScalarType> dtype_named(std::string_view name) {
  if (name == "float32") return torch::kFloat32;
  if (name == "bfloat16") return torch::kBFloat16;
  if (name == "float16") return torch::kFloat16;
  return std::nullopt;
}

}  // namespace

torch::ScalarType resolve_dtype(std::string_view requested, const ModelConfig& config,
                                const torch::Device& device) {
  if (requested == "auto") {
    if (device.is_cpu()) return torch::kFloat32;
    if (auto dtype = dtype_named(config.torch_dtype)) return *dtype;
    return torch::kFloat32;  // load_model_config admits only the three names above
  }
  if (auto dtype = dtype_named(requested)) {
    // libtorch has no fast float16 matmul on CPU; bfloat16 there means bf16 weights with
    // float32 activations (see LlamaModel).
    if (*dtype == torch::kFloat16 && device.is_cpu()) {
      throw_error(ErrorCode::InvalidConfig,
                  "--dtype: float16 is not supported on the CPU; use bfloat16 or float32",
                  "--dtype");
    }
    return *dtype;
  }
  throw_error(
      ErrorCode::InvalidConfig,
      "--dtype: '" + std::string(requested) + "' is not one of auto, float32, bfloat16, float16",
      "--dtype");
}

torch::Device parse_device(std::string_view text) {
  if (text == "cpu") return torch::Device(torch::kCPU);
  constexpr std::string_view kCuda = "cuda";
  if (text.substr(0, kCuda.size()) != kCuda) {
    throw_error(ErrorCode::InvalidConfig,
                "--device: '" + std::string(text) + "' is not one of cpu, cuda, cuda:N",
                "--device");
  }
  int index = 0;
  std::string_view rest = text.substr(kCuda.size());
  if (!rest.empty()) {
    std::string_view digits = rest.substr(1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
    if (rest[0] != ':' || digits.empty() || ec != std::errc() ||
        end != digits.data() + digits.size() || index < 0) {
      throw_error(ErrorCode::InvalidConfig,
                  "--device: '" + std::string(text) + "' is not one of cpu, cuda, cuda:N",
                  "--device");
    }
  }
  if (!torch::cuda::is_available()) {
    throw_error(ErrorCode::InvalidConfig,
                "--device " + std::string(text) +
                    ": CUDA is not available (libtorch built without CUDA, or no GPU visible)",
                "--device");
  }
  const auto count = static_cast<int>(torch::cuda::device_count());
  if (index >= count) {
    throw_error(ErrorCode::InvalidConfig,
                "--device " + std::string(text) + ": only " + std::to_string(count) +
                    " CUDA device(s) visible",
                "--device");
  }
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
}

}  // namespace fastchat::loader
