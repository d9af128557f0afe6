// The one table of the command line's options, shared by the subcommands: each
// option is declared once (names, value, help, the commands that take it, the values
// completions offer); --help, the man page and the bash/zsh/fish completions are all
// made from it (src/cli/generate.cpp). A new subcommand (panel) adds a row to
// command_table(), its bit to the options it takes (kPanel is already on those a
// panel shares: --rules, --year, --glob, -o, --color...), rows for its own options,
// and a case to run_command's switch (commands.cpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "io.hpp"

// Only options.cpp and commands.cpp include CLI11: each file that includes it builds
// CLI11's validators at start (4.5 K instructions a file, before main).
namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace digestx::cli {

enum Command : unsigned { kExtract = 1, kNumbers = 2, kRender = 4, kPanel = 8 };

// The parsed command line: one field per option of the table, whatever the command.
struct Options {
  std::vector<std::string> inputs;
  std::string format = "json", input = "text";
  std::vector<std::string> globs;
  std::string output, output_dir, rules_dir, encoding, color = "auto";
  std::optional<int> year;
  std::optional<std::string> region, path_fields;
  size_t max_bytes = kDefaultMaxBytes;
  size_t max_page_bytes = size_t(16) << 20;  // render: kDefaultMaxPageBytes of render.hpp
  size_t jobs = 0;  // 0: the number of cores
  bool pretty = false, compact = false, explain = false, summary = false;
  bool skip_existing = false, quiet = false, progress = false, version = false;
  bool csv_raw = false;
  bool strict = false;   // any warning makes the document an error record (exit 2)  // tables: cells a spreadsheet would run as formulas left as they are
  bool render = false;  // panel: an HTML page rather than data
  bool format_given = false;
};

struct OptionSpec {
  const char* names;  // as CLI11 takes them: "-j,--jobs"
  const char* value;  // the placeholder of its value ("N"); nullptr for a flag
  const char* help;
  unsigned commands;  // Command bits
  const char* group;  // heading in --help and the man page
  std::vector<std::string> choices;  // the values it takes (checked, and offered by completions)
  const char* complete;  // what completions offer for the value: "file", "dir" or nullptr
  CLI::Option* (*bind)(CLI::App& app, const OptionSpec& spec, Options& o);
};

struct CommandSpec {
  const char* name;
  Command id;
  const char* summary;     // one line
  const char* positional;  // "FILE..." etc.
  const char* positional_help;
};

const std::vector<OptionSpec>& option_table();
const std::vector<CommandSpec>& command_table();
const CommandSpec* find_command(const std::string& name);

// Whether the command line `args` asks for help (-h, --help, or h in a cluster of
// short flags such as -qh) before any "--".
bool asks_for_help(const std::vector<std::string>& args);

// Declares on `app` the positional arguments and the options of `command` that `args`
// names (all of them when it asks for help, which lists them): an option the command
// line does not name keeps the default of its Options field either way, and CLI11's
// parse of `args` only looks up the names written in it. Declaring every option was
// 0.41 M of the 2.7 M instructions of a run on a one-line file: CLI11 checks each
// new option's names against all the ones declared before it.
void declare_options(CLI::App& app, const CommandSpec& command, Options& o, const std::vector<std::string>& args);

// Parses `args` (in order); on a bad command line prints one "digestx: ..." line (with
// "did you mean --format?" for a mistyped option) and returns the exit status to end
// with (0 after --help, 2 after an error); nullopt when the command should run.
std::optional<int> parse_command_line(CLI::App& app, const CommandSpec& command, std::vector<std::string> args);

// "256MiB", "1M", "1.5G", "100000" -> bytes. Throws std::invalid_argument with the reason.
size_t parse_size(const std::string& text);

// The long and short names ("--format", "-j") the command takes, --help included.
std::vector<std::string> option_names(Command command);
// The closest of `names` to `given` (edit distance at most 2, or a third of its
// length), empty when none is close.
std::string closest_name(const std::string& given, const std::vector<std::string>& names);

// The lines of --help and the man page that no option holds.
extern const char* const kExamples;     // one example a line: "COMMAND\tWHAT IT DOES"
extern const char* const kExitStatus;   // "0\tmeaning" a line
extern const char* const kFormatDoc;    // where the format is described

}  // namespace digestx::cli
