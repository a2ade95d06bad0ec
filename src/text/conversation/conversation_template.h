#pragma once
// A conversation template: FastChat's `Conversation` (fastchat/conversation.py) without the
// mutable history. The template is a value; render() takes the chat to format, so one template
// can serve concurrent requests.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "protocol/chat_message.h"
#include "text/conversation/separator_style.h"

namespace fastchat::conversation {

/// How a model expects a chat to be laid out as one prompt string, with the stop conditions that
/// end an assistant turn. Field meanings follow FastChat's Conversation dataclass.
struct ConversationTemplate {
  // Every member has a default initializer so designated initializers may omit any of them.
  std::string name{};
  /// Contains "{system_message}", replaced by the system message when rendering.
  std::string system_template = "{system_message}";
  std::string system_message{};
  /// Role names written into the prompt for user and assistant turns.
  std::array<std::string, 2> roles{"USER", "ASSISTANT"};
  SeparatorStyle sep_style = SeparatorStyle::AddColonSingle;
  std::string sep = "\n";
  /// Empty stands for FastChat's None.
  std::string sep2{};
  std::vector<std::string> stop_str{};
  std::vector<int32_t> stop_token_ids{};
  /// FastChat's messages[:offset]: example turns rendered before the real chat (roles "user" /
  /// "assistant"). Only one_shot has them among the built-in templates.
  std::vector<protocol::ChatMessage> few_shot{};

  /// Renders a prompt for `messages` exactly as FastChat's get_prompt() would.
  ///
  /// A "system" message replaces system_message (the last one wins and its position is ignored,
  /// as in FastChat's get_gen_params). User and assistant messages follow the few-shot turns in
  /// order; alternation is not checked. When the last user/assistant message is from the user (or
  /// there is none), an open assistant turn is appended (FastChat's trailing `None` message). As
  /// in FastChat, a message with empty content renders like an open turn (`if message:`).
  /// Throws ErrorCode::InvalidRequest (param "messages[i].role") for any other role.
  std::string render(std::span<const protocol::ChatMessage> messages) const;

  /// The rendered system block alone: system_template with system_message substituted.
  std::string system_prompt(std::string_view message) const;

  /// The "conv" object of FastChat's /worker_get_conv_template: the Conversation dataclass
  /// fields (name, system_template, system_message, system_message_vision, roles, messages,
  /// offset, sep_style as an int, sep, sep2, stop_str, stop_token_ids, max_image_size_mb) plus
  /// conv.dict()'s "template_name", so readers of either shape find what they expect. None-valued
  /// fields (empty sep2, no stop_str, no stop_token_ids) are null; one stop string is sent as a
  /// string, several as a list.
  nlohmann::json to_fastchat_json() const;

  /// Reads the object written by to_fastchat_json() or by FastChat's worker ("name" or
  /// "template_name"; missing optional fields take the dataclass defaults). The stored messages
  /// become few_shot, alternating user/assistant. Throws ErrorCode::InvalidRequest naming the
  /// offending field in param.
  static ConversationTemplate from_fastchat_json(const nlohmann::json& conv);

  bool operator==(const ConversationTemplate&) const = default;
};

}  // namespace fastchat::conversation
