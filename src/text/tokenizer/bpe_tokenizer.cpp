#include "text/tokenizer/bpe_tokenizer.h"

#include <algorithm>
#include <deque>
#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "text/tokenizer/byte_level.h"
#include "text/tokenizer/utf8.h"

namespace fastchat::tokenizer {
namespace {

[[noreturn]] void invalid(const std::string& origin, const std::string& what) {
  throw_error(ErrorCode::InvalidModel, origin + ": " + what, origin);
}

// Whether a component, or any child of a Sequence of them, has the given type.
bool has_type(const nlohmann::json& spec, std::string_view type) {
  if (!spec.is_object()) return false;
  if (spec.value("type", "") == type) return true;
  for (const char* children : {"pretokenizers", "decoders", "processors", "normalizers"}) {
    if (spec.contains(children) && spec[children].is_array()) {
      for (const auto& child : spec[children]) {
        if (has_type(child, type)) return true;
      }
    }
  }
  return false;
}

const nlohmann::json& section(const nlohmann::json& json, const char* key) {
  static const nlohmann::json null_value;
  return json.contains(key) ? json[key] : null_value;
}

// Finds the single-sequence special tokens of a post-processor: ids before and after the text.
void parse_post_processor(const nlohmann::json& spec, const std::string& origin,
                          std::vector<int32_t>& prefix, std::vector<int32_t>& suffix) {
  if (!spec.is_object()) return;
  const std::string type = spec.value("type", "");
  if (type == "Sequence") {
    for (const auto& child : spec.value("processors", nlohmann::json::array())) {
      parse_post_processor(child, origin, prefix, suffix);
    }
  } else if (type == "TemplateProcessing") {
    const auto& specials = spec.value("special_tokens", nlohmann::json::object());
    bool after_text = false;
    for (const auto& item : spec.value("single", nlohmann::json::array())) {
      if (item.contains("Sequence")) {
        after_text = true;
        continue;
      }
      const std::string name = item.value("SpecialToken", nlohmann::json::object()).value("id", "");
      if (!specials.contains(name) || !specials[name].contains("ids")) {
        invalid(origin, "post_processor template uses unknown special token \"" + name + "\"");
      }
      for (const auto& id : specials[name]["ids"]) {
        (after_text ? suffix : prefix).push_back(id.get<int32_t>());
      }
    }
  } else if (type == "RobertaProcessing" || type == "BertProcessing") {
    prefix.push_back(spec.at("cls").at(1).get<int32_t>());
    suffix.push_back(spec.at("sep").at(1).get<int32_t>());
  } else if (type != "ByteLevel") {
    invalid(origin, "unsupported post_processor \"" + type + "\"");
  }
}

}  // namespace

bool BpeTokenizer::is_byte_level_bpe(const nlohmann::json& tokenizer_json) {
  if (!tokenizer_json.is_object()) return false;
  const auto& model = section(tokenizer_json, "model");
  if (!model.is_object() || model.value("type", "BPE") != "BPE") return false;
  return has_type(section(tokenizer_json, "pre_tokenizer"), "ByteLevel") ||
         has_type(section(tokenizer_json, "decoder"), "ByteLevel");
}

const nlohmann::json& BpeTokenizer::model_section(const nlohmann::json& tokenizer_json,
                                                  const std::string& origin) {
  if (!tokenizer_json.is_object()) invalid(origin, "top level must be a JSON object");
  const auto& model = section(tokenizer_json, "model");
  if (!model.is_object()) invalid(origin, "\"model\" section is missing");
  // Older files leave out the type of BPE models.
  const std::string type = model.value("type", model.contains("merges") ? "BPE" : "");
  if (type != "BPE") {
    invalid(origin, "unsupported tokenizer model type \"" + type + "\" (only BPE is supported)");
  }
  if (!is_byte_level_bpe(tokenizer_json)) {
    invalid(origin,
            "unsupported BPE without a ByteLevel pre-tokenizer/decoder (for "
            "SentencePiece-style models provide tokenizer.model)");
  }
  return model;
}

BpeTokenizer::BpeTokenizer(const nlohmann::json& tokenizer_json, const TokenizerConfig& config,
                           const std::string& origin)
    : model_(model_section(tokenizer_json, origin), origin),
      normalizer_(section(tokenizer_json, "normalizer"), origin),
      pre_tokenizer_(section(tokenizer_json, "pre_tokenizer"), origin) {
  try {
    setup_added_tokens(tokenizer_json, config, origin);
    setup_special_ids(tokenizer_json, config, origin);
  } catch (const nlohmann::json::exception& e) {
    invalid(origin, std::string("unexpected value: ") + e.what());
  }
}

void BpeTokenizer::setup_added_tokens(const nlohmann::json& tokenizer_json,
                                      const TokenizerConfig& config, const std::string& origin) {
  std::vector<AddedToken> tokens;
  const auto& added = section(tokenizer_json, "added_tokens");
  if (!added.is_null() && !added.is_array()) invalid(origin, "\"added_tokens\" must be an array");
  for (const auto& entry : added.is_array() ? added : nlohmann::json::array()) {
    if (!entry.contains("id") || !entry["id"].is_number_integer()) {
      invalid(origin, "an added_tokens entry has no integer \"id\"");
    }
    tokens.push_back(parse_added_token(entry, entry["id"].get<int32_t>(), origin));
  }
  // tokenizer.json wins; tokenizer_config.json may declare more.
  tokens.insert(tokens.end(), config.added_tokens.begin(), config.added_tokens.end());
  added_ = AddedTokenMatcher(tokens);

  std::size_t size = model_.tokens().size();
  for (const AddedToken& token : added_.tokens()) {
    size = std::max(size, static_cast<std::size_t>(token.id) + 1);
  }
  token_bytes_.resize(size);
  special_.assign(size, false);
  const auto& vocab = model_.tokens();
  for (std::size_t id = 0; id < vocab.size(); ++id) {
    // Tokens outside the byte alphabet (rare) decode to their own text, as HF's decoder does.
    if (!byte_level::unicode_to_bytes(vocab[id], token_bytes_[id])) token_bytes_[id] = vocab[id];
  }
  for (const AddedToken& token : added_.tokens()) {
    token_bytes_[token.id] = token.content;
    special_[token.id] = token.special;
  }
}

void BpeTokenizer::setup_special_ids(const nlohmann::json& tokenizer_json,
                                     const TokenizerConfig& config, const std::string& origin) {
  auto resolve = [&](const std::optional<std::string>& name) -> std::optional<int32_t> {
    if (!name || name->empty()) return std::nullopt;
    const auto id = token_to_id(*name);
    if (!id)
      invalid(origin, "special token \"" + *name +
                          "\" from tokenizer_config.json is not in the vocabulary");
    return id;
  };
  bos_id_ = resolve(config.bos_token);
  eos_id_ = resolve(config.eos_token);

  parse_post_processor(section(tokenizer_json, "post_processor"), origin, prefix_ids_, suffix_ids_);
  // Without a bos_token in tokenizer_config.json, a lone template prefix token is the BOS.
  if (!config.bos_token && prefix_ids_.size() == 1) bos_id_ = prefix_ids_.front();
  // An explicit add_bos_token / add_eos_token overrides the template, as LlamaTokenizerFast does.
  auto apply_flag = [](const std::optional<bool>& flag, const std::optional<int32_t>& id,
                       std::vector<int32_t>& ids, bool front) {
    if (!flag || !id) return;
    std::erase(ids, *id);
    if (*flag) ids.insert(front ? ids.begin() : ids.end(), *id);
  };
  apply_flag(config.add_bos_token, bos_id_, prefix_ids_, true);
  apply_flag(config.add_eos_token, eos_id_, suffix_ids_, false);
  for (int32_t id : prefix_ids_) {
    if (id < 0 || id >= vocab_size()) invalid(origin, "post_processor id out of range");
  }
  for (int32_t id : suffix_ids_) {
    if (id < 0 || id >= vocab_size()) invalid(origin, "post_processor id out of range");
  }
}

std::vector<int32_t> BpeTokenizer::encode(std::string_view text, bool add_special_tokens) const {
  std::string repaired;
  if (!utf8::is_valid(text)) {
    repaired = utf8::sanitize(text);
    text = repaired;
  }
  std::vector<int32_t> ids;
  ids.reserve(text.size() / 3 + 4);
  if (add_special_tokens) ids.insert(ids.end(), prefix_ids_.begin(), prefix_ids_.end());
  std::vector<TextSegment> segments;
  added_.split(text, segments);
  for (const TextSegment& segment : segments) {
    if (segment.token_id >= 0) {
      ids.push_back(segment.token_id);
    } else {
      encode_plain(segment.text, ids);
    }
  }
  if (add_special_tokens) ids.insert(ids.end(), suffix_ids_.begin(), suffix_ids_.end());
  return ids;
}

void BpeTokenizer::encode_plain(std::string_view text, std::vector<int32_t>& out) const {
  std::string normalized_storage;
  const std::string_view normalized = normalizer_.normalize(text, normalized_storage);
  std::vector<std::string_view> pieces;
  std::deque<std::string> arena;
  pre_tokenizer_.split(normalized, pieces, arena);
  std::string word;
  for (std::string_view piece : pieces) {
    if (pre_tokenizer_.byte_level()) {
      word.clear();
      byte_level::bytes_to_unicode(piece, word);
      model_.encode_word(word, out);
    } else {
      model_.encode_word(piece, out);
    }
  }
}

std::string BpeTokenizer::decode(std::span<const int32_t> ids, bool skip_special_tokens) const {
  std::string bytes;
  for (int32_t id : ids) {
    if (id < 0 || id >= vocab_size()) continue;
    if (skip_special_tokens && special_[id]) continue;
    bytes.append(token_bytes_[id]);
  }
  if (utf8::is_valid(bytes)) return bytes;
  return utf8::sanitize(bytes);
}

std::optional<int32_t> BpeTokenizer::token_to_id(std::string_view token) const {
  if (const auto id = added_.find(token)) return id;
  return model_.token_to_id(token);
}

bool BpeTokenizer::is_special(int32_t id) const {
  return id >= 0 && id < vocab_size() && special_[id];
}

}  // namespace fastchat::tokenizer
