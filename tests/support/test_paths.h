#pragma once
// Where tests find read-only shared data (../shared beside the checkout, or $FASTCHAT_SHARED)
// and a scratch folder of their own.

#include <filesystem>
#include <string>

namespace fastchat::testing {

/// The shared data folder; fails the calling test (via GTEST_SKIP-free assertion) when missing.
std::filesystem::path shared_dir();

/// A fresh empty folder under the system temp dir, unique per call; removed by the caller.
std::filesystem::path make_temp_dir(const std::string& prefix);

}  // namespace fastchat::testing
