#include "webserver/upstream/delta_reader.h"

namespace fastchat::upstream {

namespace {

// Cap on one stream line: a delta is a few tokens, so this only stops a broken worker.
constexpr size_t kMaxLineBytes = 4u << 20;

}  // namespace

http::PieceVerdict DeltaReader::take(std::string_view data, bool may_block) {
  for (auto& line : lines_.push(data)) held_.push_back(std::move(line));
  if (lines_.pending() > kMaxLineBytes) {
    throw_error(ErrorCode::UpstreamFailed, "worker " + worker_ + " sent an over-long line");
  }
  return deliver(may_block);
}

http::PieceVerdict DeltaReader::deliver(bool may_block) {
  while (!held_.empty()) {
    if (!may_block && sink_.would_block()) return http::PieceVerdict::Yield;
    const std::string line = std::move(held_.front());
    held_.pop_front();
    received_ = true;
    const auto delta = protocol::parse_delta_line(line);
    ended_ = delta.is_last();
    if (!sink_.on_delta(delta)) {
      cancelled_ = true;
      return http::PieceVerdict::Stop;
    }
  }
  return http::PieceVerdict::Continue;
}

}  // namespace fastchat::upstream
