// `digestx render FILE...`: documents as a self-contained HTML review page, on
// stdout, in one file (-o, all documents in one page) or one NAME.html per input
// (--output-dir). Files are written atomically; exit 0 facts found, 1 none, 2 error.
#include <CLI/CLI.hpp>

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

namespace digestx::cli {

namespace {

namespace fs = std::filesystem;

struct RenderArgs {
  std::vector<std::string> inputs, globs;
  std::string output, output_dir, rules_dir, encoding;
  std::optional<int> year;
  size_t max_bytes = kDefaultMaxBytes;
  size_t max_page_bytes = kDefaultMaxPageBytes;
};

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
    eo.year = a.year;
    eo.explain = true;  // the page shows the rule behind each fact
    out.doc = extract(bytes, out.input.source, rules, eo);
  } catch (const InputError& e) {
    complain(path + ": " + e.what());
    out.input.error_code = e.code();
    out.input.error_message = e.what();
  }
  return out;
}

// NAME.html for an input: its file name without the extension; stdin is "stdin".
// Part k > 0 of a page split by size is NAME.part<k+1>.html.
std::string page_name(const std::string& path, size_t part = 0) {
  std::string stem = path == "-" ? std::string("stdin") : fs::path(path).stem().string();
  if (stem.empty()) stem = "input";
  return stem + (part > 0 ? ".part" + std::to_string(part + 1) : std::string()) + ".html";
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
    // A page too big for a browser comes in parts: NAME.html, NAME.part2.html, …
    std::vector<std::string> pages =
        render_pages(*l.doc, a.max_page_bytes, [&path](size_t k) { return page_name(path, k); });
    size_t largest = 0;
    for (const std::string& page : pages) largest = std::max(largest, page.size());
    if (largest > a.max_page_bytes) {  // one unit (or the whole text, without headings) is that big
      complain(path + ": a single unit makes a page of " + std::to_string(largest >> 20) +
               " MiB, larger than --max-page-bytes (" + std::to_string(a.max_page_bytes) +
               "), which a browser opens slowly or not at all; no page written (raise --max-page-bytes to write it)");
      t.any_error = true;
      continue;
    }
    for (size_t k = 0; k < pages.size(); ++k) {
      Sink sink((fs::path(a.output_dir) / page_name(path, k)).string());
      sink.write(pages[k]);
      sink.commit();
    }
    if (pages.size() > 1)
      complain(path + ": the page would be larger than --max-page-bytes (" + std::to_string(a.max_page_bytes) +
               "): written in " + std::to_string(pages.size()) + " parts, " + page_name(path, 0) + " to " +
               page_name(path, pages.size() - 1));
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

int run_render(std::vector<std::string> args) {
  CLI::App app{"Render documents as a self-contained HTML review page: summary, source text with the facts "
               "highlighted, filters and a table of all facts."};
  app.name("digestx render");
  app.footer(
      "Examples:\n  digestx render samples/sanya-2022.txt -o sanya.html\n"
      "  digestx render --output-dir pages/ samples/*.txt\n");
  RenderArgs a;
  app.add_option("inputs", a.inputs, "Digest files and directories; - reads stdin")->required();
  app.add_option("--glob", a.globs, "File names to take in directories (default *.txt); repeatable")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  auto* output = app.add_option("-o,--output", a.output, "Write one page holding every document to FILE (atomically)");
  app.add_option("--output-dir", a.output_dir, "Write one NAME.html per input into DIR (atomically)")->excludes(output);
  app.add_option("--rules", a.rules_dir, "Directory of rules/*.json that replace the built-in ones of the same name");
  app.add_option("--year", a.year, "Report year, when the digest does not state it (overrides the text)")
      ->check(CLI::Range(1900, 2100));
  app.add_option("--encoding", a.encoding, "Input encoding (e.g. GB18030); default: detect");
  app.add_option("--max-bytes", a.max_bytes, "Refuse inputs larger than this many bytes (default 256 MiB)");
  app.add_option("--max-page-bytes", a.max_page_bytes,
                 "Largest page written (default 16 MiB): with --output-dir a bigger page is split into parts "
                 "of whole units, otherwise refused")
      ->check(CLI::PositiveNumber);
  app.set_version_flag("-V,--version", std::string("digestx ") + DIGESTX_VERSION);
  std::reverse(args.begin(), args.end());
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
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

  std::shared_ptr<const Rules> rules;
  try {
    rules = a.rules_dir.empty() ? default_rules() : load_rules_dir(a.rules_dir);
    load_panel_rules(a.rules_dir);  // a broken panel.json fails here, before any work
  } catch (const RulesError& e) {
    complain(std::string("rules: ") + e.what());
    return 2;
  }

  Tally t;
  if (!a.output_dir.empty()) write_pages(a, *rules, t);
  else write_one_page(a, *rules, t);
  if (t.any_error || walk_failed) return 2;
  return t.facts > 0 ? 0 : 1;
}

}  // namespace digestx::cli
