#pragma once
// One SentencePiece model file, through libsentencepiece loaded in a private symbol scope
// (see sentencepiece_shim.cpp for why). Immutable after load(); every method is const and safe
// to call from many threads, as SentencePieceProcessor's are.

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fastchat::tokenizer {

class SentencePieceModel {
 public:
  /// Throws ErrorException (InvalidModel) naming the file when it is not a SentencePiece model,
  /// or (Internal) when the sentencepiece module cannot be loaded.
  static std::unique_ptr<SentencePieceModel> load(const std::filesystem::path& file);
  ~SentencePieceModel();
  SentencePieceModel(const SentencePieceModel&) = delete;
  SentencePieceModel& operator=(const SentencePieceModel&) = delete;

  int piece_size() const;
  /// The unknown id when the piece is not in the model.
  int piece_to_id(std::string_view piece) const;
  std::string id_to_piece(int id) const;
  bool is_control(int id) const;
  bool is_unknown(int id) const;
  int bos_id() const;  // -1 when the model has none
  int eos_id() const;
  std::vector<int> encode(std::string_view text) const;
  std::string decode(std::span<const int> ids) const;

 private:
  explicit SentencePieceModel(void* handle) : handle_(handle) {}
  void* handle_;
};

}  // namespace fastchat::tokenizer
