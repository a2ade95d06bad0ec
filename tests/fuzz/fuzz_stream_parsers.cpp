// The incremental stream parsers, fed the same bytes whole and cut at fuzzer-chosen points:
//  * FrameSplitter('\0'): FastChat's NUL-framed worker stream, each frame JSON;
//  * FrameSplitter('\n') + parse_delta_line: the native delta stream;
//  * SseParser: OpenAI server-sent events.
// Cutting a stream must not change what comes out; frames must match a simple reference split;
// parse_delta_line may only refuse with ErrorException; sse_event output must parse back.

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "protocol/generate_delta.h"
#include "protocol/openai/json_text.h"
#include "protocol/openai/sse.h"

using namespace fastchat;

namespace {

std::vector<std::string_view> cut(std::string_view stream, std::vector<size_t> points) {
  for (auto& p : points) p %= stream.size() + 1;
  std::sort(points.begin(), points.end());
  std::vector<std::string_view> chunks;
  size_t begin = 0;
  for (size_t p : points) {
    chunks.push_back(stream.substr(begin, p - begin));
    begin = p;
  }
  chunks.push_back(stream.substr(begin));
  return chunks;
}

std::vector<std::string> reference_frames(std::string_view stream, char delimiter,
                                          std::string& rest) {
  std::vector<std::string> frames;
  size_t begin = 0;
  for (size_t end; (end = stream.find(delimiter, begin)) != std::string_view::npos;
       begin = end + 1) {
    if (end > begin) frames.emplace_back(stream.substr(begin, end - begin));
  }
  rest = std::string(stream.substr(begin));
  return frames;
}

void check_splitter(const std::vector<std::string_view>& chunks, std::string_view stream,
                    char delimiter) {
  protocol::FrameSplitter splitter(delimiter);
  std::vector<std::string> frames;
  for (auto chunk : chunks) {
    for (auto& f : splitter.push(chunk)) frames.push_back(std::move(f));
  }
  std::string rest;
  const auto expected = reference_frames(stream, delimiter, rest);
  fuzz::check(frames == expected, "FrameSplitter frames differ from the reference split");
  fuzz::check(splitter.pending() == rest.size(), "FrameSplitter pending() is wrong");
  for (const auto& frame : frames) {
    if (delimiter == '\n') {
      fuzz::expect_ok_or_error("parse_delta_line", [&] {
        auto delta = protocol::parse_delta_line(frame);
        // A parsed delta must serialize and parse back.
        std::string line = protocol::to_line(delta);
        fuzz::check(!line.empty() && line.back() == '\n', "to_line without its newline");
        line.pop_back();
        fuzz::check(line.find('\n') == std::string::npos, "to_line spans several lines");
        auto again = protocol::parse_delta_line(line);
        fuzz::check(again.text == delta.text && again.token_ids == delta.token_ids &&
                        again.finish_reason == delta.finish_reason &&
                        again.is_last() == delta.is_last(),
                    "delta changes through to_line");
      });
    } else {
      // FastChat's reader: each frame one JSON object; nothing may escape but parse errors.
      (void)nlohmann::json::parse(frame, nullptr, /*allow_exceptions=*/false);
    }
  }
}

void check_sse(const std::vector<std::string_view>& chunks, std::string_view stream) {
  openai::SseParser whole;
  const auto expected = whole.feed(stream);
  openai::SseParser parser;
  std::vector<std::string> events;
  for (auto chunk : chunks) {
    for (auto& e : parser.feed(chunk)) events.push_back(std::move(e));
  }
  fuzz::check(events == expected, "SseParser events depend on where the stream is cut");
  fuzz::check(parser.has_partial() == whole.has_partial(),
              "SseParser has_partial depends on where the stream is cut");
  // Each event's data, if JSON, re-encoded by sse_event must come back as one event.
  for (const auto& data : events) {
    auto payload = nlohmann::json::parse(data, nullptr, /*allow_exceptions=*/false);
    if (payload.is_discarded()) continue;
    openai::SseParser again;
    auto round = again.feed(openai::sse_event(payload));
    fuzz::check(round.size() == 1 && round[0] == openai::dump_json(payload) && !again.has_partial(),
                "sse_event does not parse back to its payload");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider provider(data, size);
  std::vector<size_t> points(provider.ConsumeIntegralInRange<size_t>(0, 16));
  for (auto& p : points) p = provider.ConsumeIntegral<uint16_t>();
  const std::string stream = provider.ConsumeRemainingBytesAsString();
  const auto chunks = cut(stream, points);
  check_splitter(chunks, stream, '\0');
  check_splitter(chunks, stream, '\n');
  check_sse(chunks, stream);
  return 0;
}
