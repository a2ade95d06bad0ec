#include "worker/engine/text_stream.h"

namespace fastchat::engine {

TextStream::TextStream(Engine& engine, std::shared_ptr<RequestStream> stream,
                       const tokenizer::Tokenizer& tokenizer, std::span<const int32_t> prompt_ids,
                       std::vector<std::string> stop_strings, bool keep_special_tokens)
    : engine_(engine),
      stream_(std::move(stream)),
      detokenizer_(tokenizer, prompt_ids, /*skip_special_tokens=*/!keep_special_tokens),
      matcher_(std::move(stop_strings)),
      num_prompt_tokens_(static_cast<int32_t>(prompt_ids.size())) {}

TextStream::~TextStream() {
  if (!finished_) engine_.abort(stream_->id());
}

TextDelta TextStream::next() {
  TextDelta delta;
  delta.num_prompt_tokens = num_prompt_tokens_;
  if (finished_) {
    delta.finish = FinishReason::Stop;
    delta.num_output_tokens = num_output_tokens_;
    return delta;
  }
  StreamUpdate update = stream_->next();
  // Token by token: a stop string completed by one token ends the answer there, so the tokens
  // the engine produced after it are neither shown nor counted.
  bool stopped = false;
  for (size_t i = 0; i < update.tokens.size() && !stopped; ++i) {
    const TokenEvent& token = update.tokens[i];
    ++num_output_tokens_;
    std::string piece = token.is_stop_token ? std::string() : detokenizer_.push(token.token);
    if (update.finish && i + 1 == update.tokens.size()) piece += detokenizer_.flush();
    auto matched = matcher_.push(piece);
    delta.text += matched.text;
    delta.tokens.push_back(token);
    stopped = matched.stopped;
  }
  if (!stopped && update.finish && update.tokens.empty()) {
    auto matched = matcher_.push(detokenizer_.flush());
    delta.text += matched.text;
    stopped = matched.stopped;
  }
  if (stopped) {
    engine_.abort(stream_->id());
    delta.finish = FinishReason::Stop;
  } else if (update.finish) {
    delta.text += matcher_.finish();
    // A short stop string held back behind a longer candidate completes only at the end.
    delta.finish = matcher_.stopped() ? FinishReason::Stop : *update.finish;
    delta.error = std::move(update.error);
  }
  delta.num_output_tokens = num_output_tokens_;
  finished_ = delta.finish.has_value();
  return delta;
}

Completion collect(TextStream& stream) {
  Completion completion;
  while (true) {
    TextDelta delta = stream.next();
    completion.text += delta.text;
    for (const auto& token : delta.tokens) completion.token_ids.push_back(token.token);
    completion.num_prompt_tokens = delta.num_prompt_tokens;
    completion.num_output_tokens = delta.num_output_tokens;
    if (delta.finish) {
      completion.finish = *delta.finish;
      completion.error = delta.error;
      return completion;
    }
  }
}

}  // namespace fastchat::engine
