#include "text/conversation/separator_style.h"

#include <array>

namespace fastchat::conversation {
namespace {

// Indexed by value - 1; keep in FastChat's declaration order.
constexpr std::array<std::string_view, 23> kNames = {
    "ADD_COLON_SINGLE",
    "ADD_COLON_TWO",
    "ADD_COLON_SPACE_SINGLE",
    "NO_COLON_SINGLE",
    "NO_COLON_TWO",
    "ADD_NEW_LINE_SINGLE",
    "LLAMA2",
    "LLAMA3",
    "CHATGLM",
    "CHATML",
    "CHATINTERN",
    "DOLLY",
    "RWKV",
    "PHOENIX",
    "ROBIN",
    "FALCON_CHAT",
    "CHATGLM3",
    "DEEPSEEK_CHAT",
    "METAMATH",
    "YUAN2",
    "GEMMA",
    "CLLM",
    "DEFAULT",
};

}  // namespace

std::optional<SeparatorStyle> separator_style_from_int(int value) {
  if (value < 1 || value > static_cast<int>(kNames.size())) return std::nullopt;
  return static_cast<SeparatorStyle>(value);
}

std::string_view separator_style_name(SeparatorStyle style) {
  const int value = static_cast<int>(style);
  if (value < 1 || value > static_cast<int>(kNames.size())) return "UNKNOWN";
  return kNames[static_cast<std::size_t>(value - 1)];
}

}  // namespace fastchat::conversation
