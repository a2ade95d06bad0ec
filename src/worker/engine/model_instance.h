#pragma once
// A model ready to serve: its engine, tokenizer and prompt format, loaded from one Hugging Face
// folder with the user's launch options. What fastchat-cli, fastchat-bench and the worker build
// on. Thread-safe as its parts are: engine submit/abort, tokenizer calls and template renders.
//
// The prompt format of a chat: with --conv-template, that FastChat template; else the folder's
// own Jinja chat template when it has one (as vLLM, TGI and llama.cpp's server do); else the
// FastChat template matched from the model path.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <optional>
#include <span>

#include "protocol/chat_message.h"
#include "protocol/embedding_input.h"
#include "protocol/generate_request.h"
#include "text/conversation/chat_template.h"
#include "text/conversation/conversation_template.h"
#include "text/reply/reply_parser.h"
#include "text/tokenizer/tokenizer.h"
#include "worker/engine/engine.h"
#include "worker/engine/text_stream.h"

namespace fastchat::engine {

struct LaunchOptions {
  std::filesystem::path model_path;
  std::string device = "cpu";  // cpu | cuda | cuda:N
  std::string dtype = "auto";  // auto | float32 | bfloat16 | float16
  std::string conv_template;   // empty: the folder's chat template, else matched from the path
  std::string tool_call_parser = "auto";  // auto (from the chat template), none, or a format
  std::string reasoning_parser = "auto";  // auto (from the chat template), none, think
  Pooling embedding_pooling = Pooling::Mean;
  EngineConfig engine;
};

/// One input's embedding: L2-normalised, as long as the model's hidden size.
struct Embedding {
  std::vector<float> vector;
  int32_t num_tokens = 0;
};

/// A chat rendered for generation, and how its reply is to be read.
struct ChatPrompt {
  std::string text;
  /// Whether the reply is parsed for reasoning and tool calls (a chat template's model).
  std::optional<reply::ReplyOptions> reply;
  /// The reply's markers include special tokens (Mistral's [TOOL_CALLS]): decode them as text.
  bool keep_special_tokens = false;
};

class ModelInstance {
 public:
  /// Loads everything; throws ErrorException naming the file or flag at fault.
  explicit ModelInstance(const LaunchOptions& options);

  Engine& engine() { return *engine_; }
  const tokenizer::Tokenizer& tokenizer() const { return *tokenizer_; }
  /// The FastChat template matched from the path (or named by --conv-template): what FastChat's
  /// /worker_get_conv_template serves, and the prompt format unless a chat template is in use.
  const conversation::ConversationTemplate& conv_template() const { return *template_; }
  /// The folder's Jinja chat template, when it is the prompt format in use.
  const conversation::ChatTemplate* chat_template() const {
    return chat_template_ ? &*chat_template_ : nullptr;
  }
  /// Which prompt format is in use, for /worker_get_conv_template and /model_details:
  /// {"type": "chat_template", "origin", "end_of_turn", "stop_token_ids", "stop" (what chat
  /// generations stop on besides the generation config's EOS ids), "tool_call_format",
  /// "reasoning_format"} or {"type": "fastchat", "name"}.
  nlohmann::json prompt_format() const;

  /// A chat as the prompt the model expects, and its ids. A Jinja template writes the BOS token
  /// itself, so its text is tokenized without adding special tokens (as apply_chat_template
  /// does). Throws ErrorException{InvalidRequest} naming the template line for a conversation
  /// the template refuses.
  std::string render_chat(std::span<const protocol::ChatMessage> messages) const;
  /// A chat request's messages with its tools and template variables. Besides the above, throws
  /// InvalidRequest for tools, tool messages or template variables a FastChat template cannot
  /// carry, and for tools when no tool-call format is known for the template.
  ChatPrompt render_chat(const protocol::GenerateRequest& request) const;
  std::vector<int32_t> encode_chat(const std::string& rendered) const;

  /// A raw prompt's ids. Special tokens are added unless the text already starts with the BOS
  /// token's text, as templates such as llama-3 write it themselves (FastChat's double BOS
  /// quirk, avoided).
  std::vector<int32_t> encode_prompt(const std::string& prompt) const;

  /// Embeds each input (a text is tokenized as a prompt, BOS included; token ids are taken as
  /// they are), submitted together so that they share engine steps, in waves of 128 so that a
  /// large request does not fill the engine's queue by itself; pooled as
  /// LaunchOptions::embedding_pooling says. Throws ErrorException naming "input" (or
  /// "input[i]" with several) for an input the engine refuses (too long, ids outside the
  /// vocabulary).
  std::vector<Embedding> embed(const std::vector<protocol::EmbeddingInput>& inputs);
  Pooling embedding_pooling() const { return embedding_pooling_; }

  /// Starts a generation and returns its text stream; `stop` strings are added to the
  /// template's, and the template's stop token ids (a chat template's end of turn and EOS
  /// tokens) to params'.
  std::unique_ptr<TextStream> generate(const std::vector<int32_t>& prompt_ids,
                                       protocol::SamplingParams params,
                                       bool keep_special_tokens = false);

 private:
  void find_chat_stops();
  void choose_reply_formats(const LaunchOptions& options);
  void check_fastchat_renderable(const protocol::GenerateRequest& request) const;
  /// Runs requests [begin, end) of an embed() call at once, into out[begin, end).
  void embed_wave(std::vector<GenerationRequest>& requests, size_t begin, size_t end,
                  std::vector<Embedding>& out);
  void add_template_stops(protocol::SamplingParams& params) const;

  std::unique_ptr<tokenizer::Tokenizer> tokenizer_;
  const conversation::ConversationTemplate* template_;
  std::optional<conversation::ChatTemplate> chat_template_;
  std::vector<int32_t> chat_stop_ids_;       // the chat template's end of turn and EOS, as ids
  std::vector<std::string> chat_stop_text_;  // those that are not one token
  std::string end_of_turn_;                  // the special token that ends an answer, or ""
  reply::ToolCallFormat tool_call_format_ = reply::ToolCallFormat::None;
  reply::ReasoningFormat reasoning_format_ = reply::ReasoningFormat::None;
  std::unique_ptr<Engine> engine_;
  std::string bos_text_;
  Pooling embedding_pooling_ = Pooling::Mean;
};

}  // namespace fastchat::engine
