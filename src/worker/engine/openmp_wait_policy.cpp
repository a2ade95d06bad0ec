#include "worker/engine/openmp_wait_policy.h"

#include <unistd.h>

#include <cstdlib>

namespace fastchat::engine {

void prefer_passive_openmp_wait(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  ::setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
  // Same process id, arguments and descriptors. On failure (no /proc) carry on as we are.
  ::execv("/proc/self/exe", argv);
}

}  // namespace fastchat::engine
