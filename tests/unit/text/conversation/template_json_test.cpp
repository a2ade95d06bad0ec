// The /worker_get_conv_template "conv" object: what we send and what we accept back.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "text/conversation/conversation_template.h"
#include "text/conversation/template_registry.h"

namespace fastchat::conversation {
using protocol::ChatMessage;
namespace {

using nlohmann::json;

TEST(ConversationTemplateJson, VicunaHasFastChatShape) {
  const json conv = TemplateRegistry::builtin().get("vicuna_v1.1").to_fastchat_json();
  EXPECT_EQ(conv["name"], "vicuna_v1.1");
  EXPECT_EQ(conv["template_name"], "vicuna_v1.1");
  EXPECT_EQ(conv["system_template"], "{system_message}");
  EXPECT_EQ(conv["roles"], json::array({"USER", "ASSISTANT"}));
  EXPECT_EQ(conv["messages"], json::array());
  EXPECT_EQ(conv["offset"], 0);
  EXPECT_EQ(conv["sep_style"], 2);  // ADD_COLON_TWO: an int on the wire
  EXPECT_EQ(conv["sep"], " ");
  EXPECT_EQ(conv["sep2"], "</s>");
  EXPECT_TRUE(conv["stop_str"].is_null());
  EXPECT_TRUE(conv["stop_token_ids"].is_null());
  EXPECT_TRUE(conv["max_image_size_mb"].is_null());
  EXPECT_EQ(conv["system_message_vision"], "");
}

TEST(ConversationTemplateJson, StopFieldsAndFewShot) {
  const json llama3 = TemplateRegistry::builtin().get("llama-3").to_fastchat_json();
  EXPECT_EQ(llama3["sep_style"], 8);
  EXPECT_EQ(llama3["stop_str"], "<|eot_id|>");
  EXPECT_EQ(llama3["stop_token_ids"], json::array({128001, 128009}));
  EXPECT_TRUE(llama3["sep2"].is_null());

  const json one_shot = TemplateRegistry::builtin().get("one_shot").to_fastchat_json();
  EXPECT_EQ(one_shot["offset"], 2);
  ASSERT_EQ(one_shot["messages"].size(), 2u);
  EXPECT_EQ(one_shot["messages"][0][0], "Human");
  EXPECT_EQ(one_shot["messages"][1][0], "Assistant");
}

TEST(ConversationTemplateJson, SeveralStopStringsAreAList) {
  ConversationTemplate tpl{.name = "t", .stop_str = {"a", "b"}};
  EXPECT_EQ(tpl.to_fastchat_json()["stop_str"], json::array({"a", "b"}));
}

TEST(ConversationTemplateJson, EveryBuiltinRoundTrips) {
  const TemplateRegistry& registry = TemplateRegistry::builtin();
  for (const std::string& name : registry.names()) {
    const ConversationTemplate& tpl = registry.get(name);
    EXPECT_EQ(ConversationTemplate::from_fastchat_json(tpl.to_fastchat_json()), tpl) << name;
  }
}

TEST(ConversationTemplateJson, ReadsFastChatWorkerReply) {
  // As FastChat's worker serialises the dataclass (no template_name, None as null).
  const json conv = json::parse(R"({
    "name": "zero_shot", "system_template": "{system_message}",
    "system_message": "SYS", "system_message_vision": "",
    "roles": ["Human", "Assistant"], "messages": [], "offset": 0,
    "sep_style": 1, "sep": "\n### ", "sep2": null, "stop_str": "###",
    "stop_token_ids": null, "max_image_size_mb": null})");
  const ConversationTemplate tpl = ConversationTemplate::from_fastchat_json(conv);
  EXPECT_EQ(tpl.name, "zero_shot");
  EXPECT_EQ(tpl.sep_style, SeparatorStyle::AddColonSingle);
  EXPECT_EQ(tpl.stop_str, std::vector<std::string>{"###"});
  EXPECT_EQ(tpl.render(std::vector<ChatMessage>{{"user", "Hi"}}),
            "SYS\n### Human: Hi\n### Assistant:");
}

TEST(ConversationTemplateJson, ReadsTemplateNameAndDefaults) {
  const ConversationTemplate tpl =
      ConversationTemplate::from_fastchat_json(json{{"template_name", "x"}, {"sep_style", 4}});
  EXPECT_EQ(tpl.name, "x");
  EXPECT_EQ(tpl.system_template, "{system_message}");
  EXPECT_EQ(tpl.sep, "\n");
  EXPECT_EQ(tpl.sep_style, SeparatorStyle::NoColonSingle);
}

void expect_bad(const json& conv, const std::string& param) {
  try {
    ConversationTemplate::from_fastchat_json(conv);
    ADD_FAILURE() << "expected an error for " << conv.dump();
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::InvalidRequest);
    EXPECT_EQ(e.error().param, param);
  }
}

TEST(ConversationTemplateJson, RejectsMalformedFields) {
  expect_bad(json::array(), "conv");
  expect_bad(json{{"name", "x"}}, "sep_style");
  expect_bad(json{{"name", "x"}, {"sep_style", 99}}, "sep_style");
  expect_bad(json{{"name", "x"}, {"sep_style", "2"}}, "sep_style");
  expect_bad(json{{"name", "x"}, {"sep_style", 2}, {"roles", {"a"}}}, "roles");
  expect_bad(json{{"name", "x"}, {"sep_style", 2}, {"stop_str", 5}}, "stop_str");
  expect_bad(json{{"name", "x"}, {"sep_style", 2}, {"stop_token_ids", {"a"}}}, "stop_token_ids");
  expect_bad(json{{"name", "x"}, {"sep_style", 2}, {"messages", {{"only-role"}}}}, "messages[0]");
  expect_bad(json{{"name", 5}, {"sep_style", 2}}, "name");
}

TEST(SeparatorStyle, NumberingMatchesFastChat) {
  EXPECT_EQ(static_cast<int>(SeparatorStyle::ChatMl), 10);
  EXPECT_EQ(static_cast<int>(SeparatorStyle::FalconChat), 16);
  EXPECT_EQ(static_cast<int>(SeparatorStyle::Gemma), 21);
  EXPECT_EQ(static_cast<int>(SeparatorStyle::Default), 23);
  EXPECT_EQ(separator_style_from_int(18), SeparatorStyle::DeepseekChat);
  EXPECT_FALSE(separator_style_from_int(0).has_value());
  EXPECT_FALSE(separator_style_from_int(24).has_value());
  EXPECT_EQ(separator_style_name(SeparatorStyle::AddColonTwo), "ADD_COLON_TWO");
  EXPECT_EQ(separator_style_name(SeparatorStyle::Default), "DEFAULT");
}

}  // namespace
}  // namespace fastchat::conversation
