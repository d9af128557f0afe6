// The whole path, top to bottom: decode -> layout -> units -> sentences -> periods
// -> numbers -> facts. Each call is independent; the rules are shared read-only.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "digestx/decode.hpp"
#include "digestx/document.hpp"
#include "digestx/numbers.hpp"
#include "digestx/output.hpp"
#include "digestx/rules.hpp"
#include "digestx/units.hpp"

namespace digestx {

struct ExtractOptions {
  DecodeOptions decode;
  // The report year and region given for the input (--year, --region, or its path by
  // --path-fields): they win over what the text states, with a warning when they differ.
  std::optional<int> year;
  std::optional<std::string> region;
  std::string year_from = "--year", region_from = "--region";  // who gave them, for the warnings
  bool explain = false;     // keep the rule names behind each fact (--explain, render)
  // Threads for the units of one large document (units are independent once the
  // structure is found); 1 = all on the calling thread.
  size_t threads = 1;
  // When set, the units of a large document go through it instead of `threads`
  // threads of their own: it calls work(0..n-1), the calling thread taking part. A
  // batch passes its own scheduler, so that its files and the units of a large one
  // share one set of threads (no pool inside a pool).
  std::function<void(size_t n, const std::function<void(size_t)>& work)> parallel;
  // When set, as `parallel` but started now and ended later (PostWork): the work goes
  // to the batch's idle threads. A streamed document so fills its next window of units
  // while the one before is written, and lays out and classifies its lines a stretch
  // ahead of the structure's walk.
  PostWork post;
  // Tests only: called with each unit's index as it is filled, to inject a fault there.
  std::function<void(size_t unit)> before_unit;
};

// The longest text a document can hold: spans are 32-bit code point offsets.
constexpr size_t kMaxChars = 0xFFFFFFFFu;

// Bytes of one input -> its document. Throws InputError when it cannot be decoded,
// or ("too_large") when it decodes to more than kMaxChars code points.
Document extract(std::string_view bytes, SourceInfo source, const Rules& rules, const ExtractOptions& options = {});
// The same, releasing the bytes as soon as they are decoded (large inputs).
Document extract_owned(std::string&& bytes, SourceInfo source, const Rules& rules, const ExtractOptions& options = {});
// The same from its decoding (see decode_chunked) and its size in bytes.
Document extract_decoded(Decoded decoded, size_t bytes, SourceInfo source, const Rules& rules,
                         const ExtractOptions& options = {});

// A large document written as its units are filled, a window of units at a time, each
// unit freed once written (the writers take stream() as their UnitStream, which gives
// the units one at a time: doc.units stays empty): the units' headings, paragraphs,
// sentences and facts take the memory of a window, not of the file (its text and
// the units' spans, packed until each is filled (UnitList), still follow the file). `doc` holds from the start the
// front matter and the sidebars; its warnings are complete, and `trailing_warnings`
// added after them, once the writer has called finish.
class StreamedDocument {
 public:
  StreamedDocument(StreamedDocument&&) noexcept;
  ~StreamedDocument();
  Document doc;
  std::vector<Warning> trailing_warnings;  // the caller's notes (a path's fields), last
  // The hooks point at this object: it must not move once they are taken. Given a
  // UnitWriter, each unit is written by the thread that filled it, right after, and
  // freed there (the writer copies the text: UnitStream::written).
  UnitStream stream(UnitWriter write_ahead = {});
  // A unit of more characters is left to the writer, which hands its text on in
  // pieces (kFlushBytes): written ahead whole, the one unit of a 50 MB file on one line
  // held its JSON and itself at once (peak RSS 923 MiB, against 376 MiB).
  static constexpr size_t kWriteAheadChars = size_t(1) << 18;
  // Facts of the sidebars and of the units filled so far (all, once written).
  size_t facts() const { return facts_; }
  // Units digestx failed on while streaming (each left without facts, with a
  // unit_failed warning): the document is written, but it failed.
  size_t failed_units() const { return failed_units_; }

 private:
  friend StreamedDocument extract_streamed(Decoded, size_t, SourceInfo, const Rules&, const ExtractOptions&);
  StreamedDocument(const Rules& rules, const ExtractOptions& options);
  // Units of about this many characters are filled at once: a few hundred units,
  // enough work for the threads, in a quarter of the memory of 1 Mi characters (whose
  // facts alone took about 14 MB at the peak of a 200 MB file: heaptrack).
  // The units being written and those after them being filled (options.post): two
  // windows at most.
  static constexpr size_t kWindowChars = size_t(1) << 18;
  struct Window;
  // Whether its windows of units go to the batch's threads (options.post, a large
  // text) rather than being filled when joined.
  bool posts_windows() const;
  std::unique_ptr<Window> start_window(size_t first);
  void take_window(std::unique_ptr<Window> w);
  void fill_up_to(size_t i);
  static Span text_of(const UnitText& u);
  static void finish_unit(Window& w, size_t k, const UnitWriter& write);
  void drop_failed(Span where, const std::string& what);
  void release(size_t i);
  void finish();
  const Rules* rules_;
  ExtractOptions options_;
  UnitList units_;  // the headings and paragraphs of the units not yet filled
  std::vector<Unit> window_;     // the units being written, from window_first_ on
  std::vector<char> window_ahead_;           // whether each was written ahead,
  std::vector<std::string> window_written_;  // and its text if so
  UnitWriter write_ahead_;
  size_t window_first_ = 0;
  std::unique_ptr<Window> ahead_;  // the window after them, being filled
  std::vector<Refusal> too_large_;  // figures left out so far (unrepresentable, damaged), warned of at the end
  size_t count_ = 0;  // units in all
  size_t filled_ = 0, facts_ = 0, failed_units_ = 0;
  bool finished_ = false;
};

// extract_owned's document, its units left to be filled as they are written.
StreamedDocument extract_streamed(std::string&& bytes, SourceInfo source, const Rules& rules,
                                  const ExtractOptions& options);
StreamedDocument extract_streamed(Decoded decoded, size_t bytes, SourceInfo source, const Rules& rules,
                                  const ExtractOptions& options);

// Already decoded text (records mode) -> its document.
// `markup` and `page`: an HTML page's text read already, where its tags stood and the
// page itself (see markup.hpp).
Document extract_text(std::u32string text, SourceInfo source, const Rules& rules, const ExtractOptions& options = {},
                      std::vector<Span> markup = {}, PageMap page = {});

// `digestx numbers`: one line of text on its own, no structure or periods.
struct LineAnalysis {
  std::shared_ptr<const Rules> rules;  // the rules its facts' names point into (see Document::rules)
  std::u32string text;
  std::vector<Numeral> numerals;
  std::vector<Fact> facts;
  // Figures left out: their value cannot be represented (an empty rule) or their digits
  // are damaged (the numbers rule that found it: 2,3000名).
  std::vector<Refusal> left_out;
  std::vector<Refusal> refused;       // explain: numerals not taken, with the refusing rule
};
// Why a figure of `left_out` is warned: its code and message (figure_damaged, …; a
// subject left out by facts.json subject.list_unpaired: subject_unpaired).
NumberRules::LeftOutReason left_out_reason(const Rules& rules, std::string_view rule);
// `organization`: the unit whose text the line is (桃坪乡党委), for its own place.
LineAnalysis analyse_line(std::u32string line, const Rules& rules, bool explain = false,
                          std::u32string_view organization = {});

size_t count_facts(const Document& doc);

// Sets up the data ICU shares between threads before any worker thread starts
// (src/threads_ready.cpp says why); called once by whoever starts the workers.
void prepare_for_threads();

// Up to `count` threads running `body`, as many as the system gives: the first that
// cannot be started (no memory for its stack under `ulimit -v`, a container's limit of
// processes) ends the starting, and the work is shared by those that run, the calling
// thread among them. std::thread's constructor throws then, and the threads started
// before it, destroyed joinable as that unwound, called std::terminate: `ulimit -v
// 300000; digestx -j 40 *.txt` died of SIGABRT.
std::vector<std::thread> start_threads(size_t count, const std::function<void()>& body);

// The one rule of what a money total adds (the contract's "Totals"): money facts of
// aspect amount, never per-capita figures, rates, changes, thresholds or cumulative
// totals. Callers add those in 元 and count other currencies apart.
bool counts_in_money_total(const Fact& f);

// One line for stderr that sums up a document's warnings ("5674 undecodable byte
// sequences; wrong encoding? try --encoding GB18030; 1 numerals_apart"), or "" if none.
std::string warnings_summary(const Document& doc);

}  // namespace digestx
