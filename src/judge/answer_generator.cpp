#include "judge/answer_generator.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <vector>

#include "common/error/error.h"
#include "judge/jsonl_appender.h"
#include "judge/jsonl_reader.h"
#include "judge/model_answer.h"
#include "judge/parallel_runner.h"

namespace fastchat::judge {

namespace {

std::vector<Question> question_slice(const GenAnswerOptions& options) {
  auto questions = load_questions(options.bench_dir / "question.jsonl");
  const size_t end = std::min(options.question_end.value_or(questions.size()), questions.size());
  const size_t begin = std::min(options.question_begin.value_or(0), end);
  return {questions.begin() + static_cast<std::ptrdiff_t>(begin),
          questions.begin() + static_cast<std::ptrdiff_t>(end)};
}

// One choice: every turn asked in the same conversation.
std::vector<std::string> answer_turns(const ChatCaller& caller, const GenAnswerOptions& options,
                                      const Question& q, double temperature) {
  nlohmann::json messages = nlohmann::json::array();
  if (!options.system_prompt.empty()) {
    messages.push_back({{"role", "system"}, {"content", options.system_prompt}});
  }
  std::vector<std::string> turns;
  for (const std::string& turn : q.turns) {
    messages.push_back({{"role", "user"}, {"content", turn}});
    turns.push_back(caller.complete(messages, temperature, options.max_tokens));
    messages.push_back({{"role", "assistant"}, {"content", turns.back()}});
  }
  return turns;
}

}  // namespace

double answer_temperature(const Question& q, const std::optional<double>& force_temperature) {
  if (force_temperature) return *force_temperature;
  if (q.required_temperature) return *q.required_temperature;
  return category_temperature(q.category);
}

GenAnswerSummary generate_answers(const GenAnswerOptions& options) {
  const auto file = options.answer_file.empty()
                        ? options.bench_dir / "model_answer" / (options.model + ".jsonl")
                        : options.answer_file;
  const auto questions = question_slice(options);
  // Only the ids: a long run's answers are not held in memory to resume it.
  std::set<std::string> answered;
  if (std::filesystem::exists(file)) {
    read_jsonl(
        file,
        [&](const nlohmann::json& object, const LineOrigin&) {
          answered.insert(id_key(parse_model_answer(object).question_id));
        },
        /*tolerate_torn_tail=*/true);
  }
  std::vector<const Question*> todo;
  for (const auto& q : questions) {
    if (!answered.count(id_key(q.question_id))) todo.push_back(&q);
  }
  GenAnswerSummary summary;
  summary.questions = questions.size();
  summary.skipped = questions.size() - todo.size();
  std::fprintf(stderr, "gen-answer: %zu questions, %zu already answered in %s, %zu to ask\n",
               summary.questions, summary.skipped, file.c_str(), todo.size());
  JsonlAppender out(file);
  const ChatCaller caller(options.api, options.model, options.retry);
  const auto result = run_parallel(todo.size(), options.parallel, "gen-answer", [&](size_t i) {
    const Question& q = *todo[i];
    ModelAnswer answer;
    answer.question_id = q.question_id;
    answer.answer_id = new_answer_id();
    answer.model_id = options.model;
    const double temperature = answer_temperature(q, options.force_temperature);
    for (int c = 0; c < options.num_choices; ++c) {
      answer.choices.push_back(answer_turns(caller, options, q, temperature));
    }
    answer.tstamp = now_tstamp();
    out.append(to_json(answer).dump());
  });
  summary.answered = result.done;
  summary.failed = result.failed;
  reorganize_answer_file(file);
  return summary;
}

void reorganize_answer_file(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) return;
  // First pass validates every line (errors name it) and learns the ids in order.
  std::vector<nlohmann::json> ids;
  std::map<std::string, size_t> index;
  read_jsonl(
      file,
      [&](const nlohmann::json& object, const LineOrigin&) {
        const auto& id = required_field(object, "question_id");
        check_question_id(id, "question_id");
        if (index.emplace(id_key(id), ids.size()).second) ids.push_back(id);
      },
      /*tolerate_torn_tail=*/true);
  // Second pass: where each question's last line is. Lines are copied byte for byte later, so
  // field order and fields this program does not know survive, and memory holds offsets only.
  std::vector<std::pair<std::streamoff, size_t>> where(ids.size());
  std::ifstream in(file, std::ios::binary);
  std::string line;
  for (std::streamoff at = 0; std::getline(in, line); at = in.tellg()) {
    auto value = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded() || !value.is_object()) continue;  // blank or torn: checked above
    where[index.at(id_key(value["question_id"]))] = {at, line.size()};
    if (in.eof()) break;
  }
  std::vector<size_t> order(ids.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return id_less(ids[a], ids[b]); });
  const auto tmp = std::filesystem::path(file.string() + ".tmp");
  {
    std::ifstream source(file, std::ios::binary);
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    for (const size_t i : order) {
      line.resize(where[i].second);
      source.seekg(where[i].first);
      source.read(line.data(), static_cast<std::streamsize>(line.size()));
      out << line << '\n';
    }
    if (!source || !out.flush()) {
      throw_error(ErrorCode::Internal, "rewriting " + file.string() + " failed");
    }
  }
  std::filesystem::rename(tmp, file);
}

}  // namespace fastchat::judge
