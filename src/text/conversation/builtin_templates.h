#pragma once
// The conversation templates this platform ships, with FastChat's exact strings.

#include <vector>

#include "text/conversation/conversation_template.h"

namespace fastchat::conversation {

/// The built-in templates in registration order (FastChat's names; "chatml" is added as the
/// canonical name of Qwen's ChatML layout, with "qwen-7b-chat" kept as FastChat's name for it).
std::vector<ConversationTemplate> builtin_templates();

}  // namespace fastchat::conversation
