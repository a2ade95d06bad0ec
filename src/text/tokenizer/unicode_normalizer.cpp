#include "text/tokenizer/unicode_normalizer.h"

#include <nlohmann/json.hpp>

#include "common/error/error.h"

#ifdef FASTCHAT_TOKENIZER_HAVE_ICU
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#endif

namespace fastchat::tokenizer {
namespace {

bool is_ascii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

UnicodeNormalizer::UnicodeNormalizer(const nlohmann::json& spec, const std::string& origin) {
  parse(spec, origin);
#ifndef FASTCHAT_TOKENIZER_HAVE_ICU
  if (!forms_.empty()) {
    throw_error(ErrorCode::InvalidModel,
                origin + ": Unicode normalizer needs ICU, which this build lacks", origin);
  }
#endif
}

void UnicodeNormalizer::parse(const nlohmann::json& spec, const std::string& origin) {
  if (spec.is_null()) return;
  const std::string type = spec.is_object() ? spec.value("type", "") : "";
  if (type == "Sequence") {
    for (const auto& child : spec.value("normalizers", nlohmann::json::array())) {
      parse(child, origin);
    }
  } else if (type == "NFC") {
    forms_.push_back(Form::NFC);
  } else if (type == "NFD") {
    forms_.push_back(Form::NFD);
  } else if (type == "NFKC") {
    forms_.push_back(Form::NFKC);
  } else if (type == "NFKD") {
    forms_.push_back(Form::NFKD);
  } else {
    throw_error(ErrorCode::InvalidModel,
                origin + ": unsupported normalizer \"" + type +
                    "\" (supported: NFC, NFD, NFKC, NFKD, Sequence)",
                origin);
  }
}

std::string_view UnicodeNormalizer::normalize(std::string_view text, std::string& storage) const {
  // Every normalization form leaves ASCII unchanged.
  if (forms_.empty() || is_ascii(text)) return text;
#ifdef FASTCHAT_TOKENIZER_HAVE_ICU
  std::string current(text);
  for (Form form : forms_) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* normalizer = nullptr;
    switch (form) {
      case Form::NFC:
        normalizer = icu::Normalizer2::getNFCInstance(status);
        break;
      case Form::NFD:
        normalizer = icu::Normalizer2::getNFDInstance(status);
        break;
      case Form::NFKC:
        normalizer = icu::Normalizer2::getNFKCInstance(status);
        break;
      case Form::NFKD:
        normalizer = icu::Normalizer2::getNFKDInstance(status);
        break;
    }
    if (U_FAILURE(status)) throw_error(ErrorCode::Internal, "ICU normalizer unavailable");
    if (normalizer->isNormalizedUTF8(current, status) && U_SUCCESS(status)) continue;
    status = U_ZERO_ERROR;
    std::string result;
    icu::StringByteSink<std::string> sink(&result, static_cast<int32_t>(current.size()));
    normalizer->normalizeUTF8(0, current, sink, nullptr, status);
    if (U_FAILURE(status)) throw_error(ErrorCode::Internal, "ICU normalization failed");
    current = std::move(result);
  }
  storage = std::move(current);
  return storage;
#else
  return text;
#endif
}

}  // namespace fastchat::tokenizer
