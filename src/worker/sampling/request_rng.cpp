#include "worker/sampling/request_rng.h"

namespace fastchat::sampling {
namespace {

uint64_t random_seed() {
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ static_cast<uint64_t>(device());
}

}  // namespace

RequestRng::RequestRng(std::optional<uint64_t> seed) : engine_(seed ? *seed : random_seed()) {}

double RequestRng::next_uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

}  // namespace fastchat::sampling
