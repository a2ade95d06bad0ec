#include "tools/bench/tokenizer_benchmark.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <random>

namespace fastchat::bench {
namespace {

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

TokenizerBenchResult run_tokenizer_benchmark(const tokenizer::Tokenizer& tokenizer,
                                             const std::string& text, int repetitions) {
  TokenizerBenchResult result;
  result.bytes = static_cast<int64_t>(text.size());
  result.encode_ms = 1e300;
  result.decode_ms = 1e300;
  std::vector<int32_t> ids;
  for (int i = 0; i < repetitions; ++i) {
    auto start = std::chrono::steady_clock::now();
    ids = tokenizer.encode(text, false);
    const double encode_ms = ms_since(start);
    if (i == 0) result.first_encode_ms = encode_ms;
    result.encode_ms = std::min(result.encode_ms, encode_ms);
    start = std::chrono::steady_clock::now();
    const std::string decoded = tokenizer.decode(ids, false);
    result.decode_ms = std::min(result.decode_ms, ms_since(start));
    result.round_trip = decoded == text;
  }
  result.tokens = static_cast<int64_t>(ids.size());
  return result;
}

std::string synthetic_text(size_t bytes, uint64_t seed) {
  static constexpr std::array<const char*, 24> kSyllables = {
      "ka",  "ri",  "to",   "men", "sa", "lo", "ver", "qu", "an", "dre",  "ex", "pli",
      "the", "ing", "tion", "str", "ou", "ph", "é",   "ü",  "ño", "日本", "語", "数"};
  static constexpr std::array<const char*, 8> kSeparators = {" ",  " ",  " ",  ", ",
                                                             ". ", "\n", "; ", " - "};
  std::mt19937_64 rng(seed);
  std::string text;
  text.reserve(bytes + 64);
  while (text.size() < bytes) {
    const auto kind = rng() % 10;
    if (kind == 0) {
      text += std::to_string(rng() % 100000);
    } else {
      const auto syllables = 1 + rng() % 4;
      std::string word;
      for (uint64_t i = 0; i < syllables; ++i) word += kSyllables[rng() % kSyllables.size()];
      if (kind == 1 && !word.empty() && word[0] >= 'a' && word[0] <= 'z') word[0] -= 32;
      text += word;
    }
    text += kSeparators[rng() % kSeparators.size()];
  }
  // SentencePiece normalization trims trailing whitespace; end on a word so every tokenizer
  // can round-trip the text exactly.
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
  return text;
}

}  // namespace fastchat::bench
