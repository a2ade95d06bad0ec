#include "tools/cli/chat_loop.h"

#include <chrono>
#include <iostream>

#include "common/error/error.h"
#include "worker/engine/text_stream.h"

namespace fastchat::cli {

ChatLoop::ChatLoop(engine::ModelInstance& model, ChatOptions options)
    : model_(model), options_(std::move(options)) {
  if (!options_.system_message.empty()) history_.push_back({"system", options_.system_message});
}

std::string ChatLoop::respond(std::ostream& out) {
  const std::string prompt = model_.render_chat(history_);
  auto ids = model_.encode_chat(prompt);
  auto params = options_.params;
  // Like FastChat's CLI, shorten the answer rather than refuse when the chat grows long.
  const int32_t room = model_.engine().context_length() - static_cast<int32_t>(ids.size());
  if (room < 1)
    fastchat::throw_error(fastchat::ErrorCode::ContextLengthExceeded,
                          "the conversation (" + std::to_string(ids.size()) +
                              " tokens) fills the model's context of " +
                              std::to_string(model_.engine().context_length()) +
                              " tokens; use !!reset",
                          "messages");
  params.max_tokens = std::min(params.max_tokens, room);
  if (options_.debug) out << "\n[prompt]\n" << prompt << "\n[/prompt]\n";

  const auto start = std::chrono::steady_clock::now();
  auto stream = model_.generate(ids, params);
  // Chat answers are shown and kept trimmed, as FastChat does (`outputs.strip()`); the raw
  // template's answer is a continuation of the prompt, so its leading space is part of it.
  const bool trim = model_.chat_template() != nullptr || !model_.conv_template().roles[1].empty();
  std::string text;
  engine::TextDelta delta;
  do {
    delta = stream->next();
    std::string_view piece = delta.text;
    if (trim && text.empty()) {
      const auto first = piece.find_first_not_of(" \t\r\n");
      piece = first == std::string_view::npos ? std::string_view{} : piece.substr(first);
    }
    out << piece << std::flush;
    text += piece;
  } while (!delta.finish);
  if (trim) text.erase(text.find_last_not_of(" \t\r\n") + 1);
  out << "\n";
  if (*delta.finish == engine::FinishReason::Error) {
    fastchat::throw_error(fastchat::ErrorCode::Internal, "generation failed: " + delta.error);
  }
  if (options_.debug) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out << "[" << delta.num_output_tokens << " tokens, " << delta.num_output_tokens / seconds
        << " tokens/s, finish " << engine::to_string(*delta.finish) << "]\n";
  }
  return text;
}

std::string ChatLoop::answer_once(const std::string& prompt, std::ostream& out) {
  history_.push_back({"user", prompt});
  return respond(out);
}

void ChatLoop::run(std::istream& in, std::ostream& out) {
  const auto& roles = model_.conv_template().roles;
  const std::string user_label = roles[0].empty() ? "USER" : roles[0];
  const std::string assistant_label = roles[1].empty() ? "ASSISTANT" : roles[1];
  std::string line;
  while (true) {
    out << user_label << ": " << std::flush;
    if (!std::getline(in, line) || line.empty() || line == "!!exit") break;
    if (line == "!!reset") {
      history_.erase(std::remove_if(history_.begin(), history_.end(),
                                    [](const auto& m) { return m.role != "system"; }),
                     history_.end());
      out << "=== conversation reset ===\n";
      continue;
    }
    out << assistant_label << ": " << std::flush;
    history_.push_back({"user", line});
    try {
      const std::string answer = respond(out);
      if (options_.no_history) {
        history_.pop_back();
      } else {
        history_.push_back({"assistant", answer});
      }
    } catch (const fastchat::ErrorException& e) {
      history_.pop_back();
      out << "\n[error] " << e.what() << "\n";
    }
  }
  out << "\n";
}

}  // namespace fastchat::cli
