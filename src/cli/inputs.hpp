// The inputs of a batch: the command line's files, directories (recursed for files
// whose name matches a glob) and "-" for stdin, in the order given; each directory's
// files sorted by path so that the order never depends on the file system. And where
// each input's output goes under --output-dir, for extract and render alike.
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
  // What the walk left out and says so on stderr: a symbolic link to a folder.
  std::vector<std::string> notes;
};

// Expands the arguments. Hidden files and directories (".name") inside a directory
// are skipped, as ripgrep does; a file named on the command line is taken whatever
// its name. `globs` match the file name (fnmatch, ignoring case); empty means "*.txt". A folder
// that cannot be listed is an input with its `error` set, in its place, and the walk
// goes on with the rest. A link to a folder inside a directory is not followed (a
// note says so): a link to / would walk the whole disk, a link to an ancestor for
// ever; name the folder on the command line to take it.
InputList collect_inputs(const std::vector<std::string>& args, const std::vector<std::string>& globs);

// --output-dir: each input's output file and the file of its error record, relative
// to the folder. An input whose output name (or error record name) is already another
// input's gets a conflict instead, never a file: `x.txt` and `x.error.txt` would both
// need `x.error.json`.
struct OutputPlan {
  std::vector<std::string> files;        // NAME + ending ("" for a conflicting input)
  std::vector<std::string> error_files;  // NAME.error.json, or "" (none asked, or a conflict)
  std::vector<std::string> conflicts;    // why an input has no output of its own, or ""
};
OutputPlan plan_outputs(const std::vector<Input>& inputs, const std::string& ending, bool error_records);

}  // namespace digestx::cli
