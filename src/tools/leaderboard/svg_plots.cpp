#include "tools/leaderboard/svg_plots.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <vector>

#include "common/error/error.h"
#include "common/markup/xml_escape.h"

namespace fastchat::leaderboard {
namespace {

constexpr double kCharWidth = 7.0;  // of the 12px sans-serif labels, for the margins
constexpr const char* kFont = "font-family=\"sans-serif\" font-size=\"12\"";
constexpr const char* kSmallFont = "font-family=\"sans-serif\" font-size=\"10\"";

std::string number(double value, const char* pattern = "%.1f") {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

std::string rgb(double r, double g, double b) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", static_cast<int>(std::lround(r * 255)),
                static_cast<int>(std::lround(g * 255)), static_cast<int>(std::lround(b * 255)));
  return buffer;
}

// 0 -> blue, 0.5 -> white, 1 -> red: a win fraction reads as colder or warmer than even.
std::string diverging(double x) {
  x = std::clamp(x, 0.0, 1.0);
  return x < 0.5 ? rgb(2 * x, 2 * x, 1.0) : rgb(1.0, 2 - 2 * x, 2 - 2 * x);
}

// 0 -> white, 1 -> dark blue.
std::string sequential(double x) {
  x = std::clamp(x, 0.0, 1.0);
  return rgb(1.0 - 0.85 * x, 1.0 - 0.65 * x, 1.0 - 0.25 * x);
}

size_t longest_name(const rating::Leaderboard& board) {
  size_t longest = 0;
  for (const auto& row : board.rows) longest = std::max(longest, row.model.size());
  return longest;
}

std::string svg_open(double width, double height) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + number(width, "%.0f") +
         "\" height=\"" + number(height, "%.0f") + "\" viewBox=\"0 0 " + number(width, "%.0f") +
         " " + number(height, "%.0f") +
         "\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
}

// An n × n grid in leaderboard order; cell(row, column) gives its fill and text, or an empty
// fill for a blank cell.
std::string heat_map(
    const rating::Leaderboard& board, const rating::BattleSet& battles, const std::string& title,
    const std::function<std::pair<std::string, std::string>(int32_t, int32_t)>& cell) {
  const size_t n = board.rows.size();
  const double size = 40, left = 20 + kCharWidth * longest_name(board), top = left + 30;
  std::ostringstream out;
  const double title_width = 20 + kCharWidth * static_cast<double>(title.size());
  out << svg_open(std::max(left + size * n + 20, title_width), top + size * n + 20);
  out << "<text x=\"10\" y=\"20\" " << kFont << " font-weight=\"bold\">"
      << markup::xml_escape(title) << "</text>\n";
  std::vector<int32_t> ids;
  for (const auto& row : board.rows) ids.push_back(battles.find(row.model));
  for (size_t i = 0; i < n; ++i) {
    const double y = top + size * i, x = left + size * i;
    out << "<text x=\"" << left - 6 << "\" y=\"" << y + size / 2 + 4 << "\" " << kFont
        << " text-anchor=\"end\">" << markup::xml_escape(board.rows[i].model) << "</text>\n";
    out << "<text transform=\"translate(" << x + size / 2 + 4 << "," << top - 6
        << ") rotate(-90)\" " << kFont << ">" << markup::xml_escape(board.rows[i].model)
        << "</text>\n";
  }
  for (size_t r = 0; r < n; ++r) {
    for (size_t c = 0; c < n; ++c) {
      const auto [fill, text] = cell(ids[r], ids[c]);
      if (fill.empty()) continue;
      const double x = left + size * c, y = top + size * r;
      out << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << size << "\" height=\"" << size
          << "\" fill=\"" << fill << "\" stroke=\"#ddd\"/>\n<text x=\"" << x + size / 2 << "\" y=\""
          << y + size / 2 + 4 << "\" " << kSmallFont << " text-anchor=\"middle\">" << text
          << "</text>\n";
    }
  }
  out << "</svg>\n";
  return out.str();
}

void write(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  if (!out)
    throw_error(ErrorCode::InvalidConfig, "--plots: cannot write " + file.string(), "plots");
}

}  // namespace

std::string ratings_svg(const rating::Leaderboard& board) {
  const size_t n = board.rows.size();
  double lo = 1e300, hi = -1e300;
  for (const auto& row : board.rows) lo = std::min(lo, row.lower), hi = std::max(hi, row.upper);
  if (n == 0 || hi <= lo) lo -= 1, hi += 1;
  const double left = 20 + kCharWidth * longest_name(board), width = 480, row_height = 24, top = 40;
  auto x_of = [&](double rating) { return left + width * (rating - lo) / (hi - lo); };
  std::ostringstream out;
  out << svg_open(left + width + 90, top + row_height * n + 30);
  out << "<text x=\"10\" y=\"20\" " << kFont << " font-weight=\"bold\">"
      << (board.system == rating::RatingSystem::Elo ? "Online Elo" : "Bradley-Terry")
      << " ratings with 95% bootstrap intervals</text>\n";
  for (size_t i = 0; i < n; ++i) {
    const auto& row = board.rows[i];
    const double y = top + row_height * i + row_height / 2;
    out << "<text x=\"" << left - 6 << "\" y=\"" << y + 4 << "\" " << kFont
        << " text-anchor=\"end\">" << markup::xml_escape(row.model) << "</text>\n"
        << "<line x1=\"" << x_of(row.lower) << "\" x2=\"" << x_of(row.upper) << "\" y1=\"" << y
        << "\" y2=\"" << y << "\" stroke=\"#4a6fa5\" stroke-width=\"2\"/>\n"
        << "<circle cx=\"" << x_of(row.rating) << "\" cy=\"" << y
        << "\" r=\"4\" fill=\"#c0392b\"/>\n"
        << "<text x=\"" << left + width + 10 << "\" y=\"" << y + 4 << "\" " << kFont << ">"
        << number(row.rating) << "</text>\n";
  }
  const double axis = top + row_height * n + 14;
  out << "<text x=\"" << left << "\" y=\"" << axis << "\" " << kFont << ">" << number(lo)
      << "</text>\n<text x=\"" << left + width << "\" y=\"" << axis << "\" " << kFont
      << " text-anchor=\"end\">" << number(hi) << "</text>\n</svg>\n";
  return out.str();
}

std::string win_fraction_svg(const rating::Leaderboard& board, const rating::BattleSet& battles) {
  const auto& stats = board.pairwise;
  return heat_map(board, battles,
                  "Fraction of model A (row) wins against model B (column), ties left out",
                  [&](int32_t r, int32_t c) -> std::pair<std::string, std::string> {
                    if (r == c || stats.decisive_between(r, c) == 0) return {};
                    const double f = stats.win_fraction_of(r, c);
                    return {diverging(f), number(f, "%.2f")};
                  });
}

std::string battle_count_svg(const rating::Leaderboard& board, const rating::BattleSet& battles) {
  const auto& stats = board.pairwise;
  int64_t most = 1;
  for (int64_t count : stats.decisive) most = std::max(most, count);
  return heat_map(board, battles, "Decisive battles (ties left out) between each pair of models",
                  [&](int32_t r, int32_t c) -> std::pair<std::string, std::string> {
                    if (r == c) return {};
                    const int64_t count = stats.decisive_between(r, c);
                    return {sequential(static_cast<double>(count) / static_cast<double>(most)),
                            std::to_string(count)};
                  });
}

void write_plots(const rating::Leaderboard& board, const rating::BattleSet& battles,
                 const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  write(dir / "ratings.svg", ratings_svg(board));
  write(dir / "win_fraction.svg", win_fraction_svg(board, battles));
  write(dir / "battle_count.svg", battle_count_svg(board, battles));
}

}  // namespace fastchat::leaderboard
