#pragma once
// One .safetensors file, memory-mapped read-only and validated up front, so that loading can
// view each tensor's bytes in place and hand the pages back to the OS once converted.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <torch/types.h>

namespace fastchat::loader {

/// Owns the mapping (move-only; unmapped in the destructor). Immutable after open(): const
/// methods may be called from several threads at once. Tensors from view() alias the mapping
/// and must not outlive the file or be written to (the mapping is read-only).
class SafetensorsFile {
 public:
  /// One tensor of the header. begin/end are byte offsets relative to the data section.
  struct Entry {
    std::string name;
    torch::ScalarType dtype;
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

  /// Zero-copy CPU tensor viewing the mapped bytes (valid while the file lives).
  torch::Tensor view(const Entry& e) const;
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

/// The safetensors dtype string for a torch dtype ("F32", "BF16", ...); throws InvalidModel for
/// dtypes safetensors files here do not carry.
std::string safetensors_dtype_name(torch::ScalarType dtype);

}  // namespace fastchat::loader
