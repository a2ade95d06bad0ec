#pragma once
// SIGINT/SIGTERM handling for the servers: the signals are blocked in every thread (call
// block_shutdown_signals() first in main, before any thread starts) and taken synchronously
// by the main thread, so no async-signal-safety rules apply to what shutdown does.

namespace fastchat::process {

void block_shutdown_signals();

/// Waits for SIGINT or SIGTERM; returns its name ("SIGINT", "SIGTERM").
const char* wait_for_shutdown_signal();

}  // namespace fastchat::process
