#include <gtest/gtest.h>

#include <utility>

#include "text/conversation/template_matching.h"
#include "text/conversation/template_registry.h"

namespace fastchat::conversation {
namespace {

TEST(TemplateMatching, KnownModelPaths) {
  const std::pair<const char*, const char*> cases[] = {
      {"lmsys/vicuna-7b-v1.5", "vicuna_v1.1"},
      {"lmsys/vicuna-13b-delta-v0", "one_shot"},
      {"lmsys/longchat-7b-16k", "vicuna_v1.1"},
      {"meta-llama/Llama-2-7b-chat-hf", "llama-2"},
      {"codellama/CodeLlama-7b-Instruct-hf", "llama-2"},
      {"meta-llama/Meta-Llama-3-8B-Instruct", "llama-3"},
      {"meta-llama/Llama-3.1-8B-Instruct", "llama-3"},
      {"Qwen/Qwen2-7B-Instruct", "chatml"},
      {"Qwen/Qwen-7B-Chat", "chatml"},
      {"mistralai/Mistral-7B-Instruct-v0.2", "mistral"},
      {"mistralai/Mixtral-8x7B-Instruct-v0.1", "mistral"},
      {"HuggingFaceH4/zephyr-7b-beta", "zephyr"},
      {"google/gemma-7b-it", "gemma"},
      {"THUDM/chatglm3-6b", "chatglm3"},
      {"deepseek-ai/deepseek-llm-7b-chat", "deepseek-chat"},
      {"openchat/openchat_3.5", "openchat_3.5"},
      {"berkeley-nest/Starling-LM-7B-alpha", "openchat_3.5"},
      {"allenai/tulu-2-dpo-7b", "tulu"},
      {"young-geng/koala", "koala_v1"},
      {"chavinlo/alpaca-native", "alpaca"},
      {"TinyLlama/TinyLlama-1.1B-Chat-v1.0", "TinyLlama"},
      {"../shared/models/stories260K", "raw"},
      {"/work/shared/models/stories15M/", "raw"},
      {"some/unknown-model", "one_shot"},
      {"", "one_shot"},
  };
  for (const auto& [path, expected] : cases) {
    EXPECT_EQ(match_template_name(path), expected) << path;
  }
}

TEST(TemplateMatching, EarlierAdapterWins) {
  // VicunaAdapter is registered before Llama2Adapter, OpenChat before Mistral.
  EXPECT_EQ(match_template_name("org/vicuna-llama-2-7b"), "vicuna_v1.1");
  EXPECT_EQ(match_template_name("openchat/openchat-3.5-mistral"), "openchat_3.5");
}

TEST(TemplateMatching, BasenameIsTriedBeforeFullPath) {
  EXPECT_EQ(match_template_name("/models/vicuna-runs/Llama-2-7b-chat-hf"), "llama-2");
  EXPECT_EQ(match_template_name("/models/Llama-2-7b-chat-hf/checkpoint-final"), "llama-2");
  EXPECT_EQ(match_template_name("/models/mistral-7b/"), "mistral");
}

TEST(TemplateMatching, ResultsAreBuiltinTemplates) {
  for (const char* path :
       {"a/vicuna", "a/llama-2", "a/llama-3-x", "a/qwen", "a/mistral", "a/zephyr", "a/gemma",
        "a/tulu", "a/koala", "a/alpaca", "a/chatglm3", "a/deepseek-llm-chat", "a/openchat-3.5",
        "a/tinyllama", "a/stories", "a/unknown"}) {
    EXPECT_TRUE(TemplateRegistry::builtin().contains(match_template_name(path))) << path;
  }
}

}  // namespace
}  // namespace fastchat::conversation
