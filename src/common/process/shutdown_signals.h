#pragma once
// SIGINT/SIGTERM handling for the servers: the signals are blocked in every thread (call
// block_shutdown_signals() first in main, before any thread starts) and taken synchronously
// by the main thread, so no async-signal-safety rules apply to what shutdown does.

#include <chrono>

namespace fastchat::process {

void block_shutdown_signals();

/// Waits for SIGINT or SIGTERM; returns its name ("SIGINT", "SIGTERM").
const char* wait_for_shutdown_signal();

/// Takes a pending SIGINT or SIGTERM, waiting up to `wait` for one; its name, or nullptr when
/// none came. For noticing a second signal during a graceful drain.
const char* take_shutdown_signal(std::chrono::milliseconds wait);

}  // namespace fastchat::process
