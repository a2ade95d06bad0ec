#pragma once
// One message of a chat, and the parser that turns an OpenAI-style "messages" array into them.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fastchat::protocol {

/// A call an assistant turn made (OpenAI's {id, type: "function", function: {name, arguments}}).
struct ToolCall {
  std::string id;
  std::string name;
  /// As the client sent it: OpenAI's JSON text, or (some clients) an object. Templates get it
  /// unchanged, as Hugging Face's apply_chat_template passes it; they test which it is.
  nlohmann::ordered_json arguments;

  bool operator==(const ToolCall&) const = default;
};

/// A chat message with a normalised role: "system", "user", "assistant" or "tool".
struct ChatMessage {
  std::string role;
  std::string content;
  /// An assistant turn that only carried tool calls sent content null; templates such as
  /// DeepSeek V3's test `content is none`, so the difference from "" is kept.
  bool content_is_null = false;
  std::vector<ToolCall> tool_calls{};  ///< assistant
  std::string tool_call_id{};          ///< tool: the call this message answers
  std::string name{};                  ///< optional participant or function name

  bool operator==(const ChatMessage&) const = default;
  /// A message only system/user/assistant prompt formats (FastChat's) can render.
  bool is_plain() const { return role != "tool" && tool_calls.empty(); }
};

/// The message as a chat template sees it (and as the native protocol carries it): {role,
/// content (string or null), tool_calls: [{id, type: "function", function: {name, arguments}}],
/// tool_call_id, name}, the optional fields only when set.
nlohmann::ordered_json to_json(const ChatMessage& message);

/// Parses an OpenAI-style "messages" array into ChatMessages.
///
/// `content` is a string, or a list of parts of which only {"type": "text", "text": ...} is
/// accepted; text parts are joined with "\n" like FastChat's get_gen_params
/// (fastchat/serve/openai_api_server.py on github.com/lm-sys/FastChat). Image and other parts are
/// rejected: this platform serves text-only models, and FastChat's own image path there does not
/// work either (get_gen_params keeps image URLs as strings, and Conversation.get_images expects
/// image objects). A null or missing content is allowed only for assistant messages (a turn that
/// only carried tool calls). Role "developer" (OpenAI's newer name for system) is read as
/// "system". Assistant `tool_calls` and a tool message's `tool_call_id` (required) are validated
/// as OpenAI defines them. Unknown fields are ignored.
///
/// Throws ErrorCode::InvalidRequest whose param is the exact JSON path of the offending value,
/// e.g. "messages", "messages[2].role", "messages[0].content[1].type".
std::vector<ChatMessage> parse_chat_messages(const nlohmann::json& messages);

}  // namespace fastchat::protocol
