#pragma once
// FastChat's default dispatch: the lowest queue_length / speed wins, ties go to the worker
// registered first, and the winner's queue grows by one (see counts_dispatches).

#include "controller/dispatch/dispatch_policy.h"

namespace fastchat::controller {

class ShortestQueuePolicy final : public DispatchPolicy {
 public:
  std::optional<size_t> pick(std::span<const Candidate> candidates) override;
  bool counts_dispatches() const override { return true; }
  std::string_view name() const override { return "shortest_queue"; }
};

}  // namespace fastchat::controller
