#pragma once
// Where tests find their read-only reference data (models, tokenizers, chat templates) and a
// scratch folder of their own.

#include <filesystem>
#include <string>

namespace fastchat::testing {

/// The reference data folder: $FASTCHAT_SHARED when set, else the build's unpacked test data
/// ($FASTCHAT_TEST_DATA, which CTest sets; tests/data/README.md). Throws when neither exists.
std::filesystem::path test_data_dir();

/// A fresh empty folder under the system temp dir, unique per call; removed by the caller.
std::filesystem::path make_temp_dir(const std::string& prefix);

}  // namespace fastchat::testing
