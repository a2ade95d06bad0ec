#pragma once
// Interned names (models, judges, languages): each distinct name gets a small integer once, so
// that battles store and compare integers.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fastchat::rating {

class NameTable {
 public:
  /// The index of `name`, added at the end of names() the first time it is seen.
  int32_t intern(std::string_view name);
  /// The index of `name`, or -1 when it was never interned.
  int32_t find(std::string_view name) const;

  const std::vector<std::string>& names() const { return names_; }
  size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, int32_t> index_;
};

}  // namespace fastchat::rating
