// The byte-level BPE tokenizer (the real Qwen3 tokenizer.json, loaded once) on arbitrary input.
// The first byte picks a mode:
//  * encode: any bytes (invalid UTF-8 included) must encode without crashing to ids inside the
//    vocabulary; for valid UTF-8, decode(encode(text)) must give back NFC(text) exactly (Qwen
//    normalizes to NFC; byte-level BPE is otherwise lossless, as in HF tokenizers), and streaming
//    those ids through IncrementalDetokenizer must give the same text;
//  * decode: the rest read as int32 ids (out-of-vocabulary and negative ones included) must decode
//    to valid UTF-8, with and without special tokens, and stream without crashing.
// The tokenizer folder is $FASTCHAT_SHARED/tokenizers/qwen3, else the build's unpacked test data
// (FASTCHAT_TEST_DATA_DIR, tests/data/README.md).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "text/tokenizer/incremental_detokenizer.h"
#include "text/tokenizer/tokenizer.h"
#include "text/tokenizer/unicode_normalizer.h"
#include "text/tokenizer/utf8.h"

using namespace fastchat;

namespace {

std::unique_ptr<tokenizer::Tokenizer> g_tokenizer;
std::unique_ptr<tokenizer::UnicodeNormalizer> g_nfc;

std::filesystem::path test_data_dir() {
  if (const char* env = std::getenv("FASTCHAT_SHARED"); env && *env) return env;
  return std::filesystem::path(FASTCHAT_TEST_DATA_DIR);
}

std::string stream_decode(std::span<const int32_t> ids, bool skip_special) {
  tokenizer::IncrementalDetokenizer detok(*g_tokenizer, {}, skip_special);
  std::string text;
  for (int32_t id : ids) text += detok.push(id);
  text += detok.flush();
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const auto folder = test_data_dir() / "tokenizers" / "qwen3";
  try {
    g_tokenizer = tokenizer::load_tokenizer(folder);
    g_nfc = std::make_unique<tokenizer::UnicodeNormalizer>(nlohmann::json{{"type", "NFC"}}, "fuzz");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cannot load the tokenizer from %s: %s (set FASTCHAT_SHARED)\n",
                 folder.c_str(), e.what());
    std::exit(2);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool decode_mode = data[0] & 1;
  const bool flag = data[0] & 2;  // add_special_tokens / skip_special_tokens
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const int32_t vocab = g_tokenizer->vocab_size();

  if (!decode_mode) {
    std::vector<int32_t> ids;
    fuzz::expect_ok_or_error("encode", [&] { ids = g_tokenizer->encode(rest, flag); });
    for (int32_t id : ids) {
      fuzz::check(id >= 0 && id < vocab, "encode produced id " + std::to_string(id));
    }
    if (flag || !tokenizer::utf8::is_valid(rest)) return 0;
    std::string storage;
    const std::string expected(g_nfc->normalize(rest, storage));
    const std::string text = g_tokenizer->decode(ids, /*skip_special_tokens=*/false);
    fuzz::check(text == expected, "decode(encode(text)) != NFC(text)");
    fuzz::check(stream_decode(ids, false) == expected, "IncrementalDetokenizer text != NFC(text)");
    return 0;
  }

  std::vector<int32_t> ids(rest.size() / 4);
  if (!ids.empty()) std::memcpy(ids.data(), rest.data(), ids.size() * 4);
  // Mostly in-vocabulary ids (so merges and byte tokens are exercised), some raw ones.
  for (auto& id : ids) {
    if ((id & 0x40000000) == 0) id = static_cast<int32_t>(static_cast<uint32_t>(id) % (vocab + 8));
  }
  std::string text;
  fuzz::expect_ok_or_error("decode", [&] { text = g_tokenizer->decode(ids, flag); });
  fuzz::check(tokenizer::utf8::is_valid(text), "decode produced invalid UTF-8");
  std::string streamed;
  fuzz::expect_ok_or_error("IncrementalDetokenizer", [&] { streamed = stream_decode(ids, flag); });
  fuzz::check(tokenizer::utf8::is_valid(streamed), "IncrementalDetokenizer produced invalid UTF-8");
  return 0;
}
