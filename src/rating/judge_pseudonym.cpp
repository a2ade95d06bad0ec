#include "rating/judge_pseudonym.h"

#include <cstdio>
#include <random>

namespace fastchat::rating {
namespace {

uint64_t rotl(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

struct SipState {
  uint64_t v0, v1, v2, v3;

  void round() {
    v0 += v1, v1 = rotl(v1, 13), v1 ^= v0, v0 = rotl(v0, 32);
    v2 += v3, v3 = rotl(v3, 16), v3 ^= v2;
    v0 += v3, v3 = rotl(v3, 21), v3 ^= v0;
    v2 += v1, v1 = rotl(v1, 17), v1 ^= v2, v2 = rotl(v2, 32);
  }
  void absorb(uint64_t m) {
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
};

uint64_t load_le(const unsigned char* p, size_t n) {
  uint64_t m = 0;
  for (size_t i = 0; i < n; ++i) m |= uint64_t{p[i]} << (8 * i);
  return m;
}

// FNV-1a, to turn a salt of any length into key words; the salt's secrecy, not this step,
// is what protects the ids.
uint64_t fnv1a(std::string_view text, uint64_t basis) {
  uint64_t h = basis;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

}  // namespace

uint64_t siphash24(uint64_t key0, uint64_t key1, std::string_view data) {
  SipState s{key0 ^ 0x736f6d6570736575ULL, key1 ^ 0x646f72616e646f6dULL,
             key0 ^ 0x6c7967656e657261ULL, key1 ^ 0x7465646279746573ULL};
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  const size_t full = data.size() / 8 * 8;
  for (size_t i = 0; i < full; i += 8) s.absorb(load_le(bytes + i, 8));
  s.absorb(load_le(bytes + full, data.size() - full) | (uint64_t{data.size() & 0xff} << 56));
  s.v2 ^= 0xff;
  for (int i = 0; i < 4; ++i) s.round();
  return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

JudgePseudonym::JudgePseudonym(std::string_view salt, bool keep_ip) : keep_ip_(keep_ip) {
  if (salt.empty()) {
    std::random_device device;
    key0_ = (uint64_t{device()} << 32) ^ device();
    key1_ = (uint64_t{device()} << 32) ^ device();
  } else {
    key0_ = fnv1a(salt, 0xcbf29ce484222325ULL);
    key1_ = fnv1a(salt, 0x84222325cbf29ce4ULL);
  }
}

std::string JudgePseudonym::judge(std::string_view ip) const {
  if (keep_ip_) return "arena_user_" + std::string(ip);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(siphash24(key0_, key1_, ip)));
  return std::string("arena_user_") + hex;
}

}  // namespace fastchat::rating
