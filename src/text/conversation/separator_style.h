#pragma once
// FastChat's SeparatorStyle: how a conversation template joins its system prompt, role names and
// messages. The integer values go over the wire in /worker_get_conv_template, so they must keep
// FastChat's numbering (fastchat/conversation.py, an IntEnum counted from 1).

#include <optional>
#include <string_view>

namespace fastchat::conversation {

/// A rendering rule of a conversation template; numbered exactly like FastChat's IntEnum.
enum class SeparatorStyle : int {
  AddColonSingle = 1,
  AddColonTwo = 2,
  AddColonSpaceSingle = 3,
  NoColonSingle = 4,
  NoColonTwo = 5,
  AddNewLineSingle = 6,
  Llama2 = 7,
  Llama3 = 8,
  ChatGlm = 9,
  ChatMl = 10,
  ChatIntern = 11,
  Dolly = 12,
  Rwkv = 13,
  Phoenix = 14,
  Robin = 15,
  FalconChat = 16,
  ChatGlm3 = 17,
  DeepseekChat = 18,
  MetaMath = 19,
  Yuan2 = 20,
  Gemma = 21,
  Cllm = 22,
  Default = 23,
};

/// The style with FastChat's integer `value`, or nullopt when no style has it.
std::optional<SeparatorStyle> separator_style_from_int(int value);

/// FastChat's member name ("ADD_COLON_TWO", ...), for logs and error messages.
std::string_view separator_style_name(SeparatorStyle style);

}  // namespace fastchat::conversation
