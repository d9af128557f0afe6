// Test tables: tests/tables/<stage>.json holds {"groups": [{"name", "cases": [...]}]};
// each case becomes one parameterised GoogleTest named after its group and index.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "digestx/rules.hpp"

namespace digestx::test {

struct Case {
  std::string group;
  size_t index = 0;
  nlohmann::json data;
};

std::vector<Case> load_table(const std::string& name);
std::string source_path(const std::string& relative);
std::string read_file(const std::string& path);
// Bytes written as hex digits in a table ("E5 8E", "FF31"): what no JSON string holds.
std::string from_hex(const std::string& hex);
// Every line of the .txt files of the samples and test digests, appended to `lines`: the
// inputs on which a shortcut (gates, word-start tables) is checked against the full search.
void add_lines_of_test_inputs(std::vector<std::u32string>& lines);
const Rules& rules();

// gtest names: letters, digits and underscores only.
std::string case_name(const testing::TestParamInfo<Case>& info);

// How gtest shows a case: its group, index and data.
inline void PrintTo(const Case& c, std::ostream* os) { *os << c.group << "[" << c.index << "] " << c.data.dump(); }

}  // namespace digestx::test
