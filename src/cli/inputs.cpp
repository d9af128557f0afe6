#include "inputs.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace digestx::cli {

namespace fs = std::filesystem;

namespace {

// Case-insensitive, so that *.txt takes SANYA.TXT as archives from Windows name it.
bool matches(const std::string& name, const std::vector<std::string>& globs) {
  if (globs.empty()) return ::fnmatch("*.txt", name.c_str(), FNM_CASEFOLD) == 0;
  return std::any_of(globs.begin(), globs.end(),
                     [&](const std::string& g) { return ::fnmatch(g.c_str(), name.c_str(), FNM_CASEFOLD) == 0; });
}

// NAME without its last extension: "a/b.txt" -> "a/b".
std::string without_extension(const fs::path& p) { return (p.parent_path() / p.stem()).generic_string(); }

uint64_t size_of(const fs::path& p) {
  std::error_code ec;
  auto n = fs::file_size(p, ec);
  return ec ? 0 : uint64_t(n);
}

// The matching files under `dir`, sorted by their path relative to it.
void walk(const std::string& arg, const std::vector<std::string>& globs, std::vector<Input>& out,
          std::vector<std::string>& skipped) {
  std::vector<Input> found;
  std::error_code ec;
  fs::path root(arg);
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    std::string name = p.filename().string();
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) continue;
    if (!matches(name, globs)) {
      skipped.push_back(p.generic_string());
      continue;
    }
    fs::path rel = p.lexically_relative(root);
    Input in;
    in.path = (root / rel).generic_string();
    in.out_name = without_extension(rel);
    in.bytes = size_of(p);
    found.push_back(std::move(in));
  }
  std::sort(found.begin(), found.end(), [](const Input& a, const Input& b) { return a.path < b.path; });
  out.insert(out.end(), found.begin(), found.end());
  if (ec) {
    // Whatever could be listed is kept; the directory itself reports the failure.
    Input bad;
    bad.path = arg;
    bad.out_name = fs::path(arg).filename().generic_string();
    bad.error = "cannot be listed: " + ec.message();
    out.push_back(std::move(bad));
  }
}

}  // namespace

InputList collect_inputs(const std::vector<std::string>& args, const std::vector<std::string>& globs) {
  InputList list;
  for (const std::string& arg : args) {
    std::error_code ec;
    if (arg != "-" && fs::is_directory(arg, ec)) {
      list.from_directory = true;
      walk(arg, globs, list.inputs, list.skipped);
      continue;
    }
    Input in;
    in.path = arg;
    in.out_name = arg == "-" ? "stdin" : without_extension(fs::path(arg).filename());
    in.bytes = arg == "-" ? 0 : size_of(arg);
    list.inputs.push_back(std::move(in));
  }
  return list;
}

}  // namespace digestx::cli
