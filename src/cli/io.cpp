#include "io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>

#include "digestx/decode.hpp"
#include "digestx/utf.hpp"

namespace digestx::cli {

namespace {

std::atomic<bool> g_stdin_closed{false};
std::atomic<bool> g_stdout_closed{false};
std::atomic<bool> g_failed{false};

std::string error_text(int err) { return std::strerror(err); }

// A regular file is read straight into a buffer of its size (from fstat): appending
// 64 KiB at a time doubled the buffer as it grew, up to 256 MiB held for a 200 MB file.
std::string read_fd(int fd, size_t max_bytes) {
  std::string data;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && size_t(st.st_size) <= max_bytes) {
    // One byte more than the size, so that the read that finds the end needs no growth.
    data.resize(size_t(st.st_size) + 1);
    size_t got = 0;
    for (;;) {
      if (got == data.size()) break;  // the file grew: the rest is read below
      ssize_t n = ::read(fd, &data[got], data.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (n < 0) break;  // the loop below reports it
        data.resize(got);
        return data;
      }
      got += size_t(n);
    }
    data.resize(got);
  }
  // On the heap: 64 KiB on the stack made the frame of every read too deep for a stack
  // limit of 64 KiB (ulimit -s 64: SIGSEGV before a byte was read).
  constexpr size_t kChunk = size_t(1) << 16;
  std::unique_ptr<char[]> buf(new char[kChunk]);
  for (;;) {
    ssize_t n = ::read(fd, buf.get(), kChunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      if (err == EISDIR) throw InputError("is_directory", "is a directory");
      throw InputError("unreadable", "cannot be read: " + error_text(err));
    }
    if (n == 0) break;
    if (data.size() + size_t(n) > max_bytes)
      throw InputError("too_large", "is larger than --max-bytes (" + std::to_string(max_bytes) + " bytes)");
    data.append(buf.get(), size_t(n));
  }
  return data;
}

// The temporary files being written, for the signal handler: fixed slots of plain
// chars and lock-free states, which a handler may read (no allocation, no locks).
constexpr size_t kTempSlots = 256;
constexpr size_t kTempPathMax = 4096;
// Every member initialised, so that the slots are constant-initialised (zeros in .bss,
// never touched until used): set at start-up instead, the megabyte of slots cost 256
// page faults, a tenth of those of a run on a one-line file.
struct TempSlot {
  std::atomic<int> state{0};  // 0 free, 1 holds a path, 2 being filled
  char path[kTempPathMax]{};
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

// A signal that lands between the creation of a temporary and its registration would
// leave that file behind (seen: Ctrl-C under -j 2 left `.0010.json.tmp…`). While a
// thread is in that window the handler only notes the signal; the last thread to leave
// the window removes the temporaries and dies of it. Each side checks the other's flag
// after setting its own, so one of them always acts. A thread that enters the window
// after the handler has started its removal (it saw no thread there) must not create
// a file at all: the handler's sweep is past its slot, and the process dies as soon as
// the handler returns (seen: `.0359.json.tmp…` left in about one run in seven).
std::atomic<int> g_creating{0};
std::atomic<int> g_pending_signal{0};

void remove_temporaries_and_raise(int sig) {
  for (auto& t : g_temps)
    if (t.state.load() == 1) ::unlink(t.path);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

extern "C" void remove_temporaries_and_die(int sig) {
  g_pending_signal.store(sig);
  if (g_creating.load() > 0) return;  // the thread creating a temporary acts on it
  remove_temporaries_and_raise(sig);
}

// The window from creating a temporary to registering it (or giving it up).
class CreatingTemporary {
 public:
  CreatingTemporary() {
    g_creating.fetch_add(1);
    if (g_pending_signal.load() == 0) return;
    leave();
    for (;;) ::pause();  // the signal's action ends the process; create nothing meanwhile
  }
  ~CreatingTemporary() { leave(); }
  CreatingTemporary(const CreatingTemporary&) = delete;
  CreatingTemporary& operator=(const CreatingTemporary&) = delete;

 private:
  static void leave() {
    if (g_creating.fetch_sub(1) != 1) return;
    if (int sig = g_pending_signal.load()) remove_temporaries_and_raise(sig);
  }
};

void write_all(int fd, std::string_view data, const std::string& shown) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(shown + ": cannot be written: " + error_text(errno));
    data.remove_prefix(size_t(n));
  }
}

// A new temporary file in the folder `dir_fd` for the file `leaf`: created, never
// opened through a link or over an existing name (O_EXCL|O_NOFOLLOW), so a name
// planted in advance cannot redirect the write. Returns the fd; `tmp` its name.
int create_temporary(int dir_fd, const std::string& leaf, std::string& tmp, const std::string& shown) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    tmp = temporary_name(leaf);
    int fd = ::openat(dir_fd, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    if (errno != EEXIST) throw std::runtime_error(shown + ": cannot be written: " + error_text(errno));
  }
  throw std::runtime_error(shown + ": cannot be written: no free temporary name");
}

// A replaced file keeps its permissions (and its owner, when digestx may set it):
// `-o private.json` of mode 0600 stays 0600.
void keep_mode(int fd, const struct stat& old) {
  ::fchmod(fd, old.st_mode & 07777);
  if (::fchown(fd, old.st_uid, old.st_gid) != 0) {
    // Not the owner's to give: the new file is the writer's, with the old mode.
  }
}

// /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: descriptor N, written into
// as it is (appending if it appends), never replaced by a file.
int named_descriptor(const std::string& path) {
  if (path == "/dev/stdout") return 1;
  if (path == "/dev/stderr") return 2;
  for (std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (path.compare(0, prefix.size(), prefix) != 0) continue;
    std::string_view rest = std::string_view(path).substr(prefix.size());
    if (rest.empty() || rest.size() > 6 || rest.find_first_not_of("0123456789") != std::string_view::npos) return -1;
    return std::atoi(std::string(rest).c_str());
  }
  return -1;
}

// Stdout or stderr when it is open on the file `st` (`-o log >> log`), else -1.
int standard_fd_on(const struct stat& st) {
  for (int fd : {1, 2}) {
    struct stat open_st {};
    if (::fstat(fd, &open_st) == 0 && open_st.st_dev == st.st_dev && open_st.st_ino == st.st_ino) return fd;
  }
  return -1;
}

std::FILE* file_on(int fd, const std::string& shown) {
  if (fd < 0) throw std::runtime_error(shown + ": cannot be written: " + error_text(errno));
  std::FILE* f = ::fdopen(fd, "wb");
  if (!f) {
    int err = errno;
    ::close(fd);
    throw std::runtime_error(shown + ": cannot be written: " + error_text(err));
  }
  return f;
}

[[noreturn]] void write_failed(const std::string& shown) {
  if (errno == EPIPE) throw BrokenPipe();
  throw std::runtime_error(shown + ": write failed: " + error_text(errno));
}

// The components of a relative output path; none may climb out of the folder.
std::vector<std::string> components(const std::string& rel) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t slash = rel.find('/', start);
    std::string part = rel.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part.empty() || part == "." || part == "..")
      throw std::runtime_error(rel + ": not a path below the output folder");
    parts.push_back(part);
    if (slash == std::string::npos) return parts;
    start = slash + 1;
  }
}

}  // namespace

void guard_standard_fds() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    if (fd == 0) g_stdin_closed = true;
    if (fd == 1) g_stdout_closed = true;
    // The lowest free number: this very fd, since the ones below are open by now.
    int opened = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    if (opened != fd && opened >= 0) ::close(opened);
  }
}

bool stdin_was_closed() { return g_stdin_closed; }

// `digestx x.txt >&-` wrote the whole document into the /dev/null that guards fd 1 and
// exited 0: data meant for stdout with no stdout is an error, as a closed stdin is.
void require_stdout() {
  if (g_stdout_closed) throw std::runtime_error("stdout is closed");
}

std::string temporary_name(const std::string& leaf) {
  std::string suffix = ".tmp." + std::to_string(::getpid()) + "." + std::to_string(g_temp_counter.fetch_add(1));
  // "." + leaf + suffix within NAME_MAX: a long name is cut (at a character boundary).
  size_t room = NAME_MAX - 1 - suffix.size();
  size_t keep = std::min(leaf.size(), room);
  while (keep > 0 && keep < leaf.size() && (static_cast<unsigned char>(leaf[keep]) & 0xC0) == 0x80) --keep;
  return "." + leaf.substr(0, keep) + suffix;
}

void remove_temporaries_on_signal() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, remove_temporaries_and_die);
}

namespace {

// A named input opened for reading (as before: a link the user named is followed).
int open_input(const std::string& path, size_t max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR) throw InputError("not_found", "no such file");
    throw InputError("unreadable", "cannot be read: " + error_text(err));
  }
  if (S_ISDIR(st.st_mode)) throw InputError("is_directory", "is a directory");
  if (S_ISREG(st.st_mode) && size_t(st.st_size) > max_bytes)
    throw InputError("too_large", "is larger than --max-bytes (" + std::to_string(max_bytes) + " bytes)");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    throw InputError("unreadable", "cannot be opened: " + error_text(err));
  }
  return fd;
}

struct ClosedOnExit {
  int fd;
  ~ClosedOnExit() { ::close(fd); }
};

// Regular files from this size on are tried with decode_chunked (a smaller one is read
// whole at once: two passes over it would cost more than its bytes).
constexpr size_t kChunkedBytes = size_t(1) << 20;

// A large regular file decoded as it is read, or nullopt (see decode_chunked).
std::optional<Decoded> try_chunked(int fd, size_t max_bytes, const DecodeOptions& options, size_t& size) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || size_t(st.st_size) < kChunkedBytes) return std::nullopt;
  ReadAt read_at = [fd, max_bytes](char* buf, size_t n, size_t offset) -> size_t {
    for (;;) {
      ssize_t got = ::pread(fd, buf, n, off_t(offset));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw InputError("unreadable", "cannot be read: " + error_text(errno));
      if (offset + size_t(got) > max_bytes)  // it grew past the bar since it was measured
        throw InputError("too_large", "is larger than --max-bytes (" + std::to_string(max_bytes) + " bytes)");
      return size_t(got);
    }
  };
  return decode_chunked(read_at, options, size);
}

}  // namespace

std::string read_input(const std::string& path, size_t max_bytes) {
  if (path == "-") {
    if (stdin_was_closed()) throw InputError("unreadable", "stdin is closed");
    return read_fd(0, max_bytes);
  }
  ClosedOnExit input{open_input(path, max_bytes)};
  return read_fd(input.fd, max_bytes);
}

ReadInput read_input_decoding(const std::string& path, size_t max_bytes, const DecodeOptions& options) {
  ReadInput out;
  if (path != "-") {
    ClosedOnExit input{open_input(path, max_bytes)};
    out.decoded = try_chunked(input.fd, max_bytes, options, out.size);
    if (!out.decoded) out.bytes = read_fd(input.fd, max_bytes);
  } else {
    out.bytes = read_input(path, max_bytes);
  }
  if (!out.decoded) out.size = out.bytes.size();
  return out;
}

Sink::Sink(const std::string& path) : path_(path == "-" ? "" : path) {
  if (path_.empty()) {
    require_stdout();
    file_ = stdout;
    return;
  }
  struct stat st {};
  bool exists = ::stat(path_.c_str(), &st) == 0;
  int fd = named_descriptor(path_);
  if (fd < 0 && exists && S_ISREG(st.st_mode)) fd = standard_fd_on(st);
  if (fd >= 0) {  // a descriptor of this process: written as it is
    if (fd == 1) require_stdout();  // -o /dev/stdout >&-
    file_ = file_on(::fcntl(fd, F_DUPFD_CLOEXEC, 3), path_);
    return;
  }
  if (exists && S_ISDIR(st.st_mode)) throw std::runtime_error(path_ + ": cannot be written: is a directory");
  if (exists && !S_ISREG(st.st_mode)) {  // a device, a FIFO, a socket
    file_ = file_on(::open(path_.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC), path_);
    return;
  }
  // A regular file or none: a temporary beside the file that is replaced (through a
  // link named by -o: the user asked for that path), renamed on commit.
  target_ = path_;
  struct stat link_st {};
  // -o dl.json, a link to a missing file or a loop: the rename replaced the link by a file
  // without a word, while a link to a file is written through. Neither guess is safe (the
  // missing target may lie anywhere), so it is refused.
  if (!exists && ::lstat(path_.c_str(), &link_st) == 0 && S_ISLNK(link_st.st_mode)) {
    int err = ::stat(path_.c_str(), &st) != 0 ? errno : ENOENT;
    throw std::runtime_error(path_ + ": not written: " +
                             (err == ELOOP ? std::string("is a loop of symbolic links")
                                           : "is a symbolic link to a missing file (" + error_text(err) + ")") +
                             "; remove it or name a file");
  }
  if (::lstat(path_.c_str(), &link_st) == 0 && S_ISLNK(link_st.st_mode)) {
    if (char* real = ::realpath(path_.c_str(), nullptr)) {
      target_ = real;
      std::free(real);
    }
  }
  std::filesystem::path target(target_);
  std::string dir = target.parent_path().empty() ? "." : target.parent_path().string();
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) throw std::runtime_error(path_ + ": cannot be written: " + error_text(errno));
  std::string leaf;
  int tmp_fd = -1;
  {
    CreatingTemporary window;
    try {
      tmp_fd = create_temporary(dir_fd, target.filename().string(), leaf, path_);
    } catch (...) {
      ::close(dir_fd);
      throw;
    }
    ::close(dir_fd);
    tmp_ = (std::filesystem::path(dir) / leaf).string();
    temp_slot_ = register_temp(tmp_);
  }
  if (exists) keep_mode(tmp_fd, st);
  file_ = ::fdopen(tmp_fd, "wb");
  if (!file_) {
    int err = errno;
    ::close(tmp_fd);
    ::unlink(tmp_.c_str());
    unregister_temp(temp_slot_);
    throw std::runtime_error(path_ + ": cannot be written: " + error_text(err));
  }
}

Sink::~Sink() {
  if (file_ && file_ != stdout) std::fclose(file_);
  if (!tmp_.empty() && !committed_) {
    ::unlink(tmp_.c_str());
    unregister_temp(temp_slot_);
  }
}

void Sink::write(std::string_view data) {
  if (data.empty()) return;
  if (std::fwrite(data.data(), 1, data.size(), file_) != data.size())
    write_failed(path_.empty() ? std::string("stdout") : path_);
}

void Sink::commit() {
  std::string shown = path_.empty() ? std::string("stdout") : path_;
  if (std::fflush(file_) != 0) write_failed(shown);
  if (path_.empty()) return;
  std::FILE* f = file_;
  file_ = nullptr;
  if (std::fclose(f) != 0) write_failed(shown);
  if (tmp_.empty()) return;
  if (std::rename(tmp_.c_str(), target_.c_str()) != 0)
    throw std::runtime_error(path_ + ": cannot be written: " + error_text(errno));
  committed_ = true;
  unregister_temp(temp_slot_);
}

bool Sink::is_terminal() const { return path_.empty() && ::isatty(1); }

OutputDir::OutputDir(std::string dir) : dir_(std::move(dir)) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  fd_ = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0) throw std::runtime_error(dir_ + ": cannot be used as the output folder: " + error_text(errno));
}

OutputDir::~OutputDir() {
  if (fd_ >= 0) ::close(fd_);
}

std::string OutputDir::shown(const std::string& rel) const { return (std::filesystem::path(dir_) / rel).string(); }

int OutputDir::open_parent(const std::string& rel, bool create, std::string& leaf) const {
  std::vector<std::string> parts = components(rel);
  leaf = parts.back();
  int at = ::fcntl(fd_, F_DUPFD_CLOEXEC, 3);
  std::string below;
  for (size_t i = 0; at >= 0 && i + 1 < parts.size(); ++i) {
    below += (below.empty() ? "" : "/") + parts[i];
    int next = ::openat(at, parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0 && errno == ENOENT && create) {
      if (::mkdirat(at, parts[i].c_str(), 0777) != 0 && errno != EEXIST) {
        int err = errno;
        ::close(at);
        throw std::runtime_error(shown(below) + ": cannot be created: " + error_text(err));
      }
      next = ::openat(at, parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    int err = errno;
    ::close(at);
    at = next;
    if (next >= 0) continue;
    if (err == ENOENT && !create) return -1;
    if (err == ELOOP || err == ENOTDIR)
      throw std::runtime_error(shown(below) + ": is not a folder (a symbolic link there is not followed)");
    throw std::runtime_error(shown(below) + ": cannot be opened: " + error_text(err));
  }
  return at;
}

void OutputDir::write(const std::string& rel, std::string_view data) const {
  std::string leaf, tmp;
  int parent = open_parent(rel, true, leaf);
  if (parent < 0) throw std::runtime_error(shown(rel) + ": cannot be written: " + error_text(errno));
  struct stat old {};
  bool had = ::fstatat(parent, leaf.c_str(), &old, AT_SYMLINK_NOFOLLOW) == 0;
  if (had && !S_ISREG(old.st_mode) && !S_ISLNK(old.st_mode)) {
    ::close(parent);
    throw std::runtime_error(shown(rel) + ": is not a regular file; not replaced");
  }
  int fd = -1, slot = -1;
  try {
    {
      CreatingTemporary window;
      fd = create_temporary(parent, leaf, tmp, shown(rel));
      slot = register_temp(shown(std::filesystem::path(rel).replace_filename(tmp).string()));
    }
    if (had && S_ISREG(old.st_mode)) keep_mode(fd, old);
    write_all(fd, data, shown(rel));
    int closed = ::close(fd);
    fd = -1;
    if (closed != 0) throw std::runtime_error(shown(rel) + ": cannot be written: " + error_text(errno));
    // Over a link, rename replaces the link itself: what it points to is untouched.
    if (::renameat(parent, tmp.c_str(), parent, leaf.c_str()) != 0)
      throw std::runtime_error(shown(rel) + ": cannot be written: " + error_text(errno));
  } catch (...) {
    if (fd >= 0) ::close(fd);
    if (!tmp.empty()) ::unlinkat(parent, tmp.c_str(), 0);
    unregister_temp(slot);
    ::close(parent);
    throw;
  }
  unregister_temp(slot);
  ::close(parent);
}

bool OutputDir::remove(const std::string& rel) const {
  std::string leaf;
  int parent = open_parent(rel, false, leaf);
  if (parent < 0) return false;
  struct stat st {};
  bool removed = false;
  if (::fstatat(parent, leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
    removed = ::unlinkat(parent, leaf.c_str(), 0) == 0;
  ::close(parent);
  return removed;
}

bool OutputDir::exists(const std::string& rel) const {
  std::string leaf;
  int parent = -1;
  try {
    parent = open_parent(rel, false, leaf);
  } catch (const std::runtime_error&) {
    return false;
  }
  if (parent < 0) return false;
  struct stat st {};
  bool found = ::fstatat(parent, leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
  ::close(parent);
  return found;
}

bool stderr_is_terminal() { return ::isatty(2); }

std::string printable(std::string_view s) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  auto escape = [&](unsigned char b) {
    out += "\\x";
    out += hex[b >> 4];
    out += hex[b & 0xF];
  };
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    size_t len = utf8_sequence_length(s, i);
    bool c1 = len == 2 && b == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0;  // U+0080..U+009F
    if (len == 0 || b < 0x20 || b == 0x7F || c1) {
      for (size_t k = 0; k < std::max<size_t>(len, 1); ++k) escape(static_cast<unsigned char>(s[i + k]));
      i += std::max<size_t>(len, 1);
      continue;
    }
    out.append(s, i, len);
    i += len;
  }
  return out;
}

void note_failure() { g_failed = true; }
bool any_failure() { return g_failed; }

void note(const std::string& what) { std::cerr << "digestx: " << printable(what) << std::endl; }

void complain(const std::string& what) {
  note_failure();
  note(what);
}

}  // namespace digestx::cli
