#include "webserver/api/response_writer.h"

#include <ctime>
#include <map>

#include "webserver/openai/logprobs_json.h"
#include "webserver/openai/sse.h"

namespace fastchat::api {

namespace {

// The worker's finish reasons, as OpenAI clients know them; anything else means the choice
// did not complete and is reported as an error.
std::optional<Error> failure_of(const ChoiceEvent& event) {
  if (event.failure) return event.failure;
  if (event.delta.error) return event.delta.error;
  const auto& reason = event.delta.finish_reason;
  if (reason && *reason != "stop" && *reason != "length") {
    return Error{ErrorCode::UpstreamFailed, "the worker ended the generation: " + *reason, ""};
  }
  return std::nullopt;
}

// Usage: each prompt's tokens once (n choices share it, as OpenAI counts), every choice's
// completion tokens.
struct UsageCounter {
  std::map<int, int> prompt_tokens;      // by prompt
  std::map<int, int> completion_tokens;  // by choice
  void add(const ChoiceEvent& event) {
    prompt_tokens[event.prompt_index] = event.delta.prompt_tokens;
    completion_tokens[event.index] = event.delta.completion_tokens;
  }
  openai::Usage total() const {
    openai::Usage usage;
    for (const auto& [_, n] : prompt_tokens) usage.prompt_tokens += n;
    for (const auto& [_, n] : completion_tokens) usage.completion_tokens += n;
    return usage;
  }
};

void write_whole(ChoiceRunner& runner, const Endpoint& endpoint, http::Responder& out,
                 RequestMetrics& metrics) {
  std::vector<openai::ChoiceResult> choices(endpoint.num_choices);
  for (int i = 0; i < endpoint.num_choices; ++i) {
    choices[i].index = i;
    if (endpoint.logprobs) choices[i].logprobs.emplace();
  }
  UsageCounter usage;
  while (auto event = runner.next()) {
    metrics.on_event(*event);
    if (auto failure = failure_of(*event)) {
      runner.cancel();
      throw ErrorException(*failure);
    }
    auto& choice = choices.at(event->index);
    choice.text += event->delta.text;
    if (choice.logprobs) {
      const auto& more = event->delta.logprobs;
      choice.logprobs->insert(choice.logprobs->end(), more.begin(), more.end());
    }
    if (event->delta.finish_reason) choice.finish_reason = *event->delta.finish_reason;
    usage.add(*event);
  }
  const auto id = openai::make_id(endpoint.chat ? "chatcmpl-" : "cmpl-");
  const int64_t created = std::time(nullptr);
  auto body = endpoint.chat ? openai::chat_completion(id, created, endpoint.model, choices, usage.total())
                            : openai::completion(id, created, endpoint.model, choices, usage.total());
  out.send(http::Response::json(200, body));
  metrics.on_complete(usage.total());
}

void write_stream(ChoiceRunner& runner, const Endpoint& endpoint, http::Responder& out,
                  RequestMetrics& metrics) {
  auto next = [&] {
    auto event = runner.next();
    if (event) metrics.on_event(*event);
    return event;
  };
  // The first event decides between an HTTP error and a 200 stream.
  auto event = next();
  if (!event) throw_error(ErrorCode::UpstreamFailed, "no answer from the worker");
  if (auto failure = failure_of(*event)) {
    runner.cancel();
    throw ErrorException(*failure);
  }
  auto stream = out.stream(200, "text/event-stream");
  stream->on_client_gone([flag = runner.cancel_flag()] { *flag = true; });
  const auto id = openai::make_id(endpoint.chat ? "chatcmpl-" : "cmpl-");
  const int64_t created = std::time(nullptr);
  std::vector<bool> started(endpoint.num_choices, false);
  std::vector<size_t> text_offset(endpoint.num_choices, 0);
  UsageCounter usage;
  bool alive = true;
  bool failed = false;
  for (; event && alive; event = next()) {
    if (auto failure = failure_of(*event)) {
      runner.cancel();
      alive = stream->write(openai::sse_event(openai::error_body(*failure)));
      failed = true;
      break;
    }
    usage.add(*event);
    const auto& delta = event->delta;
    const int index = event->index;
    openai::ChoiceDelta piece;
    piece.index = index;
    piece.text = delta.text;
    piece.logprobs = delta.logprobs;
    piece.finish_reason = delta.finish_reason;
    piece.first = endpoint.chat && !started[index];
    if (!piece.first && piece.text.empty() && piece.logprobs.empty() && !piece.finish_reason) {
      continue;  // token ids whose text is still held back (partial UTF-8, a possible stop)
    }
    started[index] = true;
    auto chunk = endpoint.chat
                     ? openai::chat_completion_chunk(id, created, endpoint.model, piece, endpoint.logprobs)
                     : openai::completion_chunk(id, created, endpoint.model, piece, endpoint.logprobs,
                                                text_offset[index]);
    text_offset[index] += openai::utf8_length(piece.text);
    alive = stream->write(openai::sse_event(chunk));
  }
  if (!alive) {
    runner.cancel();
    metrics.on_client_gone();
    return;
  }
  if (endpoint.include_usage && !failed) {
    auto object = endpoint.chat ? openai::kChatCompletionChunkObject : openai::kTextCompletionObject;
    stream->write(openai::sse_event(openai::usage_chunk(id, created, endpoint.model, object, usage.total())));
  }
  stream->write(openai::sse_done());
  stream->close();
  if (!failed) metrics.on_complete(usage.total());
}

}  // namespace

void write_response(ChoiceRunner& runner, const Endpoint& endpoint, http::Responder& out,
                    RequestMetrics& metrics) {
  if (endpoint.stream) {
    write_stream(runner, endpoint, out, metrics);
  } else {
    write_whole(runner, endpoint, out, metrics);
  }
}

}  // namespace fastchat::api
