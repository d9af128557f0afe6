// Every regular expression of a rules file: a string under a key ending in "regex"
// (keys starting with '_' are comments). One definition for the generators that work
// out their prefilters and their programs at build time and for the tests that check
// they covered them all.
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gen/gen_common.hpp"

namespace digestx {

inline void collect_patterns(const nlohmann::json& j, const std::string& key, std::vector<std::string>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it.key().empty() || it.key()[0] != '_') collect_patterns(*it, it.key(), out);
  } else if (j.is_array()) {
    for (const auto& e : j) collect_patterns(e, key, out);
  } else if (j.is_string() && key.size() >= 5 && key.compare(key.size() - 5, 5, "regex") == 0) {
    out.push_back(j.get<std::string>());
  }
}

namespace gen {

// The distinct patterns of the rules files `inputs`, sorted bytewise, as the generated
// tables are searched; nullopt after a complaint naming `generator` when a file is no JSON.
inline std::optional<std::set<std::string>> distinct_patterns(const std::vector<InputFile>& inputs,
                                                              const char* generator) {
  std::vector<std::string> sources;
  for (const InputFile& f : inputs) {
    try {
      collect_patterns(nlohmann::json::parse(f.text), "", sources);
    } catch (const nlohmann::json::exception& e) {
      std::fprintf(stderr, "%s: %s: %s\n", generator, f.path.c_str(), e.what());
      return std::nullopt;
    }
  }
  return std::set<std::string>(sources.begin(), sources.end());
}

}  // namespace gen

}  // namespace digestx
