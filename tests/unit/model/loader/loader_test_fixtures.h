#pragma once
// Fixtures shared by the loader tests: a self-removing temp folder, file writers, and an
// assertion that a call throws ErrorException with a given code and message fragments.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <string>

#include "common/error/error.h"
#include "test_paths.h"

namespace fastchat::loader::testing {

/// A fresh folder removed (with its contents) when the test ends.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix) : path_(fastchat::testing::make_temp_dir(prefix)) {}
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

/// Runs `call`, expecting ErrorException{code} whose message contains every fragment.
inline void expect_error(const std::function<void()>& call, ErrorCode code,
                         std::initializer_list<std::string> fragments) {
  try {
    call();
    ADD_FAILURE() << "expected ErrorException";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, code) << e.error().message;
    for (const auto& fragment : fragments) {
      EXPECT_NE(e.error().message.find(fragment), std::string::npos)
          << "message '" << e.error().message << "' lacks '" << fragment << "'";
    }
  }
}

}  // namespace fastchat::loader::testing
