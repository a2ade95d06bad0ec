#pragma once
// Server-sent events as the OpenAI API uses them: each event is one "data: <json>" line and a
// blank line, and the stream ends with "data: [DONE]". The parser is for the other side (server
// tests, the benchmark client), and is as lenient as the OpenAI SDKs' stream readers, which accept
// CRLF line endings, "data:" without a space, ": comment" lines, "event:" lines and a stream that
// ends without [DONE]. Event stream syntax: the WHATWG HTML standard, "Server-sent events"
// (html.spec.whatwg.org/multipage/server-sent-events.html).

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace fastchat::openai {

/// The payload that ends an OpenAI stream.
inline constexpr std::string_view kSseDone = "[DONE]";

/// "data: <compact json>\n\n" (invalid UTF-8 replaced, see json_text.h).
std::string sse_event(const nlohmann::json& payload);
/// "data: [DONE]\n\n".
std::string sse_done();

/// Incremental parser of an event stream (the WHATWG rules, reduced to `data`): feed bytes as they
/// arrive, in chunks split anywhere, and get the data of each completed event. Lines end with LF,
/// CRLF or CR; lines starting with ':' are comments; `event`, `id`, `retry` and unknown fields are
/// ignored; "data:" with or without one space; several data lines of one event join with "\n";
/// an event without data lines yields nothing.
class SseParser {
 public:
  /// Data payloads of the events that `bytes` completes, in order (kSseDone included as-is).
  std::vector<std::string> feed(std::string_view bytes);

  /// True when bytes of an unfinished event are buffered: a stream that ends here was cut.
  bool has_partial() const { return !line_.empty() || has_data_; }

 private:
  void end_line(std::vector<std::string>& events);

  std::string line_;       // the current line, without its terminator
  std::string data_;       // data lines of the current event, joined by "\n"
  bool has_data_ = false;  // the current event has a data line (possibly empty)
  bool skip_lf_ = false;   // the previous chunk ended with CR: a leading LF completes CRLF
};

}  // namespace fastchat::openai
