#include "common/process/shutdown_signals.h"

#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <ctime>

namespace fastchat::process {

namespace {

sigset_t shutdown_set() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

}  // namespace

void block_shutdown_signals() {
  sigset_t signals = shutdown_set();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

const char* wait_for_shutdown_signal() {
  sigset_t signals = shutdown_set();
  int received = 0;
  while (sigwait(&signals, &received) != 0) {
  }
  return received == SIGINT ? "SIGINT" : "SIGTERM";
}

const char* take_shutdown_signal(std::chrono::milliseconds wait) {
  sigset_t signals = shutdown_set();
  if (wait.count() < 0) wait = std::chrono::milliseconds(0);
  timespec timeout{};
  timeout.tv_sec = static_cast<time_t>(wait.count() / 1000);
  timeout.tv_nsec = static_cast<long>((wait.count() % 1000) * 1000000);
  int received = sigtimedwait(&signals, nullptr, &timeout);
  if (received == SIGINT) return "SIGINT";
  if (received == SIGTERM) return "SIGTERM";
  return nullptr;  // EAGAIN (none within the wait) or EINTR
}

}  // namespace fastchat::process
