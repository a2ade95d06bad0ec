#pragma once
// The worker's native stream (NDJSON) turned into deltas for a sink, piece by piece. When the
// sink could block (its client's buffer is full) and the reader runs where blocking is not
// allowed (the stream poller's thread), the rest of the piece is held back and the reader
// yields; the relay's own thread then delivers it.

#include <deque>
#include <functional>
#include <string>
#include <string_view>

#include "common/http/stream_poller.h"
#include "protocol/generate_delta.h"

namespace fastchat::upstream {

/// Where a generation's deltas go.
struct DeltaSink {
  /// Each delta in order, until the last (finish or error); false cancels the generation.
  std::function<bool(const protocol::GenerateDelta&)> on_delta;
  /// True while on_delta could block (e.g. the client's stream buffer is full).
  std::function<bool()> would_block = [] { return false; };
  /// True once the generation is no longer wanted; checked while the worker is silent too.
  std::function<bool()> cancelled = [] { return false; };
};

class DeltaReader {
 public:
  /// `worker` names the worker in errors.
  DeltaReader(const DeltaSink& sink, std::string worker)
      : sink_(sink), worker_(std::move(worker)) {}

  /// Splits `data` into lines and delivers them; with `may_block` false, stops before a delta
  /// the sink could block on and yields. Throws ErrorException{UpstreamFailed} for a line that
  /// is not a delta or grows past the cap.
  http::PieceVerdict take(std::string_view data, bool may_block);
  /// Delivers what an earlier take() held back (blocking allowed).
  http::PieceVerdict deliver_held_back() { return deliver(true); }

  bool received() const { return received_; }    ///< a delta arrived
  bool ended() const { return ended_; }          ///< the last delta arrived
  bool cancelled() const { return cancelled_; }  ///< the sink refused a delta

 private:
  http::PieceVerdict deliver(bool may_block);

  const DeltaSink& sink_;
  const std::string worker_;
  protocol::FrameSplitter lines_{'\n'};
  std::deque<std::string> held_;
  bool received_ = false;
  bool ended_ = false;
  bool cancelled_ = false;
};

}  // namespace fastchat::upstream
