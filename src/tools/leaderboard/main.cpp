// fastchat-leaderboard: a leaderboard from Arena battles, as FastChat's elo_analysis.py:
// Bradley–Terry (default) or online Elo ratings with bootstrap 95% intervals, ranks, battle
// counts and win rates, printed as a table and written as JSON and CSV. The input is battles, or
// FastChat's vote logs, cleaned first as clean_battle_data.py does (`--clean-only --output F`
// stops after writing the battles). `--bench N` times the computation on N synthetic battles.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "common/error/error.h"
#include "rating/battle_filter.h"
#include "rating/battle_reader.h"
#include "rating/cleaned_battles.h"
#include "rating/leaderboard.h"
#include "rating/vote_log_reader.h"
#include "tools/leaderboard/leaderboard_benchmark.h"
#include "tools/leaderboard/leaderboard_report.h"
#include "tools/leaderboard/svg_plots.h"
#include "tools/leaderboard/vote_log_input.h"

namespace {

using fastchat::ErrorCode;
using fastchat::throw_error;

// FastChat's scale_and_offset pins this model to 1114 whenever it is among the battles.
constexpr const char* kFastChatAnchor = "mixtral-8x7b-instruct-v0.1=1114";

struct Anchor {
  std::string model;
  double rating = 0.0;
};

// "MODEL=RATING", split at the last '=' (model names may hold one); "none" for no anchor.
std::optional<Anchor> parse_anchor(const std::string& text) {
  if (text == "none") return std::nullopt;
  const auto equals = text.rfind('=');
  char* end = nullptr;
  const double rating =
      equals == std::string::npos ? 0.0 : std::strtod(text.c_str() + equals + 1, &end);
  if (equals == std::string::npos || equals == 0 || end == text.c_str() + equals + 1 || *end) {
    throw_error(ErrorCode::InvalidConfig,
                "'--anchor' must be MODEL=RATING or none, got \"" + text + "\"", "anchor");
  }
  return Anchor{text.substr(0, equals), rating};
}

void write_file(const std::string& path, const std::string& text, const char* flag) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out)
    throw_error(ErrorCode::InvalidConfig, std::string(flag) + ": cannot write " + path, flag);
}

// FastChat's default anchor applies as its scale_and_offset does: to Bradley–Terry only, and
// only when the model has battles. One the user names applies to either system and must have
// battles (compute_leaderboard says so otherwise).
void set_anchor(const std::string& anchor_text, bool anchor_given,
                const fastchat::rating::BattleSet& battles,
                fastchat::rating::LeaderboardOptions& options) {
  const auto anchor = parse_anchor(anchor_text);
  const bool default_applies = options.system == fastchat::rating::RatingSystem::BradleyTerry &&
                               anchor && battles.find(anchor->model) >= 0;
  if (anchor && (anchor_given || default_applies)) {
    options.anchor_model = anchor->model;
    options.anchor_rating = anchor->rating;
  }
}

struct Outputs {
  std::string json;
  std::string csv;
  std::string plots;
  bool quiet = false;
};

// The battles of `input`: read, or cleaned from vote logs (with the drop counts printed).
fastchat::rating::BattleSet read_input(const std::string& input,
                                       const fastchat::leaderboard::VoteLogFlags& votes,
                                       const fastchat::rating::BattleFilter& filter, bool quiet) {
  if (fastchat::rating::is_vote_log(input)) {
    return fastchat::rating::to_battle_set(fastchat::leaderboard::clean_vote_logs(
        input, votes, filter.exclude_models, quiet ? nullptr : &std::cout));
  }
  if (votes.clean_only || !votes.output.empty()) {
    throw_error(ErrorCode::InvalidConfig,
                input + ": --clean-only and --output need vote logs (records with 'type')",
                "input");
  }
  return fastchat::rating::read_battles(input);
}

int run(const std::string& input, fastchat::rating::LeaderboardOptions options,
        const fastchat::rating::BattleFilter& filter, const std::string& anchor_text,
        bool anchor_given, const Outputs& outputs,
        const fastchat::leaderboard::VoteLogFlags& votes) {
  const auto all = read_input(input, votes, filter, outputs.quiet);
  if (votes.clean_only) return 0;
  const auto battles = fastchat::rating::filter_battles(all, filter);
  if (battles.battles().empty()) {
    throw_error(ErrorCode::InvalidRequest,
                input + ": no battles left after filtering (" +
                    std::to_string(all.battles().size()) +
                    " read; anonymous only unless --include-non-anony)",
                "input");
  }
  set_anchor(anchor_text, anchor_given, battles, options);
  if (isatty(STDERR_FILENO)) {
    // A progress line on a terminal only, so that logs and pipes stay clean.
    options.bootstrap.on_round_done = [](int done, int total) {
      std::fprintf(stderr, "\rbootstrap: %d/%d rounds", done, total);
      if (done == total) std::fprintf(stderr, "\r\033[K");
    };
  }
  const auto board = fastchat::rating::compute_leaderboard(battles, options);
  for (const auto& warning : board.warnings) std::cerr << "warning: " << warning << "\n";
  if (!outputs.quiet) {
    std::cout << battles.battles().size() << " battles (" << all.battles().size() << " read), "
              << battles.num_models() << " models; "
              << (options.system == fastchat::rating::RatingSystem::Elo ? "online Elo"
                                                                        : "Bradley-Terry")
              << (options.style_control ? " with style control" : "") << ", "
              << options.bootstrap.rounds << " bootstrap rounds\n"
              << fastchat::leaderboard::format_table(board);
  }
  if (!outputs.json.empty()) {
    write_file(outputs.json, fastchat::leaderboard::to_json(board).dump(2) + "\n", "--json");
  }
  if (!outputs.csv.empty()) write_file(outputs.csv, fastchat::leaderboard::to_csv(board), "--csv");
  if (!outputs.plots.empty()) fastchat::leaderboard::write_plots(board, battles, outputs.plots);
  return 0;
}

void add_vote_log_flags(CLI::App& app, fastchat::leaderboard::VoteLogFlags& votes) {
  app.add_option("--identity-words", votes.identity_words,
                 "Vote logs: a FILE (a word a line) or a,b,c; anonymous votes whose replies name "
                 "one are dropped (default: after FastChat's IDENTITY_WORDS; \"\" for none)");
  app.add_option("--error-markers", votes.error_markers,
                 "Vote logs: a FILE or a,b,c; votes whose replies hold one are dropped (default: "
                 "FastChat's network-error text and \"(error_code: \")");
  app.add_option("--ban-judge", votes.ban_judges, "Vote logs: drop this IP's votes (repeatable)");
  app.add_option("--judge-salt", votes.judge_salt,
                 "Vote logs: key of the hashed judge ids (default: random per run)");
  app.add_flag("--judge-ip", votes.keep_ip,
               "Vote logs: judge = arena_user_<ip> as FastChat, instead of a keyed hash");
  app.add_flag("--clean-only", votes.clean_only,
               "Vote logs: clean, print the drop counts and write --output; no ratings");
  app.add_option("--output", votes.output,
                 "Vote logs: write the cleaned battles (FastChat's records) to this file");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fastchat-leaderboard: ratings, 95% intervals and ranks from Arena battles"};
  std::string input;
  std::string system = "bt";
  std::string anchor = kFastChatAnchor;
  fastchat::rating::LeaderboardOptions options;
  fastchat::rating::BattleFilter filter;
  Outputs outputs;
  fastchat::leaderboard::VoteLogFlags votes;
  int64_t bench = 0;
  auto* input_opt = app.add_option("--input", input,
                                   "Battles (a JSON list, {\"battles\": [...]}, or JSON lines) "
                                   "or FastChat vote logs (YYYY-MM-DD-conv.json); a file or a "
                                   "folder of .json/.jsonl files");
  add_vote_log_flags(app, votes);
  app.add_option("--rating-system", system, "bt (Bradley-Terry) or elo (online, file order)")
      ->check(CLI::IsMember({"bt", "elo"}))
      ->capture_default_str();
  app.add_option("--bootstrap", options.bootstrap.rounds, "Bootstrap rounds (0: no intervals)")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  app.add_option("--seed", options.bootstrap.seed, "Seed of the bootstrap draws")
      ->capture_default_str();
  app.add_option("--threads", options.bootstrap.threads, "Bootstrap threads (0: all cores)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  auto* anchor_opt =
      app.add_option("--anchor", anchor,
                     "MODEL=RATING pins a model's rating (default: FastChat's, for bt only and "
                     "only when that model has battles); none: no anchor")
          ->capture_default_str();
  app.add_flag("--style-control", options.style_control,
               "Ratings net of reply style (length, headers, lists, bold), as FastChat's "
               "--style-control; every battle needs conv_metadata (bt only)");
  app.add_option("--json", outputs.json, "Write the leaderboard as JSON to this file");
  app.add_option("--csv", outputs.csv, "Write the leaderboard as CSV to this file");
  app.add_option("--plots", outputs.plots,
                 "Write ratings.svg, win_fraction.svg and battle_count.svg into this folder");
  app.add_flag("--include-non-anony", filter.include_non_anony,
               "Count battles whose models were named to the voter");
  app.add_flag("--exclude-ties", filter.exclude_ties, "Drop tie and tie (bothbad) votes");
  app.add_option("--exclude-model", filter.exclude_models,
                 "Drop this model's battles (repeatable)");
  app.add_option("--language", filter.languages,
                 "Keep only battles in this language (repeatable; FastChat's --langs)");
  app.add_option("--daily-vote-cap", filter.daily_vote_cap,
                 "Keep each judge's first N votes of a UTC day (0: no cap; FastChat's "
                 "--daily-vote-per-user)")
      ->check(CLI::Range(0, 1 << 30))
      ->capture_default_str();
  app.add_flag("--quiet", outputs.quiet, "Do not print the table (warnings still go to stderr)");
  app.add_option("--bench", bench,
                 "Time the computation on this many synthetic battles among 100 models instead")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 31))
      ->excludes(input_opt);
  CLI11_PARSE(app, argc, argv);
  options.system = system == "elo" ? fastchat::rating::RatingSystem::Elo
                                   : fastchat::rating::RatingSystem::BradleyTerry;
  try {
    if (bench > 0) {
      fastchat::leaderboard::BenchOptions bench_options;
      bench_options.data.battles = bench;
      bench_options.data.seed = options.bootstrap.seed;
      bench_options.data.style = options.style_control;
      bench_options.leaderboard = options;
      return fastchat::leaderboard::run_benchmark(bench_options);
    }
    if (input.empty()) {
      std::cerr << "give --input PATH (or --bench N)\n";
      return 2;
    }
    return run(input, options, filter, anchor, anchor_opt->count() > 0, outputs, votes);
  } catch (const fastchat::ErrorException& e) {
    std::cerr << "error: " << e.what() << "\n";
    return e.error().code == ErrorCode::InvalidConfig ? 2 : 1;
  } catch (const std::exception& e) {  // a bug or out of memory: still one line, not an abort
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
