// `digestx [extract]`: documents of one or many inputs (files, directories, stdin, or
// JSON-lines records), in parallel, written in input order in the chosen format.
#include <CLI/CLI.hpp>
#include <malloc.h>
#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <mutex>
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
#include "validators.hpp"
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
  bool skip_existing = false, quiet = false, progress = false, csv_raw = false;
};

// Everything a worker needs, shared read-only.
struct Batch {
  ExtractArgs args;
  std::shared_ptr<const Rules> rules;
  ExtractOptions extract;
  Framing framing;
  std::vector<Input> inputs;         // files mode
  std::unique_ptr<OutputDir> out_dir;  // --output-dir
  OutputPlan plan;                     // --output-dir: each input's files, or why it has none
};

// Inputs from this size on are formatted by the writer, streaming, not by the worker.
constexpr size_t kDeferBytes = size_t(4) << 20;

// Large inputs (kDeferBytes and more) go at most two at a time from read to written,
// each on all the workers (its units in parallel), so that memory follows the
// largest file, not -j: eight files of 8.4 MB at -j 8 peaked at 400 MB when read
// side by side, 130 MB two at a time (75 MB one at a time, but a quarter slower: the
// second lets one be extracted while the writer streams the other). A slot is taken
// in claim order (by `next`) and given back once the input's result has been handed
// to the writer, which goes in the same order: the holders are always the earliest
// large inputs not yet written, every input before them can finish, and a wait for
// a slot always ends.
class LargeSlot {
 public:
  static constexpr size_t kSlots = 2;
  bool admit(size_t index, uint64_t bytes) {
    if (bytes < kDeferBytes) return true;
    std::unique_lock<std::mutex> lock(mutex_);
    free_.wait(lock, [&] { return holders_.size() < kSlots; });
    holders_.push_back(index);
    return true;
  }
  void release(size_t index) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = std::find(holders_.begin(), holders_.end(), index);
      if (it == holders_.end()) return;
      holders_.erase(it);
      free_.notify_all();
    }
    // The document's memory, freed on every worker's malloc arena, goes back to the
    // system: else each of the -j arenas keeps its high-water mark (303 MB rather
    // than 73 MB for the eight files above at -j 8, one at a time).
    ::malloc_trim(0);
  }
  // Gives the slot back whatever happens in the writer (a broken pipe included).
  struct Release {
    LargeSlot& slot;
    size_t index;
    ~Release() { slot.release(index); }
  };

 private:
  std::mutex mutex_;
  std::condition_variable free_;
  std::vector<size_t> holders_;
};

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
// to stdout. What an earlier run left of the other outcome goes: the error record
// once the input succeeds, the old document once it fails (a reader must never take
// last month's x.json for the x.txt that now fails).
void write_target(const Batch& b, size_t i, Result& r) {
  if (!b.plan.conflicts[i].empty()) return;  // the names are another input's
  const std::string& file = b.plan.files[i];
  const std::string& error_file = b.plan.error_files[i];
  b.out_dir->write(r.error ? error_file : file, r.output);
  b.out_dir->remove(r.error ? file : error_file);
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
  if (to_dir && !b.plan.conflicts[i].empty()) {
    r.error = true;
    r.message = in.path + ": " + b.plan.conflicts[i];
    return r;
  }
  if (to_dir && b.args.skip_existing && b.out_dir->exists(b.plan.files[i])) {
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
    source.bytes = r.bytes;  // as read, or the size on disk of a file refused unread
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
  source.bytes = task.bytes;
  if (task.line == 0) where = task.source;  // the whole input failed
  if (!task.error_code.empty()) return failed(b, source, "", task.error_code, task.error_message, where);
  Record rec = parse_record(task.text);
  std::string().swap(task.text);
  if (!rec.error_code.empty()) return failed(b, source, rec.id, rec.error_code, rec.error_message, where);
  source.bytes = rec.text.size();
  std::u32string text = from_utf8(rec.text);
  std::string().swap(rec.text);
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

// What the writer has seen of a batch, for the exit status.
struct Tally {
  bool any_error = false, any_output = false;
  size_t facts = 0, skipped = 0;
};

// Hands one result to the output (none under --output-dir), in input order.
void write_result(const Batch& b, Sink* sink, bool several, Result& r, Tally& t, Progress& progress) {
  if (r.error) {
    t.any_error = true;
    progress.note(r.message);
  }
  t.facts += r.facts;
  t.skipped += r.skipped;
  if (sink && r.deferred) {
    if (t.any_output) sink->write(stream_separator(b.framing));
    stream_document(*r.deferred, b.framing, [&](std::string& chunk) {
      sink->write(chunk);
      chunk.clear();
    });
    r.deferred.reset();
    t.any_output = true;
  } else if (sink && !r.output.empty() && (several || !r.error)) {
    if (t.any_output) sink->write(stream_separator(b.framing));
    sink->write(r.output);
    t.any_output = true;
  }
  progress.done_one(r.bytes);
}

// Runs the batch on the workers and writes the results; returns the exit status.
int run_batch(const Batch& b, Sink* sink, Progress& progress, bool records, bool several) {
  Tally t;
  RecordReader reader(b.args.inputs, b.args.max_bytes);
  LargeSlot large;
  PoolJob job;
  job.next = [&](size_t i, Task& task) {
    return records ? next_task(reader, task) : i < b.inputs.size() && large.admit(i, b.inputs[i].bytes);
  };
  job.run = [&](size_t i, Task& task) { return records ? run_record(b, task) : run_file(b, i); };
  job.emit = [&](size_t i, Result& r) {
    LargeSlot::Release release{large, i};
    write_result(b, sink, several, r, t, progress);
  };
  if (sink) sink->write(stream_start(b.framing));
  size_t jobs = b.args.jobs ? b.args.jobs : cores();
  run_ordered(job, jobs, 4 * jobs);
  if (sink) {
    sink->write(stream_end(b.framing));
    sink->commit();
  }
  progress.finish();
  if (t.any_error) return 2;
  return t.facts > 0 || t.skipped > 0 ? 0 : 1;
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
  app.add_flag("--csv-raw", a.csv_raw,
               "Tables: cells as they are, even those a spreadsheet takes for a formula (=, +, -, @)");
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
  app.add_option("--max-bytes", a.max_bytes, "Refuse inputs (or records) larger than this many bytes (default 256 MiB)")
      ->check(byte_count());
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
  if (a.pretty && a.compact) return usage_error("--pretty and --compact exclude each other");
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
    for (const std::string& n : list.notes) note(n);
    if (b.inputs.empty()) note("no input files found (directories take " +
                                   std::string(a.globs.empty() ? "*.txt" : "--glob") + " files)");
    total = b.inputs.size();
    for (const Input& in : b.inputs) total_bytes += in.bytes;
  }
  b.framing = make_framing(*parse_format(a.format), several, oo, records);
  b.framing.csv.neutralise_formulas = !a.csv_raw;
  b.args = a;
  if (!a.output_dir.empty()) {
    try {
      b.out_dir = std::make_unique<OutputDir>(a.output_dir);
    } catch (const std::runtime_error& e) {
      complain(e.what());
      return 2;
    }
    b.plan = plan_outputs(b.inputs, file_ending(b.framing.format), true);
  }

  // Not over data shown on the same terminal: the progress line would land inside it.
  bool data_on_screen = sink && sink->is_terminal();
  bool show = a.progress || (!a.quiet && stderr_is_terminal() && !data_on_screen && (records || total > 1));
  Progress progress(show, total, total_bytes);
  if (!a.output_dir.empty() || !a.output.empty()) remove_temporaries_on_signal();

  return run_batch(b, sink.get(), progress, records, several);
}

}  // namespace digestx::cli
