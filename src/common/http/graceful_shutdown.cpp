#include "common/http/graceful_shutdown.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/process/shutdown_signals.h"

namespace fastchat::http {

namespace {

using Clock = std::chrono::steady_clock;

// How often the wait looks for a second signal.
constexpr std::chrono::milliseconds kSignalPoll{50};

}  // namespace

std::chrono::milliseconds drain_timeout(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(std::max(0.0, seconds) * 1000.0));
}

DrainOutcome drain_and_stop(HttpServer& server, std::chrono::milliseconds timeout) {
  server.begin_drain();
  const auto started = Clock::now();
  const auto deadline = started + timeout;
  const size_t at_start = server.in_flight();
  DrainOutcome outcome = DrainOutcome::Drained;
  if (at_start > 0 || !server.wait_idle(started)) {
    spdlog::info(
        "draining {} request(s) in flight for up to {:.1f} s (a second signal stops at once)",
        at_start, timeout.count() / 1000.0);
  }
  while (!server.wait_idle(std::min(deadline, Clock::now() + kSignalPoll))) {
    if (Clock::now() >= deadline) {
      outcome = DrainOutcome::TimedOut;
      break;
    }
    if (const char* again = process::take_shutdown_signal(std::chrono::milliseconds(0))) {
      spdlog::warn("received {} again: stopping at once", again);
      outcome = DrainOutcome::Interrupted;
      break;
    }
  }
  const auto waited = std::chrono::duration<double>(Clock::now() - started).count();
  if (outcome == DrainOutcome::Drained) {
    if (at_start > 0) spdlog::info("drained {} request(s) in {:.1f} s", at_start, waited);
  } else {
    const size_t cut = server.in_flight();
    spdlog::warn("{}: cutting {} request(s) still in flight after {:.1f} s",
                 outcome == DrainOutcome::TimedOut ? "drain timeout" : "second signal", cut,
                 waited);
  }
  server.stop();
  return outcome;
}

}  // namespace fastchat::http
