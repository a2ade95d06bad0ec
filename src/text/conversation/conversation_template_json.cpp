// ConversationTemplate <-> FastChat's JSON "conv" object (the /worker_get_conv_template reply).

#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "text/conversation/conversation_template.h"

namespace fastchat::conversation {
namespace {

using nlohmann::json;

[[noreturn]] void bad_field(const std::string& field, const std::string& what) {
  throw_error(ErrorCode::InvalidRequest, "conversation template field '" + field + "' " + what,
              field);
}

// A string field where null means FastChat's None (read as "").
std::string optional_string(const json& conv, const char* field, std::string fallback) {
  const auto it = conv.find(field);
  if (it == conv.end()) return fallback;
  if (it->is_null()) return {};
  if (!it->is_string()) bad_field(field, "must be a string or null");
  return it->get<std::string>();
}

std::vector<std::string> read_stop_str(const json& conv) {
  const auto it = conv.find("stop_str");
  if (it == conv.end() || it->is_null()) return {};
  if (it->is_string()) return {it->get<std::string>()};
  if (!it->is_array()) bad_field("stop_str", "must be a string, a list of strings or null");
  std::vector<std::string> stops;
  for (const json& stop : *it) {
    if (!stop.is_string()) bad_field("stop_str", "must contain only strings");
    stops.push_back(stop.get<std::string>());
  }
  return stops;
}

std::vector<int32_t> read_stop_token_ids(const json& conv) {
  const auto it = conv.find("stop_token_ids");
  if (it == conv.end() || it->is_null()) return {};
  if (!it->is_array()) bad_field("stop_token_ids", "must be a list of integers or null");
  std::vector<int32_t> ids;
  for (const json& id : *it) {
    if (!id.is_number_integer()) bad_field("stop_token_ids", "must contain only integers");
    ids.push_back(id.get<int32_t>());
  }
  return ids;
}

// Stored messages are [role_name, text] pairs; text may be null (an open turn). Roles are taken
// from the position because some templates (raw) give both roles the same name.
std::vector<protocol::ChatMessage> read_messages(const json& conv) {
  const auto it = conv.find("messages");
  if (it == conv.end() || it->is_null()) return {};
  if (!it->is_array()) bad_field("messages", "must be a list of [role, text] pairs");
  std::vector<protocol::ChatMessage> messages;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& pair = (*it)[i];
    const std::string field = "messages[" + std::to_string(i) + "]";
    if (!pair.is_array() || pair.size() != 2) bad_field(field, "must be a [role, text] pair");
    if (!pair[1].is_string() && !pair[1].is_null()) bad_field(field, "text must be a string");
    messages.push_back(
        protocol::ChatMessage{i % 2 == 0 ? "user" : "assistant",
                              pair[1].is_null() ? std::string() : pair[1].get<std::string>()});
  }
  return messages;
}

}  // namespace

json ConversationTemplate::to_fastchat_json() const {
  json messages = json::array();
  for (const protocol::ChatMessage& message : few_shot) {
    messages.push_back(
        json::array({message.role == "assistant" ? roles[1] : roles[0], message.content}));
  }
  json stop = nullptr;
  if (stop_str.size() == 1) stop = stop_str.front();
  if (stop_str.size() > 1) stop = stop_str;
  return json{
      {"name", name},
      {"template_name", name},
      {"system_template", system_template},
      {"system_message", system_message},
      {"system_message_vision", ""},
      {"roles", json::array({roles[0], roles[1]})},
      {"messages", std::move(messages)},
      {"offset", few_shot.size()},
      {"sep_style", static_cast<int>(sep_style)},
      {"sep", sep},
      {"sep2", sep2.empty() ? json(nullptr) : json(sep2)},
      {"stop_str", std::move(stop)},
      {"stop_token_ids", stop_token_ids.empty() ? json(nullptr) : json(stop_token_ids)},
      {"max_image_size_mb", nullptr},
  };
}

ConversationTemplate ConversationTemplate::from_fastchat_json(const json& conv) {
  if (!conv.is_object()) bad_field("conv", "must be an object");
  ConversationTemplate tpl;
  tpl.name = optional_string(conv, "name", optional_string(conv, "template_name", ""));
  tpl.system_template = optional_string(conv, "system_template", tpl.system_template);
  tpl.system_message = optional_string(conv, "system_message", "");

  if (const auto roles = conv.find("roles"); roles != conv.end()) {
    if (!roles->is_array() || roles->size() != 2 || !(*roles)[0].is_string() ||
        !(*roles)[1].is_string()) {
      bad_field("roles", "must be a list of two strings");
    }
    tpl.roles = {(*roles)[0].get<std::string>(), (*roles)[1].get<std::string>()};
  }

  const auto style = conv.find("sep_style");
  if (style == conv.end() || !style->is_number_integer()) {
    bad_field("sep_style", "must be an integer (FastChat's SeparatorStyle value)");
  }
  const auto parsed_style = separator_style_from_int(style->get<int>());
  if (!parsed_style) bad_field("sep_style", "has unknown value " + style->dump());
  tpl.sep_style = *parsed_style;

  tpl.sep = optional_string(conv, "sep", tpl.sep);
  tpl.sep2 = optional_string(conv, "sep2", "");
  tpl.stop_str = read_stop_str(conv);
  tpl.stop_token_ids = read_stop_token_ids(conv);
  tpl.few_shot = read_messages(conv);
  return tpl;
}

}  // namespace fastchat::conversation
