// Reading inputs and writing outputs for the command line: stdin as "-", size
// limits, atomic output files, quiet exit on a broken pipe, messages on stderr.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "digestx/decode.hpp"

namespace digestx::cli {

constexpr size_t kDefaultMaxBytes = size_t(256) << 20;

// At start: a closed fd 0, 1 or 2 is opened on /dev/null, so that no file digestx
// opens later takes its number (with `2>&-`, the -o temporary would have been fd 2
// and an error message would have gone into the output).
void guard_standard_fds();
// Stdin was closed when digestx started: "-" is an error, not an empty input.
bool stdin_was_closed();
// Throws std::runtime_error("stdout is closed") when fd 1 was closed at start (and now
// guards /dev/null): data for stdout would be lost without a word.
void require_stdout();

// Reads a whole input ("-" = stdin). Throws digestx::InputError with codes
// not_found, is_directory, unreadable, too_large.
std::string read_input(const std::string& path, size_t max_bytes);

// An input as read: a large regular file in UTF-8 decoded as it was read, a chunk at a
// time (`decoded` set, `bytes` empty: its bytes were never held whole beside its
// text), else its bytes to decode.
struct ReadInput {
  std::string bytes;
  std::optional<Decoded> decoded;
  size_t size = 0;  // bytes read
};
ReadInput read_input_decoding(const std::string& path, size_t max_bytes, const DecodeOptions& options);

// The reader of stdin hit a closed pipe downstream.
struct BrokenPipe : std::runtime_error {
  BrokenPipe() : std::runtime_error("broken pipe") {}
};

// Data output: stdout, or FILE (-o). A regular file is written under a temporary name
// beside it (O_CREAT|O_EXCL|O_NOFOLLOW) and renamed into place on commit(), keeping
// the old file's mode; a symbolic link named by -o is followed (its target is
// replaced, the link stays), one to a missing file or a loop is refused. stdout closed at
// start (>&-) is an error. A device, a FIFO, a socket, /dev/stdout, /dev/stderr,
// /dev/fd/N or a file already open as stdout or stderr is written into in place,
// never renamed over (`-o /dev/stdout >> app.log` appends to the log).
class Sink {
 public:
  explicit Sink(const std::string& path);  // "" or "-" = stdout
  ~Sink();
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  void write(std::string_view data);  // throws BrokenPipe, std::runtime_error
  void commit();
  bool is_terminal() const;

 private:
  std::string path_;       // as given; "" for stdout
  std::string target_;     // the file replaced on commit (a symlink's target)
  std::string tmp_;        // its temporary, "" when writing in place
  std::FILE* file_ = nullptr;
  bool committed_ = false;
  int temp_slot_ = -1;
};

// --output-dir DIR: files below DIR by relative path (a/b/x.json), each written under
// a temporary name in its folder and renamed into place. DIR itself is taken as
// named (a link to a folder is fine); below it, nothing is followed: a folder that is a
// symbolic link is refused, and a symbolic link at an output's place is replaced by
// the file, never written through. A device or FIFO at an output's place is refused.
class OutputDir {
 public:
  explicit OutputDir(std::string dir);  // creates DIR if missing; throws std::runtime_error
  ~OutputDir();
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;
  void write(const std::string& rel, std::string_view data) const;  // throws std::runtime_error
  // Removes a stale output (a file or a link, never what a link points to); true if
  // there was one.
  bool remove(const std::string& rel) const;
  bool exists(const std::string& rel) const;
  std::string shown(const std::string& rel) const;  // DIR/rel, for messages

 private:
  // The folder holding `rel` (created when `create`), as an fd to close; -1 if missing.
  int open_parent(const std::string& rel, bool create, std::string& leaf) const;
  std::string dir_;
  int fd_ = -1;
};

// The hidden temporary name for a file named `leaf` in the same folder, short enough
// for any file system (255 bytes) whatever the length of `leaf`.
std::string temporary_name(const std::string& leaf);

// On SIGINT, SIGTERM or SIGHUP, removes the temporary files being written, then
// dies of the signal as usual: Ctrl-C leaves neither half files nor litter.
void remove_temporaries_on_signal();

bool stderr_is_terminal();
// One line on stderr: "digestx: <what>", made printable (see printable()). Also
// counts as a failure for the exit status after a broken pipe (see any_failure()).
void complain(const std::string& what);
// A message with no bearing on the exit status (a note).
void note(const std::string& what);
// `s` safe for a terminal: control characters (ESC, CR, LF…, C1 controls), DEL and
// bytes that are not UTF-8 become \xNN; anything else is kept.
std::string printable(std::string_view s);
// Whether a failure was reported: a closed pipe downstream after it still exits 2.
void note_failure();
bool any_failure();

}  // namespace digestx::cli
