#include "io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "digestx/decode.hpp"

namespace digestx::cli {

namespace {

std::string read_fd(int fd, size_t max_bytes, const std::string& path) {
  std::string data;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      if (err == EISDIR) throw InputError("is_directory", "is a directory");
      throw InputError("unreadable", std::string("cannot be read: ") + std::strerror(err));
    }
    if (n == 0) break;
    if (data.size() + size_t(n) > max_bytes)
      throw InputError("too_large", "is larger than --max-bytes (" + std::to_string(max_bytes) + " bytes)");
    data.append(buf, size_t(n));
  }
  (void)path;
  return data;
}

}  // namespace

std::string read_input(const std::string& path, size_t max_bytes) {
  if (path == "-") return read_fd(0, max_bytes, path);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR) throw InputError("not_found", "no such file");
    throw InputError("unreadable", std::string("cannot be read: ") + std::strerror(err));
  }
  if (S_ISDIR(st.st_mode)) throw InputError("is_directory", "is a directory");
  if (S_ISREG(st.st_mode) && size_t(st.st_size) > max_bytes)
    throw InputError("too_large", "is larger than --max-bytes (" + std::to_string(max_bytes) + " bytes)");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    throw InputError("unreadable", std::string("cannot be opened: ") + std::strerror(err));
  }
  try {
    std::string data = read_fd(fd, max_bytes, path);
    ::close(fd);
    return data;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

Sink::Sink(const std::string& path) : path_(path == "-" ? "" : path) {
  if (path_.empty()) {
    file_ = stdout;
    return;
  }
  tmp_ = path_ + ".tmp." + std::to_string(::getpid());
  file_ = std::fopen(tmp_.c_str(), "wb");
  if (!file_) throw std::runtime_error(path_ + ": cannot be written: " + std::strerror(errno));
}

Sink::~Sink() {
  if (!path_.empty() && !committed_) {
    if (file_) std::fclose(file_);
    std::remove(tmp_.c_str());
  }
}

void Sink::write(std::string_view data) {
  if (data.empty()) return;
  if (std::fwrite(data.data(), 1, data.size(), file_) != data.size()) {
    if (errno == EPIPE) throw BrokenPipe();
    throw std::runtime_error((path_.empty() ? std::string("stdout") : path_) + ": write failed: " + std::strerror(errno));
  }
}

void Sink::commit() {
  if (std::fflush(file_) != 0) {
    if (errno == EPIPE) throw BrokenPipe();
    throw std::runtime_error((path_.empty() ? std::string("stdout") : path_) + ": write failed: " + std::strerror(errno));
  }
  if (path_.empty()) return;
  if (std::fclose(file_) != 0) {
    file_ = nullptr;
    throw std::runtime_error(path_ + ": write failed: " + std::strerror(errno));
  }
  file_ = nullptr;
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0)
    throw std::runtime_error(path_ + ": cannot be written: " + std::strerror(errno));
  committed_ = true;
}

bool Sink::is_terminal() const { return path_.empty() && ::isatty(1); }

bool stderr_is_terminal() { return ::isatty(2); }

void complain(const std::string& what) { std::cerr << "digestx: " << what << std::endl; }

}  // namespace digestx::cli
