#include "inputs.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <map>
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

Input unlisted(const fs::path& dir, const std::string& out_name, const std::error_code& ec) {
  Input bad;
  bad.path = dir.generic_string();
  bad.out_name = out_name;
  bad.error = "cannot be listed: " + ec.message();
  return bad;
}

// One folder's entries: matching files into `found`, folders onto `pending`.
void list_folder(const fs::path& root, const fs::path& dir, const std::vector<std::string>& globs,
                 std::vector<Input>& found, std::vector<fs::path>& pending, std::vector<std::string>& notes,
                 std::vector<std::string>& skipped) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    std::string name = p.filename().string();
    if (!name.empty() && name[0] == '.') continue;
    std::error_code type_ec;
    bool link = it->is_symlink(type_ec);
    if (it->is_directory(type_ec)) {
      if (link) notes.push_back(p.generic_string() + ": a symbolic link to a folder, not followed");
      else pending.push_back(p);
      continue;
    }
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
  if (ec) {  // whatever could be listed is kept; the folder itself reports the failure
    std::string out_name = dir == root ? root.filename().generic_string() : dir.lexically_relative(root).generic_string();
    found.push_back(unlisted(dir == root ? root : root / dir.lexically_relative(root), out_name, ec));
  }
}

// The matching files under `arg`, sorted by their path; a folder that cannot be
// listed takes its place in that order, and the others are still walked.
void walk(const std::string& arg, const std::vector<std::string>& globs, InputList& list) {
  std::vector<Input> found;
  fs::path root(arg);
  std::vector<fs::path> pending{root};
  while (!pending.empty()) {
    fs::path dir = std::move(pending.back());
    pending.pop_back();
    list_folder(root, dir, globs, found, pending, list.notes, list.skipped);
  }
  std::sort(found.begin(), found.end(), [](const Input& a, const Input& b) { return a.path < b.path; });
  list.inputs.insert(list.inputs.end(), found.begin(), found.end());
}

// A relative output path that stays inside the output folder.
bool stays_inside(const std::string& rel) {
  if (rel.empty() || rel[0] == '/') return false;
  for (const auto& part : fs::path(rel)) {
    std::string s = part.string();
    if (s.empty() || s == "." || s == "..") return false;
  }
  return rel.back() != '/';
}

}  // namespace

InputList collect_inputs(const std::vector<std::string>& args, const std::vector<std::string>& globs) {
  InputList list;
  for (const std::string& arg : args) {
    std::error_code ec;
    if (arg != "-" && fs::is_directory(arg, ec)) {
      list.from_directory = true;
      walk(arg, globs, list);
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

OutputPlan plan_outputs(const std::vector<Input>& inputs, const std::string& ending, bool error_records) {
  OutputPlan plan;
  std::map<std::string, size_t> taken;  // every name handed out, and to which input
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string& name = inputs[i].out_name;
    std::string file = name + ending, error_file = error_records ? name + ".error.json" : std::string();
    std::string conflict;
    if (name.empty() || !stays_inside(file)) {
      conflict = "has no output name of its own in the output folder";
    } else {
      for (const std::string& wanted : {file, error_file}) {
        auto it = wanted.empty() ? taken.end() : taken.find(wanted);
        if (it != taken.end() && conflict.empty())
          conflict = "its output " + wanted + " is already that of " + inputs[it->second].path;
      }
    }
    if (conflict.empty()) {
      taken.emplace(file, i);
      if (!error_file.empty()) taken.emplace(error_file, i);
    } else {
      file.clear();
      error_file.clear();
    }
    plan.files.push_back(std::move(file));
    plan.error_files.push_back(std::move(error_file));
    plan.conflicts.push_back(std::move(conflict));
  }
  return plan;
}

}  // namespace digestx::cli
