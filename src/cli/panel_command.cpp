// `digestx panel INPUT...`: the same organisations across yearly digests. Each input
// is extracted in the worker pool and at once reduced to the facts the panel needs
// (digest_for_panel); the documents themselves are dropped. Then the join.
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
#include "color.hpp"
#include "io.hpp"
#include "path_fields.hpp"
#include "ordered_pool.hpp"
#include "progress.hpp"
#include "records.hpp"

namespace digestx::cli {

namespace {

using PanelArgs = Options;

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
  eo.year = job.args.year;
  eo.region = job.args.region;
  try {
    if (records) {
      source.path = task.source + ":" + std::to_string(task.line);
      if (task.line == 0) source.path = task.source;  // the whole input failed
      if (!task.error_code.empty()) throw InputError(task.error_code, task.error_message);
      Record rec = parse_record(task.text);
      if (!rec.error_code.empty()) throw InputError(rec.error_code, rec.error_message);
      if (rec.id.size() > 2 && rec.id.front() == '"') source.path = rec.id.substr(1, rec.id.size() - 2);
      r.bytes = rec.text.size();
      keep(job, i, extract_text(from_utf8(rec.text), source, job.rules, eo), r);
    } else {
      const Input& in = job.inputs[i];
      source.path = in.path;
      if (!in.error.empty()) throw InputError("unreadable", in.error);
      give_fields(eo, job.args, in.path);  // --year, --region, --path-fields
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
  pool.next = [&](size_t i, Task& task) { return records ? next_task(reader, task) : i < job.inputs.size(); };
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

}  // namespace

int run_panel(Options a, std::shared_ptr<const Rules> rules) {
  bool records = a.input == "jsonl";
  if (records && a.inputs.empty()) a.inputs.push_back("-");
  if (a.path_fields && !check_path_template(*a.path_fields).empty()) {
    complain("--path-fields " + *a.path_fields + ": " + check_path_template(*a.path_fields));
    return 2;
  }
  PanelRules panel_rules;
  try {
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
  if (!a.quiet)  // -q: no warning lines (errors still), as in extract
    for (const std::string& w : panel.warnings) complain(w);
  std::string out = format_panel(panel, a, sink.is_terminal());
  bool json = !a.render && (a.format == "json" || a.format == "jsonl");
  if (json && use_color(a.color, sink.is_terminal())) out = JsonColor().paint(out);
  sink.write(out);
  sink.commit();
  if (any_error) return 2;
  return panel.rows.empty() ? 1 : 0;
}

}  // namespace digestx::cli
