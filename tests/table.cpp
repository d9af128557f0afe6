#include "table.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "digestx/utf.hpp"

namespace digestx::test {

std::string from_hex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    if (hex[i] == ' ') {
      --i;
      continue;
    }
    out += char(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

std::string source_path(const std::string& relative) { return std::string(DIGESTX_SOURCE_DIR) + "/" + relative; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void add_lines_of_test_inputs(std::vector<std::u32string>& lines) {
  for (const char* dir : {"samples", "tests/data"}) {
    for (const auto& e : std::filesystem::directory_iterator(source_path(dir))) {
      if (e.path().extension() != ".txt") continue;
      std::u32string text = from_utf8(read_file(e.path().string()));
      for (size_t from = 0; from < text.size();) {
        size_t end = std::min(text.find(U'\n', from), text.size());
        lines.push_back(text.substr(from, end - from));
        from = end + 1;
      }
    }
  }
}

std::vector<Case> load_table(const std::string& name) {
  nlohmann::json doc = nlohmann::json::parse(read_file(source_path("tests/tables/" + name)));
  std::vector<Case> out;
  for (const auto& group : doc.at("groups")) {
    size_t i = 0;
    for (const auto& c : group.at("cases")) out.push_back({group.at("name").get<std::string>(), i++, c});
  }
  return out;
}

const Rules& rules() { return *default_rules(); }

std::string case_name(const testing::TestParamInfo<Case>& info) {
  std::string name = info.param.group + "_" + std::to_string(info.param.index);
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

}  // namespace digestx::test
