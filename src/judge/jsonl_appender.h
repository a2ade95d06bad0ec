#pragma once
// Appends finished records to a JSON-lines file, one whole line per write, flushed at once: a
// crash or Ctrl-C loses only the work in flight, and the next run resumes from the file.
// Shared by the worker threads.

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>

namespace fastchat::judge {

class JsonlAppender {
 public:
  /// Opens `file` for appending (creating its folder). A last line a crash cut short is cut
  /// off first, so the file stays valid JSON lines.
  explicit JsonlAppender(std::filesystem::path file);
  ~JsonlAppender();
  JsonlAppender(const JsonlAppender&) = delete;
  JsonlAppender& operator=(const JsonlAppender&) = delete;

  /// Writes `line` and a newline, then flushes; throws when the disk refuses.
  void append(const std::string& line);

  const std::filesystem::path& path() const { return file_; }

 private:
  std::filesystem::path file_;
  std::FILE* out_ = nullptr;
  std::mutex mutex_;
};

/// Cuts `file` after its last newline (no-op when it ends with one or does not exist); returns
/// whether bytes were cut.
bool drop_torn_tail(const std::filesystem::path& file);

}  // namespace fastchat::judge
