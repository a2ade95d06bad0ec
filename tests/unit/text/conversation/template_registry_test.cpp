#include <gtest/gtest.h>

#include <algorithm>

#include "common/error/error.h"
#include "text/conversation/template_registry.h"

namespace fastchat::conversation {
namespace {

TEST(TemplateRegistry, BuiltinHasRequiredTemplates) {
  const TemplateRegistry& registry = TemplateRegistry::builtin();
  for (const char* name :
       {"vicuna_v1.1", "llama-2", "llama-3", "chatml", "qwen-7b-chat", "mistral", "zephyr",
        "alpaca", "one_shot", "zero_shot", "raw", "gemma", "chatglm3", "deepseek-chat", "tulu",
        "koala_v1", "openchat_3.5", "api_based_default", "TinyLlama"}) {
    EXPECT_TRUE(registry.contains(name)) << name;
    EXPECT_EQ(registry.get(name).name, name);
  }
  EXPECT_FALSE(registry.contains("nope"));
}

TEST(TemplateRegistry, NamesAreInRegistrationOrderAndUnique) {
  std::vector<std::string> names = TemplateRegistry::builtin().names();
  EXPECT_EQ(names.front(), "raw");
  EXPECT_EQ(names[1], "one_shot");
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
}

TEST(TemplateRegistry, QwenAliasHasChatMlContent) {
  const TemplateRegistry& registry = TemplateRegistry::builtin();
  ConversationTemplate alias = registry.get("qwen-7b-chat");
  alias.name = "chatml";
  EXPECT_EQ(alias, registry.get("chatml"));
}

TEST(TemplateRegistry, UnknownNameIsNotFoundWithHints) {
  try {
    TemplateRegistry::builtin().get("vicuna_v9");
    FAIL() << "expected NotFound";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::NotFound);
    EXPECT_EQ(e.error().param, "conv_template");
    EXPECT_NE(e.error().message.find("'vicuna_v9'"), std::string::npos);
    EXPECT_NE(e.error().message.find("vicuna_v1.1"), std::string::npos);
    EXPECT_NE(e.error().message.find("in all"), std::string::npos);
  }
}

TEST(TemplateRegistry, RejectsDuplicateAndEmptyNames) {
  const ConversationTemplate a{.name = "a"};
  try {
    TemplateRegistry registry({a, a});
    FAIL() << "expected InvalidConfig";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::InvalidConfig);
  }
  EXPECT_THROW(TemplateRegistry({ConversationTemplate{}}), ErrorException);
}

TEST(TemplateRegistry, CustomRegistryLookup) {
  const TemplateRegistry registry({ConversationTemplate{.name = "mine"}});
  EXPECT_EQ(registry.names(), std::vector<std::string>{"mine"});
  EXPECT_TRUE(registry.contains("mine"));
  EXPECT_THROW(registry.get("other"), ErrorException);
}

}  // namespace
}  // namespace fastchat::conversation
