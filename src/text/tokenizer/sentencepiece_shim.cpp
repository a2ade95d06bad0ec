// A C interface to libsentencepiece, built as its own shared module and loaded by
// SentencePieceModel with RTLD_LOCAL | RTLD_DEEPBIND.
//
// Why: Debian's libsentencepiece embeds protobuf 3.14 and exports those symbols, while libtorch
// loads the system's libprotobuf 3.21. In one global symbol scope the two collide (a crash in
// protobuf's static initializers, or protobuf's version check aborting). Loaded privately with
// deep binding, sentencepiece keeps using its own protobuf and nobody else sees it.
// Only plain C types cross this boundary, so no allocation is freed on the other side.

#include <sentencepiece_processor.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace {

size_t copy_out(const std::string& text, char* buffer, size_t capacity) {
  if (buffer && capacity > 0) std::memcpy(buffer, text.data(), std::min(text.size(), capacity));
  return text.size();
}

const sentencepiece::SentencePieceProcessor& proc(const void* handle) {
  return *static_cast<const sentencepiece::SentencePieceProcessor*>(handle);
}

}  // namespace

extern "C" {

__attribute__((visibility("default"))) void* fastchat_spm_load(const char* path, char* error,
                                                               size_t error_capacity) {
  auto* processor = new sentencepiece::SentencePieceProcessor();
  const auto status = processor->Load(path);
  if (!status.ok()) {
    std::string message = status.ToString();
    size_t n = std::min(message.size(), error_capacity ? error_capacity - 1 : 0);
    if (error_capacity) {
      std::memcpy(error, message.data(), n);
      error[n] = '\0';
    }
    delete processor;
    return nullptr;
  }
  return processor;
}

__attribute__((visibility("default"))) void fastchat_spm_free(void* handle) {
  delete static_cast<sentencepiece::SentencePieceProcessor*>(handle);
}

__attribute__((visibility("default"))) int fastchat_spm_piece_size(const void* handle) {
  return proc(handle).GetPieceSize();
}

__attribute__((visibility("default"))) int fastchat_spm_piece_to_id(const void* handle,
                                                                    const char* piece,
                                                                    size_t length) {
  return proc(handle).PieceToId(std::string_view(piece, length));
}

__attribute__((visibility("default"))) size_t fastchat_spm_id_to_piece(const void* handle, int id,
                                                                       char* buffer,
                                                                       size_t capacity) {
  return copy_out(proc(handle).IdToPiece(id), buffer, capacity);
}

/// Bit 0: control, bit 1: unknown, bit 2: byte piece.
__attribute__((visibility("default"))) int fastchat_spm_piece_kind(const void* handle, int id) {
  const auto& p = proc(handle);
  return (p.IsControl(id) ? 1 : 0) | (p.IsUnknown(id) ? 2 : 0) | (p.IsByte(id) ? 4 : 0);
}

__attribute__((visibility("default"))) int fastchat_spm_bos_id(const void* handle) {
  return proc(handle).bos_id();
}

__attribute__((visibility("default"))) int fastchat_spm_eos_id(const void* handle) {
  return proc(handle).eos_id();
}

/// Returns the number of ids (writing at most `capacity`), or -1 on failure.
__attribute__((visibility("default"))) long fastchat_spm_encode(const void* handle,
                                                                const char* text, size_t length,
                                                                int* ids, size_t capacity) {
  std::vector<int> out;
  if (!proc(handle).Encode(std::string_view(text, length), &out).ok()) return -1;
  std::copy_n(out.begin(), std::min(out.size(), capacity), ids);
  return static_cast<long>(out.size());
}

/// Returns the decoded byte length (writing at most `capacity`), or -1 on failure.
__attribute__((visibility("default"))) long fastchat_spm_decode(const void* handle, const int* ids,
                                                                size_t count, char* buffer,
                                                                size_t capacity) {
  std::string text;
  if (!proc(handle).Decode(std::vector<int>(ids, ids + count), &text).ok()) return -1;
  return static_cast<long>(copy_out(text, buffer, capacity));
}

}  // extern "C"
