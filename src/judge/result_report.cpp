#include "judge/result_report.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <ostream>

#include "common/error/error.h"
#include "judge/judgment_generator.h"
#include "judge/question.h"
#include "judge/result_charts.h"

namespace fastchat::judge {

namespace {

std::string fixed6(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6f", value);
  return buffer;
}

// CSV quoting for a model name with a comma or a quote in it.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

void scores_table(std::string& out, const std::string& title, const std::vector<ModelScore>& rows) {
  out += "## " + title + "\n\n| model | score |\n|---|---:|\n";
  for (const auto& r : rows) out += "| " + r.model + " | " + fixed6(r.score) + " |\n";
  out += "\n";
}

nlohmann::ordered_json scores_json(const std::vector<ModelScore>& rows) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& r : rows)
    out.push_back({{"model", r.model}, {"score", r.score}, {"n", r.count}});
  return out;
}

void write_file(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush())
    throw_error(ErrorCode::InvalidConfig, "cannot write " + file.string(), file.string());
}

// Question categories by id key, from the question file when there is one.
std::map<std::string, std::string> question_categories(const ShowResultOptions& options) {
  auto file = options.question_file;
  if (file.empty() && !options.bench_dir.empty()) file = options.bench_dir / "question.jsonl";
  std::map<std::string, std::string> categories;
  if (file.empty() || !std::filesystem::exists(file)) return categories;
  for (const auto& q : load_questions(file)) categories[id_key(q.question_id)] = q.category;
  return categories;
}

}  // namespace

std::string to_markdown(const SingleResults& results) {
  std::string out;
  scores_table(out, "First turn", results.first_turn);
  if (!results.second_turn.empty()) scores_table(out, "Second turn", results.second_turn);
  scores_table(out, "Average", results.average);
  return out;
}

std::string to_csv(const SingleResults& results) {
  // One row per model: its mean per turn and overall (empty when it has none).
  std::map<std::string, std::array<std::string, 3>> cells;
  const std::vector<ModelScore>* tables[] = {&results.first_turn, &results.second_turn,
                                             &results.average};
  for (size_t t = 0; t < 3; ++t) {
    for (const auto& r : *tables[t]) cells[r.model][t] = fixed6(r.score);
  }
  std::string out = "model,turn_1,turn_2,average\n";
  for (const auto& r : results.average) {
    const auto& c = cells[r.model];
    out += csv_field(r.model) + "," + c[0] + "," + c[1] + "," + c[2] + "\n";
  }
  return out;
}

nlohmann::ordered_json to_json(const SingleResults& results) {
  nlohmann::ordered_json by_category = nlohmann::ordered_json::object();
  for (const auto& category : ordered_categories(results)) {
    by_category[category] = scores_json(results.by_category.at(category));
  }
  return {{"mode", "single"},
          {"first_turn", scores_json(results.first_turn)},
          {"second_turn", scores_json(results.second_turn)},
          {"average", scores_json(results.average)},
          {"by_category", by_category}};
}

std::string to_markdown(const std::vector<PairwiseRow>& rows) {
  std::string out =
      "| model | win | loss | tie | win_rate | loss_rate | win_rate_adjusted |\n"
      "|---|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& r : rows) {
    out += "| " + r.model + " | " + std::to_string(r.win) + " | " + std::to_string(r.loss) + " | " +
           std::to_string(r.tie) + " | " + fixed6(r.win_rate) + " | " + fixed6(r.loss_rate) +
           " | " + fixed6(r.win_rate_adjusted) + " |\n";
  }
  return out;
}

std::string to_csv(const std::vector<PairwiseRow>& rows) {
  std::string out = "model,win,loss,tie,win_rate,loss_rate,win_rate_adjusted\n";
  for (const auto& r : rows) {
    out += csv_field(r.model) + "," + std::to_string(r.win) + "," + std::to_string(r.loss) + "," +
           std::to_string(r.tie) + "," + fixed6(r.win_rate) + "," + fixed6(r.loss_rate) + "," +
           fixed6(r.win_rate_adjusted) + "\n";
  }
  return out;
}

nlohmann::ordered_json to_json(const std::vector<PairwiseRow>& rows) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& r : rows) {
    out.push_back({{"model", r.model},
                   {"win", r.win},
                   {"loss", r.loss},
                   {"tie", r.tie},
                   {"win_rate", r.win_rate},
                   {"loss_rate", r.loss_rate},
                   {"win_rate_adjusted", r.win_rate_adjusted}});
  }
  return out;
}

void show_results(const ShowResultOptions& options, std::ostream& out) {
  const auto file = options.input_file.empty()
                        ? judgment_file(options.bench_dir, options.judge_model, options.mode)
                        : options.input_file;
  if (!std::filesystem::exists(file)) {
    throw_error(ErrorCode::InvalidConfig, "no judgments: " + file.string() + " does not exist",
                "input-file");
  }
  out << "Input file: " << file.string() << "\n\n";
  std::string markdown, csv;
  nlohmann::ordered_json json;
  BarChart chart;
  if (options.mode == JudgeMode::Single) {
    SingleResultsBuilder builder(options.model_list);
    builder.set_categories(question_categories(options));
    read_single_judgments(file, [&](SingleJudgment j) { builder.add(j); });
    const auto results = builder.finish();
    markdown = to_markdown(results);
    csv = to_csv(results);
    json = to_json(results);
    chart = single_chart(results);
  } else {
    std::optional<std::string> baseline;
    if (options.mode == JudgeMode::PairwiseBaseline) baseline = options.baseline_model;
    PairwiseResultsBuilder builder(options.model_list, baseline);
    read_pair_judgments(file, [&](PairJudgment j) { builder.add(j); });
    const auto rows = builder.finish();
    markdown = to_markdown(rows);
    csv = to_csv(rows);
    json = {{"mode", options.mode == JudgeMode::PairwiseAll ? "pairwise-all" : "pairwise-baseline"},
            {"baseline", baseline ? nlohmann::ordered_json(*baseline) : nlohmann::ordered_json()},
            {"rows", to_json(rows)}};
    chart = pairwise_chart(rows);
  }
  out << markdown;
  if (!options.csv_file.empty()) write_file(options.csv_file, csv);
  if (!options.json_file.empty()) write_file(options.json_file, json.dump(2) + "\n");
  if (!options.svg_file.empty()) write_file(options.svg_file, to_svg(chart));
}

}  // namespace fastchat::judge
