#include "model/loader/torch_dtype.h"

#include <torch/torch.h>

#include <string>

#include "common/error/error.h"

namespace fastchat::loader {
namespace {

struct DtypePair {
  TensorDtype file;
  torch::ScalarType torch;
};

constexpr DtypePair kPairs[] = {
    {TensorDtype::F32, torch::kFloat32},   {TensorDtype::F16, torch::kFloat16},
    {TensorDtype::BF16, torch::kBFloat16}, {TensorDtype::F64, torch::kFloat64},
    {TensorDtype::I64, torch::kInt64},     {TensorDtype::I32, torch::kInt32},
    {TensorDtype::I16, torch::kInt16},     {TensorDtype::I8, torch::kInt8},
    {TensorDtype::U8, torch::kUInt8},      {TensorDtype::Bool, torch::kBool},
};

}  // namespace

torch::ScalarType to_torch(TensorDtype dtype) {
  for (const auto& pair : kPairs) {
    if (pair.file == dtype) return pair.torch;
  }
  throw_error(ErrorCode::Internal, "safetensors dtype without a torch dtype");
}

TensorDtype from_torch(torch::ScalarType dtype) {
  for (const auto& pair : kPairs) {
    if (pair.torch == dtype) return pair.file;
  }
  throw_error(ErrorCode::InvalidModel,
              std::string("safetensors: unsupported dtype ") + c10::toString(dtype), "dtype");
}

torch::Tensor tensor_view(const SafetensorsFile& file, const SafetensorsFile::Entry& entry) {
  // from_blob wants a non-const pointer; the view is documented read-only.
  auto* data = const_cast<unsigned char*>(file.data(entry));
  return torch::from_blob(data, entry.shape, torch::TensorOptions().dtype(to_torch(entry.dtype)));
}

}  // namespace fastchat::loader
