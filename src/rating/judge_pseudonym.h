#pragma once
// Who cast a vote, as FastChat's cleaned battles name it: "arena_user_<id>". FastChat puts the
// client's IP there unless --sanitize-ip. Cleaned battles are published and passed around, so
// here the id is a keyed hash of the IP by default: the same IP gives the same id under the
// same key (the daily vote cap and per-judge counts still work), and without the key the id
// reveals nothing. A plain hash would not do: all 2^32 IPv4 addresses can be hashed in minutes.

#include <cstdint>
#include <string>
#include <string_view>

namespace fastchat::rating {

class JudgePseudonym {
 public:
  /// Ids keyed by `salt` (stable across runs that use the same salt); an empty salt draws a
  /// random key, so ids differ from run to run as FastChat's --sanitize-ip ones do.
  /// `keep_ip` gives FastChat's default instead: "arena_user_<ip>".
  explicit JudgePseudonym(std::string_view salt = {}, bool keep_ip = false);

  /// "arena_user_" followed by 16 hex digits of SipHash-2-4(ip), or by the ip itself.
  std::string judge(std::string_view ip) const;

 private:
  uint64_t key0_ = 0;
  uint64_t key1_ = 0;
  bool keep_ip_ = false;
};

/// SipHash-2-4 of `data` under the 128-bit key (key0, key1).
uint64_t siphash24(uint64_t key0, uint64_t key1, std::string_view data);

}  // namespace fastchat::rating
