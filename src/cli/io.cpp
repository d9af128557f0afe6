#include "io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
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

// The temporary files being written, for the signal handler: fixed slots of plain
// chars and lock-free states, which a handler may read (no allocation, no locks).
constexpr size_t kTempSlots = 256;
constexpr size_t kTempPathMax = 4096;
struct TempSlot {
  std::atomic<int> state{0};  // 0 free, 1 holds a path, 2 being filled
  char path[kTempPathMax];
};
TempSlot g_temps[kTempSlots];
std::atomic<unsigned long> g_temp_counter{0};

int register_temp(const std::string& path) {
  if (path.size() >= kTempPathMax) return -1;
  for (size_t i = 0; i < kTempSlots; ++i) {
    int expected = 0;
    if (!g_temps[i].state.compare_exchange_strong(expected, 2)) continue;
    std::memcpy(g_temps[i].path, path.c_str(), path.size() + 1);
    g_temps[i].state.store(1);
    return int(i);
  }
  return -1;  // more files in flight than slots: that one is not cleaned on a signal
}

void unregister_temp(int slot) {
  if (slot >= 0) g_temps[slot].state.store(0);
}

extern "C" void remove_temporaries_and_die(int sig) {
  for (auto& t : g_temps)
    if (t.state.load() == 1) ::unlink(t.path);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

std::string temp_name_for(const std::string& path) {
  std::filesystem::path p(path);
  std::string name = "." + p.filename().string() + ".tmp." + std::to_string(::getpid()) + "." +
                     std::to_string(g_temp_counter.fetch_add(1));
  return (p.parent_path() / name).string();
}

void write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(path + ": cannot be written: " + std::strerror(errno));
    data.remove_prefix(size_t(n));
  }
}

// Where an output named `path` really goes. A device, a FIFO or a socket
// (`-o /dev/null`, `-o /dev/stderr`, a named pipe) is written in place: renaming a file
// onto it would replace the device. A symbolic link is followed, so that the file it
// points to is replaced, not the link.
struct OutputTarget {
  std::string path;
  bool in_place = false;
};

OutputTarget output_target(const std::string& path) {
  std::error_code ec;
  auto st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st)) return {path, false};
  if (!std::filesystem::is_regular_file(st)) return {path, !std::filesystem::is_directory(st)};
  if (std::filesystem::is_symlink(std::filesystem::symlink_status(path, ec))) {
    auto real = std::filesystem::canonical(path, ec);
    if (!ec) return {real.string(), false};
  }
  return {path, false};
}

}  // namespace

void remove_temporaries_on_signal() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, remove_temporaries_and_die);
}

void write_file_atomically(const std::string& given_path, std::string_view data) {
  OutputTarget target = output_target(given_path);
  const std::string& path = target.path;
  if (target.in_place) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error(path + ": cannot be written: " + std::strerror(errno));
    try {
      write_all(fd, data, path);
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::close(fd);
    return;
  }
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) throw std::runtime_error(parent.string() + ": cannot be created: " + ec.message());
  std::string tmp = temp_name_for(path);
  int slot = register_temp(tmp);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    int err = errno;
    unregister_temp(slot);
    throw std::runtime_error(path + ": cannot be written: " + std::strerror(err));
  }
  try {
    write_all(fd, data, path);
    if (::close(fd) != 0) {
      fd = -1;
      throw std::runtime_error(path + ": cannot be written: " + std::strerror(errno));
    }
    fd = -1;
    if (::rename(tmp.c_str(), path.c_str()) != 0)
      throw std::runtime_error(path + ": cannot be written: " + std::strerror(errno));
  } catch (...) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    unregister_temp(slot);
    throw;
  }
  unregister_temp(slot);
}

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
  OutputTarget target = output_target(path_);
  path_ = target.path;
  if (target.in_place) {
    file_ = std::fopen(path_.c_str(), "wb");
    if (!file_) throw std::runtime_error(path_ + ": cannot be written: " + std::strerror(errno));
    in_place_ = true;
    return;
  }
  tmp_ = path_ + ".tmp." + std::to_string(::getpid());
  temp_slot_ = register_temp(tmp_);
  file_ = std::fopen(tmp_.c_str(), "wb");
  if (!file_) unregister_temp(temp_slot_);
  if (!file_) throw std::runtime_error(path_ + ": cannot be written: " + std::strerror(errno));
}

Sink::~Sink() {
  if (in_place_) {
    if (file_) std::fclose(file_);
    return;
  }
  if (!path_.empty() && !committed_) {
    if (file_) std::fclose(file_);
    std::remove(tmp_.c_str());
    unregister_temp(temp_slot_);
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
  if (in_place_) return;
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0)
    throw std::runtime_error(path_ + ": cannot be written: " + std::strerror(errno));
  committed_ = true;
  unregister_temp(temp_slot_);
}

bool Sink::is_terminal() const { return path_.empty() && ::isatty(1); }

bool stderr_is_terminal() { return ::isatty(2); }

void complain(const std::string& what) { std::cerr << "digestx: " << what << std::endl; }

}  // namespace digestx::cli
