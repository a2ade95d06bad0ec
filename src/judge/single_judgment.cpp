#include "judge/single_judgment.h"

#include "common/json/json_fields.h"
#include "judge/jsonl_reader.h"

namespace fastchat::judge {

std::string SingleJudgment::key() const {
  return id_key(question_id) + "\t" + model + "\t" + judge_model + "\t" + prompt_name + "\t" +
         std::to_string(turn);
}

std::pair<std::string, std::string> parse_judge_pair(const nlohmann::json& object) {
  const auto& judge = required_field(object, "judge");
  if (!judge.is_array() || judge.size() != 2) {
    reject_field("judge", "must be [judge_model, prompt_name], got " + describe_value(judge));
  }
  return {read_string(judge[0], "judge[0]"), read_string(judge[1], "judge[1]")};
}

SingleJudgment parse_single_judgment(const nlohmann::json& object) {
  SingleJudgment j;
  j.question_id = required_field(object, "question_id");
  check_question_id(j.question_id, "question_id");
  j.model = read_string(required_field(object, "model"), "model");
  std::tie(j.judge_model, j.prompt_name) = parse_judge_pair(object);
  if (const auto* v = find_field(object, "user_prompt"))
    j.user_prompt = read_string(*v, "user_prompt");
  if (const auto* v = find_field(object, "judgment")) j.judgment = read_string(*v, "judgment");
  const auto& score = required_field(object, "score");
  j.score.value = read_number(score, "score");
  j.score.integral = score.is_number_integer();
  j.turn = static_cast<int>(read_integer_in(required_field(object, "turn"), "turn", 1, 2));
  if (const auto* v = find_field(object, "tstamp")) j.tstamp = read_number(*v, "tstamp");
  return j;
}

nlohmann::ordered_json to_json(const SingleJudgment& j) {
  return {{"question_id", j.question_id},
          {"model", j.model},
          {"judge", {j.judge_model, j.prompt_name}},
          {"user_prompt", j.user_prompt},
          {"judgment", j.judgment},
          {"score", j.score.to_json()},
          {"turn", j.turn},
          {"tstamp", j.tstamp}};
}

void read_single_judgments(const std::filesystem::path& file,
                           const std::function<void(SingleJudgment)>& each) {
  if (!std::filesystem::exists(file)) return;
  read_jsonl(
      file,
      [&](const nlohmann::json& object, const LineOrigin&) { each(parse_single_judgment(object)); },
      /*tolerate_torn_tail=*/true);
}

}  // namespace fastchat::judge
