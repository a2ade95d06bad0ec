#include "text/tokenizer/tokenizer_loader.h"

#include "common/error/error.h"
#include "common/json/json_file.h"
#include "text/tokenizer/bpe_tokenizer.h"
#include "text/tokenizer/sentencepiece_tokenizer.h"
#include "text/tokenizer/tokenizer_config.h"

namespace fastchat::tokenizer {

std::unique_ptr<Tokenizer> load_tokenizer(const std::filesystem::path& folder) {
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) {
    throw_error(ErrorCode::InvalidModel,
                "tokenizer folder " + folder.string() + " does not exist or is not a folder",
                folder.string());
  }
  const TokenizerConfig config = TokenizerConfig::load(folder / "tokenizer_config.json");
  const auto json_file = folder / "tokenizer.json";
  const auto model_file = folder / "tokenizer.model";
  const bool has_model_file = std::filesystem::exists(model_file, error);
  if (std::filesystem::exists(json_file, error)) {
    const nlohmann::json json = read_json_file(json_file);
    // SentencePiece-style tokenizer.json files come with the tokenizer.model they were made
    // from, which libsentencepiece handles exactly.
    if (BpeTokenizer::is_byte_level_bpe(json) || !has_model_file) {
      return std::make_unique<BpeTokenizer>(json, config, json_file.string());
    }
  }
  if (has_model_file) return std::make_unique<SentencePieceTokenizer>(model_file, config);
  throw_error(ErrorCode::InvalidModel, "no tokenizer.json or tokenizer.model in " + folder.string(),
              folder.string());
}

}  // namespace fastchat::tokenizer
