#pragma once
// Between the safetensors dtypes (torch-free) and libtorch's: a mapped entry as a tensor view,
// and a tensor's dtype as a safetensors name for writers.

#include <torch/types.h>

#include "model/loader/safetensors_file.h"

namespace fastchat::loader {

torch::ScalarType to_torch(TensorDtype dtype);

/// The safetensors dtype of a torch dtype; InvalidModel naming the dtype for one that
/// safetensors files here do not carry.
TensorDtype from_torch(torch::ScalarType dtype);

/// Zero-copy CPU tensor viewing the entry's mapped bytes: valid while the file lives, and
/// read-only (the mapping is PROT_READ).
torch::Tensor tensor_view(const SafetensorsFile& file, const SafetensorsFile::Entry& entry);

}  // namespace fastchat::loader
