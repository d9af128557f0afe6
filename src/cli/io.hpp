// Reading inputs and writing outputs for the command line: stdin as "-", size
// limits, atomic -o files, quiet exit on a broken pipe.
#pragma once

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace digestx::cli {

constexpr size_t kDefaultMaxBytes = size_t(256) << 20;

// Reads a whole input ("-" = stdin). Throws digestx::InputError with codes
// not_found, is_directory, unreadable, too_large.
std::string read_input(const std::string& path, size_t max_bytes);

// The reader of stdin hit a closed pipe downstream.
struct BrokenPipe : std::runtime_error {
  BrokenPipe() : std::runtime_error("broken pipe") {}
};

// Data output: stdout, or a file written to a temporary name and renamed into place
// on commit() so that a crash never leaves half a file; a device or a FIFO
// (-o /dev/null) is written in place.
class Sink {
 public:
  explicit Sink(const std::string& path);  // "" or "-" = stdout
  ~Sink();
  void write(std::string_view data);  // throws BrokenPipe, std::runtime_error
  void commit();
  bool is_terminal() const;

 private:
  std::string path_, tmp_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
  bool in_place_ = false;  // a device or a FIFO, written as it comes
  int temp_slot_ = -1;
};

// Writes a whole file under a hidden temporary name in its folder (created if
// missing) and renames it into place: readers see the old file or the whole new
// one, never half of it. Throws std::runtime_error.
void write_file_atomically(const std::string& path, std::string_view data);

// On SIGINT, SIGTERM or SIGHUP, removes the temporary files being written, then
// dies of the signal as usual: Ctrl-C leaves neither half files nor litter.
void remove_temporaries_on_signal();

bool stderr_is_terminal();
// One line on stderr: "digestx: <what>".
void complain(const std::string& what);

}  // namespace digestx::cli
