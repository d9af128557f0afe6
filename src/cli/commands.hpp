// The subcommands of the command line; each returns the exit status.
#pragma once

#include <string>
#include <vector>

namespace digestx::cli {

int run_extract(std::vector<std::string> args, const char* usage);
int run_numbers(std::vector<std::string> args);
int run_render(std::vector<std::string> args);
int run_panel(std::vector<std::string> args);

}  // namespace digestx::cli
