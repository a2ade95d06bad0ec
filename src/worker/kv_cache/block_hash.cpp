#include "worker/kv_cache/block_hash.h"

namespace fastchat::kv_cache {
namespace {

// splitmix64's finalizer: cheap, and every input bit affects every output bit, which the
// chained hash needs so that blocks differing in one token far back still differ.
uint64_t mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

}  // namespace

BlockKey make_block_key(uint64_t parent_hash, std::span<const int32_t> tokens) {
  uint64_t h = mix(parent_hash ^ 0x9e3779b97f4a7c15ULL);
  for (int32_t token : tokens) h = mix(h ^ static_cast<uint32_t>(token)) + 0x9e3779b97f4a7c15ULL;
  return {mix(h ^ tokens.size()), parent_hash, std::vector<int32_t>(tokens.begin(), tokens.end())};
}

uint64_t hash_bytes(std::span<const char> bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a, then mixed
  for (char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return mix(h);
}

}  // namespace fastchat::kv_cache
