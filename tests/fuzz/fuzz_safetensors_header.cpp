// SafetensorsFile::open on arbitrary file contents: the 8-byte length, the JSON header and every
// entry's dtype/shape/offsets checks. open() only takes a path (it mmaps the file), so each input
// is written to one temp file first. Any outcome but success or ErrorException is a finding; an
// accepted file must describe tensors that lie inside it without overlapping.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "fuzz_check.h"
#include "model/loader/safetensors_file.h"

using namespace fastchat;

namespace {

const std::filesystem::path& scratch_file() {
  static const std::filesystem::path path = [] {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "fuzz-safetensors-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) fuzz::fail("mkstemp failed");
    ::close(fd);
    std::atexit([] { std::filesystem::remove(scratch_file()); });
    return std::filesystem::path(pattern);
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& path = scratch_file();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) fuzz::fail("cannot write the scratch file");
  }
  fuzz::expect_ok_or_error("SafetensorsFile::open", [&] {
    auto file = loader::SafetensorsFile::open(path);
    fuzz::check(file.size() == size, "size() differs from the file's size");
    uint64_t header_len = 0;
    std::memcpy(&header_len, data, sizeof header_len);
    const size_t data_size = size - 8 - header_len;
    size_t previous_end = 0;
    for (const auto& entry : file.entries()) {
      fuzz::check(entry.begin <= entry.end && entry.end <= data_size,
                  "entry '" + entry.name + "' lies outside the data section");
      fuzz::check(entry.begin == entry.end || entry.begin >= previous_end,
                  "entry '" + entry.name + "' overlaps the previous one");
      if (entry.begin != entry.end) previous_end = entry.end;
      fuzz::check(file.find(entry.name) != nullptr, "entry '" + entry.name + "' not found by name");
    }
  });
  return 0;
}
