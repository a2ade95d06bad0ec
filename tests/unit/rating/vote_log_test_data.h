#pragma once
// FastChat vote-log records for the cleaning tests, in the exact shape the Arena's web server
// logs them (gradio_block_arena_anony.py's vote_last_response): {"tstamp", "type", "models",
// "states": [conversation state A, B], "ip"}, the states as Conversation.dict() writes them.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fastchat::rating::testing {

/// A conversation state: `texts` alternate prompt, reply (a null json for a reply that never
/// arrived), with vicuna's role strings "USER"/"ASSISTANT", after `few_shot` example messages
/// (the state's offset).
nlohmann::json conv_state(const std::string& model, const std::string& conv_id,
                          const std::vector<nlohmann::json>& texts, int few_shot = 0);

/// A vote record. `hidden` gives models ["", ""] (an anonymous battle not yet revealed);
/// otherwise the states' model names.
nlohmann::json vote_record(const std::string& type, const nlohmann::json& state_a,
                           const nlohmann::json& state_b, bool hidden = true,
                           const std::string& ip = "10.0.0.1", double tstamp = 1700000000.0);

/// A one-turn anonymous battle: prompt "hi", replies "hello from a" / "hello from b"; conv ids
/// are `id` + "-a" / "-b".
nlohmann::json simple_vote(const std::string& type, const std::string& model_a,
                           const std::string& model_b, const std::string& id,
                           double tstamp = 1700000000.0);

/// JSON lines: each record dumped on its own line.
std::string to_lines(const std::vector<nlohmann::json>& records);

}  // namespace fastchat::rating::testing
