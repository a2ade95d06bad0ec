#include "text/tokenizer/bpe_model.h"

#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <queue>

#include "common/error/error.h"
#include "text/tokenizer/utf8.h"

namespace fastchat::tokenizer {
namespace {

// Long words are rare and would bloat the cache; a full cache is simply emptied.
constexpr std::size_t kMaxCachedWordBytes = 64;
constexpr std::size_t kCacheCapacity = 1 << 16;

[[noreturn]] void invalid(const std::string& origin, const std::string& what) {
  throw_error(ErrorCode::InvalidModel, origin + ": " + what, origin);
}

std::pair<std::string, std::string> parse_merge(const nlohmann::json& entry, std::size_t rank,
                                                const std::string& origin) {
  if (entry.is_string()) {
    const auto& text = entry.get_ref<const std::string&>();
    const std::size_t space = text.find(' ', 1);
    if (space != std::string::npos && text.find(' ', space + 1) == std::string::npos) {
      return {text.substr(0, space), text.substr(space + 1)};
    }
  } else if (entry.is_array() && entry.size() == 2 && entry[0].is_string() &&
             entry[1].is_string()) {
    return {entry[0].get<std::string>(), entry[1].get<std::string>()};
  }
  invalid(origin, "model.merges[" + std::to_string(rank) + "] is not \"a b\" or [\"a\", \"b\"]");
}

}  // namespace

BpeModel::BpeModel(const nlohmann::json& model, const std::string& origin) {
  if (!model.contains("vocab") || !model["vocab"].is_object()) {
    invalid(origin, "model.vocab is missing or not an object");
  }
  if (!model.contains("merges") || !model["merges"].is_array()) {
    invalid(origin, "model.merges is missing or not an array");
  }
  for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"}) {
    if (model.contains(key) && model[key].is_string() && !model[key].get<std::string>().empty()) {
      invalid(origin, std::string("unsupported BPE option model.") + key);
    }
  }
  const auto& vocab = model["vocab"];
  vocab_.reserve(vocab.size());
  for (const auto& [token, id] : vocab.items()) {
    if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > INT32_MAX) {
      invalid(origin, "model.vocab[\"" + token + "\"] is not a token id");
    }
    const auto value = static_cast<int32_t>(id.get<int64_t>());
    vocab_.emplace(token, value);
    if (static_cast<std::size_t>(value) >= tokens_.size()) tokens_.resize(value + 1);
    tokens_[value] = token;
  }

  small_char_ids_.assign(0x800, -1);
  for (const auto& [token, id] : vocab_) {
    bool valid = true;
    if (token.empty() || utf8::next_char(token, 0, valid) != token.size() || !valid) continue;
    const auto b0 = static_cast<unsigned char>(token[0]);
    if (token.size() == 1) {
      small_char_ids_[b0] = id;
    } else if (token.size() == 2) {
      small_char_ids_[((b0 & 0x1F) << 6) | (static_cast<unsigned char>(token[1]) & 0x3F)] = id;
    }
  }

  const auto& merges = model["merges"];
  merges_.reserve(merges.size());
  for (std::size_t rank = 0; rank < merges.size(); ++rank) {
    const auto [left, right] = parse_merge(merges[rank], rank, origin);
    const auto left_id = token_to_id(left);
    const auto right_id = token_to_id(right);
    const auto merged_id = token_to_id(left + right);
    if (!left_id || !right_id || !merged_id) {
      invalid(origin, "model.merges[" + std::to_string(rank) + "] (\"" + left + "\", \"" + right +
                          "\") uses a token missing from model.vocab");
    }
    merges_.try_emplace(pair_key(*left_id, *right_id),
                        Merge{static_cast<int32_t>(rank), *merged_id});
  }

  if (model.contains("unk_token") && model["unk_token"].is_string()) {
    unk_id_ = token_to_id(model["unk_token"].get<std::string>());
  }
  byte_fallback_ = model.value("byte_fallback", false);
  fuse_unk_ = model.value("fuse_unk", false);
  ignore_merges_ = model.value("ignore_merges", false);
}

std::optional<int32_t> BpeModel::token_to_id(std::string_view token) const {
  const auto it = vocab_.find(token);
  if (it == vocab_.end()) return std::nullopt;
  return it->second;
}

void BpeModel::encode_word(std::string_view word, std::vector<int32_t>& out) const {
  if (word.empty()) return;
  if (ignore_merges_) {
    if (const auto id = token_to_id(word)) {
      out.push_back(*id);
      return;
    }
  }
  const bool cacheable = word.size() <= kMaxCachedWordBytes;
  if (cacheable) {
    std::shared_lock lock(cache_mutex_);
    const auto it = cache_.find(word);
    if (it != cache_.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  std::vector<int32_t> ids;
  initial_symbols(word, ids);
  merge(ids);
  out.insert(out.end(), ids.begin(), ids.end());
  if (cacheable) {
    std::unique_lock lock(cache_mutex_);
    if (cache_.size() >= kCacheCapacity) cache_.clear();
    cache_.try_emplace(std::string(word), std::move(ids));
  }
}

void BpeModel::initial_symbols(std::string_view word, std::vector<int32_t>& ids) const {
  bool previous_unk = false;
  std::size_t pos = 0;
  while (pos < word.size()) {
    bool valid = true;
    const std::size_t len = utf8::next_char(word, pos, valid);
    const std::string_view ch = word.substr(pos, len);
    pos += len;
    if (valid && len <= 2) {
      const auto b0 = static_cast<unsigned char>(ch[0]);
      const std::size_t cp =
          len == 1 ? b0 : ((b0 & 0x1Fu) << 6) | (static_cast<unsigned char>(ch[1]) & 0x3Fu);
      if (small_char_ids_[cp] >= 0) {
        ids.push_back(small_char_ids_[cp]);
        previous_unk = false;
        continue;
      }
    }
    if (const auto id = token_to_id(ch)) {
      ids.push_back(*id);
      previous_unk = false;
      continue;
    }
    if (byte_fallback_) {
      bool all_bytes = true;
      std::vector<int32_t> byte_ids;
      for (char c : ch) {
        char name[8];
        std::snprintf(name, sizeof(name), "<0x%02X>", static_cast<unsigned char>(c));
        const auto id = token_to_id(name);
        if (!id) {
          all_bytes = false;
          break;
        }
        byte_ids.push_back(*id);
      }
      if (all_bytes) {
        ids.insert(ids.end(), byte_ids.begin(), byte_ids.end());
        previous_unk = false;
        continue;
      }
    }
    if (unk_id_) {
      if (!(fuse_unk_ && previous_unk)) ids.push_back(*unk_id_);
      previous_unk = true;
    }
    // Without an unk token the character is dropped, as Hugging Face does.
  }
}

void BpeModel::merge(std::vector<int32_t>& ids) const {
  if (ids.size() < 2) return;
  // Symbols form a linked list; candidate merges wait in a min-heap on (rank, position) and are
  // re-validated when popped, since neighbours change as merges happen.
  const auto n = static_cast<int32_t>(ids.size());
  struct Link {
    int32_t prev, next;
    bool alive;
  };
  std::vector<Link> links(n);
  for (int32_t i = 0; i < n; ++i) links[i] = {i - 1, i + 1 < n ? i + 1 : -1, true};
  struct Candidate {
    int32_t rank;
    int32_t pos;
    int32_t merged_id;
    bool operator>(const Candidate& other) const {
      return rank != other.rank ? rank > other.rank : pos > other.pos;
    }
  };
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
  auto push = [&](int32_t left) {
    if (left < 0 || links[left].next < 0) return;
    const auto it = merges_.find(pair_key(ids[left], ids[links[left].next]));
    if (it != merges_.end()) heap.push({it->second.rank, left, it->second.merged_id});
  };
  for (int32_t i = 0; i + 1 < n; ++i) push(i);
  while (!heap.empty()) {
    const Candidate top = heap.top();
    heap.pop();
    const int32_t left = top.pos;
    if (!links[left].alive || links[left].next < 0) continue;
    const int32_t right = links[left].next;
    const auto it = merges_.find(pair_key(ids[left], ids[right]));
    if (it == merges_.end() || it->second.rank != top.rank) continue;
    ids[left] = top.merged_id;
    links[right].alive = false;
    links[left].next = links[right].next;
    if (links[left].next >= 0) links[links[left].next].prev = left;
    push(links[left].prev);
    push(left);
  }
  std::size_t count = 0;
  for (int32_t i = 0; i >= 0; i = links[i].next) ids[count++] = ids[i];
  ids.resize(count);
}

}  // namespace fastchat::tokenizer
