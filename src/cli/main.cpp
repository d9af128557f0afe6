// digestx command line: `digestx [extract] FILE...`, `digestx numbers [FILE|-]`.
// Data on stdout, messages on stderr; exit 0 ok, 1 nothing found, 2 error.
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "io.hpp"

namespace {

const char* kUsage = R"(digestx: Chinese work-report digests (述职报告摘登) -> JSON facts

Usage:
  digestx [extract] [OPTIONS] FILE...     extract documents (FILE "-" reads stdin)
  digestx numbers [OPTIONS] [FILE|-]      numerals and facts of each line on its own
  digestx render [OPTIONS] FILE...        an HTML page to review documents (-o FILE, --output-dir DIR)
  digestx panel [OPTIONS] INPUT...        the same organisations across yearly digests (plans against outcomes)
  digestx COMMAND --help                  options of a command

Examples:
  digestx samples/sanya-2022.txt | jq '.units[].facts[] | {text, subject, period}'
  digestx --explain --format json samples/wanning-2021.txt > wanning.json
  echo '发放慰问金39.6万元，惠及3500余名党员' | digestx numbers
)";

bool is_command(const std::string& s) { return s == "extract" || s == "numbers" || s == "render" || s == "panel"; }

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe downstream shows up as EPIPE on write, handled quietly.
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command = "extract";
  if (!args.empty() && is_command(args[0])) {
    command = args[0];
    args.erase(args.begin());
  } else if (!args.empty() && (args[0] == "help")) {
    std::cout << kUsage;
    return 0;
  }
  try {
    if (command == "numbers") return digestx::cli::run_numbers(args);
    if (command == "render") return digestx::cli::run_render(args);
    if (command == "panel") return digestx::cli::run_panel(args);
    return digestx::cli::run_extract(args, kUsage);
  } catch (const digestx::cli::BrokenPipe&) {
    return 0;
  } catch (const std::exception& e) {
    digestx::cli::complain(e.what());
    return 2;
  }
}
