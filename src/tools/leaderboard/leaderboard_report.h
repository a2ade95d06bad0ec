#pragma once
// The leaderboard's outputs: the ranked table for the terminal, the JSON document the Arena and
// scripts read, and CSV for spreadsheets.

#include <string>

#include <nlohmann/json.hpp>

#include "rating/leaderboard.h"

namespace fastchat::leaderboard {

/// Fixed-width table: rank, model, rating, 95% interval, battles, win rate.
std::string format_table(const rating::Leaderboard& board);

/// {"rating_system": "elo"|"bt", "models": [{"model", "rating", "lower", "upper", "rank",
/// "battles", "win_rate"}], "warnings": [...]}, models in table order; with style control also
/// "style_coefficients": {"length", "headers", "lists", "bold"} (log-odds per standard deviation).
nlohmann::json to_json(const rating::Leaderboard& board);

/// Header `model,rating,lower,upper,rank,battles,win_rate`, then one line per model (model names
/// quoted as RFC 4180 wants when they hold a comma, quote or line break).
std::string to_csv(const rating::Leaderboard& board);

}  // namespace fastchat::leaderboard
