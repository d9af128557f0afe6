// Every regular expression of a rules file: a string under a key ending in "regex"
// (keys starting with '_' are comments). One definition for the generator that works out
// their prefilters at build time and for the test that checks it covered them all.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

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

}  // namespace digestx
