// FastChat's llm_judge files: parsing, field order and types when written, errors that name the
// file, line and field, resuming after a torn append, and FastChat's answer-file reorganization.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/error/error.h"
#include "judge/answer_generator.h"
#include "judge/jsonl_appender.h"
#include "judge/judge_prompt.h"
#include "judge/model_answer.h"
#include "judge/pair_judgment.h"
#include "judge/question.h"
#include "judge/single_judgment.h"
#include "test_paths.h"

namespace fastchat::judge {
namespace {

namespace fs = std::filesystem;

class Files : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = fastchat::testing::make_temp_dir("judge-formats"); }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  static std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  // The message of the ErrorException `call` throws ("" when none).
  template <typename Call>
  static std::string error_of(Call&& call) {
    try {
      call();
    } catch (const ErrorException& e) {
      return e.error().message;
    }
    return "";
  }

  fs::path dir_;
};

TEST_F(Files, QuestionsAsMtBenchWritesThem) {
  const auto file =
      write("question.jsonl", R"({"question_id": 81, "category": "writing", "turns": ["a", "b"]})"
                              "\n\n"
                              R"({"question_id": "x-1", "category": "math", "turns": ["c"],)"
                              R"( "reference": ["4"], "required_temperature": 0.3})"
                              "\n");
  const auto qs = load_questions(file);
  ASSERT_EQ(qs.size(), 2u);
  EXPECT_EQ(qs[0].question_id, 81);
  EXPECT_EQ(qs[0].turns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(qs[1].question_id, "x-1");
  EXPECT_EQ(qs[1].reference, std::vector<std::string>{"4"});
  EXPECT_EQ(answer_temperature(qs[0], std::nullopt), 0.7);
  EXPECT_EQ(answer_temperature(qs[1], std::nullopt), 0.3);
  EXPECT_EQ(answer_temperature(qs[1], 1.0), 1.0);
}

TEST_F(Files, CategoryTemperaturesAreFastChats) {
  EXPECT_EQ(category_temperature("writing"), 0.7);
  EXPECT_EQ(category_temperature("roleplay"), 0.7);
  for (const char* c : {"extraction", "math", "coding", "reasoning"}) {
    EXPECT_EQ(category_temperature(c), 0.0) << c;
  }
  EXPECT_EQ(category_temperature("stem"), 0.1);
  EXPECT_EQ(category_temperature("humanities"), 0.1);
  EXPECT_EQ(category_temperature("anything else"), 0.7);
  EXPECT_TRUE(needs_reference("math"));
  EXPECT_TRUE(needs_reference("reasoning"));
  EXPECT_TRUE(needs_reference("coding"));
  EXPECT_FALSE(needs_reference("writing"));
}

TEST_F(Files, BadLinesNameFileLineAndField) {
  const std::string good = R"({"question_id": 1, "category": "writing", "turns": ["a"]})";
  struct Case {
    std::string line;
    std::string expected;
  };
  for (const auto& c : std::vector<Case>{
           {"{not json", "not a JSON value"},
           {"[1]", "not a JSON object"},
           {R"({"category": "w", "turns": ["a"]})", "'question_id' is required"},
           {R"({"question_id": 1.5, "category": "w", "turns": ["a"]})", "'question_id' must be"},
           {R"({"question_id": 2, "category": 3, "turns": ["a"]})", "'category' must be"},
           {R"({"question_id": 2, "category": "w", "turns": []})", "'turns' must be a non-empty"},
           {R"({"question_id": 2, "category": "w", "turns": ["a", 5]})", "'turns[1]' must be"},
           {good, "'question_id' repeats 1"},
       }) {
    const auto file = write("q.jsonl", good + "\n" + c.line + "\n");
    const std::string message = error_of([&] { load_questions(file); });
    EXPECT_EQ(message.rfind(file.string() + ":2: " + c.expected, 0), 0u)
        << c.line << " -> " << message;
  }
  EXPECT_NE(error_of([&] { load_questions(dir_ / "missing.jsonl"); }).find("cannot read"),
            std::string::npos);
}

TEST_F(Files, ModelAnswersRoundTripInFastChatsFieldOrder) {
  ModelAnswer a;
  a.question_id = 81;
  a.answer_id = new_answer_id();
  a.model_id = "vicuna";
  a.choices = {{"t1", "t2"}};
  a.tstamp = 1700000000.25;
  const std::string line = to_json(a).dump();
  EXPECT_EQ(line.find("{\"question_id\":81,\"answer_id\":"), 0u) << line;
  EXPECT_NE(line.find(R"("choices":[{"index":0,"turns":["t1","t2"]}],"tstamp":1700000000.25})"),
            std::string::npos)
      << line;
  EXPECT_EQ(a.answer_id.size(), 22u);
  const auto back = parse_model_answer(nlohmann::json::parse(line));
  EXPECT_EQ(back.choices, a.choices);
  EXPECT_EQ(back.turn(1), "t2");
  EXPECT_THROW(back.turn(2), ErrorException);
  const auto file =
      write("m.jsonl", line + "\n" + R"({"question_id": 82, "choices": [{}]})" + "\n");
  EXPECT_NE(error_of([&] { load_answer_file(file); }).find(":2: 'choices[0].turns' is required"),
            std::string::npos)
      << error_of([&] { load_answer_file(file); });
}

TEST_F(Files, TornLastLineIsDroppedBeforeAppending) {
  const auto file = write("model_answer/m.jsonl",
                          R"({"question_id": 1, "choices": [{"index": 0, "turns": ["x"]}]})"
                          "\n"
                          R"({"question_id": 2, "choi)");
  EXPECT_EQ(load_answer_file(file, /*tolerate_torn_tail=*/true).size(), 1u);
  EXPECT_THROW(load_answer_file(file), ErrorException);
  {
    JsonlAppender out(file);
    out.append(R"({"question_id": 3, "choices": [{"index": 0, "turns": ["y"]}]})");
  }
  const auto answers = load_answer_file(file);
  EXPECT_EQ(answers.size(), 2u);
  EXPECT_TRUE(answers.count("3"));
}

TEST_F(Files, ReorganizeSortsByIdAndKeepsTheLastLine) {
  const auto file =
      write("a.jsonl", R"({"question_id": 10, "z_extra": 1, "choices": [{"turns": ["old"]}]})"
                       "\n"
                       R"({"question_id": 2, "choices": [{"turns": ["b"]}]})"
                       "\n"
                       R"({"question_id": 10, "choices": [{"turns": ["new"]}]})");
  reorganize_answer_file(file);  // a last line without its newline is whole all the same
  EXPECT_EQ(read(file), R"({"question_id": 2, "choices": [{"turns": ["b"]}]})"
                        "\n"
                        R"({"question_id": 10, "choices": [{"turns": ["new"]}]})"
                        "\n");
}

TEST_F(Files, JudgmentsRoundTripAndReadFastChatsOwnLines) {
  // As FastChat's json.dumps writes them (", " and ": " separators, judge as a list).
  const auto single = write(
      "s.jsonl",
      R"({"question_id": 81, "model": "vicuna", "judge": ["gpt-4", "single-v1"], "user_prompt": "p", "judgment": "Rating: [[7]]", "score": 7, "turn": 1, "tstamp": 1687221812.2})"
      "\n");
  std::vector<SingleJudgment> js;
  read_single_judgments(single, [&](SingleJudgment j) { js.push_back(j); });
  ASSERT_EQ(js.size(), 1u);
  EXPECT_EQ(js[0].judge_model, "gpt-4");
  EXPECT_EQ(js[0].prompt_name, "single-v1");
  EXPECT_EQ(js[0].score.value, 7.0);
  EXPECT_EQ(to_json(js[0]).dump(),
            R"({"question_id":81,"model":"vicuna","judge":["gpt-4","single-v1"],"user_prompt":"p",)"
            R"("judgment":"Rating: [[7]]","score":7,"turn":1,"tstamp":1687221812.2})");
  const auto pair = write(
      "p.jsonl",
      R"({"question_id": 81, "model_1": "a", "model_2": "b", "g1_winner": "model_1", "g2_winner": "tie", "judge": ["gpt-4", "pair-v2"], "g1_user_prompt": "", "g1_judgment": "", "g2_user_prompt": "", "g2_judgment": "", "turn": 2, "tstamp": 1.0})"
      "\n"
      R"({"question_id": 81, "model_1": "a", "model_2": "b", "g1_winner": "A", "g2_winner": "tie", "judge": ["gpt-4", "pair-v2"]})"
      "\n");
  const std::string message = error_of([&] { read_pair_judgments(pair, [](PairJudgment) {}); });
  EXPECT_NE(message.find(":2: 'g1_winner' must be"), std::string::npos) << message;
  EXPECT_EQ(winner_model("A", 1), "model_1");
  EXPECT_EQ(winner_model("A", 2), "model_2");
  EXPECT_EQ(winner_model("B", 2), "model_1");
  EXPECT_EQ(winner_model("tie", 2), "tie");
  EXPECT_EQ(winner_model("error", 1), "error");
}

TEST_F(Files, JudgePromptsFormatLikePythonStrFormat) {
  const std::map<std::string, std::string> values{{"question", "Q"}, {"answer", "A{x}"}};
  EXPECT_EQ(format_prompt("[{question}] {{literal}} {answer}", values, "p"), "[Q] {literal} A{x}");
  EXPECT_THROW(format_prompt("{missing}", values, "p"), ErrorException);
  EXPECT_THROW(format_prompt("a { b", values, "p"), ErrorException);
  EXPECT_THROW(format_prompt("a } b", values, "p"), ErrorException);
  const auto file =
      write("judge_prompts.jsonl",
            R"({"name": "single-v1", "type": "single", "system_prompt": "s", )"
            R"("prompt_template": "{question}", "description": "d", )"
            R"("category": "general", "output_format": "[[rating]]"})"
            "\n"
            R"({"name": "x", "type": "multi", "prompt_template": "", "output_format": ""})"
            "\n");
  EXPECT_NE(error_of([&] { load_judge_prompts(file); }).find(":2: 'type' must be"),
            std::string::npos);
}

TEST_F(Files, BuiltInPromptsUseFastChatsPlaceholders) {
  const auto prompts = default_judge_prompts();
  ASSERT_EQ(prompts.size(), 8u);
  const std::map<std::string, std::vector<std::string>> expected{
      {"single-v1", {"{question}", "{answer}"}},
      {"single-math-v1", {"{question}", "{answer}", "{ref_answer_1}"}},
      {"single-v1-multi-turn", {"{question_1}", "{answer_1}", "{question_2}", "{answer_2}"}},
      {"single-math-v1-multi-turn",
       {"{question_1}", "{answer_2}", "{ref_answer_1}", "{ref_answer_2}"}},
      {"pair-v2", {"{question}", "{answer_a}", "{answer_b}"}},
      {"pair-math-v1", {"{question}", "{answer_a}", "{answer_b}", "{ref_answer_1}"}},
      {"pair-v2-multi-turn",
       {"{question_1}", "{question_2}", "{answer_a_1}", "{answer_b_1}", "{answer_a_2}",
        "{answer_b_2}"}},
      {"pair-math-v1-multi-turn",
       {"{answer_a_1}", "{answer_b_2}", "{ref_answer_1}", "{ref_answer_2}"}},
  };
  for (const auto& [name, placeholders] : expected) {
    const auto& p = prompts.at(name);
    for (const auto& ph : placeholders) {
      EXPECT_NE(p.prompt_template.find(ph), std::string::npos) << name << " lacks " << ph;
    }
    EXPECT_EQ(p.output_format, p.type == "single" ? "[[rating]]" : "[[A]]") << name;
    // Every built-in prompt writes back as a line FastChat's loader reads.
    EXPECT_EQ(parse_judge_prompt(nlohmann::json::parse(to_json(p).dump())).prompt_template,
              p.prompt_template);
  }
}

}  // namespace
}  // namespace fastchat::judge
