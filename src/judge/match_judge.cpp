#include "judge/match_judge.h"

#include <map>

#include "judge/model_answer.h"
#include "judge/verdict.h"

namespace fastchat::judge {

namespace {

using Values = std::map<std::string, std::string>;

// ref_answer_1 (and ref_answer_2 for second turns) when the prompt is reference-based.
void add_reference(const Match& match, Values& values) {
  if (match.reference == nullptr) return;
  const auto& ref = *match.reference;
  if (!ref.empty()) values["ref_answer_1"] = ref[0];
  if (match.multi_turn && ref.size() > 1) values["ref_answer_2"] = ref[1];
}

}  // namespace

std::string single_user_prompt(const Match& match) {
  const Question& q = *match.question;
  Values values;
  add_reference(match, values);
  if (match.multi_turn) {
    values["question_1"] = q.turns[0];
    values["question_2"] = q.turns[1];
    values["answer_1"] = match.answer_1->turn(0);
    values["answer_2"] = match.answer_1->turn(1);
  } else {
    values["question"] = q.turns[0];
    values["answer"] = match.answer_1->turn(0);
  }
  return format_prompt(match.prompt->prompt_template, values, match.prompt->name);
}

std::string pair_user_prompt(const Match& match, int game) {
  const Question& q = *match.question;
  const ModelAnswer& a = game == 1 ? *match.answer_1 : *match.answer_2;
  const ModelAnswer& b = game == 1 ? *match.answer_2 : *match.answer_1;
  Values values;
  add_reference(match, values);
  if (match.multi_turn) {
    values["question_1"] = q.turns[0];
    values["question_2"] = q.turns[1];
    values["answer_a_1"] = a.turn(0);
    values["answer_b_1"] = b.turn(0);
    values["answer_a_2"] = a.turn(1);
    values["answer_b_2"] = b.turn(1);
  } else {
    values["question"] = q.turns[0];
    values["answer_a"] = a.turn(0);
    values["answer_b"] = b.turn(0);
  }
  return format_prompt(match.prompt->prompt_template, values, match.prompt->name);
}

nlohmann::json judge_messages(const JudgePrompt& prompt, const std::string& user_prompt) {
  nlohmann::json messages = nlohmann::json::array();
  if (!prompt.system_prompt.empty()) {
    messages.push_back({{"role", "system"}, {"content", prompt.system_prompt}});
  }
  messages.push_back({{"role", "user"}, {"content", user_prompt}});
  return messages;
}

SingleJudgment judge_single(const Match& match, const ChatCaller& judge, int max_tokens) {
  SingleJudgment j;
  j.question_id = match.question->question_id;
  j.model = match.model_1;
  j.judge_model = judge.model();
  j.prompt_name = match.prompt->name;
  j.user_prompt = single_user_prompt(match);
  j.judgment = judge.complete(judge_messages(*match.prompt, j.user_prompt), 0.0, max_tokens);
  j.score = extract_rating(j.judgment);
  j.turn = match.turn();
  j.tstamp = now_tstamp();
  return j;
}

PairJudgment judge_pair(const Match& match, const ChatCaller& judge, int max_tokens) {
  PairJudgment j;
  j.question_id = match.question->question_id;
  j.model_1 = match.model_1;
  j.model_2 = match.model_2;
  j.judge_model = judge.model();
  j.prompt_name = match.prompt->name;
  j.g1_user_prompt = pair_user_prompt(match, 1);
  j.g2_user_prompt = pair_user_prompt(match, 2);
  j.g1_judgment = judge.complete(judge_messages(*match.prompt, j.g1_user_prompt), 0.0, max_tokens);
  j.g2_judgment = judge.complete(judge_messages(*match.prompt, j.g2_user_prompt), 0.0, max_tokens);
  j.g1_winner = winner_model(extract_pair_winner(j.g1_judgment, match.prompt->output_format), 1);
  j.g2_winner = winner_model(extract_pair_winner(j.g2_judgment, match.prompt->output_format), 2);
  j.turn = match.turn();
  j.tstamp = now_tstamp();
  return j;
}

std::string match_key(const Match& match, const std::string& judge_model) {
  if (match.model_2.empty()) {
    SingleJudgment j;
    j.question_id = match.question->question_id;
    j.model = match.model_1;
    j.judge_model = judge_model;
    j.prompt_name = match.prompt->name;
    j.turn = match.turn();
    return j.key();
  }
  PairJudgment j;
  j.question_id = match.question->question_id;
  j.model_1 = match.model_1;
  j.model_2 = match.model_2;
  j.judge_model = judge_model;
  j.prompt_name = match.prompt->name;
  j.turn = match.turn();
  return j.key();
}

}  // namespace fastchat::judge
