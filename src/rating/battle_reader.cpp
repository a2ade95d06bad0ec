#include "rating/battle_reader.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "common/json/json_fields.h"
#include "common/json/json_file.h"
#include "common/json/json_lines.h"

namespace fastchat::rating {
namespace {

using nlohmann::json;

const std::string& read_model(const json& record, const std::string& where, const char* field) {
  const std::string param = where + "." + field;
  const json* value = find_field(record, field);
  if (value == nullptr) reject_field(param, "is missing");
  const std::string& name = read_string(*value, param);
  if (name.empty()) reject_field(param, "must be a model name, got \"\"");
  return name;
}

// A count of conv_metadata: an integer, or an object of integers that are summed (FastChat's
// header_count_a is {"h1": 0, ..., "h6": 2}, list_count_a {"ordered": 1, "unordered": 3}).
double read_count(const json& metadata, const std::string& where, const std::string& name) {
  const std::string param = where + ".conv_metadata." + name;
  const json* value = find_field(metadata, name);
  if (value == nullptr) reject_field(param, "is missing");
  if (!value->is_object()) return static_cast<double>(read_integer(*value, param));
  double sum = 0;
  for (const auto& [key, count] : value->items()) {
    sum += static_cast<double>(read_integer(count, param + "." + key));
  }
  return sum;
}

StyleCounts read_style(const json& metadata, const std::string& where) {
  if (!metadata.is_object()) {
    reject_field(where + ".conv_metadata",
                 std::string("must be an object, got ") + metadata.type_name());
  }
  static constexpr const char* kNames[StyleCounts::kFeatures] = {
      "sum_assistant_%s_tokens", "header_count_%s", "list_count_%s", "bold_count_%s"};
  StyleCounts style;
  for (size_t f = 0; f < StyleCounts::kFeatures; ++f) {
    for (const char* side : {"a", "b"}) {
      std::string name = kNames[f];
      name.replace(name.find("%s"), 2, side);
      (side[0] == 'a' ? style.a : style.b)[f] = read_count(metadata, where, name);
    }
  }
  return style;
}

// Who voted, when, and in which language: what the daily vote cap and the language filter need.
// FastChat's cleaned records always have them; other exports may not, and then the battle is
// simply not capped or not matched by a language filter.
void read_vote_context(const json& record, const std::string& where, BattleSet& out,
                       Battle& battle) {
  if (const json* judge = find_field(record, "judge")) {
    battle.judge = out.judges().intern(read_string(*judge, where + ".judge"));
  }
  if (const json* language = find_field(record, "language")) {
    battle.language = out.languages().intern(read_string(*language, where + ".language"));
  }
  if (const json* tstamp = find_field(record, "tstamp")) {
    const double seconds = read_number(*tstamp, where + ".tstamp");
    // Days since 1970 fit in int32 for any timestamp of this millennium and far beyond.
    if (!(std::abs(seconds) < 1e14))
      reject_field(where + ".tstamp", "must be a Unix time, got " + describe_value(*tstamp));
    battle.day = static_cast<int32_t>(std::floor(seconds / 86400.0));
  }
}

// One battle record; `where` is its location ("battles[3]", "line 7") for error params.
void add_record(const json& record, const std::string& where, BattleSet& out) {
  if (!record.is_object()) {
    reject_field(where, std::string("must be a battle object, got ") + record.type_name());
  }
  const std::string& a = read_model(record, where, "model_a");
  const std::string& b = read_model(record, where, "model_b");
  if (a == b) reject_field(where + ".model_b", "must differ from 'model_a', got \"" + b + "\"");
  const json* winner_value = find_field(record, "winner");
  if (winner_value == nullptr) reject_field(where + ".winner", "is missing");
  const auto winner = parse_winner(read_string(*winner_value, where + ".winner"));
  if (!winner) {
    reject_field(where + ".winner",
                 "must be one of \"model_a\", \"model_b\", \"tie\", \"tie (bothbad)\", got " +
                     describe_value(*winner_value));
  }
  Battle battle;
  battle.model_a = out.intern(a);
  battle.model_b = out.intern(b);
  battle.winner = *winner;
  // A record without `anony` counts as anonymous: FastChat's cleaned data always has the field,
  // and other exports (one arena's votes) are anonymous by construction.
  if (const json* anony = find_field(record, "anony")) {
    battle.anony = read_bool(*anony, where + ".anony");
  }
  read_vote_context(record, where, out, battle);
  if (const json* metadata = find_field(record, "conv_metadata")) {
    battle.style = static_cast<int32_t>(out.styles().size());
    out.styles().push_back(read_style(*metadata, where));
  }
  out.battles().push_back(battle);
}

void parse_json_lines(std::string_view text, BattleSet& out) {
  for_each_json_line(
      text, [&](const json& record, const std::string& where) { add_record(record, where, out); });
}

// Parses `text` as one JSON value whose battle list is the value itself (`top_level_list`) or
// the value of its top-level key "battles". Each battle goes to add_record as soon as it is
// complete and is dropped from the tree, so that a million battles never exist as one DOM
// (about 600 bytes each). Returns the rest of the document.
json parse_streaming(std::string_view text, bool top_level_list, BattleSet& out,
                     bool& saw_battles) {
  const int list_depth = top_level_list ? 0 : 1;
  bool in_list = false;  // between the list's [ and ]
  std::string key;       // the current top-level key
  size_t index = 0;
  auto callback = [&](int depth, json::parse_event_t event, json& parsed) {
    using Event = json::parse_event_t;
    if (event == Event::key && depth == 1) key = parsed.get<std::string>();
    const bool is_list = top_level_list || key == "battles";
    if (event == Event::array_start && depth == list_depth && is_list) {
      in_list = saw_battles = true;
    } else if (event == Event::array_end && depth == list_depth && in_list) {
      in_list = false;
    } else if (in_list && depth == list_depth + 1 &&
               (event == Event::object_end || event == Event::array_end || event == Event::value)) {
      add_record(parsed, "battles[" + std::to_string(index++) + "]", out);
      return false;  // handled: not kept in the tree
    }
    return true;
  };
  return json::parse(text, callback);
}

void parse_document(std::string_view text, BattleSet& out) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return;  // an empty file: no battles
  if (text[first] != '[' && text[first] != '{') {
    reject_field("battles",
                 "must be a list of battles, a {\"battles\": [...]} object or JSON lines");
  }
  bool saw_battles = false;
  json document;
  try {
    document = parse_streaming(text, text[first] == '[', out, saw_battles);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for a number like 1e999
    // Not one JSON value. Unless a battle list had begun, it is JSON lines: one per line.
    if (saw_battles || text[first] == '[') {
      reject_field("battles", std::string("is not valid JSON: ") + e.what());
    }
    parse_json_lines(text, out);
    return;
  }
  if (document.is_object() && document.contains("battles") && !saw_battles) {
    reject_field("battles",
                 std::string("must be a list of battles, got ") + document["battles"].type_name());
  }
  if (document.is_object() && !saw_battles) {
    add_record(document, "line 1", out);  // a JSON-lines file of one battle
  }
}

}  // namespace

void parse_battles(std::string_view text, std::string_view source, BattleSet& out) {
  try {
    parse_document(text, out);
  } catch (const ErrorException& e) {
    // Same code and param, with the file in front so that a folder's bad file is found.
    Error error = e.error();
    error.message = std::string(source) + ": " + error.message;
    throw ErrorException(std::move(error));
  }
}

std::vector<std::filesystem::path> input_files(const std::filesystem::path& path) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(path, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
      const auto ext = entry.path().extension();
      if (entry.is_regular_file() && (ext == ".json" || ext == ".jsonl")) {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
      throw_error(ErrorCode::InvalidConfig, path.string() + ": no .json or .jsonl files", "input");
    }
  } else if (std::filesystem::is_regular_file(path, ec)) {
    files.push_back(path);
  } else {
    throw_error(ErrorCode::InvalidConfig, path.string() + ": no such file or folder", "input");
  }
  return files;
}

BattleSet read_battles(const std::filesystem::path& path) {
  const auto files = input_files(path);
  BattleSet battles;
  for (const auto& file : files) {
    parse_battles(read_text_file(file, ErrorCode::InvalidConfig), file.string(), battles);
  }
  return battles;
}

}  // namespace fastchat::rating
