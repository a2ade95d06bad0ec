#include "model/loader/safetensors_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <limits>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/error/error.h"

namespace fastchat::loader {
namespace {

static_assert(std::endian::native == std::endian::little,
              "safetensors is little-endian; big-endian hosts would need byte swapping");

using nlohmann::json;

// Real headers are a few MB at most; the cap stops a corrupt length from driving a huge parse.
constexpr uint64_t kMaxHeaderBytes = 100ull * 1024 * 1024;

struct DtypeInfo {
  std::string_view name;
  TensorDtype dtype;
  size_t size;
};

constexpr DtypeInfo kDtypes[] = {
    {"F32", TensorDtype::F32, 4},   {"F16", TensorDtype::F16, 2}, {"BF16", TensorDtype::BF16, 2},
    {"F64", TensorDtype::F64, 8},   {"I64", TensorDtype::I64, 8}, {"I32", TensorDtype::I32, 4},
    {"I16", TensorDtype::I16, 2},   {"I8", TensorDtype::I8, 1},   {"U8", TensorDtype::U8, 1},
    {"BOOL", TensorDtype::Bool, 1},
};

const DtypeInfo& info(TensorDtype dtype) {
  for (const auto& d : kDtypes) {
    if (d.dtype == dtype) return d;
  }
  throw_error(ErrorCode::Internal, "safetensors: dtype without a table entry");
}

std::optional<TensorDtype> dtype_from_name(std::string_view name) {
  for (const auto& d : kDtypes) {
    if (name == d.name) return d.dtype;
  }
  return std::nullopt;
}

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what,
                       const std::string& tensor = {}) {
  std::string message = path.string() + ": ";
  if (!tensor.empty()) message += "tensor '" + tensor + "': ";
  throw_error(ErrorCode::InvalidModel, message + what, tensor.empty() ? path.string() : tensor);
}

/// A non-negative integer that fits size_t, or nullopt.
std::optional<uint64_t> as_offset(const json& value) {
  if (value.is_number_unsigned()) return value.get<uint64_t>();
  if (value.is_number_integer() && value.get<int64_t>() >= 0) {
    return static_cast<uint64_t>(value.get<int64_t>());
  }
  return std::nullopt;
}

/// Element count times item size, or nullopt on overflow.
std::optional<uint64_t> byte_size(const std::vector<int64_t>& shape, size_t itemsize) {
  uint64_t bytes = itemsize;
  for (int64_t dim : shape) {
    auto d = static_cast<uint64_t>(dim);
    if (d != 0 && bytes > std::numeric_limits<uint64_t>::max() / d) return std::nullopt;
    bytes *= d;
  }
  return bytes;
}

}  // namespace

std::string_view dtype_name(TensorDtype dtype) { return info(dtype).name; }

size_t dtype_size(TensorDtype dtype) { return info(dtype).size; }

SafetensorsFile SafetensorsFile::open(const std::filesystem::path& path) {
  SafetensorsFile file;
  file.path_ = path;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(path, std::string("cannot open: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    fail(path, "not a regular file");
  }
  file.size_ = static_cast<size_t>(st.st_size);
  if (file.size_ < 8) {
    ::close(fd);
    fail(path, "truncated: " + std::to_string(file.size_) + " bytes, no header length");
  }
  // MAP_PRIVATE + PROT_READ: pages come from the page cache and can be dropped at will.
  void* base = ::mmap(nullptr, file.size_, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);  // the mapping keeps the file alive
  if (base == MAP_FAILED) fail(path, std::string("mmap failed: ") + std::strerror(errno));
  file.base_ = static_cast<unsigned char*>(base);
  file.parse_header();  // on throw, the destructor of `file` unmaps
  return file;
}

void SafetensorsFile::parse_header() {
  uint64_t header_len = 0;
  std::memcpy(&header_len, base_, sizeof header_len);  // little-endian, checked above
  if (header_len > kMaxHeaderBytes) {
    fail(path_, "header length " + std::to_string(header_len) + " exceeds the 100 MB limit");
  }
  if (header_len > size_ - 8) {
    fail(path_, "truncated: header length " + std::to_string(header_len) +
                    " is larger than the file (" + std::to_string(size_) + " bytes)");
  }
  data_start_ = 8 + static_cast<size_t>(header_len);
  const size_t data_size = size_ - data_start_;

  const char* text = reinterpret_cast<const char*>(base_ + 8);
  json header = json::parse(text, text + header_len, nullptr, /*allow_exceptions=*/false);
  if (header.is_discarded() || !header.is_object()) fail(path_, "header is not a JSON object");

  for (const auto& [name, value] : header.items()) {
    if (name == "__metadata__") {
      if (!value.is_object()) fail(path_, "__metadata__ is not an object");
      for (const auto& [key, v] : value.items()) {
        if (v.is_string()) metadata_[key] = v.get<std::string>();
      }
      continue;
    }
    if (!value.is_object()) fail(path_, "header entry is not an object", name);
    Entry entry;
    entry.name = name;

    auto dtype_it = value.find("dtype");
    if (dtype_it == value.end() || !dtype_it->is_string()) fail(path_, "dtype missing", name);
    const auto dtype_name = dtype_it->get<std::string>();
    auto dtype = dtype_from_name(dtype_name);
    if (!dtype) fail(path_, "unknown or unsupported dtype '" + dtype_name + "'", name);
    entry.dtype = *dtype;

    auto shape_it = value.find("shape");
    if (shape_it == value.end() || !shape_it->is_array()) fail(path_, "shape missing", name);
    for (const auto& dim : *shape_it) {
      auto d = as_offset(dim);
      if (!d || *d > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        fail(path_, "shape has a negative or non-integer dimension", name);
      }
      entry.shape.push_back(static_cast<int64_t>(*d));
    }

    auto offsets_it = value.find("data_offsets");
    if (offsets_it == value.end() || !offsets_it->is_array() || offsets_it->size() != 2) {
      fail(path_, "data_offsets must be [begin, end]", name);
    }
    auto begin = as_offset((*offsets_it)[0]);
    auto end = as_offset((*offsets_it)[1]);
    if (!begin || !end || *begin > *end)
      fail(path_, "data_offsets are not 0 <= begin <= end", name);
    if (*end > data_size) {
      fail(path_,
           "data_offsets [" + std::to_string(*begin) + ", " + std::to_string(*end) +
               "] run past the end of the data (" + std::to_string(data_size) +
               " bytes; file truncated?)",
           name);
    }
    entry.begin = static_cast<size_t>(*begin);
    entry.end = static_cast<size_t>(*end);

    auto bytes = byte_size(entry.shape, dtype_size(entry.dtype));
    if (!bytes || *bytes != entry.end - entry.begin) {
      fail(path_,
           "shape and dtype need " + (bytes ? std::to_string(*bytes) : "too many") +
               " bytes but data_offsets span " + std::to_string(entry.end - entry.begin),
           name);
    }
    entries_.push_back(std::move(entry));
  }

  std::sort(entries_.begin(), entries_.end(),
            [](const Entry& a, const Entry& b) { return a.begin < b.begin; });
  for (size_t i = 0; i < entries_.size(); ++i) {
    // Empty tensors occupy no bytes and so cannot overlap anything.
    if (i > 0 && entries_[i].begin < entries_[i - 1].end && entries_[i].begin != entries_[i].end) {
      fail(path_, "data overlaps tensor '" + entries_[i - 1].name + "'", entries_[i].name);
    }
    index_.emplace(entries_[i].name, i);
  }
}

SafetensorsFile::SafetensorsFile(SafetensorsFile&& other) noexcept
    : path_(std::move(other.path_)),
      base_(std::exchange(other.base_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      data_start_(other.data_start_),
      entries_(std::move(other.entries_)),
      index_(std::move(other.index_)),
      metadata_(std::move(other.metadata_)) {}

SafetensorsFile& SafetensorsFile::operator=(SafetensorsFile&& other) noexcept {
  if (this != &other) {
    unmap();
    path_ = std::move(other.path_);
    base_ = std::exchange(other.base_, nullptr);
    size_ = std::exchange(other.size_, 0);
    data_start_ = other.data_start_;
    entries_ = std::move(other.entries_);
    index_ = std::move(other.index_);
    metadata_ = std::move(other.metadata_);
  }
  return *this;
}

SafetensorsFile::~SafetensorsFile() { unmap(); }

void SafetensorsFile::unmap() noexcept {
  if (base_ != nullptr) ::munmap(base_, size_);
  base_ = nullptr;
}

const SafetensorsFile::Entry* SafetensorsFile::find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

void SafetensorsFile::release(const Entry& e) const {
  if (e.begin == e.end || base_ == nullptr) return;
  static const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  // Round outward to whole pages: shared edge pages of neighbours are simply re-read later.
  const size_t first = (data_start_ + e.begin) / page * page;
  const size_t last = std::min(size_, (data_start_ + e.end + page - 1) / page * page);
  // Advisory only: a failure leaves the pages resident, which costs memory, not correctness.
  (void)::madvise(base_ + first, last - first, MADV_DONTNEED);
}

}  // namespace fastchat::loader
