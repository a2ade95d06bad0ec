#pragma once
// Line-by-line reading of FastChat's JSON-lines files (questions, answers, judge prompts,
// judgments). A malformed line is an error naming the file, the line number and the field, so a
// user can fix a hand-edited file; nothing here ever crashes on bad input.

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace fastchat::judge {

/// Where a record came from, for error messages: "DIR/question.jsonl:3".
struct LineOrigin {
  std::filesystem::path file;
  size_t line = 0;

  std::string text() const;
};

/// Calls `parse(object, origin)` for each non-blank line of `file`, which must be a JSON
/// object. An ErrorException thrown by `parse` (e.g. from json_fields' read_string) is rethrown
/// as InvalidRequest prefixed with "<file>:<line>: ". A file that cannot be opened throws too.
/// `tolerate_torn_tail`: a last line without its newline that is not JSON is skipped (what a
/// crash in the middle of an append leaves) instead of being an error.
void read_jsonl(const std::filesystem::path& file,
                const std::function<void(const nlohmann::json&, const LineOrigin&)>& parse,
                bool tolerate_torn_tail = false);

/// `object[name]`, which must be present and not null: else "'<name>' is required".
const nlohmann::json& required_field(const nlohmann::json& object, std::string_view name);

/// A non-empty array of strings at `object[name]`; errors name it `param` (default: `name`).
std::vector<std::string> read_string_list(const nlohmann::json& object, std::string_view name,
                                          std::string param = {});

/// Question ids are integers in MT-Bench and strings in other benches; both are kept as JSON.
/// Throws unless `value` is an integer or a string.
void check_question_id(const nlohmann::json& value, const std::string& param);

/// A question id as a map key: its compact JSON text (81, "arena-1").
std::string id_key(const nlohmann::json& question_id);

/// FastChat's order of question ids: integers by value, before strings, strings by text.
bool id_less(const nlohmann::json& a, const nlohmann::json& b);

}  // namespace fastchat::judge
