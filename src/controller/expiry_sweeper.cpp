#include "controller/expiry_sweeper.h"

#include <algorithm>
#include <string>

#include <spdlog/spdlog.h>

namespace fastchat::controller {

ExpirySweeper::ExpirySweeper(WorkerRegistry& registry, std::chrono::milliseconds expiry)
    : registry_(registry), expiry_(expiry), thread_([this] { run(); }) {}

ExpirySweeper::~ExpirySweeper() { stop(); }

void ExpirySweeper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::chrono::milliseconds ExpirySweeper::period_for(std::chrono::milliseconds expiry) {
  using namespace std::chrono_literals;
  return std::clamp<std::chrono::milliseconds>(expiry / 10, 100ms, 1000ms);
}

size_t ExpirySweeper::sweep(WorkerRegistry& registry, std::chrono::milliseconds expiry) {
  const auto removed = registry.remove_expired(expiry);
  for (const auto& worker : removed) {
    std::string models;
    for (const auto& m : worker.status.model_names) models += (models.empty() ? "" : ", ") + m;
    spdlog::warn("removed worker {} (models: {}): no heartbeat for over {:.3g} s", worker.name,
                 models, std::chrono::duration<double>(expiry).count());
  }
  return removed.size();
}

void ExpirySweeper::run() {
  const auto period = period_for(expiry_);
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
    lock.unlock();
    sweep(registry_, expiry_);
    lock.lock();
  }
}

}  // namespace fastchat::controller
