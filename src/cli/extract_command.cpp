// `digestx [extract]`: documents of one or many inputs (files, directories, stdin, or
// JSON-lines records), in parallel, written in input order in the chosen format.
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
#include "ordered_pool.hpp"
#include "progress.hpp"
#include "path_fields.hpp"
#include "records.hpp"
#include "summary.hpp"
#include "color.hpp"

namespace digestx::cli {

namespace {

// Everything a worker needs, shared read-only.
struct Batch {
  Options args;
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
  // `last`: the index of the last input that takes a slot (npos: none).
  explicit LargeSlot(size_t last) : last_(last) {}
  // Whether an input of this size on disk takes a slot.
  static bool takes_slot(uint64_t bytes) { return bytes >= kDeferBytes; }
  // The worker waiting for a slot runs units of the large inputs in flight meanwhile.
  bool admit(size_t index, uint64_t bytes) {
    if (!takes_slot(bytes)) return true;
    wait_helping([&] {
      std::lock_guard<std::mutex> lock(mutex_);
      return holders_.size() < kSlots;
    });
    std::lock_guard<std::mutex> lock(mutex_);
    holders_.push_back(index);
    return true;
  }
  void release(size_t index) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = std::find(holders_.begin(), holders_.end(), index);
      if (it == holders_.end()) return;
      holders_.erase(it);
    }
    wake_workers();
    // The document's memory, freed on every worker's malloc arena, goes back to the
    // system: else each of the -j arenas keeps its high-water mark (303 MB rather
    // than 73 MB for the eight files above at -j 8, one at a time). Not after the last
    // large input: no other one will need it, and trimming took the writer 20-40 ms
    // (300 madvise calls) at the end of big.txt, with the other threads idle.
    if (index < last_) ::malloc_trim(0);
  }
  // Gives the slot back whatever happens in the writer (a broken pipe included).
  struct Release {
    LargeSlot& slot;
    size_t index;
    ~Release() { slot.release(index); }
  };

 private:
  const size_t last_;
  std::mutex mutex_;
  std::vector<size_t> holders_;
};

// The index of the last input that takes a LargeSlot; npos when none does (records
// mode has no inputs of its own: its records are never large).
size_t last_large(const std::vector<Input>& inputs) {
  for (size_t i = inputs.size(); i-- > 0;)
    if (LargeSlot::takes_slot(inputs[i].bytes)) return i;
  return std::string::npos;
}

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

// --summary: the document's counts, as text, in place of the document.
void summarise(Result& r, const Document& doc, const std::string& title) {
  r.stats = std::make_shared<const Stats>(stats_of(doc));
  r.output = format_stats(*r.stats, title);
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
    ReadInput input = read_input_decoding(in.path, b.args.max_bytes, b.extract.decode);
    r.bytes = input.size;
    bool large = input.size >= kDeferBytes;
    ExtractOptions options = b.extract;
    std::vector<Warning> notes = give_fields(options, b.args, in.path);
    if (large) {  // one large file: its units on the batch's workers
      options.parallel = run_shared;
      options.post = post_shared;
    }
    if (!input.decoded) input.decoded = decode_owned(std::move(input.bytes), options.decode);
    if (large && !to_dir && !b.args.summary && !b.args.strict) {
      // Its units are filled by the writer as it writes them (--strict needs every
      // warning before the first byte, --summary every fact: those are not streamed).
      r.deferred = std::make_shared<StreamedDocument>(
          extract_streamed(std::move(*input.decoded), input.size, source, *b.rules, options));
      r.deferred->trailing_warnings = std::move(notes);
      return r;
    }
    Document doc = extract_decoded(std::move(*input.decoded), input.size, source, *b.rules, options);
    doc.warnings.insert(doc.warnings.end(), notes.begin(), notes.end());
    r.note = warnings_summary(doc);
    if (b.args.strict && !r.note.empty()) throw InputError("strict", "--strict: " + r.note);
    if (!r.note.empty()) r.note = in.path + ": " + r.note;
    r.facts = count_facts(doc);
    if (b.args.summary) summarise(r, doc, in.path);
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
    std::string note = warnings_summary(doc);
    if (b.args.strict && !note.empty()) return failed(b, source, rec.id, "strict", "--strict: " + note, where);
    // Records: the warnings stay in each record's output; a mapper's stderr carries errors only.
    r.facts = count_facts(doc);
    if (b.args.summary) summarise(r, doc, where);
    else r.output = format_document(doc, b.framing);
  } catch (const std::exception& e) {  // see run_file
    r = failed(b, source, rec.id, "internal_error", std::string("digestx failed on it: ") + e.what(), where);
    r.bytes = source.bytes;
  }
  return r;
}

// What a file of a directory that was not taken is, by its extension; nullptr for
// names that are no document (a .json, a .md), which are only counted.
const char* document_kind(const std::string& path) {
  static const std::pair<const char*, const char*> kinds[] = {
      {".docx", "a Word file"}, {".doc", "a Word file"}, {".wps", "a WPS file"}, {".pdf", "a PDF file"},
      {".rtf", "an RTF file"},  {".odt", "an OpenDocument file"}, {".html", "a web page"}, {".htm", "a web page"},
      {".xlsx", "an Excel file"}, {".xls", "an Excel file"}, {".jpg", "an image"}, {".jpeg", "an image"},
      {".png", "an image"}, {".tif", "an image"}, {".tiff", "an image"}};
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [e, what] : kinds)
    if (ext == e) return what;
  return nullptr;
}

// The end of a batch on stderr: each document-like file left out of a directory,
// a count of the others, then "N documents, M failed, K skipped".
void report_batch(std::vector<std::string> not_taken, const std::vector<std::string>& globs, size_t documents,
                  size_t failed, size_t skipped) {
  std::sort(not_taken.begin(), not_taken.end());
  std::string pattern = globs.empty() ? std::string("*.txt") : "--glob";
  size_t others = 0;
  std::string example;
  for (const std::string& path : not_taken) {
    if (const char* what = document_kind(path)) {
      complain(path + ": skipped, " + what + " (save it as text to include it)");
    } else {
      if (!others++) example = path;
    }
  }
  if (others)
    complain(std::to_string(others) + " other file" + (others > 1 ? "s" : "") + " skipped, not " + pattern + " (" +
             example + (others > 1 ? ", ..." : "") + ")");
  complain(std::to_string(documents) + " document" + (documents == 1 ? "" : "s") + ", " + std::to_string(failed) +
           " failed, " + std::to_string(skipped) + " skipped");
}

int usage_error(const std::string& what) {
  complain(what);
  return 2;
}


// The command lines that make no sense; nullopt when this one does.
std::optional<int> check_usage(const Options& a, bool records) {
  if (!a.output_dir.empty() && !a.output.empty()) return usage_error("--output-dir and -o exclude each other");
  if (!a.output_dir.empty() && records) return usage_error("--output-dir takes files, not --input jsonl records");
  if (a.skip_existing && a.output_dir.empty()) return usage_error("--skip-existing needs --output-dir");
  if (a.summary && !a.output_dir.empty()) return usage_error("--summary writes to stdout or -o, not --output-dir");
  if (a.pretty && a.compact) return usage_error("--pretty and --compact exclude each other");
  if (a.path_fields) {
    std::string bad = check_path_template(*a.path_fields);
    if (!bad.empty()) return usage_error("--path-fields " + *a.path_fields + ": " + bad);
  }
  return std::nullopt;
}

// The writer's end of a batch: results in input order to the sink (coloured, or as
// summaries), their messages to stderr, and the counts behind the exit status and
// the closing line.
class Writer {
 public:
  Writer(const Batch& b, Sink* sink, Progress& progress, bool several)
      : b_(b), sink_(sink), progress_(progress), several_(several) {
    const Options& a = b.args;
    if (sink && !a.summary && !b.framing.is_table() && use_color(a.color, sink->is_terminal())) color_.emplace();
  }

  void start() {
    if (sink_ && !b_.args.summary) put(stream_start(b_.framing));
  }

  void take(Result& r) {
    if (r.error) progress_.note(r.message);
    if (!r.note.empty() && !b_.args.quiet) progress_.note(r.note);  // -q: errors only
    facts += r.facts;
    skipped += r.skipped;
    failed += r.error;
    documents += !r.error && !r.skipped;
    if (r.stats) add(all_, *r.stats);
    if (!sink_) return;
    if (b_.args.summary) {
      if (!r.error) sink_->write(r.output);
    } else if (r.deferred) {
      stream(r);
    } else if (!r.output.empty() && (several_ || !r.error)) {
      separate();
      put(r.output);
    }
  }

  void finish() {
    if (sink_ && b_.args.summary && several_)
      sink_->write(format_stats(all_, all_.documents == 1 ? std::string("the one document")
                                                       : "all " + std::to_string(all_.documents) + " documents together"));
    if (sink_ && !b_.args.summary) put(stream_end(b_.framing));
    if (sink_) sink_->commit();
  }

  size_t facts = 0, skipped = 0, documents = 0, failed = 0;

 private:
  // A large document, its units filled as they are written; its facts and the summary
  // of its warnings are known once it is.
  void stream(Result& r) {
    separate();
    UnitStream units = r.deferred->stream(unit_writer(r.deferred->doc, b_.framing));
    stream_document(r.deferred->doc, b_.framing, [&](std::string& chunk) {
      put(chunk);
      chunk.clear();
    }, &units);
    facts += r.deferred->facts();
    if (size_t n = r.deferred->failed_units()) {  // written, but not whole: the run failed
      ++failed;
      --documents;
      progress_.note(r.deferred->doc.source.path + ": digestx failed on " + std::to_string(n) + " unit" +
                     (n == 1 ? "" : "s") + "; their facts are left out (warnings unit_failed)");
    }
    std::string note = warnings_summary(r.deferred->doc);
    if (!note.empty() && !b_.args.quiet) progress_.note(r.deferred->doc.source.path + ": " + note);
    r.deferred.reset();
  }

  void put(std::string_view data) {
    if (color_) sink_->write(color_->paint(data));
    else sink_->write(data);
  }
  void separate() {
    if (any_output_) put(stream_separator(b_.framing));
    any_output_ = true;
  }

  const Batch& b_;
  Sink* sink_;
  Progress& progress_;
  bool several_;
  bool any_output_ = false;
  std::optional<JsonColor> color_;
  Stats all_;
};

// The workers when -j is not given: one a core, but no more than the files when each
// is known to be small (a worker past the last file only runs units of large ones).
// `digestx one.txt` started a second thread for nothing.
size_t default_workers(const Batch& b, bool records) {
  size_t n = cores();
  if (records) return n;
  for (const Input& in : b.inputs)
    if (in.bytes == 0 || in.bytes >= kDeferBytes) return n;  // size unknown (stdin), or large
  return std::min(n, b.inputs.size());
}

// Runs the batch on the workers and hands the results to `writer` in input order.
// Large files are admitted at most two at a time (LargeSlot), so memory follows the
// largest file rather than -j copies of it.
void run_batch(const Batch& b, Writer& writer, Progress& progress, bool records) {
  RecordReader reader(b.args.inputs, b.args.max_bytes);
  LargeSlot large(last_large(b.inputs));
  PoolJob job;
  job.next = [&](size_t i, Task& task) {
    return records ? next_task(reader, task) : i < b.inputs.size() && large.admit(i, b.inputs[i].bytes);
  };
  job.run = [&](size_t i, Task& task) { return records ? run_record(b, task) : run_file(b, i); };
  job.emit = [&](size_t i, Result& r) {
    LargeSlot::Release release{large, i};
    writer.take(r);
    progress.done_one(r.bytes);
  };
  writer.start();
  size_t jobs = b.args.jobs ? b.args.jobs : default_workers(b, records);
  run_ordered(job, jobs, 4 * jobs);
  writer.finish();
  progress.finish();
}

}  // namespace

int run_extract(Options a, std::shared_ptr<const Rules> rules) {
  bool records = a.input == "jsonl";
  if (records && a.inputs.empty()) a.inputs.push_back("-");
  if (auto status = check_usage(a, records)) return *status;
  // A mapper writes one record per line unless asked otherwise.
  if (records && !a.format_given) a.format = "jsonl";

  Batch b;
  b.rules = std::move(rules);
  b.extract.decode.encoding = a.encoding;
  b.extract.year = a.year;
  b.extract.region = a.region;
  b.extract.explain = a.explain;

  std::unique_ptr<Sink> sink;
  if (a.output_dir.empty()) sink = std::make_unique<Sink>(a.output);
  OutputOptions oo;
  oo.explain = a.explain;
  oo.pretty = a.pretty || (!a.compact && a.format == "json" && sink && sink->is_terminal());

  size_t total = 0;
  uint64_t total_bytes = 0;
  bool several = records;
  std::vector<std::string> not_taken;  // files of directories that match no glob
  if (!records) {
    InputList list = collect_inputs(a.inputs, a.globs);
    not_taken = std::move(list.skipped);
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

  Writer writer(b, sink.get(), progress, several);
  run_batch(b, writer, progress, records);
  // Not in records mode: a mapper under GNU parallel or Hadoop stays quiet.
  if (several && !records && !a.quiet)
    report_batch(not_taken, a.globs, writer.documents, writer.failed, writer.skipped + not_taken.size());
  if (writer.failed > 0) return 2;
  return writer.facts > 0 || writer.skipped > 0 ? 0 : 1;
}

}  // namespace digestx::cli
