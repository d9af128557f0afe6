// The subcommands of the command line; each returns the exit status.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "digestx/rules.hpp"
#include "options.hpp"

namespace digestx::cli {

// Parses the command line of `command` from the options table, answers --help and
// --version, loads the rules, then runs the command.
int run_command(const CommandSpec& command, std::vector<std::string> args);

int run_extract(Options o, std::shared_ptr<const Rules> rules);
int run_numbers(Options o, std::shared_ptr<const Rules> rules);
int run_render(Options o, std::shared_ptr<const Rules> rules);
int run_panel(Options o, std::shared_ptr<const Rules> rules);

}  // namespace digestx::cli
