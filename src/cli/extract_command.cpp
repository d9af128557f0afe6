// `digestx [extract]`: documents of one or many inputs (files, directories, stdin, or
// JSON-lines records), in parallel, written in input order in the chosen format.
#include <CLI/CLI.hpp>
#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "commands.hpp"
#include "digestx/output.hpp"
#include "digestx/pipeline.hpp"
#include "digestx/rules.hpp"
#include "digestx/utf.hpp"
#include "formats.hpp"
#include "inputs.hpp"
#include "io.hpp"
#include "ordered_pool.hpp"
#include "progress.hpp"
#include "records.hpp"

namespace digestx::cli {

namespace {

struct ExtractArgs {
  std::vector<std::string> inputs;
  std::string format = "json", input = "text";
  bool pretty = false, compact = false, explain = false;
  std::string output, output_dir, rules_dir, encoding;
  std::vector<std::string> globs;
  std::optional<int> year;
  size_t max_bytes = kDefaultMaxBytes;
  size_t jobs = 0;  // 0: the number of cores
  bool skip_existing = false, quiet = false, progress = false;
};

// Everything a worker needs, shared read-only.
struct Batch {
  ExtractArgs args;
  std::shared_ptr<const Rules> rules;
  ExtractOptions extract;
  Framing framing;
  std::vector<Input> inputs;         // files mode
  std::vector<std::string> targets;  // --output-dir: each input's output file
  std::vector<std::string> conflicts;  // --output-dir: why an input has no target of its own
};

// Inputs from this size on are formatted by the writer, streaming, not by the worker.
constexpr size_t kDeferBytes = size_t(4) << 20;

size_t cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

Result failed(const Batch& b, const SourceInfo& source, const std::string& id, const std::string& code,
              const std::string& message, const std::string& where) {
  Result r;
  r.error = true;
  r.message = where + ": " + message;
  r.output = format_error(source, id, code, message, b.framing);
  return r;
}

// --output-dir: the document (or the error record) goes to its own file; nothing
// to stdout. A stale error record of an earlier run goes once the input succeeds.
void write_target(const Batch& b, size_t i, Result& r) {
  const std::string& target = b.targets[i];
  std::string error_file = target.substr(0, target.size() - std::strlen(file_ending(b.framing.format))) + ".error.json";
  if (r.error) {
    if (!b.conflicts[i].empty()) return;  // the file is another input's
    write_file_atomically(error_file, r.output);
  } else {
    write_file_atomically(target, r.output);
    std::error_code ec;
    std::filesystem::remove(error_file, ec);
  }
  r.output.clear();
}

Result run_file(const Batch& b, size_t i) {
  const Input& in = b.inputs[i];
  SourceInfo source;
  source.path = in.path;
  bool to_dir = !b.args.output_dir.empty();
  Framing one = b.framing;
  if (to_dir) one.several = false;
  Result r;
  r.bytes = in.bytes;
  if (to_dir && !b.conflicts[i].empty()) {
    r.error = true;
    r.message = in.path + ": " + b.conflicts[i];
    return r;
  }
  if (to_dir && b.args.skip_existing && std::filesystem::exists(b.targets[i])) {
    r.skipped = true;
    return r;
  }
  std::string code, message;
  try {
    if (!in.error.empty()) throw InputError("unreadable", in.error);
    std::string bytes = read_input(in.path, b.args.max_bytes);
    r.bytes = bytes.size();
    bool large = bytes.size() >= kDeferBytes;
    ExtractOptions options = b.extract;
    if (large) options.threads = b.args.jobs ? b.args.jobs : cores();  // one large file: its units in parallel
    Document doc = extract_owned(std::move(bytes), source, *b.rules, options);
    r.facts = count_facts(doc);
    if (large && !to_dir) r.deferred = std::make_shared<const Document>(std::move(doc));
    else r.output = to_dir ? format_file(doc, one) : format_document(doc, one);
  } catch (const InputError& e) {
    code = e.code();
    message = e.what();
  } catch (const std::exception& e) {
    // A fault of digestx on this input, not of the input: it still must not
    // take the rest of the batch down with it.
    code = "internal_error";
    message = std::string("digestx failed on it: ") + e.what();
  }
  if (!code.empty()) {
    Result bad = failed(b, source, "", code, message, in.path);
    bad.bytes = r.bytes;
    if (to_dir) {
      // The error file holds the error record, whatever the format of the outputs.
      bad.output.clear();
      write_error(bad.output, source, code, message, OutputOptions{b.framing.json.pretty, false});
      bad.output += '\n';
    }
    r = std::move(bad);
  }
  if (to_dir) {
    try {
      write_target(b, i, r);
    } catch (const std::exception& e) {  // this output cannot be written; the others may
      r.error = true;
      r.message = e.what();
      r.output.clear();
    }
  }
  return r;
}

bool is_blank(const std::u32string& text) {
  return std::all_of(text.begin(), text.end(), [](char32_t c) { return is_space(c) || is_line_break(c); });
}

// One record of records mode: its text is already decoded, and spans index it.
Result run_record(const Batch& b, Task& task) {
  std::string where = task.source + ":" + std::to_string(task.line);
  SourceInfo source;
  source.path = task.source;
  source.encoding = "UTF-8";
  if (task.too_long)
    return failed(b, source, "", "too_large",
                  "record is longer than --max-bytes (" + std::to_string(b.args.max_bytes) + " bytes)", where);
  Record rec = parse_record(task.text);
  task.text.clear();
  task.text.shrink_to_fit();
  if (!rec.error_code.empty()) return failed(b, source, rec.id, rec.error_code, rec.error_message, where);
  source.bytes = rec.text.size();
  std::u32string text = from_utf8(rec.text);
  if (is_blank(text)) {
    Result r = failed(b, source, rec.id, "empty", text.empty() ? "is empty" : "holds only white space", where);
    r.bytes = source.bytes;
    return r;
  }
  Result r;
  r.bytes = source.bytes;
  try {
    Document doc = extract_text(std::move(text), source, *b.rules, b.extract);
    doc.id = rec.id;
    r.facts = count_facts(doc);
    r.output = format_document(doc, b.framing);
  } catch (const std::exception& e) {  // see run_file
    r = failed(b, source, rec.id, "internal_error", std::string("digestx failed on it: ") + e.what(), where);
    r.bytes = source.bytes;
  }
  return r;
}

// --output-dir: each input's file; a second input with the same output name gets
// an error rather than overwriting the first one's.
void plan_targets(Batch& b) {
  std::map<std::string, size_t> taken;
  const char* ending = file_ending(b.framing.format);
  for (size_t i = 0; i < b.inputs.size(); ++i) {
    std::string target = (std::filesystem::path(b.args.output_dir) / (b.inputs[i].out_name + ending)).string();
    auto [it, fresh] = taken.emplace(target, i);
    b.targets.push_back(target);
    b.conflicts.push_back(fresh ? std::string()
                                : "its output " + target + " is already that of " + b.inputs[it->second].path);
  }
}

int usage_error(const std::string& what) {
  complain(what);
  return 2;
}

}  // namespace

int run_extract(std::vector<std::string> args, const char* usage) {
  CLI::App app{"Extract documents: units, sentences with their periods, and numeric facts."};
  app.name("digestx");
  app.footer(usage);
  ExtractArgs a;
  app.add_option("inputs", a.inputs, "Digest files and directories; - reads stdin");
  app.add_option("--format", a.format,
                 "json (one document, an array for several; pretty on a terminal), jsonl (one document a line), "
                 "facts-csv, facts-tsv (one row a fact), units-csv (one row a unit)")
      ->check(CLI::IsMember({"json", "jsonl", "facts-csv", "facts-tsv", "units-csv"}));
  app.add_option("--input", a.input, "text: files of digests (default); jsonl: records {\"id\", \"text\"} one a line")
      ->check(CLI::IsMember({"text", "jsonl"}));
  app.add_option("--glob", a.globs, "File names to take in directories (default *.txt); repeatable")
      ->expected(1)
      ->allow_extra_args(false)  // one pattern per --glob: what follows is an input
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("-j,--jobs", a.jobs, "Worker threads (default: the number of cores)")->check(CLI::Range(1, 1024));
  app.add_flag("--pretty", a.pretty, "Indent the JSON whatever stdout is");
  app.add_flag("--compact", a.compact, "One line of JSON whatever stdout is");
  app.add_option("-o,--output", a.output, "Write to FILE (atomically) instead of stdout");
  app.add_option("--output-dir", a.output_dir, "One file per input in DIR (NAME.json, NAME.facts.csv, ...)");
  app.add_flag("--skip-existing", a.skip_existing, "With --output-dir: leave inputs whose output exists");
  app.add_flag("-q,--quiet", a.quiet, "No progress line");
  app.add_flag("--progress", a.progress, "A progress line on stderr even when it is not a terminal");
  app.add_option("--rules", a.rules_dir, "Directory of rules/*.json that replace the built-in ones of the same name");
  app.add_option("--year", a.year, "Report year, when the digest does not state it (overrides the text)")
      ->check(CLI::Range(1900, 2100));
  app.add_option("--encoding", a.encoding, "Input encoding (e.g. GB18030); default: detect");
  app.add_flag("--explain", a.explain, "Name the rule behind each unit, period and fact");
  app.add_option("--max-bytes", a.max_bytes, "Refuse inputs (or records) larger than this many bytes (default 256 MiB)");
  app.set_version_flag("-V,--version", std::string("digestx ") + DIGESTX_VERSION);
  std::reverse(args.begin(), args.end());
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  bool records = a.input == "jsonl";
  if (a.inputs.empty() && !records) return usage_error("no input given (use - for stdin); see digestx --help");
  if (records && a.inputs.empty()) a.inputs.push_back("-");
  if (!a.output_dir.empty() && !a.output.empty()) return usage_error("--output-dir and -o exclude each other");
  if (!a.output_dir.empty() && records) return usage_error("--output-dir takes files, not --input jsonl records");
  if (a.skip_existing && a.output_dir.empty()) return usage_error("--skip-existing needs --output-dir");
  // A mapper writes one record per line unless asked otherwise.
  if (records && app.count("--format") == 0) a.format = "jsonl";

  Batch b;
  try {
    b.rules = a.rules_dir.empty() ? default_rules() : load_rules_dir(a.rules_dir);
  } catch (const RulesError& e) {
    complain(std::string("rules: ") + e.what());
    return 2;
  }
  b.extract.decode.encoding = a.encoding;
  b.extract.year = a.year;
  b.extract.explain = a.explain;

  std::unique_ptr<Sink> sink;
  if (a.output_dir.empty()) sink = std::make_unique<Sink>(a.output);
  OutputOptions oo;
  oo.explain = a.explain;
  oo.pretty = a.pretty || (!a.compact && a.format == "json" && sink && sink->is_terminal());

  size_t total = 0;
  uint64_t total_bytes = 0;
  bool several = records;
  if (!records) {
    InputList list = collect_inputs(a.inputs, a.globs);
    // The shape of the output follows the command line, not what a folder holds.
    several = a.inputs.size() > 1 || list.from_directory;
    b.inputs = std::move(list.inputs);
    if (b.inputs.empty()) complain("no input files found (directories take " +
                                   std::string(a.globs.empty() ? "*.txt" : "--glob") + " files)");
    total = b.inputs.size();
    for (const Input& in : b.inputs) total_bytes += in.bytes;
  }
  b.framing = make_framing(*parse_format(a.format), several, oo, records);
  b.args = a;
  if (!a.output_dir.empty()) plan_targets(b);

  // Not over data shown on the same terminal: the progress line would land inside it.
  bool data_on_screen = sink && sink->is_terminal();
  bool show = a.progress || (!a.quiet && stderr_is_terminal() && !data_on_screen && (records || total > 1));
  Progress progress(show, total, total_bytes);
  if (!a.output_dir.empty()) remove_temporaries_on_signal();

  bool any_error = false, any_output = false;
  size_t facts = 0, skipped = 0;
  RecordReader reader(a.inputs, a.max_bytes);
  PoolJob job;
  job.next = [&](size_t i, Task& task) { return records ? reader.next(task) : i < b.inputs.size(); };
  job.run = [&](size_t i, Task& task) { return records ? run_record(b, task) : run_file(b, i); };
  job.emit = [&](size_t, Result& r) {
    if (r.error) {
      any_error = true;
      progress.note(r.message);
    }
    facts += r.facts;
    skipped += r.skipped;
    if (sink && r.deferred) {
      if (any_output) sink->write(stream_separator(b.framing));
      stream_document(*r.deferred, b.framing, [&](std::string& chunk) {
        sink->write(chunk);
        chunk.clear();
      });
      r.deferred.reset();
      any_output = true;
    } else if (sink && !r.output.empty() && (several || !r.error)) {
      if (any_output) sink->write(stream_separator(b.framing));
      sink->write(r.output);
      any_output = true;
    }
    progress.done_one(r.bytes);
  };
  if (sink) sink->write(stream_start(b.framing));
  run_ordered(job, a.jobs ? a.jobs : cores(), 4 * (a.jobs ? a.jobs : cores()));
  if (sink) {
    sink->write(stream_end(b.framing));
    sink->commit();
  }
  progress.finish();
  if (any_error) return 2;
  return facts > 0 || skipped > 0 ? 0 : 1;
}

}  // namespace digestx::cli
