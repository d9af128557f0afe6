// Checks of option values shared by the commands.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace digestx::cli {

// --max-bytes N: a whole number of bytes. "-1" is refused, not read as "no limit"
// (an unsigned parse would wrap it to 2^64 - 1).
inline CLI::Validator byte_count() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos)
          return "must be a number of bytes (0 or more), not " + s;
        return {};
      },
      "BYTES");
}

}  // namespace digestx::cli
