#pragma once
// Bounds on one render, so that no template or conversation can make a render hang, recurse
// without end or grow without bound: each breach is an ErrorException naming the limit.

#include <cstddef>
#include <cstdint>

namespace fastchat::jinja {

struct RenderLimits {
  /// Size of the rendered text, and of any one string a render builds.
  std::size_t max_output_bytes = std::size_t{8} << 20;
  /// Work of one render: one step per statement run, loop iteration and macro call, per item
  /// of a list a filter or range() builds, and per 64 bytes of a string built.
  std::uint64_t max_steps = 10'000'000;
  /// Macros (and caller() blocks) calling each other, nested this deep at most.
  std::uint32_t max_call_depth = 64;
};

}  // namespace fastchat::jinja
