#pragma once
// Reading FastChat's conversation logs (`YYYY-MM-DD-conv.json`: JSON lines, one record per
// line) into a BattleCleaner: a file, or every .json/.jsonl file of a folder in name order
// (which is date order for FastChat's file names). Records that are not battle votes are
// skipped and counted; a malformed record is an error naming the file, the line and the field.

#include <filesystem>
#include <string_view>

#include "rating/battle_cleaner.h"

namespace fastchat::rating {

/// True when `path` (its first file, for a folder) holds conversation-log records rather than
/// cleaned battles: its first line is a JSON object with `type`, which battle records lack.
bool is_vote_log(const std::filesystem::path& path);

/// Feeds the records of `text` to `cleaner`. `source` names the text in error messages. Throws
/// ErrorException{InvalidRequest}: "<source>: 'line 7.states[1].messages' must be a list, ...".
void parse_vote_log(std::string_view text, std::string_view source, BattleCleaner& cleaner);

/// parse_vote_log over the file or the folder's files. Throws as parse_vote_log, or with
/// InvalidConfig for a path that cannot be read.
void read_vote_logs(const std::filesystem::path& path, BattleCleaner& cleaner);

}  // namespace fastchat::rating
