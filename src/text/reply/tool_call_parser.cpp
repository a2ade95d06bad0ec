#include "text/reply/tool_call_parser.h"

#include "text/reply/deepseek_v3_tool_call_parser.h"
#include "text/reply/hermes_tool_call_parser.h"
#include "text/reply/llama3_json_tool_call_parser.h"
#include "text/reply/mistral_tool_call_parser.h"

namespace fastchat::reply {

std::unique_ptr<ToolCallParser> make_tool_call_parser(ToolCallFormat format) {
  switch (format) {
    case ToolCallFormat::Hermes:
      return std::make_unique<HermesToolCallParser>();
    case ToolCallFormat::Llama3Json:
      return std::make_unique<Llama3JsonToolCallParser>();
    case ToolCallFormat::Mistral:
      return std::make_unique<MistralToolCallParser>();
    case ToolCallFormat::DeepSeekV3:
      return std::make_unique<DeepSeekV3ToolCallParser>();
    case ToolCallFormat::None:
      break;
  }
  return nullptr;
}

}  // namespace fastchat::reply
