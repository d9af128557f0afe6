#include "harness.hpp"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "../src/cli/inputs.hpp"
#include "../src/cli/io.hpp"
#include "../src/cli/records.hpp"

namespace digestx::fuzz {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void broken(const std::string& what) {
  std::fprintf(stderr, "digestx fuzz: broken promise: %s\n", what.c_str());
  std::abort();
}

void expect(bool ok, const std::string& what) {
  if (!ok) broken(what);
}

// A fresh folder for one run, removed with everything in it at the end.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "digestx-fuzz-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) broken("cannot make a scratch folder");
    path = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

// The input's lines as LineReader must give them: split on \n, a last line without
// \n kept, one \r before the end dropped.
std::vector<std::string> lines_of(std::string_view data) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < data.size()) {
    size_t nl = data.find('\n', start);
    size_t end = nl == std::string_view::npos ? data.size() : nl;
    std::string line(data.substr(start, end - start));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

// parse_record against a whole-tree parse of the same line.
void check_record(const std::string& line) {
  cli::Record r = cli::parse_record(line);
  std::string_view body = line;
  if (body.compare(0, 3, "\xEF\xBB\xBF") == 0) body.remove_prefix(3);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(body.begin(), body.end());
  } catch (const nlohmann::json::exception&) {
    expect(r.error_code == "bad_record", "a line that is not JSON was taken as a record: " + line);
    return;
  }
  bool duplicate = r.error_message.find("has two members") != std::string::npos;
  if (!j.is_object()) {
    expect(r.error_code == "bad_record" && !duplicate, "a JSON value other than an object was taken: " + line);
    return;
  }
  if (duplicate) return;  // a tree keeps one of two equal keys: nothing to compare
  auto text = j.find("text");
  bool usable = text != j.end() && text->is_string();
  expect(usable == r.error_code.empty(), "record refused or taken against the JSON: " + line);
  if (usable) expect(r.text == text->get<std::string>(), "record text differs from the JSON's: " + line);
  auto id = j.find("id");
  expect((id == j.end()) == r.id.empty(), "record id found or missed against the JSON: " + line);
  if (id != j.end()) expect(nlohmann::json::parse(r.id) == *id, "record id differs from the JSON's: " + line);
}

}  // namespace

void run_records(std::string_view bytes) {
  if (bytes.empty()) return;
  size_t max_bytes = 1 + 4 * size_t(static_cast<unsigned char>(bytes[0]));
  std::string_view data = bytes.substr(1);
  int fd = ::memfd_create("records", 0);
  if (fd < 0) broken("memfd_create failed");
  for (std::string_view rest = data; !rest.empty();) {
    ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n <= 0) broken("cannot write the memfd");
    rest.remove_prefix(size_t(n));
  }
  ::lseek(fd, 0, SEEK_SET);
  std::vector<std::string> want = lines_of(data);
  cli::LineReader reader(fd, max_bytes);
  size_t i = 0;
  while (std::optional<cli::Line> line = reader.next()) {
    expect(i < want.size(), "more lines than the input has");
    const std::string& w = want[i];
    expect(line->too_long == (w.size() > max_bytes), "line " + std::to_string(i) + " too_long wrongly set");
    expect(!line->unended, "a line of a small input unended");
    expect(line->bytes == w.size(), "line " + std::to_string(i) + " counted " + std::to_string(line->bytes) +
                                        " bytes, not " + std::to_string(w.size()));
    if (!line->too_long) {
      expect(line->text == w, "line " + std::to_string(i) + " differs from the input's");
      check_record(line->text);
    }
    ++i;
  }
  expect(i == want.size(), "fewer lines than the input has");
  ::close(fd);
}

namespace {

// One step of a walk script: what the byte asks to create, named by the next bytes.
void build_step(const fs::path& root, std::vector<fs::path>& stack, unsigned char op, std::string name) {
  std::error_code ec;
  fs::path here = stack.back();
  switch (op % 8) {
    case 0: case 1: {  // a file; .txt for most
      std::FILE* f = std::fopen((here / (name + (op % 16 < 12 ? ".txt" : ".md"))).c_str(), "wb");
      if (f) std::fclose(f);
      break;
    }
    case 2:  // a hidden file
      if (std::FILE* f = std::fopen((here / ("." + name + ".txt")).c_str(), "wb")) std::fclose(f);
      break;
    case 3:  // a folder, entered
      if (fs::create_directory(here / name, ec) || fs::is_directory(here / name, ec)) stack.push_back(here / name);
      break;
    case 4:  // back up
      if (stack.size() > 1) stack.pop_back();
      break;
    case 5:  // a link to the root (a loop) or to the folder above
      fs::create_directory_symlink(op & 8 ? root : here.parent_path(), here / name, ec);
      break;
    case 6:  // a link to a file of the tree, named .txt
      fs::create_symlink(root / "target.txt", here / (name + ".txt"), ec);
      break;
    default:  // a hidden folder, entered
      if (fs::create_directory(here / ("." + name), ec)) stack.push_back(here / ("." + name));
      break;
  }
}

// No part of `p` below `root` is a link to a folder; none is hidden.
void expect_plain_path(const fs::path& root, const fs::path& p) {
  fs::path at = root;
  for (const auto& part : p.lexically_relative(root)) {
    at /= part;
    std::string s = part.string();
    expect(!s.empty() && s[0] != '.', "a hidden or odd part in " + p.string());
    std::error_code ec;
    if (at != p) expect(!fs::is_symlink(at, ec), "the walk went through the link " + at.string());
  }
}

}  // namespace

void run_walk(std::string_view bytes) {
  ScratchDir scratch;
  fs::path root = scratch.path / "in";
  fs::create_directory(root);
  if (std::FILE* f = std::fopen((root / "target.txt").c_str(), "wb")) std::fclose(f);
  std::vector<fs::path> stack{root};
  for (size_t i = 0; i + 1 < bytes.size() && i < 400;) {
    auto op = static_cast<unsigned char>(bytes[i++]);
    size_t len = 1 + static_cast<unsigned char>(bytes[i++]) % 6;
    std::string name;
    for (; name.size() < len && i < bytes.size(); ++i) {
      char c = bytes[i];
      name += (c == '/' || c == '\0' || c == '.') ? 'x' : c;
    }
    if (!name.empty()) build_step(root, stack, op, name);
  }
  cli::InputList list = cli::collect_inputs({root.string()}, {});
  std::set<std::string> seen;
  for (size_t k = 0; k < list.inputs.size(); ++k) {
    const cli::Input& in = list.inputs[k];
    expect(in.error.empty(), in.path + ": " + in.error);
    fs::path p(in.path);
    expect(seen.insert(in.path).second, "listed twice: " + in.path);
    expect(k == 0 || list.inputs[k - 1].path < in.path, "not in path order: " + in.path);
    std::error_code ec;
    expect(fs::is_regular_file(p, ec) && p.extension() == ".txt", "not a *.txt file: " + in.path);
    expect_plain_path(root, p);
    fs::path rel = p.lexically_relative(root);
    expect(in.out_name == (rel.parent_path() / rel.stem()).generic_string(), "out_name " + in.out_name);
  }
  cli::OutputPlan plan = cli::plan_outputs(list.inputs, ".json", true);
  for (const std::string& c : plan.conflicts) expect(c.empty(), "a walk gave two inputs one name: " + c);
}

void run_outputs(std::string_view bytes) {
  if (bytes.empty()) return;
  auto mode = static_cast<unsigned char>(bytes[0]);
  const char* endings[] = {".json", ".facts.csv", ".html", ""};
  std::string ending = endings[mode % 4];
  bool error_records = mode & 4;
  std::vector<cli::Input> inputs;
  std::string data(bytes.substr(1));
  std::replace(data.begin(), data.end(), '\0', 'x');
  for (const std::string& name : lines_of(data + "\n")) {
    cli::Input in;
    in.path = "input" + std::to_string(inputs.size());
    in.out_name = name;
    inputs.push_back(std::move(in));
  }
  cli::OutputPlan plan = cli::plan_outputs(inputs, ending, error_records);
  expect(plan.files.size() == inputs.size() && plan.conflicts.size() == inputs.size(), "a plan of another size");
  std::set<std::string> given;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!plan.conflicts[i].empty()) {
      expect(plan.files[i].empty() && plan.error_files[i].empty(), "a conflicting input with a name");
      continue;
    }
    expect(plan.files[i] == inputs[i].out_name + ending, "file name " + plan.files[i]);
    expect(error_records == !plan.error_files[i].empty(), "error record name set or missing");
    for (const std::string& name : {plan.files[i], plan.error_files[i]}) {
      if (name.empty()) continue;
      expect(given.insert(name).second, "one name for two inputs: " + name);
      expect(name[0] != '/', "an absolute name: " + name);
      for (const auto& part : fs::path(name)) {
        std::string s = part.string();
        expect(!s.empty() && s != "." && s != "..", "a name out of the folder: " + name);
        expect(cli::temporary_name(s).size() <= 255, "a temporary name over 255 bytes for " + s);
      }
    }
  }
  ScratchDir scratch;
  cli::OutputDir dir((scratch.path / "out").string());
  for (size_t i = 0, written = 0; i < inputs.size() && written < 8; ++i) {
    if (!plan.conflicts[i].empty()) continue;
    ++written;
    try {
      dir.write(plan.files[i], "x");
    } catch (const std::runtime_error&) {
      // A name too long for the file system, or a file where a folder is wanted.
    }
  }
  for (const auto& e : fs::recursive_directory_iterator(scratch.path)) {
    fs::path rel = e.path().lexically_relative(scratch.path / "out");
    expect(!rel.empty() && *rel.begin() != "..", "a file written outside the folder: " + e.path().string());
  }
}

}  // namespace digestx::fuzz
