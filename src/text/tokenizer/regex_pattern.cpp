#include "text/tokenizer/regex_pattern.h"

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include "common/error/error.h"
#include "text/tokenizer/utf8.h"

namespace fastchat::tokenizer {

struct RegexPattern::Code {
  pcre2_code* code = nullptr;
  ~Code() { pcre2_code_free(code); }
};

namespace {

struct MatchDataDeleter {
  void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};

}  // namespace

RegexPattern::RegexPattern(const std::string& pattern, bool literal, const std::string& origin)
    : code_(std::make_unique<Code>()) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  // PCRE2_LITERAL refuses PCRE2_UCP, which only matters for classes anyway.
  const uint32_t options = literal ? (PCRE2_UTF | PCRE2_LITERAL) : (PCRE2_UTF | PCRE2_UCP);
  code_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options,
                              &error_code, &error_offset, nullptr);
  if (code_->code == nullptr) {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(error_code, buffer, sizeof(buffer));
    throw_error(ErrorCode::InvalidModel,
                origin + ": pre-tokenizer regex does not compile at offset " +
                    std::to_string(error_offset) + ": " + reinterpret_cast<const char*>(buffer),
                origin);
  }
  // JIT is an optimization only: when unavailable pcre2_match interprets the pattern.
  (void)pcre2_jit_compile(code_->code, PCRE2_JIT_COMPLETE);
}

RegexPattern::~RegexPattern() = default;

void RegexPattern::find_all(std::string_view text,
                            std::vector<std::pair<std::size_t, std::size_t>>& out) const {
  std::unique_ptr<pcre2_match_data, MatchDataDeleter> data(
      pcre2_match_data_create_from_pattern(code_->code, nullptr));
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  uint32_t extra_options = 0;
  std::size_t offset = 0;
  while (offset < text.size()) {
    const int rc = pcre2_match(code_->code, subject, text.size(), offset,
                               PCRE2_NO_UTF_CHECK | extra_options, data.get(), nullptr);
    if (rc == PCRE2_ERROR_NOMATCH) break;
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT && extra_options == 0) {
      // A huge whitespace run can exhaust the default JIT stack; the interpreter copes.
      extra_options = PCRE2_NO_JIT;
      continue;
    }
    if (rc < 0) {
      throw_error(ErrorCode::Internal,
                  "pre-tokenizer regex failed with PCRE2 error " + std::to_string(rc));
    }
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data.get());
    const std::size_t begin = ovector[0];
    const std::size_t end = ovector[1];
    if (end > begin) {
      out.emplace_back(begin, end);
      offset = end;
    } else {
      if (begin >= text.size()) break;
      bool valid = true;
      offset = begin + utf8::next_char(text, begin, valid);  // skip empty matches
    }
  }
}

}  // namespace fastchat::tokenizer
