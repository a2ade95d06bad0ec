#include "common/process/shutdown_signals.h"

#include <pthread.h>
#include <signal.h>

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

}  // namespace fastchat::process
