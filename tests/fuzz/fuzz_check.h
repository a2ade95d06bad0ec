#pragma once
// Shared by the fuzz targets: how a target reports a broken invariant, and how it runs code
// whose only acceptable failure is the project's ErrorException.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "common/error/error.h"

namespace fastchat::fuzz {

/// Prints the message and aborts, which libFuzzer records as a crash (with the input saved).
[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "FUZZ FINDING: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

inline void check(bool ok, const std::string& what) {
  if (!ok) fail(what);
}

/// Runs fn(); returns true when it completed, false when it threw ErrorException (the documented
/// refusal). Any other exception is a finding.
template <typename Fn>
bool expect_ok_or_error(std::string_view what, Fn&& fn) {
  try {
    fn();
    return true;
  } catch (const ErrorException&) {
    return false;
  } catch (const std::exception& e) {
    fail(std::string(what) + " threw a non-ErrorException: " + e.what());
  } catch (...) {
    fail(std::string(what) + " threw a non-std exception");
  }
}

}  // namespace fastchat::fuzz
