#include "test_paths.h"

#include <cstdlib>
#include <random>
#include <stdexcept>

namespace fastchat::testing {

std::filesystem::path shared_dir() {
  if (const char* env = std::getenv("FASTCHAT_SHARED"); env && *env) return env;
  // Tests run from the build tree; the checkout root is passed in by CTest.
  std::filesystem::path root = std::filesystem::current_path();
  if (const char* src = std::getenv("FASTCHAT_SOURCE_DIR"); src && *src) root = src;
  auto dir = std::filesystem::weakly_canonical(root / ".." / "shared");
  if (!std::filesystem::is_directory(dir)) {
    throw std::runtime_error("shared data not found at " + dir.string() +
                             " (set FASTCHAT_SHARED)");
  }
  return dir;
}

std::filesystem::path make_temp_dir(const std::string& prefix) {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto dir = std::filesystem::temp_directory_path() /
               (prefix + "-" + std::to_string(rd()) + std::to_string(attempt));
    if (std::filesystem::create_directory(dir)) return dir;
  }
  throw std::runtime_error("could not create a temp dir for " + prefix);
}

}  // namespace fastchat::testing
