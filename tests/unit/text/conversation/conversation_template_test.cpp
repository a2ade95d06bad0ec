// Pins the exact prompt each built-in template renders. Expected strings are derived by hand from
// FastChat's Conversation.get_prompt() rules per SeparatorStyle and the templates registered in
// fastchat/conversation.py (github.com/lm-sys/FastChat); the vicuna_v1.1 / llama-2 / mistral /
// zero_shot cases are what get_prompt() returns for two turns and an open third.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error/error.h"
#include "text/conversation/conversation_template.h"
#include "text/conversation/template_registry.h"

namespace fastchat::conversation {
using protocol::ChatMessage;
namespace {

const std::vector<ChatMessage> kTwoTurns = {
    {"system", "SYS"}, {"user", "Hi"}, {"assistant", "Hello!"}, {"user", "How are you?"}};
const std::vector<ChatMessage> kTwoTurnsNoSystem = {
    {"user", "Hi"}, {"assistant", "Hello!"}, {"user", "How are you?"}};

std::string render(std::string_view name, const std::vector<ChatMessage>& messages = kTwoTurns) {
  return TemplateRegistry::builtin().get(name).render(messages);
}

TEST(ConversationTemplateRender, Vicuna) {
  EXPECT_EQ(render("vicuna_v1.1"),
            "SYS USER: Hi ASSISTANT: Hello!</s>USER: How are you? ASSISTANT:");
}

TEST(ConversationTemplateRender, Llama2) {
  EXPECT_EQ(render("llama-2"),
            "[INST] <<SYS>>\nSYS\n<</SYS>>\n\nHi [/INST] Hello! </s><s>[INST] How are you? "
            "[/INST]");
}

TEST(ConversationTemplateRender, Llama2WithoutSystemMatchesFastChatExample) {
  EXPECT_EQ(render("llama-2", kTwoTurnsNoSystem),
            "[INST] Hi [/INST] Hello! </s><s>[INST] How are you? [/INST]");
}

TEST(ConversationTemplateRender, Llama3) {
  EXPECT_EQ(render("llama-3"),
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nSYS<|eot_id|>"
            "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
            "<|start_header_id|>user<|end_header_id|>\n\nHow are you?<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\n");
}

TEST(ConversationTemplateRender, Llama3StripsMessagesAndOmitsEmptySystem) {
  EXPECT_EQ(render("llama-3", {{"user", "  Hi \n"}}),
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\n");
}

TEST(ConversationTemplateRender, ChatMlAndQwenAlias) {
  const std::string expected =
      "<|im_start|>system\nSYS<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
      "<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nHow are you?<|im_end|>\n"
      "<|im_start|>assistant\n";
  EXPECT_EQ(render("chatml"), expected);
  EXPECT_EQ(render("qwen-7b-chat"), expected);
}

TEST(ConversationTemplateRender, ChatMlDefaultSystemMessage) {
  EXPECT_EQ(render("chatml", {{"user", "Hi"}}),
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
            "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
}

TEST(ConversationTemplateRender, Mistral) {
  EXPECT_EQ(render("mistral"), "[INST] SYS\nHi [/INST] Hello!</s>[INST] How are you? [/INST]");
}

TEST(ConversationTemplateRender, Zephyr) {
  EXPECT_EQ(render("zephyr"),
            "<|system|>\nSYS</s>\n<|user|>\nHi</s>\n<|assistant|>\nHello!</s>\n"
            "<|user|>\nHow are you?</s>\n<|assistant|>\n");
}

TEST(ConversationTemplateRender, ZephyrEmitsEmptySystemBlock) {
  // FastChat quirk: a non-empty system_template renders even with an empty system message.
  EXPECT_EQ(render("zephyr", {{"user", "Hi"}}),
            "<|system|>\n</s>\n<|user|>\nHi</s>\n<|assistant|>\n");
}

TEST(ConversationTemplateRender, TinyLlama) {
  EXPECT_EQ(render("TinyLlama"),
            "<|system|>\nSYS</s>\n<|user|>\nHi</s>\n<|assistant|>\nHello!</s>\n"
            "<|user|>\nHow are you?</s>\n<|assistant|>\n");
}

TEST(ConversationTemplateRender, Alpaca) {
  EXPECT_EQ(render("alpaca"),
            "SYS\n\n### Instruction: Hi\n\n### Response: Hello!</s>### Instruction: How are "
            "you?\n\n### Response:");
}

TEST(ConversationTemplateRender, ZeroShot) {
  EXPECT_EQ(render("zero_shot"),
            "SYS\n### Human: Hi\n### Assistant: Hello!\n### Human: How are you?\n### Assistant:");
}

TEST(ConversationTemplateRender, OneShotIncludesBirthdayExample) {
  const std::string answer =
      "Of course! Here are some creative ideas for a 10-year-old's birthday party:\n"
      "1. Treasure Hunt: Organize a treasure hunt in your backyard or nearby park. Create clues "
      "and riddles for the kids to solve, leading them to hidden treasures and surprises.\n"
      "2. Science Party: Plan a science-themed party where kids can engage in fun and interactive "
      "experiments. You can set up different stations with activities like making slime, erupting "
      "volcanoes, or creating simple chemical reactions.\n"
      "3. Outdoor Movie Night: Set up a backyard movie night with a projector and a large screen "
      "or white sheet. Create a cozy seating area with blankets and pillows, and serve popcorn and "
      "snacks while the kids enjoy a favorite movie under the stars.\n"
      "4. DIY Crafts Party: Arrange a craft party where kids can unleash their creativity. Provide "
      "a variety of craft supplies like beads, paints, and fabrics, and let them create their own "
      "unique masterpieces to take home as party favors.\n"
      "5. Sports Olympics: Host a mini Olympics event with various sports and games. Set up "
      "different stations for activities like sack races, relay races, basketball shooting, and "
      "obstacle courses. Give out medals or certificates to the participants.\n"
      "6. Cooking Party: Have a cooking-themed party where the kids can prepare their own mini "
      "pizzas, cupcakes, or cookies. Provide toppings, frosting, and decorating supplies, and let "
      "them get hands-on in the kitchen.\n"
      "7. Superhero Training Camp: Create a superhero-themed party where the kids can engage in "
      "fun training activities. Set up an obstacle course, have them design their own superhero "
      "capes or masks, and organize superhero-themed games and challenges.\n"
      "8. Outdoor Adventure: Plan an outdoor adventure party at a local park or nature reserve. "
      "Arrange activities like hiking, nature scavenger hunts, or a picnic with games. Encourage "
      "exploration and appreciation for the outdoors.\n"
      "Remember to tailor the activities to the birthday child's interests and preferences. Have "
      "a great celebration!";
  EXPECT_EQ(render("one_shot"),
            "SYS\n### Human: Got any creative ideas for a 10 year old\u2019s birthday?\n"
            "### Assistant: " +
                answer +
                "\n### Human: Hi\n### Assistant: Hello!\n### Human: How are you?\n"
                "### Assistant:");
}

TEST(ConversationTemplateRender, Raw) {
  EXPECT_EQ(render("raw"), "SYSHiHello!How are you?");
  EXPECT_EQ(render("raw", {{"user", "Once upon a time"}}), "Once upon a time");
}

TEST(ConversationTemplateRender, Gemma) {
  // FastChat's GEMMA style drops the system message.
  EXPECT_EQ(render("gemma"),
            "<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n"
            "<start_of_turn>user\nHow are you?<end_of_turn>\n<start_of_turn>model\n");
}

TEST(ConversationTemplateRender, ChatGlm3) {
  EXPECT_EQ(render("chatglm3"),
            "<|system|>\nSYS<|user|>\nHi<|assistant|>\nHello!<|user|>\nHow are you?<|assistant|>");
  EXPECT_EQ(render("chatglm3", {{"user", "Hi"}}), "<|user|>\nHi<|assistant|>");
}

TEST(ConversationTemplateRender, DeepseekChat) {
  EXPECT_EQ(render("deepseek-chat"),
            "SYSUser: Hi\n\nAssistant: Hello!<\uFF5Cend\u2581of\u2581sentence\uFF5C>"
            "User: How are you?\n\nAssistant:");
  EXPECT_EQ(render("deepseek-chat", {{"user", "Hi"}}),
            "<\uFF5Cbegin\u2581of\u2581sentence\uFF5C>User: Hi\n\nAssistant:");
}

TEST(ConversationTemplateRender, Tulu) {
  EXPECT_EQ(render("tulu"),
            "SYS\n<|user|>\nHi\n<|assistant|>\nHello!\n<|user|>\nHow are you?\n<|assistant|>\n");
  EXPECT_EQ(render("tulu", {{"user", "Hi"}}), "<|user|>\nHi\n<|assistant|>\n");
}

TEST(ConversationTemplateRender, Koala) {
  EXPECT_EQ(render("koala_v1"), "SYS USER: Hi GPT: Hello!</s>USER: How are you? GPT:");
}

TEST(ConversationTemplateRender, OpenChat) {
  EXPECT_EQ(render("openchat_3.5"),
            "SYS<|end_of_turn|>GPT4 Correct User: Hi<|end_of_turn|>GPT4 Correct Assistant: "
            "Hello!<|end_of_turn|>GPT4 Correct User: How are you?<|end_of_turn|>"
            "GPT4 Correct Assistant:");
  EXPECT_EQ(render("openchat_3.5", {{"user", "Hi"}}),
            "GPT4 Correct User: Hi<|end_of_turn|>GPT4 Correct Assistant:");
}

TEST(ConversationTemplateRender, ApiBasedDefault) {
  EXPECT_EQ(render("api_based_default"),
            "SYS\nuser: Hi\nassistant: Hello!\nuser: How are you?\nassistant:");
}

TEST(ConversationTemplateRender, NoSystemMessageUsesTemplateDefault) {
  EXPECT_EQ(render("vicuna_v1.1", kTwoTurnsNoSystem),
            "A chat between a curious user and an artificial intelligence assistant. The "
            "assistant gives helpful, detailed, and polite answers to the user's questions. "
            "USER: Hi ASSISTANT: Hello!</s>USER: How are you? ASSISTANT:");
  EXPECT_EQ(render("zero_shot", kTwoTurnsNoSystem),
            "A chat between a curious human and an artificial intelligence assistant. The "
            "assistant gives helpful, detailed, and polite answers to the human's questions.\n"
            "### Human: Hi\n### Assistant: Hello!\n### Human: How are you?\n### Assistant:");
}

TEST(ConversationTemplateRender, LastAssistantMessageGetsNoOpenTurn) {
  EXPECT_EQ(render("vicuna_v1.1", {{"system", "S"}, {"user", "Hi"}, {"assistant", "Hello!"}}),
            "S USER: Hi ASSISTANT: Hello!</s>");
}

TEST(ConversationTemplateRender, SystemOnlyOpensAssistantTurn) {
  EXPECT_EQ(render("zero_shot", {{"system", "S"}}), "S\n### Assistant:");
}

TEST(ConversationTemplateRender, LastSystemMessageWinsWherever) {
  EXPECT_EQ(render("vicuna_v1.1", {{"system", "A"}, {"user", "Hi"}, {"system", "B"}}),
            "B USER: Hi ASSISTANT:");
}

TEST(ConversationTemplateRender, EmptyContentRendersAsOpenTurnLikeFastChat) {
  EXPECT_EQ(render("vicuna_v1.1", {{"system", "S"}, {"user", ""}}), "S USER:ASSISTANT:");
}

TEST(ConversationTemplateRender, UnknownRoleIsInvalidRequest) {
  const std::vector<ChatMessage> messages = {{"user", "Hi"}, {"tool", "x"}};
  try {
    render("vicuna_v1.1", messages);
    FAIL() << "expected an error";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::InvalidRequest);
    EXPECT_EQ(e.error().param, "messages[1].role");
  }
}

TEST(ConversationTemplateRender, SystemPromptSubstitution) {
  const ConversationTemplate& tpl = TemplateRegistry::builtin().get("llama-2");
  EXPECT_EQ(tpl.system_prompt("X"), "[INST] <<SYS>>\nX\n<</SYS>>\n\n");
}

TEST(ConversationTemplateRender, OtherStylesFollowFastChat) {
  ConversationTemplate tpl{.name = "t", .roles = {"Q", "A"}, .sep = "|", .sep2 = "#"};
  const std::vector<ChatMessage> chat = {{"user", "1"}, {"assistant", "2"}, {"user", "3"}};
  tpl.sep_style = SeparatorStyle::AddColonSpaceSingle;
  EXPECT_EQ(tpl.render(chat), "|Q: 1|A: 2|Q: 3|A: ");
  tpl.sep_style = SeparatorStyle::NoColonTwo;
  EXPECT_EQ(tpl.render(chat), "Q1|A2#Q3|A");
  tpl.sep_style = SeparatorStyle::Dolly;
  EXPECT_EQ(tpl.render(chat), "Q:\n1|A:\n2#\n\nQ:\n3|A:\n");
  tpl.sep_style = SeparatorStyle::Phoenix;
  EXPECT_EQ(tpl.render(chat), "Q: <s>1</s>A: <s>2</s>Q: <s>3</s>A: <s>");
  tpl.sep_style = SeparatorStyle::ChatIntern;
  EXPECT_EQ(tpl.render(chat), "<s>Q:1|\nA:2#\n<s>Q:3|\nA:");
  tpl.sep_style = SeparatorStyle::Robin;
  EXPECT_EQ(tpl.render(chat), "|Q:\n1|A:\n2|Q:\n3|A:\n");
  tpl.sep_style = SeparatorStyle::Cllm;
  EXPECT_EQ(tpl.render(chat), "|Q: 3|A:");
  tpl.sep_style = SeparatorStyle::Rwkv;
  EXPECT_EQ(tpl.render(std::vector<ChatMessage>{{"user", "a\r\n\n\nb"}}), "Q: a\n\nb\n\nA:");
  tpl.sep_style = SeparatorStyle::ChatGlm;
  EXPECT_EQ(tpl.render(chat), "[Round 0]|Q\uFF1A1|A\uFF1A2|[Round 1]|Q\uFF1A3|A\uFF1A");
  tpl.sep_style = SeparatorStyle::MetaMath;
  EXPECT_EQ(tpl.render(chat), "Q:\n1|A: #2Q:\n3|A: #");
  tpl.sep_style = SeparatorStyle::Yuan2;
  tpl.system_message = "S";
  EXPECT_EQ(tpl.render(chat), "S#1<n>2<n>3|");
}

}  // namespace
}  // namespace fastchat::conversation
