#pragma once
// Test helpers: run a ReplyParser over a text cut into pieces, and put the answer back together
// from its deltas, checking on the way that the deltas have OpenAI's streaming shape.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text/reply/reply_parser.h"

namespace fastchat::reply::testing {

/// One call assembled from its deltas.
struct AssembledCall {
  std::string id;
  std::string name;
  std::string arguments;
};

struct Assembled {
  std::string content;
  std::string reasoning;
  std::vector<AssembledCall> calls;  ///< by index
  bool made_tool_calls = false;
};

/// Pushes `pieces` in order, then finishes. Fails the test when a delta breaks the streaming
/// shape: a call's first delta has its id, name and empty arguments, later ones only arguments,
/// and indices count 0, 1, 2, ...
Assembled feed(const ReplyOptions& options, const std::vector<std::string>& pieces);

/// Feeds `text` whole, then char by char, then cut at every position (and, for short texts, at
/// every pair of positions); fails the test unless every way gives the same content, reasoning
/// and calls (ids aside). Returns the whole-text result.
Assembled feed_every_split(const ReplyOptions& options, std::string_view text);

/// The call as {name, arguments}, for comparing with expectations (ids are random).
std::vector<std::pair<std::string, std::string>> names_and_arguments(const Assembled& result);

}  // namespace fastchat::reply::testing
