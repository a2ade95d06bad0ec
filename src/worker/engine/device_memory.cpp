#include "worker/engine/device_memory.h"

#include <dlfcn.h>
#include <unistd.h>

#include <torch/torch.h>

namespace fastchat::engine {

std::optional<int64_t> free_device_memory(const torch::Device& device) {
  if (device.is_cpu()) {
    const long pages = sysconf(_SC_AVPHYS_PAGES);
    const long page_size = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page_size <= 0) return std::nullopt;
    return static_cast<int64_t>(pages) * page_size;
  }
  if (device.is_cuda()) {
    // A CUDA build of libtorch has already loaded the CUDA runtime; ask it directly.
    using MemGetInfo = int (*)(size_t*, size_t*);
    using SetDevice = int (*)(int);
    auto mem_get_info = reinterpret_cast<MemGetInfo>(dlsym(RTLD_DEFAULT, "cudaMemGetInfo"));
    auto set_device = reinterpret_cast<SetDevice>(dlsym(RTLD_DEFAULT, "cudaSetDevice"));
    if (!mem_get_info || !set_device) return std::nullopt;
    if (set_device(device.has_index() ? device.index() : 0) != 0) return std::nullopt;
    size_t free_bytes = 0;
    size_t total_bytes = 0;
    if (mem_get_info(&free_bytes, &total_bytes) != 0) return std::nullopt;
    return static_cast<int64_t>(free_bytes);
  }
  return std::nullopt;
}

}  // namespace fastchat::engine
