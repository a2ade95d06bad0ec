// A model's own Jinja chat template as the worker uses it: loaded from tokenizer_config.json or
// chat_template.jinja, rendering the reference conversations of the five shipped families byte
// for byte from parsed chat messages, and the end-of-turn text it learns by itself.

#include "text/conversation/chat_template.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/json/json_file.h"
#include "protocol/chat_message.h"
#include "test_paths.h"
#include "text/reply/reply_format.h"

namespace fastchat::conversation {
namespace {

using nlohmann::json;

std::filesystem::path templates_dir() { return testing::test_data_dir() / "chat-templates"; }

ChatTemplate family(const std::string& name) {
  const auto config = read_json_file(templates_dir() / name / "tokenizer_config.json");
  auto tpl = ChatTemplate::from_tokenizer_config(config, name);
  if (!tpl) throw std::runtime_error(name + " has no chat template");
  return *tpl;
}

void write(const std::filesystem::path& file, const std::string& text) {
  std::ofstream(file) << text;
}

TEST(ChatTemplate, RendersTheReferenceConversationsFromChatMessages) {
  const auto renderings = read_json_file(templates_dir() / "renderings.json");
  int checked = 0;
  for (const auto& c : renderings.at("cases")) {
    if (!c.at("rendered").is_string()) continue;  // error cases: the interpreter's own tests
    std::vector<protocol::ChatMessage> messages;
    for (const auto& m : c.at("messages")) messages.push_back({m.at("role"), m.at("content")});
    const auto tpl = family(c.at("template"));
    ChatTemplateInputs inputs;
    inputs.add_generation_prompt = c.at("add_generation_prompt");
    EXPECT_EQ(tpl.render(messages, inputs), c.at("rendered").get<std::string>())
        << c.at("template") << " " << c.at("conversation");
    ++checked;
  }
  EXPECT_GE(checked, 12);
}

// The tool conversations @huggingface/jinja rendered for the interpreter's tests, rendered again
// from messages as the API parses them: assistant tool_calls (arguments as a string or an object,
// content null) and tool results reach each family's template as Hugging Face passes them.
TEST(ChatTemplate, RendersToolConversationsFromParsedMessages) {
  const auto references = nlohmann::ordered_json::parse(read_text_file(
      std::filesystem::path(FASTCHAT_SOURCE_DIR) / "tests/unit/text/jinja/extra_renderings.json"));
  int checked = 0;
  for (const auto& c : references.at("cases")) {
    const auto& context = c.at("context");
    const std::string messages_text = context.at("messages").dump();
    const bool tool_conversation = messages_text.find("tool_call") != std::string::npos ||
                                   messages_text.find(R"("role":"tool")") != std::string::npos;
    if (!tool_conversation || !c.at("rendered").is_string()) continue;
    const auto messages = protocol::parse_chat_messages(json::parse(messages_text));
    const auto tpl = family(c.at("template"));
    ChatTemplateInputs inputs;
    inputs.add_generation_prompt = context.value("add_generation_prompt", false);
    if (context.contains("tools")) inputs.tools = context.at("tools");
    for (const auto& [key, value] : context.items()) {
      if (key != "messages" && key != "tools" && key != "add_generation_prompt" &&
          key != "bos_token" && key != "eos_token") {
        inputs.variables[key] = value;
      }
    }
    EXPECT_EQ(tpl.render(messages, inputs), c.at("rendered").get<std::string>())
        << c.at("template") << " " << c.at("conversation");
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

TEST(ChatTemplate, LearnsWhatEachFamilyWritesAfterAnAnswer) {
  EXPECT_EQ(family("qwen3").after_assistant(), "<|im_end|>\n");
  // Llama 3's first template opens the next assistant turn even without add_generation_prompt.
  EXPECT_EQ(family("llama3").after_assistant(),
            "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
  EXPECT_EQ(family("llama3_1").after_assistant(), "<|eot_id|>");
  EXPECT_EQ(family("gemma3").after_assistant(), "<end_of_turn>\n");
  EXPECT_EQ(family("deepseek_v3").after_assistant(), "<｜end▁of▁sentence｜>");
  // bos_token / eos_token as strings or as AddedToken objects.
  EXPECT_EQ(family("llama3").bos_token(), "<|begin_of_text|>");
  EXPECT_EQ(family("deepseek_v3").eos_token(), "<｜end▁of▁sentence｜>");
  EXPECT_EQ(family("qwen3").bos_token(), "");  // null in its config
}

// What the worker reads replies with, chosen from each real family's template: Qwen3 teaches
// <tool_call> and thinks in <think>, DeepSeek V3 renders its own call markup; these Llama 3,
// Llama 3.1 and Gemma 3 templates have no tool format (tools with them need
// --tool-call-parser).
TEST(ChatTemplate, RealTemplatesNameTheirReplyFormats) {
  const auto source = [](const char* name) { return family(name).source().source(); };
  EXPECT_EQ(reply::detect_tool_call_format(source("qwen3")), reply::ToolCallFormat::Hermes);
  EXPECT_EQ(reply::detect_reasoning_format(source("qwen3")), reply::ReasoningFormat::Think);
  EXPECT_EQ(reply::detect_tool_call_format(source("deepseek_v3")),
            reply::ToolCallFormat::DeepSeekV3);
  EXPECT_EQ(reply::detect_reasoning_format(source("deepseek_v3")), reply::ReasoningFormat::None);
  for (const char* name : {"llama3", "llama3_1", "gemma3"}) {
    EXPECT_EQ(reply::detect_tool_call_format(source(name)), reply::ToolCallFormat::None) << name;
    EXPECT_EQ(reply::detect_reasoning_format(source(name)), reply::ReasoningFormat::None) << name;
  }
}

TEST(ChatTemplate, PassesToolsAndVariablesToTheTemplate) {
  auto tpl = ChatTemplate::from_tokenizer_config(
      {{"chat_template",
        "{% for m in messages %}{{ m.role }}:{{ m.content }}|{% endfor %}"
        "{% if tools %}T={{ tools | length }}{% endif %}{{ flag }}{{ bos_token }}"}},
      "inline");
  ASSERT_TRUE(tpl);
  ChatTemplateInputs inputs;
  inputs.tools = nlohmann::ordered_json::array({{{"type", "function"}}});
  inputs.variables["flag"] = "F";
  inputs.variables["bos_token"] = "not-this";  // the template's own tokens win
  const std::vector<protocol::ChatMessage> messages = {{"user", "a"}};
  EXPECT_EQ(tpl->render(messages, inputs), "user:a|T=1F");
  EXPECT_EQ(tpl->after_assistant(), "|");
}

TEST(ChatTemplate, FolderFilesAndNamedTemplates) {
  const auto dir = testing::make_temp_dir("chat-template");
  EXPECT_FALSE(ChatTemplate::load(dir).has_value());  // no tokenizer config at all
  write(dir / "tokenizer_config.json",
        R"({"bos_token": "<s>", "chat_template": [{"name": "tool_use", "template": "T"},
                                                    {"name": "default", "template": "D{{ bos_token }}"}]})");
  auto named = ChatTemplate::load(dir);
  ASSERT_TRUE(named);
  EXPECT_EQ(named->render(std::vector<protocol::ChatMessage>{}), "D<s>");
  EXPECT_EQ(named->origin(), "tokenizer_config.json");
  // chat_template.jinja, as newer transformers save it, comes first.
  write(dir / "chat_template.jinja", "J{{ bos_token }}{{ messages | length }}");
  auto file = ChatTemplate::load(dir);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->render(std::vector<protocol::ChatMessage>{{"user", "x"}}), "J<s>1");
  EXPECT_EQ(file->origin(), "chat_template.jinja");
  std::filesystem::remove_all(dir);
}

TEST(ChatTemplate, ErrorsNameTheFileAndTheTemplateLine) {
  try {
    ChatTemplate::from_tokenizer_config({{"chat_template", "line one\n{% if x %}unclosed"}},
                                        "cfg.json");
    ADD_FAILURE() << "expected a syntax error";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::InvalidModel);
    EXPECT_EQ(e.error().param, "chat_template");
    EXPECT_NE(e.error().message.find("cfg.json: "), std::string::npos) << e.what();
    EXPECT_NE(e.error().message.find("line 2"), std::string::npos) << e.what();
  }
  try {
    family("gemma3").render(
        std::vector<protocol::ChatMessage>{{"assistant", "a"}, {"assistant", "b"}});
    ADD_FAILURE() << "expected raise_exception";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::InvalidRequest);
    EXPECT_NE(e.error().message.find("alternate"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ChatTemplate::from_tokenizer_config({{"chat_template", 7}}, "x"), ErrorException);
  EXPECT_THROW(ChatTemplate::from_tokenizer_config(
                   {{"chat_template", json::array({{{"name", "other"}, {"template", "x"}}})}}, "x"),
               ErrorException);
  EXPECT_FALSE(ChatTemplate::from_tokenizer_config({{"chat_template", nullptr}}, "x").has_value());
}

}  // namespace
}  // namespace fastchat::conversation
