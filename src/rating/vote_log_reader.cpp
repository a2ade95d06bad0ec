#include "rating/vote_log_reader.h"

#include <string>

#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "common/json/json_fields.h"
#include "common/json/json_file.h"
#include "common/json/json_lines.h"
#include "rating/battle_reader.h"

namespace fastchat::rating {
using nlohmann::json;

bool is_vote_log(const std::filesystem::path& path) {
  const auto files = input_files(path);
  const std::string text = read_text_file(files.front(), ErrorCode::InvalidConfig);
  bool vote_log = false;
  for_each_nonblank_line(text, [&](std::string_view line, size_t) {
    // A battle list's first line ("[", or a pretty-printed object's "{") does not parse alone.
    const json record = json::parse(line, nullptr, /*allow_exceptions=*/false);
    vote_log = is_conversation_log_record(record);
    return false;  // the first line decides
  });
  return vote_log;
}

void parse_vote_log(std::string_view text, std::string_view source, BattleCleaner& cleaner) {
  try {
    for_each_json_line(text, [&](const json& record, const std::string& where) {
      if (const auto vote = parse_vote_record(record, where)) {
        cleaner.add(*vote);
      } else {
        cleaner.skip_non_vote();
      }
    });
  } catch (const ErrorException& e) {
    Error error = e.error();  // same code and param, with the file in front
    error.message = std::string(source) + ": " + error.message;
    throw ErrorException(std::move(error));
  }
}

void read_vote_logs(const std::filesystem::path& path, BattleCleaner& cleaner) {
  for (const auto& file : input_files(path)) {
    parse_vote_log(read_text_file(file, ErrorCode::InvalidConfig), file.string(), cleaner);
  }
}

}  // namespace fastchat::rating
