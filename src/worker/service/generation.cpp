#include "worker/service/generation.h"

#include <algorithm>
#include <cmath>

namespace fastchat::service {

Generation::Generation(engine::ModelInstance& model, Admission& admission,
                       const protocol::GenerateRequest& request)
    : model_(model), echo_(request.echo), want_logprobs_(request.sampling.logprobs >= 0) {
  bool keep_special_tokens = false;
  if (request.prompt) {
    prompt_text_ = *request.prompt;
    prompt_ids_ = model.encode_prompt(prompt_text_);
  } else {
    auto chat = model.render_chat(request);
    prompt_text_ = std::move(chat.text);
    prompt_ids_ = model.encode_chat(prompt_text_);
    if (chat.reply) reply_.emplace(*chat.reply);
    keep_special_tokens = chat.keep_special_tokens;
  }
  if (!prompt_ids_.empty()) previous_token_ = prompt_ids_.back();

  auto& engine = model.engine();
  const int64_t prompt_len = static_cast<int64_t>(prompt_ids_.size());
  const int64_t context = engine.context_length();
  auto sampling = request.sampling;
  if (prompt_len >= context) {
    throw_error(ErrorCode::ContextLengthExceeded,
                "This model's maximum context length is " + std::to_string(context) +
                    " tokens. However, your prompt has " + std::to_string(prompt_len) +
                    " tokens, which leaves no room for the completion. Please shorten the prompt.",
                request.messages ? "messages" : "prompt");
  }
  if (request.max_tokens_set) {
    if (prompt_len + sampling.max_tokens > context) {
      throw_error(ErrorCode::ContextLengthExceeded,
                  "This model's maximum context length is " + std::to_string(context) +
                      " tokens. However, you requested " +
                      std::to_string(prompt_len + sampling.max_tokens) + " tokens (" +
                      std::to_string(prompt_len) + " in the prompt, " +
                      std::to_string(sampling.max_tokens) +
                      " for the completion). Please reduce the prompt or max_tokens.",
                  "max_tokens");
    }
  } else {
    // The client left it open: as many tokens as the context (and the KV cache) allows.
    const int64_t room = std::min<int64_t>(context, engine.kv_cache_capacity_tokens()) - prompt_len;
    sampling.max_tokens = static_cast<int32_t>(
        std::clamp<int64_t>(std::min<int64_t>(sampling.max_tokens, room), 1, context));
    sampling.min_tokens = std::min(sampling.min_tokens, sampling.max_tokens);
  }
  slot_ = admission.acquire();
  stream_ = model.generate(prompt_ids_, std::move(sampling), keep_special_tokens);
}

protocol::GenerateDelta Generation::next() {
  protocol::GenerateDelta delta;
  delta.prompt_tokens = prompt_tokens();
  if (finished_) {
    delta.finish_reason = "stop";
    return delta;
  }
  engine::TextDelta text = stream_->next();
  delta.text = std::move(text.text);
  if (reply_) split_reply(delta, text.finish.has_value());
  if (echo_) {
    delta.text = prompt_text_ + delta.text;
    echo_ = false;
  }
  for (const auto& token : text.tokens) delta.token_ids.push_back(token.token);
  if (want_logprobs_) delta.logprobs = token_logprobs(text.tokens);
  delta.completion_tokens = text.num_output_tokens;
  if (text.finish) {
    finished_ = true;
    slot_.release();
    if (*text.finish == engine::FinishReason::Error) {
      delta.error = Error{ErrorCode::Internal, "generation failed: " + text.error, ""};
    } else if (*text.finish == engine::FinishReason::Timeout) {
      delta.error =
          Error{ErrorCode::Overloaded, "the worker is overloaded: the request " + text.error, ""};
    }
    delta.finish_reason = engine::to_string(*text.finish);
    if (*text.finish == engine::FinishReason::Stop && reply_ && reply_->made_tool_calls()) {
      delta.finish_reason = "tool_calls";
    }
  }
  return delta;
}

void Generation::split_reply(protocol::GenerateDelta& delta, bool last) {
  auto parts = reply_->push(delta.text);
  if (last) {
    auto rest = reply_->finish();
    parts.content += rest.content;
    parts.reasoning += rest.reasoning;
    for (auto& call : rest.tool_calls) parts.tool_calls.push_back(std::move(call));
  }
  delta.text = std::move(parts.content);
  delta.reasoning = std::move(parts.reasoning);
  delta.tool_calls = std::move(parts.tool_calls);
}

void Generation::cancel() { model_.engine().abort(stream_->request_id()); }

std::string Generation::token_text(int32_t token, const std::string& previous_text) const {
  const auto& tokenizer = model_.tokenizer();
  if (previous_token_ < 0) return tokenizer.decode(std::vector<int32_t>{token}, false);
  const std::string both = tokenizer.decode(std::vector<int32_t>{previous_token_, token}, false);
  return both.compare(0, previous_text.size(), previous_text) == 0
             ? both.substr(previous_text.size())
             : tokenizer.decode(std::vector<int32_t>{token}, false);
}

std::vector<protocol::TokenLogprob> Generation::token_logprobs(
    const std::vector<engine::TokenEvent>& tokens) {
  std::vector<protocol::TokenLogprob> out;
  for (const auto& token : tokens) {
    if (!std::isnan(token.logprob)) {
      // The previous token's own text, decoded once for the chosen token and its alternatives.
      const std::string previous_text =
          previous_token_ < 0
              ? std::string()
              : model_.tokenizer().decode(std::vector<int32_t>{previous_token_}, false);
      protocol::TokenLogprob entry{token_text(token.token, previous_text), token.logprob, {}};
      for (const auto& top : token.top_logprobs) {
        entry.top.emplace_back(token_text(top.token, previous_text), top.logprob);
      }
      out.push_back(std::move(entry));
    }
    previous_token_ = token.token;
  }
  return out;
}

}  // namespace fastchat::service
