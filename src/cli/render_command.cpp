// `digestx render FILE...`: documents as a self-contained HTML review page, on
// stdout, in one file (-o, all documents in one page) or one NAME.html per input
// (--output-dir). Files are written atomically; exit 0 facts found, 1 none, 2 error.
#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "commands.hpp"
#include "digestx/panel.hpp"
#include "digestx/pipeline.hpp"
#include "digestx/render.hpp"
#include "digestx/rules.hpp"
#include "inputs.hpp"
#include "io.hpp"
#include "path_fields.hpp"
#include "summary.hpp"

namespace digestx::cli {

namespace {

namespace fs = std::filesystem;

using RenderArgs = Options;

// One input, read and extracted, or the reason it could not be.
struct Loaded {
  std::optional<Document> doc;
  RenderInput input;
};

Loaded load(const std::string& path, const RenderArgs& a, const Rules& rules) {
  Loaded out;
  out.input.source.path = path;
  try {
    std::string bytes = read_input(path, a.max_bytes);
    out.input.source.bytes = bytes.size();
    ExtractOptions eo;
    eo.decode.encoding = a.encoding;
    std::vector<Warning> notes = give_fields(eo, a, path);
    eo.explain = true;  // the page shows the rule behind each fact
    out.doc = extract(bytes, out.input.source, rules, eo);
    out.doc->warnings.insert(out.doc->warnings.end(), notes.begin(), notes.end());
    std::string note = decoding_note(*out.doc, !a.encoding.empty());
    if (!note.empty()) complain(note);
  } catch (const InputError& e) {
    complain(path + ": " + e.what());
    out.input.error_code = e.code();
    out.input.error_message = e.what();
  }
  return out;
}

// NAME.html for an input: its file name without the extension; stdin is "stdin".
std::string page_name(const std::string& path) {
  if (path == "-") return "stdin.html";
  std::string stem = fs::path(path).stem().string();
  return (stem.empty() ? std::string("input") : stem) + ".html";
}

// Two inputs with the same name would overwrite each other's page: refuse up front.
std::optional<std::string> name_clash(const std::vector<std::string>& inputs) {
  std::map<std::string, std::string> seen;
  for (const auto& path : inputs) {
    auto [it, fresh] = seen.emplace(page_name(path), path);
    if (!fresh) return it->second + " and " + path + " would both be written to " + it->first;
  }
  return std::nullopt;
}

struct Tally {
  size_t facts = 0;
  bool any_error = false;
};

void count(Tally& t, const Loaded& l) {
  if (l.doc) t.facts += count_facts(*l.doc);
  else t.any_error = true;
}

// --output-dir: one page per input; a failed input writes nothing.
void write_pages(const RenderArgs& a, const Rules& rules, Tally& t) {
  fs::create_directories(a.output_dir);
  for (const auto& path : a.inputs) {
    Loaded l = load(path, a, rules);
    count(t, l);
    if (!l.doc) continue;
    Sink sink((fs::path(a.output_dir) / page_name(path)).string());
    sink.write(render_page(*l.doc));
    sink.commit();
  }
}

// Documents of several report years: the page opens with their panel.
std::optional<Panel> panel_of(const std::vector<Loaded>& loaded, const RenderArgs& a) {
  std::set<int> years;
  for (const auto& l : loaded)
    if (l.doc && l.doc->report_year) years.insert(*l.doc->report_year);
  if (years.size() < 2) return std::nullopt;
  PanelRules rules = load_panel_rules(a.rules_dir);
  std::vector<PanelDigest> digests;
  for (const auto& l : loaded)
    if (l.doc) digests.push_back(digest_for_panel(*l.doc, rules));
  return build_panel(std::move(digests), rules);
}

// One page for all inputs. A single input that fails writes nothing, as extract does;
// among several, it gets a section that says why.
void write_one_page(const RenderArgs& a, const Rules& rules, Tally& t) {
  std::vector<Loaded> loaded;
  for (const auto& path : a.inputs) {
    loaded.push_back(load(path, a, rules));
    count(t, loaded.back());
  }
  if (loaded.size() == 1 && !loaded[0].doc) return;
  std::vector<RenderInput> inputs;
  for (auto& l : loaded) {
    if (l.doc) l.input.doc = &*l.doc;
    inputs.push_back(l.input);
  }
  std::optional<Panel> panel = panel_of(loaded, a);
  Sink sink(a.output);
  sink.write(render_page(inputs, panel ? &*panel : nullptr));
  sink.commit();
}

}  // namespace

int run_render(Options a, std::shared_ptr<const Rules> rules) {
  if (!a.output_dir.empty() && !a.output.empty()) {
    complain("--output-dir and -o exclude each other");
    return 2;
  }
  if (a.path_fields && !check_path_template(*a.path_fields).empty()) {
    complain("--path-fields " + *a.path_fields + ": " + check_path_template(*a.path_fields));
    return 2;
  }
  // Directories stand for their files, as for extract.
  InputList list = collect_inputs(a.inputs, a.globs);
  a.inputs.clear();
  bool walk_failed = false;
  for (const Input& in : list.inputs) {
    if (!in.error.empty()) {
      complain(in.path + ": " + in.error);
      walk_failed = true;
      continue;
    }
    a.inputs.push_back(in.path);
  }
  if (a.inputs.empty()) {
    if (!walk_failed) complain("no input files found (directories take *.txt files, or --glob)");
    return 2;
  }
  if (!a.output_dir.empty()) {
    if (auto clash = name_clash(a.inputs)) {
      complain("--output-dir: " + *clash);
      return 2;
    }
  }

  Tally t;
  if (!a.output_dir.empty()) write_pages(a, *rules, t);
  else write_one_page(a, *rules, t);
  if (t.any_error || walk_failed) return 2;
  return t.facts > 0 ? 0 : 1;
}

}  // namespace digestx::cli
