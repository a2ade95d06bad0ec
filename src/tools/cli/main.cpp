// fastchat-cli: terminal chat with a local model (FastChat's `python3 -m fastchat.serve.cli`),
// `fastchat-cli tokenize` to see what a text costs in tokens, and `fastchat-cli render-template`
// to see the prompt a chat template makes of a conversation.

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>

#include "common/error/error.h"
#include "tools/cli/chat_loop.h"
#include "tools/cli/render_template.h"
#include "worker/engine/launch_flags.h"

namespace {

int run_tokenize(const std::string& tokenizer_path, bool add_special, const std::string& text) {
  auto tokenizer = fastchat::tokenizer::load_tokenizer(tokenizer_path);
  std::cout << nlohmann::json(tokenizer->encode(text, add_special)).dump() << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fastchat-cli: chat with a local model in the terminal"};
  fastchat::engine::LaunchOptions launch;
  fastchat::cli::ChatOptions chat;
  chat.params.temperature = 0.7f;  // FastChat's CLI default
  chat.params.max_tokens = 512;
  std::string prompt;
  std::string log_level = "warn";
  fastchat::engine::add_launch_flags(app, launch);
  app.add_option("--temperature", chat.params.temperature, "Sampling temperature (0 = greedy)")
      ->check(CLI::Range(0.0, 100.0))
      ->capture_default_str();
  app.add_option("--top-p", chat.params.top_p, "Nucleus sampling mass in (0, 1]")
      ->check(CLI::Range(1e-6, 1.0));
  app.add_option("--top-k", chat.params.top_k, "Keep the k most likely tokens (-1 = off)")
      ->check(CLI::Range(-1, 1 << 30));
  app.add_option("--repetition-penalty", chat.params.repetition_penalty, "HF repetition penalty")
      ->check(CLI::Range(1e-3, 1e3));
  app.add_option("--max-new-tokens", chat.params.max_tokens, "Most tokens per answer")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  app.add_option("--seed", chat.params.seed, "Seed for reproducible sampling");
  app.add_option("--conv-system-msg", chat.system_message, "System message for the chat");
  app.add_flag("--no-history", chat.no_history, "Answer each turn without the earlier ones");
  app.add_flag("--debug", chat.debug, "Print prompts and generation speed");
  app.add_option("--prompt", prompt, "Answer this one prompt and exit (non-interactive)");
  app.add_option("--log-level", log_level, "trace|debug|info|warn|error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));

  std::string tokenizer_path;
  std::string text;
  bool add_special = false;
  auto* tokenize = app.add_subcommand("tokenize", "Print the token ids of TEXT as a JSON array");
  tokenize->add_option("--tokenizer-path", tokenizer_path, "Model or tokenizer folder")->required();
  tokenize->add_flag("--add-special-tokens", add_special, "Add BOS/EOS as the tokenizer does");
  tokenize->add_option("text", text, "Text to tokenize")->required();

  fastchat::cli::RenderTemplateOptions render;
  bool no_generation_prompt = false;
  auto* render_cmd = app.add_subcommand(
      "render-template", "Print a chat template's rendering of a conversation, exactly");
  render_cmd
      ->add_option("--tokenizer-config", render.tokenizer_config,
                   "tokenizer_config.json holding the chat_template")
      ->required();
  render_cmd->add_option("--messages", render.messages, "JSON array of messages, or @FILE")
      ->required();
  render_cmd->add_option("--tools", render.tools, "JSON array of tool definitions, or @FILE");
  render_cmd->add_flag("--no-generation-prompt", no_generation_prompt,
                       "Do not open an assistant turn at the end");
  render_cmd->add_option("--var", render.variables,
                         "NAME=JSON: a template variable, e.g. enable_thinking=false (repeatable)");

  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::from_str(log_level));
  try {
    if (*tokenize) return run_tokenize(tokenizer_path, add_special, text);
    if (*render_cmd) {
      render.add_generation_prompt = !no_generation_prompt;
      std::cout << fastchat::cli::render_template(render) << std::flush;
      return 0;
    }
    if (launch.model_path.empty()) {
      std::cerr << "--model-path is required (a Hugging Face model folder)\n";
      return 2;
    }
    fastchat::engine::ModelInstance model(launch);
    fastchat::cli::ChatLoop loop(model, chat);
    if (!prompt.empty()) {
      loop.answer_once(prompt, std::cout);
      return 0;
    }
    loop.run(std::cin, std::cout);
    return 0;
  } catch (const fastchat::ErrorException& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
