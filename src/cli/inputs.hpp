// The inputs of a batch: the command line's files, directories (recursed for files
// whose name matches a glob) and "-" for stdin, in the order given; each directory's
// files sorted by path so that the order never depends on the file system.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace digestx::cli {

struct Input {
  std::string path;      // as given, or DIR/relative path for files found in a directory
  std::string out_name;  // --output-dir: the relative path its output takes, without extension
  uint64_t bytes = 0;    // size on disk when known (progress and ETA); 0 otherwise
  std::string error;     // a directory that could not be walked: the message
};

struct InputList {
  std::vector<Input> inputs;
  bool from_directory = false;  // some argument was a directory
  std::vector<std::string> skipped;  // files in directories whose name matches no glob
};

// Expands the arguments. Hidden files and directories (".name") inside a directory
// are skipped, as ripgrep does; a file named on the command line is taken whatever
// its name. `globs` match the file name (fnmatch, ignoring case); empty means "*.txt".
InputList collect_inputs(const std::vector<std::string>& args, const std::vector<std::string>& globs);

}  // namespace digestx::cli
