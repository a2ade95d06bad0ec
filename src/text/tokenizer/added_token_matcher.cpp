#include "text/tokenizer/added_token_matcher.h"

#include <algorithm>
#include <cctype>

namespace fastchat::tokenizer {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Non-ASCII bytes count as word characters: letters of most scripts are multi-byte.
bool is_word_byte(char c) {
  const auto b = static_cast<unsigned char>(c);
  return b >= 0x80 || std::isalnum(b) != 0 || c == '_';
}

}  // namespace

AddedTokenMatcher::AddedTokenMatcher(const std::vector<AddedToken>& tokens) {
  for (const AddedToken& token : tokens) {
    if (token.content.empty() || by_id_.count(token.id) != 0 ||
        by_content_.count(token.content) != 0) {
      continue;
    }
    by_id_.emplace(token.id, tokens_.size());
    by_content_.emplace(token.content, tokens_.size());
    by_first_byte_[static_cast<unsigned char>(token.content.front())].push_back(tokens_.size());
    tokens_.push_back(token);
  }
  for (auto& candidates : by_first_byte_) {
    std::stable_sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
      return tokens_[a].content.size() > tokens_[b].content.size();
    });
  }
}

std::size_t AddedTokenMatcher::match_at(const AddedToken& token, std::string_view text,
                                        std::size_t pos) const {
  const std::size_t len = token.content.size();
  if (text.compare(pos, len, token.content) != 0) return 0;
  if (token.single_word) {
    if (pos > 0 && is_word_byte(text[pos - 1])) return 0;
    if (pos + len < text.size() && is_word_byte(text[pos + len])) return 0;
  }
  return len;
}

void AddedTokenMatcher::split(std::string_view text, std::vector<TextSegment>& out) const {
  if (tokens_.empty()) {
    if (!text.empty()) out.push_back({text, -1});
    return;
  }
  std::size_t plain_start = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto& candidates = by_first_byte_[static_cast<unsigned char>(text[pos])];
    const AddedToken* matched = nullptr;
    std::size_t len = 0;
    for (std::size_t index : candidates) {
      len = match_at(tokens_[index], text, pos);
      if (len != 0) {
        matched = &tokens_[index];
        break;
      }
    }
    if (matched == nullptr) {
      ++pos;
      continue;
    }
    std::size_t plain_end = pos;
    if (matched->lstrip) {
      while (plain_end > plain_start && is_space(text[plain_end - 1])) --plain_end;
    }
    if (plain_end > plain_start) {
      out.push_back({text.substr(plain_start, plain_end - plain_start), -1});
    }
    out.push_back({text.substr(pos, len), matched->id});
    pos += len;
    if (matched->rstrip) {
      while (pos < text.size() && is_space(text[pos])) ++pos;
    }
    plain_start = pos;
  }
  if (plain_start < text.size()) out.push_back({text.substr(plain_start), -1});
}

const AddedToken* AddedTokenMatcher::find(int32_t id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &tokens_[it->second];
}

std::optional<int32_t> AddedTokenMatcher::find(std::string_view content) const {
  const auto it = by_content_.find(std::string(content));
  if (it == by_content_.end()) return std::nullopt;
  return tokens_[it->second].id;
}

}  // namespace fastchat::tokenizer
