#pragma once
// Reading the judge's verdict out of its free text, exactly as FastChat's common.py does, since
// the numbers of show-result depend on it.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace fastchat::judge {

/// A score as the judge wrote it: "8" is the integer 8 and "8.5" or "8." floats, as Python's
/// ast.literal_eval reads them, so the judgment file keeps FastChat's JSON types.
struct Score {
  double value = -1.0;
  bool integral = true;

  nlohmann::json to_json() const;
};

/// FastChat's "no score" value.
inline constexpr double kNoScore = -1.0;

/// Score of a "[[rating]]" judgment: the first "[[x]]" (x = digits, optionally '.' and more
/// digits), else the first "[x]"; -1 when neither is there.
Score extract_rating(std::string_view judgment);

/// Winner of a pairwise judgment. "[[A]]": "A" when "[[A]]" occurs, else "B" for "[[B]]", else
/// "tie" for "[[C]]", else "error". "[[rating_a,rating_b]]": the scores "[[a, b]]" (else
/// "[a, b]"), a tie when they differ by at most 0.1 (FastChat's TIE_DELTA).
std::string extract_pair_winner(std::string_view judgment, std::string_view output_format);

/// Whether `output_format` is one extract_rating / extract_pair_winner reads.
bool is_single_format(std::string_view output_format);
bool is_pair_format(std::string_view output_format);

}  // namespace fastchat::judge
