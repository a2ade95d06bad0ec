#include "text/tokenizer/sentencepiece_model.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>

#include "common/error/error.h"

namespace fastchat::tokenizer {
namespace {

constexpr const char* kShimName = "libfastchat_sentencepiece_shim.so";

struct ShimApi {
  void* (*load)(const char*, char*, size_t) = nullptr;
  void (*free)(void*) = nullptr;
  int (*piece_size)(const void*) = nullptr;
  int (*piece_to_id)(const void*, const char*, size_t) = nullptr;
  size_t (*id_to_piece)(const void*, int, char*, size_t) = nullptr;
  int (*piece_kind)(const void*, int) = nullptr;
  int (*bos_id)(const void*) = nullptr;
  int (*eos_id)(const void*) = nullptr;
  long (*encode)(const void*, const char*, size_t, int*, size_t) = nullptr;
  long (*decode)(const void*, const int*, size_t, char*, size_t) = nullptr;
};

std::vector<std::filesystem::path> shim_candidates() {
  std::vector<std::filesystem::path> paths;
  if (const char* env = std::getenv("FASTCHAT_SENTENCEPIECE_SHIM"); env && *env)
    paths.emplace_back(env);
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    paths.push_back(exe.parent_path() / kShimName);
    paths.push_back(exe.parent_path() / ".." / "lib" / kShimName);
  }
#ifdef FASTCHAT_SENTENCEPIECE_SHIM_PATH
  paths.emplace_back(FASTCHAT_SENTENCEPIECE_SHIM_PATH);
#endif
  return paths;
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define FASTCHAT_SANITIZER_RUNTIME 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define FASTCHAT_SANITIZER_RUNTIME 1
#endif
#endif

// The shim's protobuf must stay out of the global symbol scope (see sentencepiece_shim.cpp).
// Sanitizer runtimes refuse RTLD_DEEPBIND (google/sanitizers issue 611), so sanitized builds
// (cmake/Sanitize.cmake, which leaves the shim uninstrumented) load it into a link-map namespace
// of its own instead, which isolates it the same way: only plain C types cross, and nothing
// allocated on one side is freed on the other.
void* open_shim(const char* path) {
#ifdef FASTCHAT_SANITIZER_RUNTIME
  return dlmopen(LM_ID_NEWLM, path, RTLD_NOW | RTLD_LOCAL);
#else
  return dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
#endif
}

template <typename F>
void bind(void* module, const char* name, F& target) {
  target = reinterpret_cast<F>(dlsym(module, name));
  if (!target) throw_error(ErrorCode::Internal, std::string("sentencepiece module lacks ") + name);
}

const ShimApi& shim() {
  static ShimApi api;
  static std::once_flag once;
  std::call_once(once, [] {
    void* module = nullptr;
    std::string tried;
    for (const auto& path : shim_candidates()) {
      module = open_shim(path.c_str());
      if (module) break;
      tried.append(" ").append(path.string());
    }
    if (!module) {
      throw_error(ErrorCode::Internal, std::string("cannot load ") + kShimName +
                                           " (tried:" + tried +
                                           "); set FASTCHAT_SENTENCEPIECE_SHIM to its path");
    }
    bind(module, "fastchat_spm_load", api.load);
    bind(module, "fastchat_spm_free", api.free);
    bind(module, "fastchat_spm_piece_size", api.piece_size);
    bind(module, "fastchat_spm_piece_to_id", api.piece_to_id);
    bind(module, "fastchat_spm_id_to_piece", api.id_to_piece);
    bind(module, "fastchat_spm_piece_kind", api.piece_kind);
    bind(module, "fastchat_spm_bos_id", api.bos_id);
    bind(module, "fastchat_spm_eos_id", api.eos_id);
    bind(module, "fastchat_spm_encode", api.encode);
    bind(module, "fastchat_spm_decode", api.decode);
  });
  return api;
}

}  // namespace

std::unique_ptr<SentencePieceModel> SentencePieceModel::load(const std::filesystem::path& file) {
  char error[512] = {0};
  void* handle = shim().load(file.c_str(), error, sizeof(error));
  if (!handle) {
    throw_error(ErrorCode::InvalidModel,
                file.string() + ": not a valid SentencePiece model: " + error, file.string());
  }
  return std::unique_ptr<SentencePieceModel>(new SentencePieceModel(handle));
}

SentencePieceModel::~SentencePieceModel() { shim().free(handle_); }

int SentencePieceModel::piece_size() const { return shim().piece_size(handle_); }

int SentencePieceModel::piece_to_id(std::string_view piece) const {
  return shim().piece_to_id(handle_, piece.data(), piece.size());
}

std::string SentencePieceModel::id_to_piece(int id) const {
  std::string piece(64, '\0');
  size_t n = shim().id_to_piece(handle_, id, piece.data(), piece.size());
  if (n > piece.size()) {
    piece.resize(n);
    shim().id_to_piece(handle_, id, piece.data(), piece.size());
  }
  piece.resize(n);
  return piece;
}

bool SentencePieceModel::is_control(int id) const { return shim().piece_kind(handle_, id) & 1; }
bool SentencePieceModel::is_unknown(int id) const { return shim().piece_kind(handle_, id) & 2; }
int SentencePieceModel::bos_id() const { return shim().bos_id(handle_); }
int SentencePieceModel::eos_id() const { return shim().eos_id(handle_); }

std::vector<int> SentencePieceModel::encode(std::string_view text) const {
  // Never more ids than bytes plus the dummy prefix.
  std::vector<int> ids(text.size() + 2);
  long n = shim().encode(handle_, text.data(), text.size(), ids.data(), ids.size());
  if (n < 0) throw_error(ErrorCode::Internal, "SentencePiece encode failed");
  if (static_cast<size_t>(n) > ids.size()) {
    ids.resize(n);
    n = shim().encode(handle_, text.data(), text.size(), ids.data(), ids.size());
  }
  ids.resize(n);
  return ids;
}

std::string SentencePieceModel::decode(std::span<const int> ids) const {
  std::string text(ids.size() * 8 + 16, '\0');
  long n = shim().decode(handle_, ids.data(), ids.size(), text.data(), text.size());
  if (n < 0) throw_error(ErrorCode::Internal, "SentencePiece decode failed");
  if (static_cast<size_t>(n) > text.size()) {
    text.resize(n);
    n = shim().decode(handle_, ids.data(), ids.size(), text.data(), text.size());
  }
  text.resize(n);
  return text;
}

}  // namespace fastchat::tokenizer
