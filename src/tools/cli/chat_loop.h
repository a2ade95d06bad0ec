#pragma once
// FastChat's terminal chat: read a user turn, render the conversation with the model's
// template, stream the assistant's answer, keep the history. Commands: !!exit (or an empty
// line / end of input) leaves, !!reset starts over. Runs on the calling thread.

#include <iosfwd>
#include <string>

#include "worker/engine/model_instance.h"

namespace fastchat::cli {

struct ChatOptions {
  protocol::SamplingParams params;  // max_tokens is the per-answer cap (--max-new-tokens)
  std::string system_message;       // empty: the template's own
  bool no_history = false;
  bool debug = false;  // print the prompt and tokens/s after each answer
};

class ChatLoop {
 public:
  ChatLoop(engine::ModelInstance& model, ChatOptions options);

  /// Interactive session over `in`/`out` until !!exit or end of input.
  void run(std::istream& in, std::ostream& out);
  /// One answer to `prompt` (as a single user turn), streamed to `out`; returns its text.
  std::string answer_once(const std::string& prompt, std::ostream& out);

 private:
  std::string respond(std::ostream& out);

  engine::ModelInstance& model_;
  ChatOptions options_;
  std::vector<protocol::ChatMessage> history_;
};

}  // namespace fastchat::cli
