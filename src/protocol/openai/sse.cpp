#include "protocol/openai/sse.h"

#include "protocol/openai/json_text.h"

namespace fastchat::openai {

std::string sse_event(const nlohmann::json& payload) {
  return "data: " + dump_json(payload) + "\n\n";
}

std::string sse_done() { return "data: " + std::string(kSseDone) + "\n\n"; }

std::vector<std::string> SseParser::feed(std::string_view bytes) {
  std::vector<std::string> events;
  for (const char c : bytes) {
    if (skip_lf_) {
      skip_lf_ = false;
      if (c == '\n') continue;
    }
    if (c == '\r' || c == '\n') {
      // A CR may be the first half of CRLF, whose LF can arrive in the next chunk.
      skip_lf_ = c == '\r';
      end_line(events);
      continue;
    }
    line_ += c;
  }
  return events;
}

void SseParser::end_line(std::vector<std::string>& events) {
  if (line_.empty()) {
    // A blank line dispatches the event.
    if (has_data_) events.push_back(std::move(data_));
    data_.clear();
    has_data_ = false;
    return;
  }
  if (line_.front() == ':') {  // comment, e.g. ": keep-alive"
    line_.clear();
    return;
  }
  const auto colon = line_.find(':');
  const std::string_view line = line_;
  const std::string_view field = line.substr(0, colon);
  std::string_view value = colon == std::string::npos ? std::string_view{} : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (has_data_) data_ += '\n';
    data_.append(value);
    has_data_ = true;
  }
  line_.clear();
}

}  // namespace fastchat::openai
