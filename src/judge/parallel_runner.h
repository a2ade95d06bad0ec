#pragma once
// Runs independent jobs (questions to answer, matches to judge) on N threads with a progress
// line on stderr: done/total, rate and ETA, redrawn in place on a terminal and printed every
// tenth otherwise (logs stay short). A failed job is reported and counted, not fatal: the file
// holds what succeeded and a rerun resumes the rest.

#include <cstddef>
#include <functional>
#include <string>

namespace fastchat::judge {

struct ParallelSummary {
  size_t done = 0;
  size_t failed = 0;
};

/// Calls job(i) for i in [0, count) on `threads` threads (at most count). A job that throws
/// std::exception is logged with `label` and counted as failed.
ParallelSummary run_parallel(size_t count, int threads, const std::string& label,
                             const std::function<void(size_t)>& job);

/// "12/80 (15%) 1.3/s ETA 0:52": the progress line's text.
std::string progress_text(size_t done, size_t total, double elapsed_s);

}  // namespace fastchat::judge
