#include "text/tokenizer/sentencepiece_tokenizer.h"

#include <algorithm>

#include "common/error/error.h"
#include "text/tokenizer/sentencepiece_model.h"
#include "text/tokenizer/utf8.h"

namespace fastchat::tokenizer {

SentencePieceTokenizer::SentencePieceTokenizer(const std::filesystem::path& model_file,
                                               const TokenizerConfig& config)
    : processor_(SentencePieceModel::load(model_file)) {
  const std::string origin = model_file.string();
  piece_count_ = processor_->piece_size();

  auto piece_id = [&](const std::string& piece) -> std::optional<int32_t> {
    const int id = processor_->piece_to_id(piece);
    if (id < 0 || id >= piece_count_ || processor_->id_to_piece(id) != piece) return std::nullopt;
    return id;
  };
  // Special tokens named in the config are matched in text like added tokens, as HF does.
  std::vector<AddedToken> tokens = config.added_tokens;
  for (const auto& name : {config.bos_token, config.eos_token, config.unk_token}) {
    if (!name || name->empty()) continue;
    if (const auto id = piece_id(*name)) tokens.push_back({*id, *name, true});
  }
  added_ = AddedTokenMatcher(tokens);

  vocab_size_ = piece_count_;
  for (const AddedToken& token : added_.tokens()) vocab_size_ = std::max(vocab_size_, token.id + 1);
  special_.assign(vocab_size_, false);
  for (int32_t id = 0; id < piece_count_; ++id) {
    special_[id] = processor_->is_control(id) || processor_->is_unknown(id);
  }
  for (const AddedToken& token : added_.tokens()) {
    if (token.special) special_[token.id] = true;
  }

  auto resolve = [&](const std::optional<std::string>& name,
                     int fallback) -> std::optional<int32_t> {
    if (!name) return fallback >= 0 ? std::optional<int32_t>(fallback) : std::nullopt;
    if (name->empty()) return std::nullopt;
    const auto id = token_to_id(*name);
    if (!id) {
      throw_error(ErrorCode::InvalidModel,
                  origin + ": special token \"" + *name +
                      "\" from tokenizer_config.json is not in the vocabulary",
                  origin);
    }
    return id;
  };
  bos_id_ = resolve(config.bos_token, processor_->bos_id());
  eos_id_ = resolve(config.eos_token, processor_->eos_id());
  add_bos_ = config.add_bos_token.value_or(true) && bos_id_.has_value();
  add_eos_ = config.add_eos_token.value_or(false) && eos_id_.has_value();
}

SentencePieceTokenizer::~SentencePieceTokenizer() = default;

std::vector<int32_t> SentencePieceTokenizer::encode(std::string_view text,
                                                    bool add_special_tokens) const {
  std::string repaired;
  if (!utf8::is_valid(text)) {
    repaired = utf8::sanitize(text);
    text = repaired;
  }
  std::vector<int32_t> ids;
  if (add_special_tokens && add_bos_) ids.push_back(*bos_id_);
  std::vector<TextSegment> segments;
  added_.split(text, segments);
  std::vector<int> piece_ids;
  for (const TextSegment& segment : segments) {
    if (segment.token_id >= 0) {
      ids.push_back(segment.token_id);
      continue;
    }
    piece_ids = processor_->encode(segment.text);
    ids.insert(ids.end(), piece_ids.begin(), piece_ids.end());
  }
  if (add_special_tokens && add_eos_) ids.push_back(*eos_id_);
  return ids;
}

std::string SentencePieceTokenizer::decode(std::span<const int32_t> ids,
                                           bool skip_special_tokens) const {
  // Runs of ordinary pieces are decoded together by SentencePiece, which drops the dummy-prefix
  // space at the start of each run; added and special tokens are spelled out between runs.
  std::string out;
  std::vector<int> run;
  auto flush_run = [&] {
    if (run.empty()) return;
    out += processor_->decode(run);
    run.clear();
  };
  for (int32_t id : ids) {
    if (id < 0 || id >= vocab_size_) continue;
    if (special_[id] && skip_special_tokens) continue;
    if (const AddedToken* token = added_.find(id)) {
      flush_run();
      out += token->content;
    } else if (special_[id]) {
      flush_run();
      out += processor_->id_to_piece(id);
    } else if (id < piece_count_) {
      run.push_back(id);
    }
  }
  flush_run();
  if (utf8::is_valid(out)) return out;
  return utf8::sanitize(out);
}

std::optional<int32_t> SentencePieceTokenizer::token_to_id(std::string_view token) const {
  if (const auto id = added_.find(token)) return id;
  const int id = processor_->piece_to_id(token);
  if (id < 0 || id >= piece_count_ || processor_->id_to_piece(id) != token) return std::nullopt;
  return id;
}

bool SentencePieceTokenizer::is_special(int32_t id) const {
  return id >= 0 && id < vocab_size_ && special_[id];
}

}  // namespace fastchat::tokenizer
