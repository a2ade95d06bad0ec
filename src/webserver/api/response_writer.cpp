#include "webserver/api/response_writer.h"

#include <ctime>
#include <map>

#include "protocol/openai/chunk_encoder.h"
#include "protocol/openai/logprobs_json.h"
#include "protocol/openai/sse.h"

namespace fastchat::api {

namespace {

// The worker's finish reasons, as OpenAI clients know them; anything else means the choice
// did not complete and is reported as an error.
std::optional<Error> failure_of(const ChoiceEvent& event) {
  if (event.failure) return event.failure;
  if (event.delta.error) return event.delta.error;
  const auto& reason = event.delta.finish_reason;
  if (reason && *reason != "stop" && *reason != "length" && *reason != "tool_calls") {
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

// A worker's tool-call pieces, by index, into whole calls. The index comes from the worker, so
// it is bounded: a call per generated token at most.
void add_tool_calls(std::vector<openai::ToolCallDelta>& calls,
                    const std::vector<protocol::ToolCallDelta>& pieces) {
  constexpr int32_t kMostCalls = 1 << 16;
  for (const auto& piece : pieces) {
    if (piece.index >= kMostCalls) {
      throw_error(ErrorCode::UpstreamFailed, "the worker sent a tool call index out of range");
    }
    if (static_cast<size_t>(piece.index) >= calls.size()) calls.resize(piece.index + 1);
    auto& call = calls[piece.index];
    call.index = piece.index;
    if (!piece.id.empty()) call.id = piece.id;
    if (!piece.name.empty()) call.name = piece.name;
    call.arguments += piece.arguments;
  }
}

void write_whole(ChoiceRunner& runner, const Endpoint& endpoint, http::Responder& out,
                 RequestMetrics& metrics) {
  std::vector<openai::ChoiceResult> choices(endpoint.num_choices);
  for (int i = 0; i < endpoint.num_choices; ++i) {
    choices[i].index = i;
    if (endpoint.logprobs) choices[i].logprobs.emplace();
  }
  UsageCounter usage;
  std::optional<Error> failure;
  runner.run([&](ChoiceEvent&& event) {
    metrics.on_event(event);
    if ((failure = failure_of(event))) return false;
    auto& choice = choices.at(event.index);
    choice.text += event.delta.text;
    choice.reasoning += event.delta.reasoning;
    try {
      add_tool_calls(choice.tool_calls, event.delta.tool_calls);
    } catch (const ErrorException& e) {
      failure = e.error();
      return false;
    }
    if (choice.logprobs) {
      const auto& more = event.delta.logprobs;
      choice.logprobs->insert(choice.logprobs->end(), more.begin(), more.end());
    }
    if (event.delta.finish_reason) choice.finish_reason = *event.delta.finish_reason;
    usage.add(event);
    return true;
  });
  if (failure) throw ErrorException(*failure);
  const auto id = openai::make_id(endpoint.chat ? "chatcmpl-" : "cmpl-");
  const int64_t created = std::time(nullptr);
  auto body = endpoint.chat
                  ? openai::chat_completion(id, created, endpoint.model, choices, usage.total())
                  : openai::completion(id, created, endpoint.model, choices, usage.total());
  out.send(http::Response::json(200, body));
  metrics.on_complete(usage.total());
}

// The server-sent events of one answer, fed one ChoiceEvent at a time. The first event decides
// between an HTTP error (nothing sent yet) and a 200 stream.
class EventStreamWriter {
 public:
  EventStreamWriter(const Endpoint& endpoint, http::Responder& out, RequestMetrics& metrics,
                    std::shared_ptr<std::atomic<bool>> cancel_flag)
      : endpoint_(endpoint),
        out_(out),
        metrics_(metrics),
        cancel_flag_(std::move(cancel_flag)),
        id_(openai::make_id(endpoint.chat ? "chatcmpl-" : "cmpl-")),
        created_(std::time(nullptr)),
        encoder_(endpoint.chat, id_, created_, endpoint.model, endpoint.logprobs),
        started_(endpoint.num_choices, false),
        text_offset_(endpoint.num_choices, 0) {}

  /// False once the stream cannot go on (a failure, or the client left).
  bool add(ChoiceEvent&& event) {
    metrics_.on_event(event);
    auto failure = failure_of(event);
    if (!stream_) {
      if (failure) {
        early_failure_ = failure;
        return false;
      }
      stream_ = out_.stream(200, "text/event-stream");
      stream_->on_client_gone([flag = cancel_flag_] { *flag = true; });
    }
    if (failure) {
      failed_ = true;
      alive_ = stream_->write(openai::sse_event(openai::error_body(*failure)));
      return false;
    }
    usage_.add(event);
    auto& delta = event.delta;
    openai::ChoiceDelta piece;
    piece.index = event.index;
    piece.text = std::move(delta.text);
    piece.reasoning = std::move(delta.reasoning);
    piece.logprobs = std::move(delta.logprobs);
    // One chunk per tool-call piece, as OpenAI streams them; the finish goes on the last chunk.
    for (auto& call : delta.tool_calls) {
      if (!write_piece(piece)) return false;
      piece = openai::ChoiceDelta{};
      piece.index = event.index;
      piece.tool_call = std::move(call);
    }
    piece.finish_reason = std::move(delta.finish_reason);
    return write_piece(piece);
  }

  /// True while add() could block on the client.
  bool congested() const { return stream_ && stream_->congested(); }

  /// After the last event: usage, [DONE], and the end of the stream.
  void finish() {
    if (early_failure_) throw ErrorException(*early_failure_);
    if (!stream_) throw_error(ErrorCode::UpstreamFailed, "no answer from the worker");
    if (!alive_) {
      metrics_.on_client_gone();
      return;
    }
    if (endpoint_.include_usage && !failed_) {
      auto object =
          endpoint_.chat ? openai::kChatCompletionChunkObject : openai::kTextCompletionObject;
      stream_->write(openai::sse_event(
          openai::usage_chunk(id_, created_, endpoint_.model, object, usage_.total())));
    }
    stream_->write(openai::sse_done());
    stream_->close();
    if (!failed_) metrics_.on_complete(usage_.total());
  }

 private:
  // One chunk, unless it says nothing yet: token ids whose text is still held back (partial
  // UTF-8, a possible stop string or tool-call marker).
  bool write_piece(openai::ChoiceDelta& piece) {
    const int index = piece.index;
    piece.first = endpoint_.chat && !started_[index];
    if (!piece.first && piece.text.empty() && piece.reasoning.empty() && !piece.tool_call &&
        piece.logprobs.empty() && !piece.finish_reason) {
      return true;
    }
    started_[index] = true;
    auto event_text = encoder_.event(piece, text_offset_[index]);
    if (!endpoint_.chat && endpoint_.logprobs)
      text_offset_[index] += openai::utf8_length(piece.text);
    alive_ = stream_->write(std::move(event_text));
    return alive_;
  }

  const Endpoint& endpoint_;
  http::Responder& out_;
  RequestMetrics& metrics_;
  std::shared_ptr<std::atomic<bool>> cancel_flag_;
  const std::string id_;
  const int64_t created_;
  const openai::ChunkEncoder encoder_;
  std::shared_ptr<http::ResponseStream> stream_;
  std::optional<Error> early_failure_;
  std::vector<bool> started_;
  std::vector<size_t> text_offset_;
  UsageCounter usage_;
  bool alive_ = true;
  bool failed_ = false;
};

void write_stream(ChoiceRunner& runner, const Endpoint& endpoint, http::Responder& out,
                  RequestMetrics& metrics) {
  EventStreamWriter writer(endpoint, out, metrics, runner.cancel_flag());
  runner.run([&](ChoiceEvent&& event) { return writer.add(std::move(event)); },
             [&] { return writer.congested(); });
  writer.finish();
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
