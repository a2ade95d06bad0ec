#pragma once
// The two logprobs shapes of the OpenAI API: chat's per-token objects with UTF-8 bytes, and the
// legacy completions' parallel arrays with text offsets.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "protocol/openai/stream_types.h"

namespace fastchat::openai {

/// JSON has no infinity; OpenAI reports impossible tokens with this logprob instead.
inline constexpr double kMinLogprob = -9999.0;

/// Chat: {"content": [{token, logprob, bytes: [utf8 bytes], top_logprobs: [{token, logprob,
/// bytes}]}]}. `bytes` lets clients rebuild characters split across tokens.
nlohmann::json chat_logprobs(const std::vector<TokenLogprob>& tokens);

/// Completions: {tokens, token_logprobs, top_logprobs: [{token: logprob, ...}], text_offset}.
/// `text_offset` counts characters (code points, as Python's len does) of the choice's text before
/// the first token: 0 for a whole answer, the text already sent for a stream chunk.
nlohmann::json completion_logprobs(const std::vector<TokenLogprob>& tokens,
                                   std::size_t text_offset = 0);

/// Code points in UTF-8 text (stray continuation bytes are not counted); for text offsets.
std::size_t utf8_length(std::string_view text);

}  // namespace fastchat::openai
