#include "rating/vote_log.h"

#include "common/json/json_fields.h"

namespace fastchat::rating {
namespace {

using nlohmann::json;

// A message's text: a string, null (a reply not yet arrived), or in the vision arena a
// [text, images] pair whose first item is the text.
std::optional<std::string> read_text(const json& text, const std::string& param) {
  if (text.is_null()) return std::nullopt;
  if (text.is_array() && !text.empty() && text[0].is_string()) return text[0].get<std::string>();
  if (!text.is_string()) {
    reject_field(param, "must be a string, null or [text, images], got " + describe_value(text));
  }
  return text.get<std::string>();
}

std::vector<std::optional<std::string>> read_texts(const json& state, const std::string& where) {
  std::vector<std::optional<std::string>> texts;
  const json* messages = find_field(state, "messages");
  if (messages == nullptr) return texts;  // missing: the cleaning drops the vote
  if (!messages->is_array()) {
    reject_field(where + ".messages", "must be a list, got " + describe_value(*messages));
  }
  int64_t offset = 0;
  if (const json* value = find_field(state, "offset")) {
    offset = read_integer_in(*value, where + ".offset", 0, INT32_MAX);
  }
  for (size_t i = static_cast<size_t>(offset); i < messages->size(); ++i) {
    const std::string param = where + ".messages[" + std::to_string(i) + "]";
    const json& message = (*messages)[i];
    if (!message.is_array() || message.size() < 2) {
      reject_field(param, "must be a [role, text] pair, got " + describe_value(message));
    }
    texts.push_back(read_text(message[1], param + "[1]"));
  }
  return texts;
}

std::string read_optional_string(const json& object, const char* name, const std::string& where) {
  const json* value = find_field(object, name);
  return value == nullptr ? std::string() : read_string(*value, where + "." + name);
}

VoteState read_state(const json& state, const std::string& where) {
  if (!state.is_object()) reject_field(where, "must be a conversation state object");
  VoteState out;
  out.model_name = read_optional_string(state, "model_name", where);
  out.conv_id = read_optional_string(state, "conv_id", where);
  out.texts = read_texts(state, where);
  return out;
}

// A list of exactly two items: `models` and `states` name both sides of a battle.
const json& read_pair(const json& record, const char* name, const std::string& where) {
  const json* value = find_field(record, name);
  if (value == nullptr) reject_field(where + "." + name, "is missing");
  if (!value->is_array() || value->size() != 2) {
    reject_field(where + "." + name, "must be a list of two, got " + describe_value(*value));
  }
  return *value;
}

}  // namespace

std::optional<Winner> vote_winner(std::string_view type) {
  if (type == "leftvote") return Winner::ModelA;
  if (type == "rightvote") return Winner::ModelB;
  if (type == "tievote") return Winner::Tie;
  if (type == "bothbad_vote") return Winner::TieBothBad;
  return std::nullopt;
}

bool is_conversation_log_record(const json& record) {
  return record.is_object() && record.contains("type");
}

std::optional<VoteRecord> parse_vote_record(const json& record, const std::string& where) {
  if (!record.is_object()) reject_field(where, "must be a log record object");
  const json* type = find_field(record, "type");
  if (type == nullptr) reject_field(where + ".type", "is missing");
  const auto winner = vote_winner(read_string(*type, where + ".type"));
  if (!winner) return std::nullopt;
  VoteRecord vote;
  vote.winner = *winner;
  const json& models = read_pair(record, "models", where);
  const json& states = read_pair(record, "states", where);
  for (size_t i = 0; i < 2; ++i) {
    // Appended rather than "[" + ...: GCC 12 warns falsely (-Wrestrict) on that form.
    std::string side = "[";
    side += std::to_string(i);
    side += ']';
    vote.models[i] = read_string(models[i], where + ".models" + side);
    vote.states[i] = read_state(states[i], where + ".states" + side);
  }
  const json* tstamp = find_field(record, "tstamp");
  if (tstamp == nullptr) reject_field(where + ".tstamp", "is missing");
  vote.tstamp = read_number(*tstamp, where + ".tstamp");
  vote.ip = read_optional_string(record, "ip", where);
  return vote;
}

}  // namespace fastchat::rating
