// Per-file fields from the path (--path-fields '{region}/{year}.txt' reads
// archive/三亚市/2022.txt as region 三亚市, year 2022), and the precedence of the
// report year and region: the command line, then the path, then the text.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "digestx/pipeline.hpp"
#include "options.hpp"

namespace digestx::cli {

struct PathFields {
  std::optional<std::string> region;
  std::optional<int> year;
};

// Checks a template: its fields are {region}, {year} and {_} (any name), at least one
// of the first two. Returns the reason it is refused, empty when it is good.
std::string check_path_template(const std::string& tmpl);

// The fields of `path` by the template, matched against the path's last components;
// nullopt when the path does not match.
std::optional<PathFields> match_path(const std::string& tmpl, const std::string& path);

// Sets the year and region of `eo` for the input at `path` (option > path > text) and
// returns the warnings the document gets for them (a path that does not match the
// template, an option that overrides a different value of the path).
std::vector<Warning> give_fields(ExtractOptions& eo, const Options& o, const std::string& path);

}  // namespace digestx::cli
