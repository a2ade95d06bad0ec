#include "judge/model_answer.h"

#include <chrono>
#include <random>
#include <string_view>

#include "common/error/error.h"
#include "common/json/json_fields.h"
#include "judge/jsonl_reader.h"

namespace fastchat::judge {

const std::string& ModelAnswer::turn(size_t turn) const {
  if (choices.empty() || choices[0].size() <= turn) {
    throw_error(ErrorCode::InvalidRequest, "the answer of '" + model_id + "' to question " +
                                               id_key(question_id) + " has no turn " +
                                               std::to_string(turn + 1));
  }
  return choices[0][turn];
}

ModelAnswer parse_model_answer(const nlohmann::json& object) {
  ModelAnswer a;
  a.question_id = required_field(object, "question_id");
  check_question_id(a.question_id, "question_id");
  // FastChat's reference files carry answer_id and model_id; hand-made ones may not.
  if (const auto* id = find_field(object, "answer_id")) a.answer_id = read_string(*id, "answer_id");
  if (const auto* id = find_field(object, "model_id")) a.model_id = read_string(*id, "model_id");
  if (const auto* t = find_field(object, "tstamp")) a.tstamp = read_number(*t, "tstamp");
  const auto& choices = required_field(object, "choices");
  if (!choices.is_array() || choices.empty()) {
    reject_field("choices", "must be a non-empty array, got " + describe_value(choices));
  }
  for (size_t i = 0; i < choices.size(); ++i) {
    const std::string param = "choices[" + std::to_string(i) + "]";
    if (!choices[i].is_object()) reject_field(param, "must be an object");
    a.choices.push_back(read_string_list(choices[i], "turns", param + ".turns"));
  }
  return a;
}

nlohmann::ordered_json to_json(const ModelAnswer& answer) {
  nlohmann::ordered_json choices = nlohmann::ordered_json::array();
  for (size_t i = 0; i < answer.choices.size(); ++i) {
    choices.push_back({{"index", i}, {"turns", answer.choices[i]}});
  }
  return {{"question_id", answer.question_id},
          {"answer_id", answer.answer_id},
          {"model_id", answer.model_id},
          {"choices", choices},
          {"tstamp", answer.tstamp}};
}

AnswerMap load_answer_file(const std::filesystem::path& file, bool tolerate_torn_tail) {
  AnswerMap answers;
  read_jsonl(
      file,
      [&](const nlohmann::json& object, const LineOrigin&) {
        ModelAnswer a = parse_model_answer(object);
        answers.insert_or_assign(id_key(a.question_id), std::move(a));
      },
      tolerate_torn_tail);
  return answers;
}

std::map<std::string, AnswerMap> load_answer_dir(const std::filesystem::path& dir) {
  std::map<std::string, AnswerMap> models;
  if (!std::filesystem::is_directory(dir)) return models;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".jsonl") continue;
    models.emplace(entry.path().stem().string(), load_answer_file(entry.path()));
  }
  return models;
}

std::string new_answer_id() {
  static constexpr std::string_view kAlphabet =
      "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<size_t> pick(0, kAlphabet.size() - 1);
  std::string id(22, ' ');
  for (char& c : id) c = kAlphabet[pick(rng)];
  return id;
}

double now_tstamp() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<double>(
             std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count()) /
         1e6;
}

}  // namespace fastchat::judge
