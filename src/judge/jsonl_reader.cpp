#include "judge/jsonl_reader.h"

#include "common/error/error.h"
#include "common/json/json_fields.h"

namespace fastchat::judge {

std::string LineOrigin::text() const { return file.string() + ":" + std::to_string(line); }

namespace {

[[noreturn]] void fail_at(const LineOrigin& origin, const std::string& what) {
  throw_error(ErrorCode::InvalidRequest, origin.text() + ": " + what, origin.file.string());
}

}  // namespace

void read_jsonl(const std::filesystem::path& file,
                const std::function<void(const nlohmann::json&, const LineOrigin&)>& parse,
                bool tolerate_torn_tail) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw_error(ErrorCode::InvalidRequest, "cannot read " + file.string(), file.string());
  LineOrigin origin{file, 0};
  std::string line;
  while (std::getline(in, line)) {
    ++origin.line;
    // getline sets eof when the last line had no newline: that line may be a torn append.
    const bool torn = in.eof();
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto value = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) {
      if (torn && tolerate_torn_tail) return;
      fail_at(origin, "not a JSON value");
    }
    if (!value.is_object()) fail_at(origin, "not a JSON object");
    try {
      parse(value, origin);
    } catch (const ErrorException& e) {
      fail_at(origin, e.error().message);
    } catch (const nlohmann::json::exception& e) {
      fail_at(origin, e.what());
    }
  }
}

const nlohmann::json& required_field(const nlohmann::json& object, std::string_view name) {
  const nlohmann::json* value = find_field(object, name);
  if (value == nullptr) reject_field(std::string(name), "is required");
  return *value;
}

std::vector<std::string> read_string_list(const nlohmann::json& object, std::string_view name,
                                          std::string param) {
  if (param.empty()) param = name;
  const nlohmann::json* found = find_field(object, name);
  if (found == nullptr) reject_field(param, "is required");
  const auto& value = *found;
  if (!value.is_array() || value.empty()) {
    reject_field(param, "must be a non-empty array of strings, got " + describe_value(value));
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < value.size(); ++i) {
    out.push_back(read_string(value[i], param + "[" + std::to_string(i) + "]"));
  }
  return out;
}

void check_question_id(const nlohmann::json& value, const std::string& param) {
  if (!value.is_number_integer() && !value.is_string()) {
    reject_field(param, "must be an integer or a string, got " + describe_value(value));
  }
}

std::string id_key(const nlohmann::json& question_id) { return question_id.dump(); }

bool id_less(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.is_string() != b.is_string()) return !a.is_string();
  if (a.is_string()) return a.get_ref<const std::string&>() < b.get_ref<const std::string&>();
  return a.get<int64_t>() < b.get<int64_t>();
}

}  // namespace fastchat::judge
