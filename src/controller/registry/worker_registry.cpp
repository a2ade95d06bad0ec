#include "controller/registry/worker_registry.h"

#include <algorithm>
#include <set>
#include <utility>

namespace fastchat::controller {

WorkerRegistry::WorkerRegistry(Clock clock) : clock_(std::move(clock)) {}

std::vector<WorkerInfo>::iterator WorkerRegistry::find_locked(const std::string& name) {
  return std::find_if(workers_.begin(), workers_.end(),
                      [&](const WorkerInfo& w) { return w.name == name; });
}

bool WorkerRegistry::upsert(std::string name, WorkerStatus status, bool check_heart_beat,
                            bool multimodal) {
  const auto now = clock_();
  std::lock_guard lock(mutex_);
  auto it = find_locked(name);
  const bool replaced = it != workers_.end();
  if (!replaced) {
    workers_.push_back(WorkerInfo{});
    it = std::prev(workers_.end());
    it->order = next_order_++;
    it->name = std::move(name);
  }
  it->status = std::move(status);
  it->check_heart_beat = check_heart_beat;
  it->multimodal = multimodal;
  it->last_heart_beat = now;
  return replaced;
}

bool WorkerRegistry::update_status(const std::string& name, WorkerStatus status) {
  const auto now = clock_();
  std::lock_guard lock(mutex_);
  auto it = find_locked(name);
  if (it == workers_.end()) return false;
  it->status = std::move(status);
  it->last_heart_beat = now;
  return true;
}

bool WorkerRegistry::heartbeat(const std::string& name, int64_t queue_length) {
  const auto now = clock_();
  std::lock_guard lock(mutex_);
  auto it = find_locked(name);
  if (it == workers_.end()) return false;
  it->status.queue_length = queue_length;
  it->last_heart_beat = now;
  return true;
}

std::optional<WorkerInfo> WorkerRegistry::remove(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = find_locked(name);
  if (it == workers_.end()) return std::nullopt;
  WorkerInfo removed = std::move(*it);
  workers_.erase(it);
  return removed;
}

std::vector<WorkerInfo> WorkerRegistry::remove_expired(std::chrono::steady_clock::duration expiry) {
  const auto now = clock_();
  std::vector<WorkerInfo> removed;
  std::lock_guard lock(mutex_);
  auto keep = std::stable_partition(workers_.begin(), workers_.end(), [&](const WorkerInfo& w) {
    return !w.check_heart_beat || now - w.last_heart_beat <= expiry;
  });
  std::move(keep, workers_.end(), std::back_inserter(removed));
  workers_.erase(keep, workers_.end());
  return removed;
}

std::optional<std::string> WorkerRegistry::dispatch(const std::string& model,
                                                    const std::vector<std::string>& exclude,
                                                    DispatchPolicy& policy) {
  std::lock_guard lock(mutex_);
  std::vector<Candidate> candidates;
  std::vector<WorkerInfo*> owners;
  for (auto& w : workers_) {
    const auto& names = w.status.model_names;
    if (std::find(names.begin(), names.end(), model) == names.end()) continue;
    if (std::find(exclude.begin(), exclude.end(), w.name) != exclude.end()) continue;
    candidates.push_back(Candidate{w.name, w.status.speed, w.status.queue_length});
    owners.push_back(&w);
  }
  const auto picked = policy.pick(candidates);
  if (!picked || *picked >= owners.size()) return std::nullopt;
  WorkerInfo& chosen = *owners[*picked];
  if (policy.counts_dispatches()) chosen.status.queue_length += 1;
  return chosen.name;
}

std::vector<std::string> WorkerRegistry::model_names(ModelFilter filter) const {
  std::set<std::string> names;
  std::lock_guard lock(mutex_);
  for (const auto& w : workers_) {
    if (filter == ModelFilter::Language && w.multimodal) continue;
    if (filter == ModelFilter::Multimodal && !w.multimodal) continue;
    names.insert(w.status.model_names.begin(), w.status.model_names.end());
  }
  return {names.begin(), names.end()};
}

std::optional<WorkerInfo> WorkerRegistry::find(const std::string& name) const {
  std::lock_guard lock(mutex_);
  for (const auto& w : workers_) {
    if (w.name == name) return w;
  }
  return std::nullopt;
}

std::vector<WorkerInfo> WorkerRegistry::snapshot() const {
  std::lock_guard lock(mutex_);
  return workers_;
}

size_t WorkerRegistry::size() const {
  std::lock_guard lock(mutex_);
  return workers_.size();
}

}  // namespace fastchat::controller
