#include "webserver/api/choice_runner.h"

namespace fastchat::api {

ChoiceRunner::ChoiceRunner(upstream::WorkerPool& pool, std::string model, std::vector<ChoiceJob> jobs)
    : pool_(pool), model_(std::move(model)), jobs_(std::move(jobs)), running_(jobs_.size()) {
  threads_.reserve(jobs_.size());
  for (const auto& job : jobs_) threads_.emplace_back([this, &job] { run(job); });
}

ChoiceRunner::~ChoiceRunner() {
  cancel();
  for (auto& thread : threads_) thread.join();
}

void ChoiceRunner::run(const ChoiceJob& job) {
  try {
    pool_.generate(model_, job.request, [&](const protocol::GenerateDelta& delta) {
      push(ChoiceEvent{job.index, job.prompt_index, delta, std::nullopt});
      return !*cancelled_;
    });
  } catch (const ErrorException& e) {
    push(ChoiceEvent{job.index, job.prompt_index, {}, e.error()});
  } catch (const std::exception& e) {
    push(ChoiceEvent{job.index, job.prompt_index, {},
                     Error{ErrorCode::Internal, std::string("internal error: ") + e.what(), ""}});
  }
  std::lock_guard lock(mutex_);
  --running_;
  ready_.notify_all();
}

void ChoiceRunner::push(ChoiceEvent event) {
  std::lock_guard lock(mutex_);
  events_.push_back(std::move(event));
  ready_.notify_all();
}

std::optional<ChoiceEvent> ChoiceRunner::next() {
  std::unique_lock lock(mutex_);
  ready_.wait(lock, [&] { return !events_.empty() || running_ == 0; });
  if (events_.empty()) return std::nullopt;
  ChoiceEvent event = std::move(events_.front());
  events_.pop_front();
  return event;
}


}  // namespace fastchat::api
