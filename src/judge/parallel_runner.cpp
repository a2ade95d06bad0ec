#include "judge/parallel_runner.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

namespace fastchat::judge {

std::string progress_text(size_t done, size_t total, double elapsed_s) {
  const double rate = elapsed_s > 0 ? static_cast<double>(done) / elapsed_s : 0.0;
  std::string eta = "?";
  if (rate > 0) {
    const auto left = static_cast<long>(static_cast<double>(total - done) / rate + 0.5);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld", left / 60, left % 60);
    eta = buffer;
  }
  char line[128];
  std::snprintf(line, sizeof line, "%zu/%zu (%.0f%%) %.2f/s ETA %s", done, total,
                total == 0 ? 100.0 : 100.0 * static_cast<double>(done) / static_cast<double>(total),
                rate, eta.c_str());
  return line;
}

ParallelSummary run_parallel(size_t count, int threads, const std::string& label,
                             const std::function<void(size_t)>& job) {
  std::atomic<size_t> next{0};
  std::atomic<size_t> failed{0};
  size_t finished = 0;
  size_t last_tenth = 0;
  std::mutex progress_mutex;
  const bool tty = isatty(STDERR_FILENO) != 0;
  const auto start = std::chrono::steady_clock::now();
  auto report = [&] {
    std::lock_guard lock(progress_mutex);
    ++finished;
    const size_t tenth = finished * 10 / count;
    if (!tty && tenth == last_tenth && finished != count) return;
    last_tenth = tenth;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "%s%s: %s%s", tty ? "\r" : "", label.c_str(),
                 progress_text(finished, count, elapsed).c_str(), tty ? "   " : "\n");
    std::fflush(stderr);
  };
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) {
      try {
        job(i);
      } catch (const std::exception& e) {
        failed.fetch_add(1);
        spdlog::error("{}: {}", label, e.what());
      }
      report();
    }
  };
  const size_t n =
      std::clamp<size_t>(static_cast<size_t>(std::max(threads, 1)), 1, std::max<size_t>(count, 1));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (tty && count > 0) std::fprintf(stderr, "\n");
  return {count - failed.load(), failed.load()};
}

}  // namespace fastchat::judge
