#include "text/reply/reply_format.h"

#include <gtest/gtest.h>

#include "common/error/error.h"

namespace fastchat::reply {
namespace {

TEST(ToolCallFormatName, ParsesFlagValues) {
  EXPECT_EQ(parse_tool_call_format("auto"), std::nullopt);
  EXPECT_EQ(parse_tool_call_format("none"), ToolCallFormat::None);
  EXPECT_EQ(parse_tool_call_format("hermes"), ToolCallFormat::Hermes);
  EXPECT_EQ(parse_tool_call_format("llama3_json"), ToolCallFormat::Llama3Json);
  EXPECT_EQ(parse_tool_call_format("mistral"), ToolCallFormat::Mistral);
  EXPECT_EQ(parse_tool_call_format("deepseek_v3"), ToolCallFormat::DeepSeekV3);
}

TEST(ToolCallFormatName, RejectsOtherValuesNamingThem) {
  for (const std::string_view name : {"Hermes", "", "llama3"}) {
    try {
      parse_tool_call_format(name);
      ADD_FAILURE() << "accepted '" << name << "'";
    } catch (const ErrorException& e) {
      EXPECT_EQ(e.error().code, ErrorCode::InvalidConfig);
      EXPECT_NE(e.error().message.find("'" + std::string(name) + "'"), std::string::npos)
          << e.error().message;
    }
  }
}

TEST(ToolCallFormatName, RoundTrips) {
  for (const ToolCallFormat format :
       {ToolCallFormat::None, ToolCallFormat::Hermes, ToolCallFormat::Llama3Json,
        ToolCallFormat::Mistral, ToolCallFormat::DeepSeekV3}) {
    EXPECT_EQ(parse_tool_call_format(to_string(format)), format);
  }
  EXPECT_EQ(to_string(ToolCallFormat::Llama3Json), "llama3_json");
}

// Snippets in the shape of the real templates' tool instructions.
TEST(DetectToolCallFormat, FromTemplateSnippets) {
  EXPECT_EQ(
      detect_tool_call_format(
          R"({{- "\n</tools>\n\nFor each function call, return a json object with function )"
          R"(name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n" }})"),
      ToolCallFormat::Hermes);
  EXPECT_EQ(
      detect_tool_call_format(R"({{- "[TOOL_CALLS][" }}{%- for tool in message.tool_calls %})"),
      ToolCallFormat::Mistral);
  EXPECT_EQ(detect_tool_call_format(
                R"({{- 'Respond in the format {"name": function name, "parameters": dictionary )"
                R"(of argument name and its value}.' }})"),
            ToolCallFormat::Llama3Json);
  EXPECT_EQ(
      detect_tool_call_format(
          R"({{'<｜Assistant｜><｜tool▁calls▁begin｜><｜tool▁call▁begin｜>' + tool['type']}})"),
      ToolCallFormat::DeepSeekV3);
  EXPECT_EQ(detect_tool_call_format(R"({{- "<|python_tag|>" + tool_call.name + ".call(" }})"),
            ToolCallFormat::Llama3Json);
  EXPECT_EQ(detect_tool_call_format(
                "{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + "
                "'<|end_header_id|>\n\n' + message['content'] | trim + '<|eot_id|>' }}"),
            ToolCallFormat::None);
}

TEST(ParseReasoningFormat, FlagValues) {
  EXPECT_EQ(parse_reasoning_format("auto"), std::nullopt);
  EXPECT_EQ(parse_reasoning_format("none"), ReasoningFormat::None);
  EXPECT_EQ(parse_reasoning_format("think"), ReasoningFormat::Think);
  EXPECT_EQ(to_string(ReasoningFormat::Think), "think");
  EXPECT_EQ(to_string(ReasoningFormat::None), "none");
  try {
    parse_reasoning_format("deepseek");
    ADD_FAILURE() << "expected InvalidConfig";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::InvalidConfig);
    EXPECT_NE(e.error().message.find("'deepseek'"), std::string::npos) << e.error().message;
  }
}

TEST(DetectReasoningFormat, FromTemplateSnippets) {
  EXPECT_EQ(detect_reasoning_format(R"({%- if '</think>' in message.content %}{%- set content = )"
                                    R"(message.content.split('</think>')[-1].lstrip('\n') %})"),
            ReasoningFormat::Think);
  EXPECT_EQ(detect_reasoning_format("{{'<|Assistant|><think>\\n'}}"), ReasoningFormat::None);
  EXPECT_EQ(detect_reasoning_format("<|im_start|>assistant\n"), ReasoningFormat::None);
}

TEST(PromptOpensThinking, LastOpeningTagAfterLastClosingTag) {
  EXPECT_TRUE(prompt_opens_thinking("<｜User｜>Hi<｜Assistant｜><think>\n"));
  EXPECT_TRUE(prompt_opens_thinking(
      "<|im_start|>assistant\n<think>\nR\n</think>\n\nA<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n"
      "<|im_start|>assistant\n<think>\n"));
  // Qwen3 with enable_thinking=false closes the block in the prompt.
  EXPECT_FALSE(prompt_opens_thinking("<|im_start|>assistant\n<think>\n\n</think>\n\n"));
  EXPECT_FALSE(prompt_opens_thinking("<|im_start|>assistant\n"));
  EXPECT_FALSE(prompt_opens_thinking("</think>"));
}

}  // namespace
}  // namespace fastchat::reply
