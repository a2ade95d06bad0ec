#pragma once
// How the controller chooses among the workers that serve a model (FastChat's
// --dispatch-method). Policies are pure: they see the candidates, in registration order, and
// answer an index; the registry applies any bookkeeping they ask for.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace fastchat::controller {

struct Candidate {
  std::string_view name;
  double speed = 1.0;
  int64_t queue_length = 0;
};

class DispatchPolicy {
 public:
  virtual ~DispatchPolicy() = default;
  /// The chosen candidate's index, or nullopt when none can serve.
  virtual std::optional<size_t> pick(std::span<const Candidate> candidates) = 0;
  /// True when the picked worker's queue length should grow by one until its next heartbeat,
  /// so that back-to-back requests spread out before the worker reports its real queue.
  virtual bool counts_dispatches() const = 0;
  virtual std::string_view name() const = 0;
};

/// "shortest_queue" or "lottery"; throws ErrorException{InvalidConfig, param "dispatch-method"}
/// for anything else. `seed` feeds the lottery's generator (tests fix it).
std::unique_ptr<DispatchPolicy> make_dispatch_policy(std::string_view method,
                                                     std::optional<uint64_t> seed = {});

}  // namespace fastchat::controller
