#include "webserver/api/choice_runner.h"

namespace fastchat::api {

ChoiceRunner::ChoiceRunner(upstream::WorkerPool& pool, std::string model,
                           std::vector<ChoiceJob> jobs)
    : pool_(pool), model_(std::move(model)), jobs_(std::move(jobs)) {}

ChoiceRunner::~ChoiceRunner() {
  cancel();
  for (auto& thread : threads_) thread.join();
}

void ChoiceRunner::run_job(const ChoiceJob& job, const std::function<void(ChoiceEvent&&)>& emit,
                           std::function<bool()> emit_would_block) {
  upstream::DeltaSink sink{[&](const protocol::GenerateDelta& delta) {
                             emit(ChoiceEvent{job.index, job.prompt_index, delta, std::nullopt});
                             return !*cancelled_;
                           },
                           std::move(emit_would_block),
                           [flag = cancelled_] { return flag->load(); }};
  try {
    pool_.generate(model_, job.request, sink);
  } catch (const ErrorException& e) {
    emit(ChoiceEvent{job.index, job.prompt_index, {}, e.error()});
  } catch (const std::exception& e) {
    emit(ChoiceEvent{job.index,
                     job.prompt_index,
                     {},
                     Error{ErrorCode::Internal, std::string("internal error: ") + e.what(), ""}});
  }
}

void ChoiceRunner::run(const ChoiceSink& sink, std::function<bool()> sink_would_block) {
  if (jobs_.size() == 1) {
    // The sink runs inside the worker pool's delta callback; it reports a refusal through the
    // cancel flag rather than an exception, which the pool would take for a worker failure.
    run_job(
        jobs_.front(),
        [&](ChoiceEvent&& event) {
          if (*cancelled_) return;
          if (!sink(std::move(event))) cancel();
        },
        std::move(sink_would_block));
    return;
  }
  running_ = jobs_.size();
  threads_.reserve(jobs_.size());
  for (const auto& job : jobs_) {
    threads_.emplace_back([this, &job] {
      run_job(
          job, [this](ChoiceEvent&& event) { push(std::move(event)); }, [] { return false; });
      std::lock_guard lock(mutex_);
      --running_;
      ready_.notify_all();
    });
  }
  while (auto event = next()) {
    if (!sink(std::move(*event))) {
      cancel();
      return;
    }
  }
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
