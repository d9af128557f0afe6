// digestx command line: `digestx [extract] FILE...`, `digestx numbers [FILE|-]`,
// `digestx render FILE...`. Data on stdout, messages on stderr; exit 0 ok, 1 nothing
// found, 2 error. The options of every command are in one table (options.cpp).
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "generate.hpp"
#include "io.hpp"
#include "options.hpp"
#include "rules_snapshot.hpp"

int main(int argc, char** argv) {
  using namespace digestx::cli;
  // A closed pipe downstream shows up as EPIPE on write, handled quietly.
  std::signal(SIGPIPE, SIG_IGN);
  digestx::cli::guard_standard_fds();
  std::vector<std::string> args(argv + 1, argv + argc);
  const CommandSpec* command = find_command("extract");
  if (!args.empty() && find_command(args[0])) {
    command = find_command(args[0]);
    args.erase(args.begin());
  } else if (!args.empty() && args[0] == "help") {
    std::cout << "digestx: Chinese work-report digests (述职报告摘登) -> JSON facts\n\n" << usage_text();
    return 0;
  }
  try {
    if (!args.empty() && args[0] == "__generate") return run_generate({args.begin() + 1, args.end()});
    // The build's (cmake/embed_rules_snapshot.cmake): the compiled rules dumped.
    if (args.size() == 3 && args[0] == "__rules-snapshot") return write_rules_snapshot(args[1], args[2]);
    digestx::set_built_in_rules_source(rules_from_snapshot);
    return run_command(*command, args);
  } catch (const BrokenPipe&) {
    // Quiet, but an input that failed before the reader went away still counts.
    return any_failure() ? 2 : 0;
  } catch (const std::exception& e) {
    complain(e.what());
    return 2;
  }
}
