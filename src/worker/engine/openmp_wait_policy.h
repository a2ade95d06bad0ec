#pragma once
// libgomp spins idle OpenMP threads for a while before they sleep (OMP_WAIT_POLICY unset).
// The engine's parallel regions are short and separated by work on other threads (HTTP
// sessions, handler threads, and often fastchat-server on the same cores), so spinning threads
// take the CPU from exactly the threads the next step waits for: on 2 cores, serving through
// fastchat-server ran 2-3x slower under contention with spinning than with passive waiting,
// and never faster without contention (docs/benchmarks.md). libgomp reads the variable once,
// when it is loaded, so a program can only choose it by starting again with it set.

namespace fastchat::engine {

/// Restarts the program with OMP_WAIT_POLICY=PASSIVE unless the variable is already set (the
/// user's choice is kept). Call first thing in main(); returns only when no restart happens.
void prefer_passive_openmp_wait(char** argv);

}  // namespace fastchat::engine
