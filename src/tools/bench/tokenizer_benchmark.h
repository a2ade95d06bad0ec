#pragma once
// Tokenizer speed: load time, encode and decode throughput on a given text.

#include <cstdint>
#include <string>

#include "text/tokenizer/tokenizer.h"

namespace fastchat::bench {

struct TokenizerBenchResult {
  int64_t bytes = 0;
  int64_t tokens = 0;
  double first_encode_ms = 0;  // the first encode, before any word cache is warm
  double encode_ms = 0;        // best of the repetitions
  double decode_ms = 0;
  bool round_trip = false;  // decode(encode(text)) == text
};

TokenizerBenchResult run_tokenizer_benchmark(const tokenizer::Tokenizer& tokenizer,
                                             const std::string& text, int repetitions);

/// Deterministic mixed text (words of varied length and case, digits, punctuation, newlines,
/// some accented and CJK characters) of about `bytes` bytes, so that no word cache can make
/// the encoder look faster than it is on real input.
std::string synthetic_text(size_t bytes, uint64_t seed);

}  // namespace fastchat::bench
