// `digestx render FILE...`: documents as a self-contained HTML review page, on
// stdout, in one file (-o, all documents in one page) or one NAME.html per input
// (--output-dir). Files are written atomically; exit 0 facts found, 1 none, 2 error.
#include <algorithm>
#include <filesystem>
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
    // The same one line per document as extract's (decoding damage, then warnings).
    std::string note = warnings_summary(*out.doc);
    if (!note.empty() && !a.quiet) complain(path + ": " + note);  // -q: errors only, as extract
  } catch (const InputError& e) {
    complain(path + ": " + e.what());
    out.input.error_code = e.code();
    out.input.error_message = e.what();
  }
  return out;
}

struct Tally {
  size_t facts = 0;
  bool any_error = false;
};

void count(Tally& t, const Loaded& l) {
  if (l.doc) t.facts += count_facts(*l.doc);
  else t.any_error = true;
}

// NAME.html, or for part k > 0 of a page split by size NAME.part<k+1>.html, in the
// folder of `file` (an output path below --output-dir such as 2021/x.html).
std::string part_name(const std::string& file, size_t part) {
  if (part == 0) return file;
  std::string stem = file.size() > 5 ? file.substr(0, file.size() - 5) : file;  // without ".html"
  return stem + ".part" + std::to_string(part + 1) + ".html";
}

// One input's page under --output-dir; a page too big for a browser comes in parts
// of whole units: NAME.html, NAME.part2.html, … (they link each other by file name).
void write_page_parts(const RenderArgs& a, const OutputDir& dir, const std::string& file, const Document& doc,
                      Tally& t) {
  const std::string& path = doc.source.path;
  std::vector<std::string> pages = render_pages(
      doc, a.max_page_bytes, [&file](size_t k) { return fs::path(part_name(file, k)).filename().string(); });
  size_t largest = 0;
  for (const std::string& page : pages) largest = std::max(largest, page.size());
  if (largest > a.max_page_bytes) {  // one unit (or the whole text, without headings) is that big
    complain(path + ": a single unit makes a page of " + std::to_string(largest >> 20) +
             " MiB, larger than --max-page-bytes (" + std::to_string(a.max_page_bytes) +
             "), which a browser opens slowly or not at all; no page written (raise --max-page-bytes to write it)");
    t.any_error = true;
    return;
  }
  for (size_t k = 0; k < pages.size(); ++k) dir.write(part_name(file, k), pages[k]);
  if (pages.size() > 1)
    complain(path + ": the page would be larger than --max-page-bytes (" + std::to_string(a.max_page_bytes) +
             "): written in " + std::to_string(pages.size()) + " parts, " + part_name(file, 0) + " to " +
             part_name(file, pages.size() - 1));
}

// --output-dir: one page per input, named as extract names its outputs (NAME.html,
// archive/2021/x.txt -> DIR/2021/x.html). An input that fails writes no page and
// removes the page an earlier run left for it; a page that cannot be written is
// reported and the batch goes on.
void write_pages(const RenderArgs& a, const std::vector<Input>& inputs, const Rules& rules, Tally& t) {
  OutputDir dir(a.output_dir);
  OutputPlan plan = plan_outputs(inputs, ".html", false);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!plan.conflicts[i].empty()) {
      complain(inputs[i].path + ": " + plan.conflicts[i]);
      t.any_error = true;
      continue;
    }
    Loaded l = load(inputs[i].path, a, rules);
    count(t, l);
    try {
      if (!l.doc) {
        dir.remove(plan.files[i]);
        continue;
      }
      write_page_parts(a, dir, plan.files[i], *l.doc, t);
    } catch (const std::runtime_error& e) {
      complain(e.what());
      t.any_error = true;
    }
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
  std::string page = render_page(inputs, panel ? &*panel : nullptr);
  if (page.size() > a.max_page_bytes) {
    // Nothing is written: a browser would take minutes over it, or never open it.
    complain("the page would be " + std::to_string(page.size() >> 20) + " MiB, larger than --max-page-bytes (" +
             std::to_string(a.max_page_bytes) + "), which a browser opens slowly or not at all: use --output-dir DIR "
             "(one page per input, a big one split into parts of whole units) or raise --max-page-bytes");
    t.any_error = true;
    return;
  }
  Sink sink(a.output);
  sink.write(page);
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
  for (const std::string& n : list.notes) note(n);
  std::vector<Input> inputs;
  a.inputs.clear();
  bool walk_failed = false;
  for (Input& in : list.inputs) {
    if (!in.error.empty()) {
      complain(in.path + ": " + in.error);
      walk_failed = true;
      continue;
    }
    a.inputs.push_back(in.path);
    inputs.push_back(std::move(in));
  }
  if (a.inputs.empty()) {
    if (!walk_failed) complain("no input files found (directories take *.txt files, or --glob)");
    return 2;
  }

  Tally t;
  if (!a.output_dir.empty() || !a.output.empty()) remove_temporaries_on_signal();
  if (!a.output_dir.empty()) write_pages(a, inputs, *rules, t);
  else write_one_page(a, *rules, t);
  if (t.any_error || walk_failed) return 2;
  return t.facts > 0 ? 0 : 1;
}

}  // namespace digestx::cli
