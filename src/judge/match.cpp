#include "judge/match.h"

#include "common/error/error.h"
#include "judge/jsonl_reader.h"
#include "judge/verdict.h"

namespace fastchat::judge {

JudgeMode parse_judge_mode(const std::string& text) {
  if (text == "single") return JudgeMode::Single;
  if (text == "pairwise-baseline") return JudgeMode::PairwiseBaseline;
  if (text == "pairwise-all") return JudgeMode::PairwiseAll;
  throw_error(ErrorCode::InvalidConfig,
              "--mode must be single, pairwise-baseline or pairwise-all, got " + text, "mode");
}

bool is_pairwise(JudgeMode mode) { return mode != JudgeMode::Single; }

std::map<std::string, const JudgePrompt*> pick_prompts(const JudgePrompts& prompts,
                                                       JudgeMode mode) {
  const bool pair = is_pairwise(mode);
  const std::map<std::string, std::string> names =
      pair ? std::map<std::string, std::string>{{"default", "pair-v2"},
                                                {"math", "pair-math-v1"},
                                                {"default-mt", "pair-v2-multi-turn"},
                                                {"math-mt", "pair-math-v1-multi-turn"}}
           : std::map<std::string, std::string>{{"default", "single-v1"},
                                                {"math", "single-math-v1"},
                                                {"default-mt", "single-v1-multi-turn"},
                                                {"math-mt", "single-math-v1-multi-turn"}};
  std::map<std::string, const JudgePrompt*> picked;
  for (const auto& [role, name] : names) {
    const auto it = prompts.find(name);
    if (it == prompts.end()) {
      throw_error(ErrorCode::InvalidConfig, "the judge prompts have no '" + name + "'",
                  "judge-file");
    }
    const JudgePrompt& p = it->second;
    const bool format_ok =
        pair ? is_pair_format(p.output_format) : is_single_format(p.output_format);
    if (p.type != (pair ? "pairwise" : "single") || !format_ok) {
      throw_error(ErrorCode::InvalidConfig,
                  "judge prompt '" + name + "' has type '" + p.type + "' and output format '" +
                      p.output_format + "', which this mode cannot read",
                  "judge-file");
    }
    picked.emplace(role, &p);
  }
  return picked;
}

namespace {

const ModelAnswer& answer_of(const MatchInputs& in, const std::string& model, const Question& q) {
  const auto model_it = in.answers.find(model);
  if (model_it == in.answers.end()) {
    throw_error(ErrorCode::InvalidRequest,
                "no answers of model '" + model + "' (model_answer/" + model + ".jsonl)");
  }
  const auto it = model_it->second.find(id_key(q.question_id));
  if (it == model_it->second.end()) {
    throw_error(ErrorCode::InvalidRequest,
                "model '" + model + "' has no answer to question " + id_key(q.question_id));
  }
  return it->second;
}

// The reference file's answer, else the question's own "reference" field.
const std::vector<std::string>* reference_of(const MatchInputs& in, const Question& q) {
  const auto it = in.references.find(id_key(q.question_id));
  if (it != in.references.end() && !it->second.choices.empty()) return &it->second.choices[0];
  if (!q.reference.empty()) return &q.reference;
  throw_error(ErrorCode::InvalidRequest, "no reference answer to question " +
                                             id_key(q.question_id) + " (category " + q.category +
                                             ") in " + in.reference_source);
}

}  // namespace

std::vector<Match> make_matches(const MatchInputs& in, JudgeMode mode,
                                const std::vector<std::string>& models,
                                const std::string& baseline) {
  const auto prompts = pick_prompts(in.prompts, mode);
  std::vector<Match> matches;
  for (const bool multi_turn : {false, true}) {
    for (const bool with_ref : {false, true}) {
      const JudgePrompt* prompt =
          prompts.at(std::string(with_ref ? "math" : "default") + (multi_turn ? "-mt" : ""));
      for (const Question& q : in.questions) {
        if (needs_reference(q.category) != with_ref) continue;
        if (multi_turn && q.turns.size() != 2) continue;
        const auto* reference = with_ref ? reference_of(in, q) : nullptr;
        auto add = [&](const std::string& m1, const std::string& m2) {
          Match m{&q,
                  m1,
                  m2,
                  &answer_of(in, m1, q),
                  m2.empty() ? nullptr : &answer_of(in, m2, q),
                  prompt,
                  reference,
                  multi_turn};
          matches.push_back(std::move(m));
        };
        for (size_t i = 0; i < models.size(); ++i) {
          if (mode == JudgeMode::Single) add(models[i], "");
          if (mode == JudgeMode::PairwiseBaseline && models[i] != baseline)
            add(models[i], baseline);
          if (mode == JudgeMode::PairwiseAll) {
            for (size_t j = i + 1; j < models.size(); ++j) add(models[i], models[j]);
          }
        }
      }
    }
  }
  return matches;
}

}  // namespace fastchat::judge
