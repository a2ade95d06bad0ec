#pragma once
// agreement: how often two judges pick the same winner, as FastChat's compute_agreement.py
// computes it for MT-Bench (with and without ties, per turn). Votes come from FastChat's
// human-judgment JSON (a list of {question_id, model_a, model_b, winner, judge, turn}, judge
// "expert_*" read as "human", ["gpt-4", "pair-*"] as "gpt4-pair") or from a pairwise judgment
// file (<judge>_pair.jsonl: both games agreeing is a win, otherwise a tie; "error" is skipped).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fastchat::judge {

struct Vote {
  nlohmann::json question_id;
  std::string model_a;
  std::string model_b;
  std::string winner;  ///< "model_a", "model_b", "tie" or "tie (bothbad)"
  std::string judge;   ///< the judge's name for --judges (judge_name)
  int turn = 1;
};

/// FastChat's get_judge_name, extended: ["gpt-4", "pair-*"] -> "gpt4-pair", another judge model
/// M with a pair prompt -> "M-pair", "expert_*" -> "human", "author_*" -> "author", any other
/// string as is.
std::string judge_name(const nlohmann::json& judge);

/// Every vote of `file`: a JSON array (human-judgment format) or JSON lines (pair judgments).
/// Throws naming the file, line or index, and field of a malformed vote.
std::vector<Vote> load_votes(const std::filesystem::path& file);

struct AgreementRow {
  int turn = 1;
  bool with_tie = true;
  int64_t total = 0;
  int64_t agree = 0;

  /// agree / total, or nothing when no vote could be compared.
  std::optional<double> ratio() const;
};

/// compute_agreement.py's four lines (turn 1 and 2, with and without ties) for judges `first`
/// and `second` (names as judge_name gives them). The same name twice compares that judge's
/// votes on the same question and pair with each other (human vs human). Otherwise each vote of
/// `second` is compared with each of `first` on the same question, pair and turn.
std::vector<AgreementRow> compute_agreement(const std::vector<Vote>& votes,
                                            const std::string& first, const std::string& second);

std::string to_markdown(const std::vector<AgreementRow>& rows, const std::string& first,
                        const std::string& second);
nlohmann::ordered_json to_json(const std::vector<AgreementRow>& rows);

}  // namespace fastchat::judge
