#pragma once
// A judge prompt as FastChat's judge_prompts.jsonl holds it: {"name", "type": "single" |
// "pairwise", "system_prompt", "prompt_template", "description", "category", "output_format"}.
// Templates use Python str.format placeholders ({question}, {answer_a_1}, {ref_answer_1}, ...).

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fastchat::judge {

struct JudgePrompt {
  std::string name;
  std::string type;  ///< "single" or "pairwise"
  std::string system_prompt;
  std::string prompt_template;
  std::string description;
  std::string category;
  std::string output_format;  ///< "[[rating]]", "[[A]]" or "[[rating_a,rating_b]]"
};

using JudgePrompts = std::map<std::string, JudgePrompt>;

/// One judge_prompts.jsonl line; throws naming the field.
JudgePrompt parse_judge_prompt(const nlohmann::json& object);
nlohmann::ordered_json to_json(const JudgePrompt& prompt);

/// Every prompt of `file` by name (a later line with the same name wins, as in FastChat).
JudgePrompts load_judge_prompts(const std::filesystem::path& file);

/// Our own wording of FastChat's eight prompts (single-v1, single-math-v1, their -multi-turn
/// forms, pair-v2, pair-math-v1 and theirs), with FastChat's names, placeholders and output
/// formats, used when no --judge-file is given.
JudgePrompts default_judge_prompts();

/// Python's str.format for named fields: "{name}" takes values.at(name), "{{" and "}}" are
/// braces. A field not in `values` or a lone brace throws (naming it), as Python's KeyError
/// and ValueError; values not used are ignored, as Python does.
std::string format_prompt(const std::string& tmpl, const std::map<std::string, std::string>& values,
                          const std::string& prompt_name);

}  // namespace fastchat::judge
