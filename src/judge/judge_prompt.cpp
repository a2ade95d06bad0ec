#include "judge/judge_prompt.h"

#include "common/error/error.h"
#include "common/json/json_fields.h"
#include "judge/jsonl_reader.h"

namespace fastchat::judge {

namespace {

std::string optional_string(const nlohmann::json& object, std::string_view name) {
  const auto* value = find_field(object, name);
  return value == nullptr ? std::string() : read_string(*value, std::string(name));
}

}  // namespace

JudgePrompt parse_judge_prompt(const nlohmann::json& object) {
  JudgePrompt p;
  p.name = read_string(required_field(object, "name"), "name");
  p.type = read_string(required_field(object, "type"), "type");
  if (p.type != "single" && p.type != "pairwise") {
    reject_field("type",
                 "must be \"single\" or \"pairwise\", got " + describe_value(object["type"]));
  }
  p.system_prompt = optional_string(object, "system_prompt");
  p.prompt_template = read_string(required_field(object, "prompt_template"), "prompt_template");
  p.description = optional_string(object, "description");
  p.category = optional_string(object, "category");
  p.output_format = read_string(required_field(object, "output_format"), "output_format");
  return p;
}

nlohmann::ordered_json to_json(const JudgePrompt& p) {
  return {{"name", p.name},
          {"type", p.type},
          {"system_prompt", p.system_prompt},
          {"prompt_template", p.prompt_template},
          {"description", p.description},
          {"category", p.category},
          {"output_format", p.output_format}};
}

JudgePrompts load_judge_prompts(const std::filesystem::path& file) {
  JudgePrompts prompts;
  read_jsonl(file, [&](const nlohmann::json& object, const LineOrigin&) {
    JudgePrompt p = parse_judge_prompt(object);
    prompts.insert_or_assign(p.name, std::move(p));
  });
  return prompts;
}

std::string format_prompt(const std::string& tmpl, const std::map<std::string, std::string>& values,
                          const std::string& prompt_name) {
  std::string out;
  out.reserve(tmpl.size());
  for (size_t i = 0; i < tmpl.size(); ++i) {
    const char c = tmpl[i];
    if ((c == '{' || c == '}') && i + 1 < tmpl.size() && tmpl[i + 1] == c) {
      out += c;
      ++i;
      continue;
    }
    if (c == '}') {
      throw_error(ErrorCode::InvalidRequest,
                  "judge prompt '" + prompt_name + "': single '}' in its template");
    }
    if (c != '{') {
      out += c;
      continue;
    }
    const size_t close = tmpl.find('}', i + 1);
    if (close == std::string::npos) {
      throw_error(ErrorCode::InvalidRequest,
                  "judge prompt '" + prompt_name + "': single '{' in its template");
    }
    const std::string field = tmpl.substr(i + 1, close - i - 1);
    const auto it = values.find(field);
    if (it == values.end()) {
      throw_error(ErrorCode::InvalidRequest, "judge prompt '" + prompt_name +
                                                 "': no value for the placeholder {" + field + "}");
    }
    out += it->second;
    i = close;
  }
  return out;
}

}  // namespace fastchat::judge
