#pragma once
// One message of a chat, and the parser that turns an OpenAI-style "messages" array into them.

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace fastchat::protocol {

/// A chat message with a normalised role: "system", "user" or "assistant".
struct ChatMessage {
  std::string role;
  std::string content;

  bool operator==(const ChatMessage&) const = default;
};

/// Parses an OpenAI-style "messages" array into ChatMessages.
///
/// `content` is a string, or a list of parts of which only {"type": "text", "text": ...} is
/// accepted; text parts are joined with "\n" like FastChat's get_gen_params
/// (fastchat/serve/openai_api_server.py on github.com/lm-sys/FastChat). Image and other parts are
/// rejected: this platform serves text-only models, and FastChat's own image path there does not
/// work either (get_gen_params keeps image URLs as strings, and Conversation.get_images expects
/// image objects). A null or missing content is allowed only for assistant messages (a turn that
/// only carried tool calls) and becomes "". Role "developer" (OpenAI's newer name for system) is
/// read as "system". Unknown fields (name, tool_calls, ...) are ignored.
///
/// Throws ErrorCode::InvalidRequest whose param is the exact JSON path of the offending value,
/// e.g. "messages", "messages[2].role", "messages[0].content[1].type".
std::vector<ChatMessage> parse_chat_messages(const nlohmann::json& messages);

}  // namespace fastchat::protocol
