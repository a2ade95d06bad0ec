#include "judge/question.h"

#include <array>
#include <set>
#include <string_view>

#include "common/json/json_fields.h"

namespace fastchat::judge {

Question parse_question(const nlohmann::json& object) {
  Question q;
  q.question_id = required_field(object, "question_id");
  check_question_id(q.question_id, "question_id");
  q.category = read_string(required_field(object, "category"), "category");
  q.turns = read_string_list(object, "turns");
  if (find_field(object, "reference") != nullptr) {
    q.reference = read_string_list(object, "reference");
  }
  if (const auto* temperature = find_field(object, "required_temperature")) {
    q.required_temperature =
        read_number_in(*temperature, "required_temperature", Interval{0.0, 2.0});
  }
  return q;
}

std::vector<Question> load_questions(const std::filesystem::path& file) {
  std::vector<Question> questions;
  std::set<std::string> seen;
  read_jsonl(file, [&](const nlohmann::json& object, const LineOrigin&) {
    Question q = parse_question(object);
    if (!seen.insert(id_key(q.question_id)).second) {
      reject_field("question_id", "repeats " + id_key(q.question_id));
    }
    questions.push_back(std::move(q));
  });
  return questions;
}

double category_temperature(const std::string& category) {
  static const std::array<std::pair<std::string_view, double>, 9> kTemperatures{{
      {"writing", 0.7},
      {"roleplay", 0.7},
      {"extraction", 0.0},
      {"math", 0.0},
      {"coding", 0.0},
      {"reasoning", 0.0},
      {"stem", 0.1},
      {"humanities", 0.1},
      {"arena-hard-200", 0.0},
  }};
  for (const auto& [name, temperature] : kTemperatures) {
    if (name == category) return temperature;
  }
  return 0.7;
}

bool needs_reference(const std::string& category) {
  return category == "math" || category == "reasoning" || category == "coding" ||
         category == "arena-hard-200";
}

}  // namespace fastchat::judge
