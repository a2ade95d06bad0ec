#pragma once
// The pre_tokenizer section of tokenizer.json: splits text into the pieces BPE runs on. Supports
// Split (Regex or String pattern, all split behaviors, invert), ByteLevel (add_prefix_space,
// use_regex with GPT-2's pattern) and Sequence of these. Thread-safety: immutable after
// construction; split is const and safe to call concurrently.

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "text/tokenizer/regex_pattern.h"

namespace fastchat::tokenizer {

class PreTokenizer {
 public:
  /// Parses the pre_tokenizer JSON value (null means no splitting); `origin` names the file.
  PreTokenizer(const nlohmann::json& spec, const std::string& origin);

  /// Appends the pieces of text to out. Pieces view text or strings stored in arena (for pieces
  /// given a prefix space); both must outlive them.
  void split(std::string_view text, std::vector<std::string_view>& out,
             std::deque<std::string>& arena) const;

  /// Whether a ByteLevel step is present, i.e. pieces must be mapped to the byte alphabet.
  bool byte_level() const { return byte_level_; }

 private:
  enum class Behavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };
  struct Step {
    std::shared_ptr<const RegexPattern> regex;  // null: no regex split in this step
    Behavior behavior = Behavior::Isolated;
    bool invert = false;
    bool add_prefix_space = false;  // ByteLevel only
  };

  void parse(const nlohmann::json& spec, const std::string& origin);
  static void apply(const Step& step, std::string_view piece, std::vector<std::string_view>& out);

  std::vector<Step> steps_;
  bool byte_level_ = false;
};

}  // namespace fastchat::tokenizer
