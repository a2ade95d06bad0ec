#include "judge/verdict.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace fastchat::judge {

namespace {

constexpr double kTieDelta = 0.1;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The regex \d+\.?\d* at `pos`: its length (0 when no digit is there).
size_t number_length(std::string_view text, size_t pos) {
  size_t i = pos;
  while (i < text.size() && is_digit(text[i])) ++i;
  if (i == pos) return 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_digit(text[i])) ++i;
  }
  return i - pos;
}

Score to_score(std::string_view digits) {
  Score s;
  s.value = std::strtod(std::string(digits).c_str(), nullptr);
  s.integral = digits.find('.') == std::string_view::npos;
  return s;
}

// The first `open` n (sep \s? n)* `close` of `text`, with `count` numbers, as FastChat's
// patterns one_score_pattern ([[x]]), two_score_pattern ([[x,\s?y]]) and their [..] backups.
std::vector<Score> find_scores(std::string_view text, std::string_view open, std::string_view close,
                               size_t count) {
  for (size_t start = text.find(open); start != std::string_view::npos;
       start = text.find(open, start + 1)) {
    std::vector<Score> scores;
    size_t i = start + open.size();
    for (size_t k = 0; k < count; ++k) {
      if (k > 0) {
        if (i >= text.size() || text[i] != ',') break;
        ++i;
        if (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
      }
      const size_t length = number_length(text, i);
      if (length == 0) break;
      scores.push_back(to_score(text.substr(i, length)));
      i += length;
    }
    if (scores.size() == count && text.substr(i, close.size()) == close) return scores;
  }
  return {};
}

}  // namespace

nlohmann::json Score::to_json() const {
  if (integral && std::abs(value) < 9e15) return static_cast<int64_t>(value);
  return value;
}

Score extract_rating(std::string_view judgment) {
  auto scores = find_scores(judgment, "[[", "]]", 1);
  if (scores.empty()) scores = find_scores(judgment, "[", "]", 1);
  return scores.empty() ? Score{} : scores[0];
}

std::string extract_pair_winner(std::string_view judgment, std::string_view output_format) {
  if (output_format == "[[A]]") {
    if (judgment.find("[[A]]") != std::string_view::npos) return "A";
    if (judgment.find("[[B]]") != std::string_view::npos) return "B";
    if (judgment.find("[[C]]") != std::string_view::npos) return "tie";
    return "error";
  }
  auto scores = find_scores(judgment, "[[", "]]", 2);
  if (scores.empty()) scores = find_scores(judgment, "[", "]", 2);
  if (scores.empty()) return "error";
  if (std::abs(scores[0].value - scores[1].value) <= kTieDelta) return "tie";
  return scores[0].value > scores[1].value ? "A" : "B";
}

bool is_single_format(std::string_view output_format) { return output_format == "[[rating]]"; }

bool is_pair_format(std::string_view output_format) {
  return output_format == "[[A]]" || output_format == "[[rating_a,rating_b]]";
}

}  // namespace fastchat::judge
