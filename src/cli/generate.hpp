// Texts made from the options table (src/cli/options.cpp).
#pragma once

#include <string>
#include <vector>

#include "digestx/rules.hpp"

namespace digestx::cli {

// The foot of `digestx --help`: the commands, examples, exit status, the format's doc.
std::string usage_text();
// `digestx --version`: the version and the fingerprint of the effective rules.
// `precompiled`: the built-in rules come from the snapshot made at build time (one
// usable is in this binary), not compiled at each start.
std::string version_text(const std::string& rules_fingerprint, bool precompiled);
// `digestx __generate man|bash|zsh|fish FILE` (run by the build).
int run_generate(const std::vector<std::string>& args);

}  // namespace digestx::cli
