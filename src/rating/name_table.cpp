#include "rating/name_table.h"

namespace fastchat::rating {

int32_t NameTable::intern(std::string_view name) {
  std::string key(name);
  auto it = index_.find(key);
  if (it != index_.end()) return it->second;
  const auto id = static_cast<int32_t>(names_.size());
  names_.push_back(key);
  index_.emplace(std::move(key), id);
  return id;
}

int32_t NameTable::find(std::string_view name) const {
  auto it = index_.find(std::string(name));
  return it == index_.end() ? -1 : it->second;
}

}  // namespace fastchat::rating
