#pragma once
// `fastchat-leaderboard --bench N`: times the rating computation on N synthetic battles (reading
// excluded) and, as a separate figure, reading the same battles back from a JSON file.

#include <cstdint>

#include "rating/leaderboard.h"
#include "tools/leaderboard/synthetic_battles.h"

namespace fastchat::leaderboard {

struct BenchOptions {
  SyntheticOptions data;
  rating::LeaderboardOptions leaderboard;  ///< Bradley–Terry, 100 rounds by default
  int repeat = 3;                          ///< timed runs; each is printed, the median summarised
  bool time_reading = true;                ///< also write a temp JSON file and time reading it
};

/// Prints one line per run and a JSON summary; returns the process exit code.
int run_benchmark(const BenchOptions& options);

}  // namespace fastchat::leaderboard
