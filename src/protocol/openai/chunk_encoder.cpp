#include "protocol/openai/chunk_encoder.h"

#include "protocol/openai/json_text.h"
#include "protocol/openai/logprobs_json.h"
#include "protocol/openai/responses.h"

namespace fastchat::openai {

namespace {

void append_string(std::string& out, std::string_view text) {
  out += dump_json(nlohmann::json(text));  // escaping and invalid UTF-8 as everywhere else
}

// {role?, content?, reasoning_content?, tool_calls?}. Every chunk but a finish without text and
// a tool-call piece has content, even "" (the first chunk), so that clients concatenating content
// never see it missing; a tool-call piece has none, or null on the first chunk, as OpenAI sends.
void append_chat_delta(std::string& out, const ChoiceDelta& delta) {
  out += ",\"delta\":{";
  const char* separator = "";
  if (delta.first) {
    out += "\"role\":\"assistant\"";
    separator = ",";
  }
  if (delta.tool_call) {
    if (delta.first) out += ",\"content\":null";
  } else if (delta.first || !delta.text.empty() || !delta.finish_reason) {
    out += separator;
    out += "\"content\":";
    append_string(out, delta.text);
    separator = ",";
  }
  if (!delta.reasoning.empty()) {
    out += separator;
    out += "\"reasoning_content\":";
    append_string(out, delta.reasoning);
    separator = ",";
  }
  if (delta.tool_call) {
    out += separator;
    out += "\"tool_calls\":[";
    out += dump_json(tool_call_json(*delta.tool_call, /*whole=*/false));
    out += ']';
  }
  out += '}';
}

}  // namespace

ChunkEncoder::ChunkEncoder(bool chat, std::string_view id, int64_t created, std::string_view model,
                           bool with_logprobs)
    : chat_(chat), with_logprobs_(with_logprobs) {
  head_ = "data: {\"id\":";
  append_string(head_, id);
  head_ += ",\"object\":";
  append_string(head_, chat ? kChatCompletionChunkObject : kTextCompletionObject);
  head_ += ",\"created\":" + std::to_string(created) + ",\"model\":";
  append_string(head_, model);
  head_ += ",\"choices\":[{\"index\":";
}

std::string ChunkEncoder::event(const ChoiceDelta& delta, std::size_t text_offset) const {
  std::string out;
  out.reserve(head_.size() + delta.text.size() + 96);
  out += head_;
  out += std::to_string(delta.index);
  if (chat_) {
    append_chat_delta(out, delta);
  } else {
    out += ",\"text\":";
    append_string(out, delta.text);
  }
  out += ",\"logprobs\":";
  if (with_logprobs_ && !delta.logprobs.empty()) {
    out += dump_json(chat_ ? chat_logprobs(delta.logprobs)
                           : completion_logprobs(delta.logprobs, text_offset));
  } else {
    out += "null";
  }
  out += ",\"finish_reason\":";
  if (delta.finish_reason) {
    append_string(out, *delta.finish_reason);
  } else {
    out += "null";
  }
  out += "}]}\n\n";
  return out;
}

}  // namespace fastchat::openai
