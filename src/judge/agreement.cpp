#include "judge/agreement.h"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>

#include "common/error/error.h"
#include "common/json/json_fields.h"
#include "judge/jsonl_reader.h"
#include "judge/pair_judgment.h"

namespace fastchat::judge {

namespace {

// Turn -> key (question, model pair in name order) -> judge -> winners, as
// get_mt_bench_votes_data arranges them.
using Key = std::string;
using VotesByKey = std::map<Key, std::map<std::string, std::vector<std::string>>>;

std::string revert(const std::string& winner) {
  if (winner == "model_a") return "model_b";
  if (winner == "model_b") return "model_a";
  return winner;
}

bool is_tie(const std::string& winner) { return winner.find("tie") != std::string::npos; }

bool equal_vote(const std::string& a, const std::string& b) {
  return (is_tie(a) && is_tie(b)) || a == b;
}

Vote parse_human_vote(const nlohmann::json& object) {
  Vote v;
  v.question_id = required_field(object, "question_id");
  check_question_id(v.question_id, "question_id");
  v.model_a = read_string(required_field(object, "model_a"), "model_a");
  v.model_b = read_string(required_field(object, "model_b"), "model_b");
  v.winner = read_string(required_field(object, "winner"), "winner");
  if (v.winner != "model_a" && v.winner != "model_b" && !is_tie(v.winner)) {
    reject_field("winner", "must be model_a, model_b or a tie, got \"" + v.winner + "\"");
  }
  v.judge = judge_name(required_field(object, "judge"));
  v.turn = static_cast<int>(read_integer_in(required_field(object, "turn"), "turn", 1, 2));
  return v;
}

// A pair judgment as one vote; nothing when a game failed.
std::optional<Vote> pair_vote(const PairJudgment& j) {
  if (j.g1_winner == "error" || j.g2_winner == "error") return std::nullopt;
  Vote v{j.question_id,
         j.model_1,
         j.model_2,
         "tie",
         judge_name(nlohmann::json::array({j.judge_model, j.prompt_name})),
         j.turn};
  if (j.g1_winner == j.g2_winner && j.g1_winner != "tie") {
    v.winner = j.g1_winner == "model_1" ? "model_a" : "model_b";
  }
  return v;
}

std::vector<VotesByKey> arrange(const std::vector<Vote>& votes) {
  std::vector<VotesByKey> by_turn(2);
  for (const Vote& v : votes) {
    const bool ordered = v.model_a < v.model_b;
    const Key key = id_key(v.question_id) + "\t" + (ordered ? v.model_a : v.model_b) + "\t" +
                    (ordered ? v.model_b : v.model_a);
    by_turn[v.turn - 1][key][v.judge].push_back(ordered ? v.winner : revert(v.winner));
  }
  return by_turn;
}

AgreementRow agreement_of(const VotesByKey& data, const std::string& first,
                          const std::string& second, bool with_tie) {
  AgreementRow row;
  row.with_tie = with_tie;
  auto count = [&](const std::string& a, const std::string& b) {
    if (!with_tie && (is_tie(a) || is_tie(b))) return;
    ++row.total;
    row.agree += equal_vote(a, b) ? 1 : 0;
  };
  for (const auto& [key, judges] : data) {
    const auto one = judges.find(first);
    const auto two = judges.find(second);
    if (one == judges.end() || two == judges.end()) continue;
    const auto& a = one->second;
    const auto& b = two->second;
    if (first == second) {
      for (size_t i = 0; i + 1 < a.size(); ++i) {
        for (size_t k = i + 1; k < a.size(); ++k) count(a[i], a[k]);
      }
      continue;
    }
    for (const auto& va : a) {
      for (const auto& vb : b) count(va, vb);
    }
  }
  return row;
}

}  // namespace

std::string judge_name(const nlohmann::json& judge) {
  if (judge.is_array() && judge.size() == 2 && judge[0].is_string() && judge[1].is_string()) {
    const auto& model = judge[0].get_ref<const std::string&>();
    const auto& prompt = judge[1].get_ref<const std::string&>();
    const std::string base = model == "gpt-4" ? "gpt4" : model;
    return prompt.rfind("pair", 0) == 0 ? base + "-pair" : base + "-" + prompt;
  }
  const std::string& name = read_string(judge, "judge");
  if (name.rfind("expert", 0) == 0) return "human";
  if (name.rfind("author", 0) == 0) return "author";
  return name;
}

std::vector<Vote> load_votes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw_error(ErrorCode::InvalidRequest, "cannot read " + file.string(), file.string());
  char first = ' ';
  while (in.get(first) && std::isspace(static_cast<unsigned char>(first))) {
  }
  std::vector<Vote> votes;
  if (first != '[') {
    read_pair_judgments(file, [&](PairJudgment j) {
      if (auto v = pair_vote(j)) votes.push_back(*std::move(v));
    });
    return votes;
  }
  in.seekg(0);
  const auto all = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (all.is_discarded() || !all.is_array()) {
    throw_error(ErrorCode::InvalidRequest, file.string() + ": not a JSON array of votes");
  }
  for (size_t i = 0; i < all.size(); ++i) {
    try {
      votes.push_back(parse_human_vote(all[i]));
    } catch (const ErrorException& e) {
      throw_error(ErrorCode::InvalidRequest,
                  file.string() + "[" + std::to_string(i) + "]: " + e.error().message);
    }
  }
  return votes;
}

std::optional<double> AgreementRow::ratio() const {
  if (total == 0) return std::nullopt;
  return static_cast<double>(agree) / static_cast<double>(total);
}

std::vector<AgreementRow> compute_agreement(const std::vector<Vote>& votes,
                                            const std::string& first, const std::string& second) {
  const auto by_turn = arrange(votes);
  std::vector<AgreementRow> rows;
  for (int turn = 1; turn <= 2; ++turn) {
    for (const bool with_tie : {true, false}) {
      rows.push_back(agreement_of(by_turn[turn - 1], first, second, with_tie));
      rows.back().turn = turn;
    }
  }
  return rows;
}

std::string to_markdown(const std::vector<AgreementRow>& rows, const std::string& first,
                        const std::string& second) {
  std::string out = "Agreement of " + first + " and " + second +
                    "\n\n| turn | ties | total | agree | ratio |\n|---:|---|---:|---:|---:|\n";
  for (const auto& r : rows) {
    char ratio[32] = "n/a";
    if (r.ratio()) std::snprintf(ratio, sizeof ratio, "%.2f", *r.ratio());
    out += "| " + std::to_string(r.turn) + " | " + (r.with_tie ? "with" : "without") + " | " +
           std::to_string(r.total) + " | " + std::to_string(r.agree) + " | " + ratio + " |\n";
  }
  return out;
}

nlohmann::ordered_json to_json(const std::vector<AgreementRow>& rows) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& r : rows) {
    out.push_back({{"turn", r.turn},
                   {"with_tie", r.with_tie},
                   {"total", r.total},
                   {"agree", r.agree},
                   {"ratio", r.ratio() ? nlohmann::ordered_json(*r.ratio()) : nullptr}});
  }
  return out;
}

}  // namespace fastchat::judge
