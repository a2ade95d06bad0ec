#pragma once
// Reading FastChat's battle data: a JSON list of battles, an object {"battles": [...]} (as in
// the Arena's battles-sample.json), or JSON lines (one battle object per line), from a file or
// from every .json/.jsonl file of a folder (in name order). A record's `conv_metadata` (reply
// lengths and markdown counts, FastChat's clean_battle_data output) is kept for style control;
// other fields (tstamp, turn, language, conversations) are ignored. A bad record is an error naming
// the file, the record and the field; nothing here crashes on malformed input.

#include <filesystem>
#include <string_view>
#include <vector>

#include "rating/battle.h"

namespace fastchat::rating {

/// Appends the battles of `text` to `out`. `source` names the text in error messages (a file
/// path). Throws ErrorException{InvalidRequest} whose param locates the bad value:
/// "battles[12].winner" for the 13th record of a JSON list, "line 7.winner" for JSON lines.
void parse_battles(std::string_view text, std::string_view source, BattleSet& out);

/// The files `path` names: itself, or every .json/.jsonl file of a folder in name order.
/// Throws ErrorException{InvalidConfig} for a path that is neither, or an empty folder.
std::vector<std::filesystem::path> input_files(const std::filesystem::path& path);

/// The battles of a file or of every .json/.jsonl file in a folder, in file order. Throws
/// ErrorException (InvalidRequest for bad content, InvalidConfig for a path that cannot be read).
BattleSet read_battles(const std::filesystem::path& path);

}  // namespace fastchat::rating
