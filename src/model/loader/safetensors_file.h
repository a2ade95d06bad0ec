#pragma once
// One .safetensors file, memory-mapped read-only and validated up front, so that loading can
// view each tensor's bytes in place and hand the pages back to the OS once converted. Torch-free
// (the fuzzer and torch-free tools read it); torch_dtype.h turns an entry into a tensor view.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fastchat::loader {

/// The element types of safetensors files that this loader reads.
enum class TensorDtype { F32, F16, BF16, F64, I64, I32, I16, I8, U8, Bool };

/// The header's name of a dtype: "F32", "BF16", ... ("BOOL" for Bool).
std::string_view dtype_name(TensorDtype dtype);
/// Bytes per element.
size_t dtype_size(TensorDtype dtype);

/// Owns the mapping (move-only; unmapped in the destructor). Immutable after open(): const
/// methods may be called from several threads at once. Tensors from view() alias the mapping
/// and must not outlive the file or be written to (the mapping is read-only).
class SafetensorsFile {
 public:
  /// One tensor of the header. begin/end are byte offsets relative to the data section.
  struct Entry {
    std::string name;
    TensorDtype dtype;
    std::vector<int64_t> shape;
    size_t begin = 0;
    size_t end = 0;
  };

  /// Maps and validates the file; any inconsistency throws InvalidModel naming the file (and
  /// the tensor, when one entry is at fault).
  static SafetensorsFile open(const std::filesystem::path& path);

  SafetensorsFile(SafetensorsFile&& other) noexcept;
  SafetensorsFile& operator=(SafetensorsFile&& other) noexcept;
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;
  ~SafetensorsFile();

  /// Entries in file order (ascending offsets).
  const std::vector<Entry>& entries() const { return entries_; }
  /// nullptr when the file has no tensor of that name.
  const Entry* find(std::string_view name) const;
  /// The "__metadata__" string map of the header (empty when absent).
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

  /// The mapped bytes of e (e.end - e.begin of them; read-only, valid while the file lives).
  const unsigned char* data(const Entry& e) const { return base_ + data_start_ + e.begin; }
  /// Tells the OS the bytes of e are no longer needed (madvise DONTNEED), so loading does not
  /// hold a second copy of the weights resident. Safe to call early: pages are re-read from the
  /// file if touched again, so neighbours sharing a page lose nothing but time.
  void release(const Entry& e) const;

  const std::filesystem::path& path() const { return path_; }
  /// Total size of the file in bytes.
  size_t size() const { return size_; }

 private:
  SafetensorsFile() = default;
  void unmap() noexcept;
  void parse_header();

  std::filesystem::path path_;
  unsigned char* base_ = nullptr;  // start of the mapping (whole file)
  size_t size_ = 0;
  size_t data_start_ = 0;  // 8 + header length
  std::vector<Entry> entries_;
  std::map<std::string, size_t, std::less<>> index_;  // name -> position in entries_
  std::map<std::string, std::string> metadata_;
};

}  // namespace fastchat::loader
