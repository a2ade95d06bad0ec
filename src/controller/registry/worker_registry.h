#pragma once
// The controller's table of workers (FastChat's worker_info): who serves which models, how
// busy each is, and when each last sent a heartbeat. In memory only; workers re-register
// after a controller restart because their next heartbeat answers exist:false.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "controller/dispatch/dispatch_policy.h"

namespace fastchat::controller {

/// What a worker reports about itself (FastChat's worker_status / /worker_get_status answer).
struct WorkerStatus {
  std::vector<std::string> model_names;
  double speed = 1.0;
  int64_t queue_length = 0;
};

struct WorkerInfo {
  std::string name;  ///< the worker's canonical base URL
  WorkerStatus status;
  bool check_heart_beat = true;
  bool multimodal = false;
  std::chrono::steady_clock::time_point last_heart_beat;
  uint64_t order = 0;  ///< registration order; dispatch ties go to the lowest
};

/// Which workers a model listing covers.
enum class ModelFilter { All, Language, Multimodal };

class WorkerRegistry {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  explicit WorkerRegistry(Clock clock = [] { return std::chrono::steady_clock::now(); });

  /// Adds or overwrites `info.name` and stamps its heartbeat now. An overwrite keeps the
  /// worker's place in the registration order (as a Python dict does). Returns true when it
  /// replaced an existing entry.
  bool upsert(std::string name, WorkerStatus status, bool check_heart_beat, bool multimodal);

  /// Replaces a known worker's status and stamps its heartbeat (a refresh); false when it is
  /// gone, so that a worker that unregistered meanwhile is not brought back.
  bool update_status(const std::string& name, WorkerStatus status);

  /// Records a heartbeat; false when the worker is unknown (it should re-register).
  bool heartbeat(const std::string& name, int64_t queue_length);

  /// The removed worker, if it was there.
  std::optional<WorkerInfo> remove(const std::string& name);

  /// Removes workers that check heartbeats and whose last one is older than `expiry`.
  std::vector<WorkerInfo> remove_expired(std::chrono::steady_clock::duration expiry);

  /// Picks a worker serving `model`, skipping `exclude` (canonical names), and applies the
  /// policy's bookkeeping. Runs under the registry's lock so concurrent picks see each other.
  std::optional<std::string> dispatch(const std::string& model,
                                      const std::vector<std::string>& exclude,
                                      DispatchPolicy& policy);

  /// Sorted, unique model names of the workers the filter covers.
  std::vector<std::string> model_names(ModelFilter filter = ModelFilter::All) const;

  std::optional<WorkerInfo> find(const std::string& name) const;
  /// Every worker, in registration order.
  std::vector<WorkerInfo> snapshot() const;
  size_t size() const;

 private:
  std::vector<WorkerInfo>::iterator find_locked(const std::string& name);

  Clock clock_;
  mutable std::mutex mutex_;
  std::vector<WorkerInfo> workers_;  // registration order; a controller has tens of workers
  uint64_t next_order_ = 0;
};

}  // namespace fastchat::controller
