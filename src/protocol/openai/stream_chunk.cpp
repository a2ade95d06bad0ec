#include "protocol/openai/stream_chunk.h"

#include <nlohmann/json.hpp>

#include "common/error/error_envelope.h"

namespace fastchat::openai {
namespace {

using nlohmann::json;

// Bytes of a bad payload quoted in the error.
constexpr size_t kExcerpt = 200;

std::string text_of(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int int_of(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int>() : 0;
}

ChunkChoice read_choice(const json& choice) {
  ChunkChoice out;
  out.index = int_of(choice, "index");
  if (auto delta = choice.find("delta"); delta != choice.end() && delta->is_object()) {
    out.text = text_of(*delta, "content");
    out.reasoning = text_of(*delta, "reasoning_content");
  } else {
    out.text = text_of(choice, "text");
  }
  if (auto reason = choice.find("finish_reason"); reason != choice.end() && reason->is_string()) {
    out.finish_reason = reason->get<std::string>();
  }
  return out;
}

}  // namespace

size_t StreamChunk::text_size() const {
  size_t size = 0;
  for (const auto& choice : choices) size += choice.text.size() + choice.reasoning.size();
  return size;
}

StreamChunk parse_stream_chunk(std::string_view data) {
  const json chunk = json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (chunk.is_discarded() || !chunk.is_object()) {
    throw_error(ErrorCode::UpstreamFailed,
                "a data event that is not a JSON object: " + std::string(data.substr(0, kExcerpt)));
  }
  StreamChunk out;
  if (auto error = chunk.find("error"); error != chunk.end() && !error->is_null()) {
    out.error = parse_error_envelope(chunk);
    if (!out.error) out.error = Error{ErrorCode::UpstreamFailed, error->dump(), ""};
    return out;
  }
  if (auto choices = chunk.find("choices"); choices != chunk.end() && choices->is_array()) {
    for (const json& choice : *choices) {
      if (choice.is_object()) out.choices.push_back(read_choice(choice));
    }
  }
  // vLLM sends "usage": null on every chunk but the last; a usage needs its completion count.
  if (auto usage = chunk.find("usage"); usage != chunk.end() && usage->is_object()) {
    if (auto completion = usage->find("completion_tokens");
        completion != usage->end() && completion->is_number_integer()) {
      out.usage = Usage{int_of(*usage, "prompt_tokens"), completion->get<int>()};
    }
  }
  return out;
}

}  // namespace fastchat::openai
