#include "judge/pair_judgment.h"

#include "common/json/json_fields.h"
#include "judge/jsonl_reader.h"
#include "judge/single_judgment.h"

namespace fastchat::judge {

namespace {

std::string read_winner(const nlohmann::json& object, const char* name) {
  const std::string& w = read_string(required_field(object, name), name);
  if (w != "model_1" && w != "model_2" && w != "tie" && w != "error") {
    reject_field(name, "must be \"model_1\", \"model_2\", \"tie\" or \"error\", got \"" + w + "\"");
  }
  return w;
}

std::string optional_text(const nlohmann::json& object, const char* name) {
  const auto* v = find_field(object, name);
  return v == nullptr ? std::string() : read_string(*v, name);
}

}  // namespace

std::string PairJudgment::key() const {
  return id_key(question_id) + "\t" + model_1 + "\t" + model_2 + "\t" + judge_model + "\t" +
         prompt_name + "\t" + std::to_string(turn);
}

PairJudgment parse_pair_judgment(const nlohmann::json& object) {
  PairJudgment j;
  j.question_id = required_field(object, "question_id");
  check_question_id(j.question_id, "question_id");
  j.model_1 = read_string(required_field(object, "model_1"), "model_1");
  j.model_2 = read_string(required_field(object, "model_2"), "model_2");
  j.g1_winner = read_winner(object, "g1_winner");
  j.g2_winner = read_winner(object, "g2_winner");
  std::tie(j.judge_model, j.prompt_name) = parse_judge_pair(object);
  j.g1_user_prompt = optional_text(object, "g1_user_prompt");
  j.g1_judgment = optional_text(object, "g1_judgment");
  j.g2_user_prompt = optional_text(object, "g2_user_prompt");
  j.g2_judgment = optional_text(object, "g2_judgment");
  // FastChat's pairs judged with a single-answer prompt carry no turn: they are first turns.
  if (const auto* t = find_field(object, "turn")) {
    j.turn = static_cast<int>(read_integer_in(*t, "turn", 1, 2));
  }
  if (const auto* v = find_field(object, "tstamp")) j.tstamp = read_number(*v, "tstamp");
  return j;
}

nlohmann::ordered_json to_json(const PairJudgment& j) {
  return {{"question_id", j.question_id},
          {"model_1", j.model_1},
          {"model_2", j.model_2},
          {"g1_winner", j.g1_winner},
          {"g2_winner", j.g2_winner},
          {"judge", {j.judge_model, j.prompt_name}},
          {"g1_user_prompt", j.g1_user_prompt},
          {"g1_judgment", j.g1_judgment},
          {"g2_user_prompt", j.g2_user_prompt},
          {"g2_judgment", j.g2_judgment},
          {"turn", j.turn},
          {"tstamp", j.tstamp}};
}

void read_pair_judgments(const std::filesystem::path& file,
                         const std::function<void(PairJudgment)>& each) {
  if (!std::filesystem::exists(file)) return;
  read_jsonl(
      file,
      [&](const nlohmann::json& object, const LineOrigin&) { each(parse_pair_judgment(object)); },
      /*tolerate_torn_tail=*/true);
}

std::string winner_model(const std::string& verdict, int game) {
  if (verdict == "A") return game == 1 ? "model_1" : "model_2";
  if (verdict == "B") return game == 1 ? "model_2" : "model_1";
  return verdict;
}

}  // namespace fastchat::judge
