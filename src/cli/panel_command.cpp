// `digestx panel INPUT...`: the same organisations across yearly digests. Each input
// is extracted in the worker pool and at once reduced to the facts the panel needs
// (digest_for_panel); the documents themselves are dropped. Then the join.
#include <CLI/CLI.hpp>
#include <sched.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <thread>

#include "commands.hpp"
#include "digestx/panel.hpp"
#include "digestx/pipeline.hpp"
#include "digestx/render.hpp"
#include "digestx/rules.hpp"
#include "digestx/utf.hpp"
#include "inputs.hpp"
#include "io.hpp"
#include "ordered_pool.hpp"
#include "progress.hpp"
#include "records.hpp"

namespace digestx::cli {

namespace {

struct PanelArgs {
  std::vector<std::string> inputs, globs;
  std::string format = "json", input = "text", output, rules_dir, encoding;
  bool pretty = false, compact = false, explain = false, render = false, quiet = false, progress = false;
  size_t max_bytes = kDefaultMaxBytes, jobs = 0;
};

// The digests done by the workers, handed over in input order.
struct Collected {
  std::mutex lock;
  std::map<size_t, PanelDigest> waiting;
  std::vector<PanelDigest> digests;
};

struct Job {
  const PanelArgs& args;
  const Rules& rules;
  const PanelRules& panel_rules;
  std::vector<Input> inputs;
  Collected collected;
};

void keep(Job& job, size_t i, const Document& doc, Result& r) {
  r.facts = count_facts(doc);
  PanelDigest d = digest_for_panel(doc, job.panel_rules);
  std::lock_guard<std::mutex> hold(job.collected.lock);
  job.collected.waiting.emplace(i, std::move(d));
}

Result run_one(Job& job, size_t i, Task& task) {
  bool records = job.args.input == "jsonl";
  Result r;
  SourceInfo source;
  ExtractOptions eo;
  eo.decode.encoding = job.args.encoding;
  try {
    if (records) {
      source.path = task.source + ":" + std::to_string(task.line);
      if (task.too_long) throw InputError("too_large", "record is longer than --max-bytes");
      Record rec = parse_record(task.text);
      if (!rec.error_code.empty()) throw InputError(rec.error_code, rec.error_message);
      if (rec.id.size() > 2 && rec.id.front() == '"') source.path = rec.id.substr(1, rec.id.size() - 2);
      r.bytes = rec.text.size();
      keep(job, i, extract_text(from_utf8(rec.text), source, job.rules, eo), r);
    } else {
      const Input& in = job.inputs[i];
      source.path = in.path;
      if (!in.error.empty()) throw InputError("unreadable", in.error);
      std::string bytes = read_input(in.path, job.args.max_bytes);
      r.bytes = bytes.size();
      keep(job, i, extract_owned(std::move(bytes), source, job.rules, eo), r);
    }
  } catch (const std::exception& e) {
    r.error = true;
    r.message = source.path + ": " + e.what();
  }
  return r;
}

size_t cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

// Extracts every input in the pool; returns whether any failed.
bool collect(Job& job, Progress& progress) {
  bool records = job.args.input == "jsonl";
  RecordReader reader(job.args.inputs, job.args.max_bytes);
  bool any_error = false;
  PoolJob pool;
  pool.next = [&](size_t i, Task& task) { return records ? reader.next(task) : i < job.inputs.size(); };
  pool.run = [&](size_t i, Task& task) { return run_one(job, i, task); };
  pool.emit = [&](size_t i, Result& r) {
    if (r.error) {
      any_error = true;
      progress.note(r.message);
    }
    std::lock_guard<std::mutex> hold(job.collected.lock);
    auto it = job.collected.waiting.find(i);
    if (it != job.collected.waiting.end()) {
      job.collected.digests.push_back(std::move(it->second));
      job.collected.waiting.erase(it);
    }
    progress.done_one(r.bytes);
  };
  size_t jobs = job.args.jobs ? job.args.jobs : cores();
  run_ordered(pool, jobs, 4 * jobs);
  return any_error;
}

std::string format_panel(const Panel& panel, const PanelArgs& a, bool terminal) {
  std::string out;
  PanelOutputOptions o{a.pretty || (!a.compact && terminal), a.explain};
  if (a.render) out = render_panel_page(panel);
  else if (a.format == "jsonl") write_panel_jsonl(out, panel, o);
  else if (a.format == "panel-csv") write_panel_rows_csv(out, panel);
  else if (a.format == "links-csv") write_panel_links_csv(out, panel);
  else write_panel_json(out, panel, o);
  return out;
}

void declare(CLI::App& app, PanelArgs& a) {
  app.add_option("inputs", a.inputs, "Digest files and directories of several years; - reads stdin");
  app.add_option("--format", a.format, "json (one digestx-panel/1 object), jsonl (one item a line, with \"type\"), "
                 "panel-csv (one row per organisation and year), links-csv (one row per plan and outcome)")
      ->check(CLI::IsMember({"json", "jsonl", "panel-csv", "links-csv"}));
  app.add_option("--input", a.input, "text: files of digests (default); jsonl: records {\"id\", \"text\"} one a line")
      ->check(CLI::IsMember({"text", "jsonl"}));
  app.add_option("--glob", a.globs, "File names to take in directories (default *.txt); repeatable")
      ->expected(1)->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("-j,--jobs", a.jobs, "Worker threads (default: the number of cores)")->check(CLI::Range(1, 1024));
  app.add_flag("--pretty", a.pretty, "Indent the JSON whatever stdout is");
  app.add_flag("--compact", a.compact, "One line of JSON whatever stdout is");
  app.add_option("-o,--output", a.output, "Write to FILE (atomically) instead of stdout");
  app.add_flag("--render", a.render, "An HTML page of the panel (charts, plans against outcomes, secretaries)");
  app.add_flag("-q,--quiet", a.quiet, "No progress line");
  app.add_flag("--progress", a.progress, "A progress line on stderr even when it is not a terminal");
  app.add_option("--rules", a.rules_dir, "Directory of rules/*.json (panel.json too) that replace the built-in ones");
  app.add_option("--encoding", a.encoding, "Input encoding (e.g. GB18030); default: detect");
  app.add_flag("--explain", a.explain, "Name the rule behind each link, alias and secretary change");
  app.add_option("--max-bytes", a.max_bytes, "Refuse inputs (or records) larger than this many bytes (default 256 MiB)");
  app.set_version_flag("-V,--version", std::string("digestx ") + DIGESTX_VERSION);
}

}  // namespace

int run_panel(std::vector<std::string> args) {
  CLI::App app{"Follow the same organisations across yearly digests: one row per organisation and year, plans of "
               "one year against the outcomes reported for it, changes of secretary."};
  app.name("digestx panel");
  app.footer("Examples:\n  digestx panel archive/ > panel.json\n  digestx panel --format links-csv 2021.txt 2022.txt\n"
             "  digestx panel --render -o panel.html archive/\n");
  PanelArgs a;
  declare(app, a);
  std::reverse(args.begin(), args.end());
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  bool records = a.input == "jsonl";
  if (records && a.inputs.empty()) a.inputs.push_back("-");
  if (a.inputs.empty()) return complain("no input given (use - for stdin); see digestx panel --help"), 2;
  std::shared_ptr<const Rules> rules;
  PanelRules panel_rules;
  try {
    rules = a.rules_dir.empty() ? default_rules() : load_rules_dir(a.rules_dir);
    panel_rules = load_panel_rules(a.rules_dir);
  } catch (const RulesError& e) {
    return complain(std::string("rules: ") + e.what()), 2;
  }
  Job job{a, *rules, panel_rules, {}, {}};
  uint64_t total_bytes = 0;
  if (!records) {
    job.inputs = collect_inputs(a.inputs, a.globs).inputs;
    if (job.inputs.empty()) return complain("no input files found (directories take *.txt files, or --glob)"), 2;
    for (const Input& in : job.inputs) total_bytes += in.bytes;
  }
  Sink sink(a.output);
  bool show = a.progress || (!a.quiet && stderr_is_terminal() && !sink.is_terminal() && job.inputs.size() != 1);
  Progress progress(show, job.inputs.size(), total_bytes);
  bool any_error = collect(job, progress);
  progress.finish();
  Panel panel = build_panel(std::move(job.collected.digests), panel_rules);
  for (const std::string& w : panel.warnings) complain(w);
  sink.write(format_panel(panel, a, sink.is_terminal()));
  sink.commit();
  if (any_error) return 2;
  return panel.rows.empty() ? 1 : 0;
}

}  // namespace digestx::cli
