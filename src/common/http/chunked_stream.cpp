#include "common/http/chunked_stream.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace fastchat::http {

namespace http_ns = beast::http;

namespace {

// One chunk of the chunked transfer coding, framed here so that the producer's direct send and
// the strand's writes put the same bytes on the wire.
std::string frame_chunk(const std::string& data) {
  char size[20];
  const int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  std::string framed;
  framed.reserve(static_cast<size_t>(n) + data.size() + 2);
  framed.append(size, static_cast<size_t>(n)).append(data).append("\r\n");
  return framed;
}

constexpr std::string_view kLastChunk = "0\r\n\r\n";

}  // namespace

ChunkedStream::ChunkedStream(std::shared_ptr<Session> session, int status, std::string content_type,
                             Headers headers, bool keep_alive)
    : session_(std::move(session)) {
  header_.version(11);
  header_.result(static_cast<unsigned>(status));
  header_.set(http_ns::field::server, "fastchat-cpp");
  header_.set(http_ns::field::content_type, content_type);
  header_.set(http_ns::field::cache_control, "no-cache");
  for (auto& [name, value] : headers) header_.insert(name, value);
  header_.keep_alive(keep_alive);
  header_.chunked(true);
}

ChunkedStream::~ChunkedStream() {
  if (send_fd_ >= 0) ::close(send_fd_);
}

void ChunkedStream::start() {
  serializer_.emplace(header_);
  session_->stream().expires_after(session_->context().options.write_timeout);
  http_ns::async_write_header(
      session_->stream(), *serializer_, [self = shared_from_this()](beast::error_code ec, size_t) {
        if (ec) return self->mark_gone();
        self->watch_for_disconnect();
        {
          std::lock_guard lock(self->mutex_);
          self->writing_ = false;
          // Our own descriptor of the socket: the session may close
          // its own at any time, and a closed number can be reused
          // by another connection.
          self->send_fd_ = ::dup(self->session_->stream().socket().native_handle());
        }
        self->write_next();
      });
}

bool ChunkedStream::write(std::string chunk) {
  if (chunk.empty()) return !client_gone();
  const auto& options = session_->context().options;
  std::unique_lock lock(mutex_);
  bool room = drained_.wait_for(lock, options.write_timeout, [&] {
    return gone_ || closed_ || queued_bytes_ < options.max_queued_stream_bytes;
  });
  if (gone_ || closed_) return false;
  if (!room) {
    lock.unlock();
    mark_gone();  // stalled client: give up on it rather than block the producer forever
    return false;
  }
  std::string framed = frame_chunk(chunk);
  if (!writing_ && queue_.empty() && send_fd_ >= 0) {
    // Nothing in flight: send from this thread with one non-blocking call instead of waking an
    // io thread for every token. Only what the socket does not take at once goes the slow way.
    const ssize_t sent =
        ::send(send_fd_, framed.data(), framed.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent == static_cast<ssize_t>(framed.size())) return true;
    if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      lock.unlock();
      mark_gone();
      return false;
    }
    if (sent > 0) framed.erase(0, static_cast<size_t>(sent));
  }
  queued_bytes_ += framed.size();
  queue_.push_back(std::move(framed));
  if (!writing_) {
    writing_ = true;
    session_->post([self = shared_from_this()] { self->write_next(); });
  }
  return true;
}

void ChunkedStream::close() {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  closed_ = true;
  gone_callback_ = nullptr;  // the producer is done; let go of what the callback holds
  drained_.notify_all();
  if (!writing_ && !gone_) {
    writing_ = true;
    session_->post([self = shared_from_this()] { self->write_next(); });
  }
}

bool ChunkedStream::client_gone() const {
  std::lock_guard lock(mutex_);
  return gone_;
}

bool ChunkedStream::congested() const {
  std::lock_guard lock(mutex_);
  return queued_bytes_ >= session_->context().options.max_queued_stream_bytes;
}

void ChunkedStream::on_client_gone(std::function<void()> callback) {
  {
    std::lock_guard lock(mutex_);
    if (!gone_) {
      gone_callback_ = std::move(callback);
      return;
    }
  }
  callback();
}

void ChunkedStream::mark_gone() {
  std::function<void()> callback;
  {
    std::lock_guard lock(mutex_);
    if (gone_ || done_) return;
    gone_ = true;
    callback = std::move(gone_callback_);
    drained_.notify_all();
  }
  session_->shutdown();
  if (callback) callback();
}

void ChunkedStream::write_next() {
  std::unique_lock lock(mutex_);
  if (gone_) return;
  if (queue_.empty()) {
    if (!closed_) {
      writing_ = false;
      // The producer may now send directly, outside the stream's operations: a deadline left
      // armed here would close the connection under it.
      session_->stream().expires_never();
      return;
    }
    done_ = true;
    lock.unlock();
    session_->stream().expires_after(session_->context().options.write_timeout);
    asio::async_write(session_->stream(), asio::buffer(kLastChunk.data(), kLastChunk.size()),
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->session_->shutdown();
                        self->session_->finish_exchange();
                      });
    return;
  }
  in_flight_ = std::move(queue_.front());
  queue_.pop_front();
  lock.unlock();
  session_->stream().expires_after(session_->context().options.write_timeout);
  asio::async_write(
      session_->stream(), asio::buffer(in_flight_),
      [self = shared_from_this()](beast::error_code ec, size_t) { self->on_written(ec); });
}

void ChunkedStream::on_written(beast::error_code ec) {
  if (ec) return mark_gone();
  {
    std::lock_guard lock(mutex_);
    queued_bytes_ -= in_flight_.size();
    in_flight_.clear();
    drained_.notify_all();
  }
  write_next();
}

void ChunkedStream::watch_for_disconnect() {
  auto& socket = session_->stream().socket();
  socket.async_wait(asio::ip::tcp::socket::wait_read,
                    [self = shared_from_this()](beast::error_code ec) {
                      {
                        std::lock_guard lock(self->mutex_);
                        if (self->done_ || self->gone_) return;
                      }
                      if (ec) {
                        // The server closed the connection (stop(), e.g. a drain cut short):
                        // tell the producer now rather than at its next write.
                        if (self->session_->context().stopping) self->mark_gone();
                        return;
                      }
                      char byte;
                      auto fd = self->session_->stream().socket().native_handle();
                      ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
                      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                        self->mark_gone();
                      } else if (n < 0) {
                        self->watch_for_disconnect();
                      }
                      // n > 0: the client sent its next request early; it is read later.
                    });
}

}  // namespace fastchat::http
