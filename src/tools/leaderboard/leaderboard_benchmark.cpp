#include "tools/leaderboard/leaderboard_benchmark.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "rating/battle_reader.h"

namespace fastchat::leaderboard {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// FastChat's cleaned-battle shape, one record per line inside a JSON list.
void write_battles_json(const rating::BattleSet& set, const std::filesystem::path& file) {
  std::ofstream out(file, std::ios::binary);
  out << "[\n";
  const auto& battles = set.battles();
  for (size_t i = 0; i < battles.size(); ++i) {
    const auto& b = battles[i];
    out << R"({"model_a": ")" << set.models()[b.model_a] << R"(", "model_b": ")"
        << set.models()[b.model_b] << R"(", "winner": ")" << rating::winner_name(b.winner)
        << R"(", "anony": true, "tstamp": )" << 1700000000 + i << "}"
        << (i + 1 < battles.size() ? ",\n" : "\n");
  }
  out << "]\n";
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int run_benchmark(const BenchOptions& options) {
  const auto data = synthetic_battles(options.data);
  const unsigned threads = options.leaderboard.bootstrap.threads > 0
                               ? static_cast<unsigned>(options.leaderboard.bootstrap.threads)
                               : std::max(1u, std::thread::hardware_concurrency());
  std::printf(
      "%lld synthetic battles among %d models (seed %llu); %s%s, %d bootstrap rounds, "
      "%u threads\n",
      static_cast<long long>(options.data.battles), options.data.models,
      static_cast<unsigned long long>(options.data.seed),
      rating::rating_system_name(options.leaderboard.system),
      options.leaderboard.style_control ? " with style control" : "",
      options.leaderboard.bootstrap.rounds, threads);
  std::vector<double> totals, elo, bt, boot;
  int iterations = 0;
  for (int run = 0; run < options.repeat; ++run) {
    const auto start = std::chrono::steady_clock::now();
    const auto board = rating::compute_leaderboard(data, options.leaderboard);
    totals.push_back(seconds_since(start));
    elo.push_back(board.timings.online_elo_s);
    bt.push_back(board.timings.bradley_terry_s);
    boot.push_back(board.timings.bootstrap_s);
    iterations =
        options.leaderboard.style_control ? board.style_fit.iterations : board.fit.iterations;
    std::printf(
        "run %d: total %.3f s (online Elo %.3f s, Bradley-Terry %.3f s in %d Newton "
        "steps, bootstrap %.3f s, win matrices %.3f s)\n",
        run + 1, totals.back(), elo.back(), bt.back(), iterations, boot.back(),
        board.timings.pairwise_s);
  }
  nlohmann::json summary = {{"benchmark", "leaderboard"},
                            {"battles", options.data.battles},
                            {"models", options.data.models},
                            {"bootstrap_rounds", options.leaderboard.bootstrap.rounds},
                            {"threads", threads},
                            {"style_control", options.leaderboard.style_control},
                            {"newton_steps", iterations},
                            {"median_total_s", median(totals)},
                            {"median_online_elo_s", median(elo)},
                            {"median_bradley_terry_s", median(bt)},
                            {"median_bootstrap_s", median(boot)}};
  if (options.time_reading) {
    const auto file = std::filesystem::temp_directory_path() /
                      ("fastchat-leaderboard-bench-" + std::to_string(getpid()) + ".json");
    write_battles_json(data, file);
    const auto start = std::chrono::steady_clock::now();
    const auto read = rating::read_battles(file);
    const double read_s = seconds_since(start);
    const auto bytes = std::filesystem::file_size(file);
    std::filesystem::remove(file);
    std::printf("reading the same battles from JSON (%.0f MB): %.3f s (%zu battles)\n",
                static_cast<double>(bytes) / 1e6, read_s, read.battles().size());
    summary["read_json_s"] = read_s;
    summary["json_bytes"] = bytes;
  }
  std::cout << summary.dump() << std::endl;
  return 0;
}

}  // namespace fastchat::leaderboard
