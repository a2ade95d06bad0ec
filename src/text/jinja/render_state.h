#pragma once
// The mutable bookkeeping of one render: the work and size budgets of RenderLimits, the macro
// call depth, and the namespaces created (emptied when the render ends, which breaks any cycle a
// template made by storing a namespace inside itself). One per render, on the rendering thread.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "text/jinja/render_limits.h"
#include "text/jinja/value.h"

namespace fastchat::jinja {

class RenderState {
 public:
  explicit RenderState(const RenderLimits& limits) : limits_(limits) {}
  ~RenderState();
  RenderState(const RenderState&) = delete;
  RenderState& operator=(const RenderState&) = delete;

  const RenderLimits& limits() const { return limits_; }

  /// Spends `steps` of the work budget; throws EvalError once it is spent.
  void charge(std::uint64_t steps) {
    steps_ += steps;
    if (steps_ > limits_.max_steps) throw_steps_exceeded();
  }
  /// Charges for a string of `bytes` about to be built and checks it fits max_output_bytes.
  void charge_string(std::size_t bytes) {
    if (bytes > limits_.max_output_bytes) throw_too_large(bytes);
    charge(bytes / 64);
  }
  /// For a list of `items` about to be built.
  void charge_items(std::size_t items) { charge(items); }

  /// A fresh namespace, emptied when this render ends.
  NamespacePtr new_namespace();

  /// Around every macro and caller() call: throws EvalError past max_call_depth.
  void enter_call();
  void leave_call() { --call_depth_; }

 private:
  [[noreturn]] void throw_steps_exceeded() const;
  [[noreturn]] void throw_too_large(std::size_t bytes) const;

  RenderLimits limits_;
  std::uint64_t steps_ = 0;
  std::uint32_t call_depth_ = 0;
  std::vector<NamespacePtr> namespaces_;
};

}  // namespace fastchat::jinja
