#pragma once
// FastChat's "lottery" dispatch: a random candidate, weighted by speed. Since FastChat workers
// all report speed 1, this is a uniform choice in practice.

#include <cstdint>
#include <mutex>
#include <random>

#include "controller/dispatch/dispatch_policy.h"

namespace fastchat::controller {

class LotteryPolicy final : public DispatchPolicy {
 public:
  explicit LotteryPolicy(uint64_t seed) : rng_(seed) {}
  LotteryPolicy();  ///< seeded from std::random_device

  std::optional<size_t> pick(std::span<const Candidate> candidates) override;
  bool counts_dispatches() const override { return false; }
  std::string_view name() const override { return "lottery"; }

 private:
  std::mutex mutex_;  // the generator is the only state; guard it so the policy is shareable
  std::mt19937_64 rng_;
};

}  // namespace fastchat::controller
