#include "tools/leaderboard/leaderboard_report.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace fastchat::leaderboard {
namespace {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

std::string format_table(const rating::Leaderboard& board) {
  size_t width = 5;
  for (const auto& row : board.rows) width = std::max(width, row.model.size());
  std::ostringstream out;
  char line[512];
  std::snprintf(line, sizeof line, "%4s  %-*s  %8s  %-20s  %8s  %8s\n", "rank",
                static_cast<int>(width), "model", "rating", "95% CI", "battles", "win rate");
  out << line;
  for (const auto& row : board.rows) {
    char interval[64];
    std::snprintf(interval, sizeof interval, "[%.1f, %.1f]", row.lower, row.upper);
    std::snprintf(line, sizeof line, "%4d  %-*s  %8.1f  %-20s  %8lld  %7.1f%%\n", row.rank,
                  static_cast<int>(width), row.model.c_str(), row.rating, interval,
                  static_cast<long long>(row.battles), 100.0 * row.win_rate);
    out << line;
  }
  return out.str();
}

nlohmann::json to_json(const rating::Leaderboard& board) {
  nlohmann::json models = nlohmann::json::array();
  for (const auto& row : board.rows) {
    models.push_back({{"model", row.model},
                      {"rating", row.rating},
                      {"lower", row.lower},
                      {"upper", row.upper},
                      {"rank", row.rank},
                      {"battles", row.battles},
                      {"win_rate", row.win_rate}});
  }
  nlohmann::json json = {{"rating_system", rating::rating_system_name(board.system)},
                         {"models", models},
                         {"warnings", board.warnings}};
  if (board.style_control) {
    const auto& beta = board.style_fit.coefficients;
    json["style_coefficients"] = {{"length", beta[rating::StyleCounts::kTokens]},
                                  {"headers", beta[rating::StyleCounts::kHeaders]},
                                  {"lists", beta[rating::StyleCounts::kLists]},
                                  {"bold", beta[rating::StyleCounts::kBold]}};
  }
  return json;
}

std::string to_csv(const rating::Leaderboard& board) {
  std::ostringstream out;
  out.precision(17);
  out << "model,rating,lower,upper,rank,battles,win_rate\n";
  for (const auto& row : board.rows) {
    out << csv_field(row.model) << ',' << row.rating << ',' << row.lower << ',' << row.upper << ','
        << row.rank << ',' << row.battles << ',' << row.win_rate << '\n';
  }
  return out.str();
}

}  // namespace fastchat::leaderboard
