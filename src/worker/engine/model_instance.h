#pragma once
// A model ready to serve: its engine, tokenizer and conversation template, loaded from one
// Hugging Face folder with the user's launch options. What fastchat-cli, fastchat-bench and
// the worker build on. Thread-safe as its parts are: engine submit/abort and tokenizer calls.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "text/conversation/conversation_template.h"
#include "worker/engine/engine.h"
#include "worker/engine/text_stream.h"
#include "text/tokenizer/tokenizer.h"

namespace fastchat::engine {

struct LaunchOptions {
  std::filesystem::path model_path;
  std::string device = "cpu";      // cpu | cuda | cuda:N
  std::string dtype = "auto";      // auto | float32 | bfloat16 | float16
  std::string conv_template;       // empty: matched from the model path
  EngineConfig engine;
};

class ModelInstance {
 public:
  /// Loads everything; throws ErrorException naming the file or flag at fault.
  explicit ModelInstance(const LaunchOptions& options);

  Engine& engine() { return *engine_; }
  const tokenizer::Tokenizer& tokenizer() const { return *tokenizer_; }
  const conversation::ConversationTemplate& conv_template() const { return *template_; }

  /// Prompt text -> ids. Special tokens are added unless the text already starts with the
  /// BOS token's text, as templates such as llama-3 write it themselves (FastChat's double
  /// BOS quirk, avoided).
  std::vector<int32_t> encode_prompt(const std::string& prompt) const;

  /// Starts a generation and returns its text stream; `stop` strings are added to the
  /// template's, and the template's stop token ids to params'.
  std::unique_ptr<TextStream> generate(const std::vector<int32_t>& prompt_ids,
                                       protocol::SamplingParams params);

 private:
  std::unique_ptr<tokenizer::Tokenizer> tokenizer_;
  const conversation::ConversationTemplate* template_;
  std::unique_ptr<Engine> engine_;
  std::string bos_text_;
};

}  // namespace fastchat::engine
