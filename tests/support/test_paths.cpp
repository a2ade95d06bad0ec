#include "test_paths.h"

#include <cstdlib>
#include <random>
#include <stdexcept>

namespace fastchat::testing {

std::filesystem::path test_data_dir() {
  for (const char* variable : {"FASTCHAT_SHARED", "FASTCHAT_TEST_DATA"}) {
    const char* value = std::getenv(variable);
    if (value == nullptr || *value == '\0') continue;
    if (!std::filesystem::is_directory(value)) {
      throw std::runtime_error(std::string(variable) + "=" + value + " is not a folder");
    }
    return value;
  }
  throw std::runtime_error(
      "no test data: run the tests through CTest (which sets FASTCHAT_TEST_DATA to the build's "
      "test-data folder) or set FASTCHAT_SHARED");
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
