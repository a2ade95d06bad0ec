#include "text/conversation/template_matching.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace fastchat::conversation {
namespace {

// `text` is lower-cased before any rule sees it: FastChat's adapters test model_path.lower().
bool has(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

struct Rule {
  // Returns the template name, or "" when the rule does not match.
  std::string (*match)(std::string_view lower_path);
};

// The adapters of fastchat/model/model_adapter.py whose templates exist here, in FastChat's
// registration order (model_adapter.py:2505-2607). Order matters: "vicuna" is tested before
// "llama-2", "openchat" before "mistral", and so on.
constexpr std::array kRules = {
    // VicunaAdapter: v0 weights used the one-shot format.
    Rule{[](std::string_view p) -> std::string {
      if (!has(p, "vicuna")) return {};
      return has(p, "v0") ? "one_shot" : "vicuna_v1.1";
    }},
    Rule{[](std::string_view p) -> std::string {  // LongChatAdapter
      return has(p, "longchat") ? "vicuna_v1.1" : "";
    }},
    Rule{[](std::string_view p) -> std::string {  // KoalaAdapter
      return has(p, "koala") ? "koala_v1" : "";
    }},
    Rule{[](std::string_view p) -> std::string {  // AlpacaAdapter
      return has(p, "alpaca") ? "alpaca" : "";
    }},
    // ChatGLMAdapter also serves chatglm/chatglm2, whose templates are not built in: those fall
    // through to the default.
    Rule{[](std::string_view p) -> std::string { return has(p, "chatglm3") ? "chatglm3" : ""; }},
    Rule{[](std::string_view p) -> std::string {  // OpenChat35Adapter
      return (has(p, "openchat") && has(p, "3.5")) || has(p, "starling-lm") ? "openchat_3.5" : "";
    }},
    Rule{[](std::string_view p) -> std::string {  // TuluAdapter
      return has(p, "tulu") ? "tulu" : "";
    }},
    Rule{[](std::string_view p) -> std::string {  // Llama2Adapter
      return has(p, "llama-2") ? "llama-2" : "";
    }},
    // Llama3Adapter. Deviation: FastChat sends "llama-3.1" paths to its arena-only
    // "meta-llama-3.1" API template (issue #3547); Llama 3.x instruct models use the Llama-3
    // chat format, so they get "llama-3" here.
    Rule{[](std::string_view p) -> std::string {
      return has(p, "llama-3-") || has(p, "llama-3.") ? "llama-3" : "";
    }},
    Rule{[](std::string_view p) -> std::string {  // MistralAdapter
      return has(p, "mistral") || has(p, "mixtral") ? "mistral" : "";
    }},
    Rule{[](std::string_view p) -> std::string {  // QwenChatAdapter (FastChat: qwen-7b-chat)
      return has(p, "qwen") ? "chatml" : "";
    }},
    Rule{[](std::string_view p) -> std::string {  // CodeLlamaAdapter
      return has(p, "codellama") ? "llama-2" : "";
    }},
    Rule{[](std::string_view p) -> std::string {  // ZephyrAdapter
      return has(p, "zephyr") ? "zephyr" : "";
    }},
    Rule{[](std::string_view p) -> std::string {  // TinyLlamaAdapter
      return has(p, "tinyllama") ? "TinyLlama" : "";
    }},
    Rule{[](std::string_view p) -> std::string {  // DeepseekChatAdapter
      return has(p, "deepseek-llm") && has(p, "chat") ? "deepseek-chat" : "";
    }},
    Rule{[](std::string_view p) -> std::string {  // GemmaAdapter
      return has(p, "gemma") ? "gemma" : "";
    }},
    // Deviation: FastChat has no rule for llama2.c's "stories" base models and would wrap their
    // prompt in the one_shot chat. A base model continues raw text, so they get "raw".
    Rule{[](std::string_view p) -> std::string { return has(p, "stories") ? "raw" : ""; }},
};

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// os.path.basename(os.path.normpath(path)) for the cases that matter: trailing separators are
// ignored ("models/vicuna-7b/" -> "vicuna-7b").
std::string_view path_basename(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string first_match(std::string_view lower_path) {
  for (const Rule& rule : kRules) {
    if (std::string name = rule.match(lower_path); !name.empty()) return name;
  }
  return {};
}

}  // namespace

std::string match_template_name(std::string_view model_path) {
  const std::string path = lower(model_path);
  if (std::string name = first_match(path_basename(path)); !name.empty()) return name;
  if (std::string name = first_match(path); !name.empty()) return name;
  return "one_shot";  // FastChat's BaseModelAdapter
}

}  // namespace fastchat::conversation
