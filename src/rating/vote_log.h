#pragma once
// FastChat's conversation logs (`LOGDIR/YYYY-MM-DD-conv.json`, one JSON record a line) as the
// battle cleaner reads them. The Arena writes a record per vote:
//   {"tstamp": 1700000000.5, "type": "leftvote", "models": ["", ""],
//    "states": [{"model_name": "x", "messages": [["USER", "hi"], ["ASSISTANT", "hello"]],
//                "offset": 0, "conv_id": "...", "roles": [...], ...}, {...}], "ip": "1.2.3.4"}
// `type` leftvote|rightvote|tievote|bothbad_vote is a battle; chat, upvote, share and the
// other types are not. `models` holds the selector names shown to the voter: "" (or "Model A"
// in old logs) while an anonymous battle is still hidden.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "rating/battle.h"

namespace fastchat::rating {

/// One side of a battle: FastChat's conversation state, reduced to what the cleaning reads.
struct VoteState {
  std::string model_name;  ///< "" when the state has none
  std::string conv_id;     ///< "" when the state has none
  /// The texts of the messages after `offset` (the template's few-shot examples), in order:
  /// even positions are the user's, odd ones the model's (FastChat's to_openai_format reads the
  /// roles by position too, since role strings are the template's). nullopt for a null text (a
  /// reply that never arrived).
  std::vector<std::optional<std::string>> texts;
};

/// A battle vote of the log.
struct VoteRecord {
  Winner winner = Winner::Tie;
  std::array<std::string, 2> models;  ///< the selector names shown when the vote was cast
  std::array<VoteState, 2> states;
  double tstamp = 0.0;
  std::string ip;  ///< "" when the record has none
};

/// The winner of a vote `type` (leftvote → model_a, rightvote → model_b, tievote → tie,
/// bothbad_vote → tie (bothbad)), or nullopt for a type that is not a battle vote.
std::optional<Winner> vote_winner(std::string_view type);

/// True for a record of a conversation log (it has `type`), which FastChat's cleaned battle
/// records never have.
bool is_conversation_log_record(const nlohmann::json& record);

/// The battle vote in `record`, or nullopt when its type is not a battle vote. Throws
/// ErrorException{InvalidRequest} whose param is `where` and the field ("line 7.states[1]
/// .messages[2]"). Missing or null messages are not an error: the cleaning drops such votes.
std::optional<VoteRecord> parse_vote_record(const nlohmann::json& record, const std::string& where);

}  // namespace fastchat::rating
