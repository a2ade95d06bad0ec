#include "judge/jsonl_appender.h"

#include <fstream>

#include <spdlog/spdlog.h>

#include "common/error/error.h"

namespace fastchat::judge {

bool drop_torn_tail(const std::filesystem::path& file) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec || size == 0) return false;
  std::ifstream in(file, std::ios::binary);
  // Scan back from the end in blocks for the last newline.
  constexpr std::uintmax_t kBlock = 4096;
  std::uintmax_t end = size;
  std::string block;
  while (end > 0) {
    const std::uintmax_t start = end > kBlock ? end - kBlock : 0;
    block.resize(end - start);
    in.seekg(static_cast<std::streamoff>(start));
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto newline = block.rfind('\n');
    if (newline != std::string::npos) {
      const std::uintmax_t keep = start + newline + 1;
      if (keep == size) return false;
      std::filesystem::resize_file(file, keep);
      return true;
    }
    end = start;
  }
  std::filesystem::resize_file(file, 0);
  return true;
}

JsonlAppender::JsonlAppender(std::filesystem::path file) : file_(std::move(file)) {
  if (file_.has_parent_path()) std::filesystem::create_directories(file_.parent_path());
  if (drop_torn_tail(file_)) {
    spdlog::warn("{}: dropped an incomplete last line (an interrupted write)", file_.string());
  }
  out_ = std::fopen(file_.c_str(), "ab");
  if (out_ == nullptr) {
    throw_error(ErrorCode::InvalidConfig, "cannot append to " + file_.string(), file_.string());
  }
}

JsonlAppender::~JsonlAppender() {
  if (out_ != nullptr) std::fclose(out_);
}

void JsonlAppender::append(const std::string& line) {
  std::lock_guard lock(mutex_);
  const std::string whole = line + "\n";
  if (std::fwrite(whole.data(), 1, whole.size(), out_) != whole.size() || std::fflush(out_) != 0) {
    throw_error(ErrorCode::Internal, "writing " + file_.string() + " failed", file_.string());
  }
}

}  // namespace fastchat::judge
