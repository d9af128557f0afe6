#include "digestx/pipeline.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <tuple>

#include "digestx/facts.hpp"
#include "digestx/joined.hpp"
#include "digestx/layout.hpp"
#include "digestx/markup.hpp"
#include "digestx/output.hpp"
#include "digestx/periods.hpp"
#include "digestx/sentences.hpp"
#include "digestx/subjects.hpp"
#include "digestx/aspects.hpp"
#include "digestx/table_cells.hpp"
#include "digestx/units.hpp"
#include "digestx/utf.hpp"
#include "digestx/view.hpp"
#include "registry_generated.hpp"

namespace digestx {

// A figure kept whose subject a facts.json rule left out (subject.list_unpaired: 3个 of
// 新建党群服务中心、便民服务站3个、10个) is told as a figure left out is, by the rule's code
// and message.
NumberRules::LeftOutReason left_out_reason(const Rules& rules, std::string_view rule) {
  for (const FactPatternRules::CombineRule& c : rules.facts.combinations)
    if (!c.warning.empty() && c.name == rule)
      return {"subject_unpaired", c.warning + " (" + c.name + ")", true, "figures kept with their subject withheld"};
  // A line left out as a caption by its shape alone, with figures its unit states nowhere
  // else (layout.json furniture caption warn_figures): caption_dropped.
  if (const LayoutRules::CaptionShape* shape = rules.layout.caption_warned(rule))
    return {shape->warn_code, shape->warning + " (" + std::string(rule) + ")", false,
            "lines with figures left out as captions"};
  return rules.numbers.left_out_reason(rule);
}

namespace {

Span shifted(Span s, uint32_t by) { return {s.start + by, s.end + by}; }

Pieces shifted(const Pieces& pieces, int64_t by) {
  Pieces out;
  out.reserve(pieces.size());
  for (const Span& p : pieces) out.push_back({uint32_t(int64_t(p.start) + by), uint32_t(int64_t(p.end) + by)});
  return out;
}

// A paragraph longer than this (a whole file on one line) goes through the stages in
// pieces cut after a sentence end, so that their working data stays small.
// (Fuzz builds make it small, so that short inputs reach the cuts.)
#ifndef DIGESTX_CHUNK_CHARS
#define DIGESTX_CHUNK_CHARS (1 << 16)
#endif
constexpr uint32_t kChunkChars = DIGESTX_CHUNK_CHARS;

// With no sentence end to cut after: after the last comma, enumeration comma, colon,
// semicolon or space in (floor, cut] that no digit follows, or else before the run of
// digits and points the cut falls in, so that no figure is cut in two (39.|6万元 would
// give two wrong facts). Failing both (pure Chinese without punctuation), `cut`.
uint32_t soft_cut(std::u32string_view text, uint32_t floor, uint32_t cut) {
  auto digit_at = [&](uint32_t i) { return i < text.size() && is_ascii_digit(fold_char(text[i])); };
  for (uint32_t i = cut; i > floor; --i) {
    char32_t c = fold_char(text[i - 1]);
    bool soft = is_space(c) || c == ',' || c == U'，' || c == U'、' || c == ':' || c == ';' || c == U'：' || c == U'；';
    if (soft && !digit_at(i)) return i;
  }
  uint32_t i = cut;
  while (i > floor && (digit_at(i - 1) || fold_char(text[i - 1]) == '.')) --i;
  return i > floor ? i : cut;
}

// The stretches of a paragraph that the stages take one at a time: the paragraph
// itself, or for a very long one, pieces of at most kChunkChars cut after the last
// sentence terminator (and its closers) in each, or hard where there is none.
std::vector<Pieces> chunks_of(std::u32string_view text, Pieces pieces, const SentenceRules& rules) {
  Span whole = covering(pieces);
  if (whole.size() <= kChunkChars) return {std::move(pieces)};
  std::vector<Pieces> out;
  Pieces current;
  uint32_t budget = kChunkChars;
  for (Span p : pieces) {
    while (!p.empty()) {
      uint32_t take = std::min(p.size(), budget);
      uint32_t cut = p.start + take;
      if (take == budget) {
        // Back to just after the last terminator in the second half of this stretch.
        bool at_sentence_end = false;
        for (uint32_t i = cut; i > p.start + take / 2; --i) {
          if (rules.class_of(fold_char(text[i - 1])) & SentenceRules::kTerminator) {
            cut = i;
            while (cut < p.end && (rules.class_of(fold_char(text[cut])) & (SentenceRules::kTerminator | SentenceRules::kCloser)))
              ++cut;
            at_sentence_end = true;
            break;
          }
        }
        if (!at_sentence_end) cut = soft_cut(text, p.start + take / 2, cut);
      }
      current.push_back({p.start, cut});
      budget -= std::min(budget, cut - p.start);
      p.start = cut;
      if (budget == 0 || !p.empty()) {
        out.push_back(std::move(current));
        current.clear();
        budget = kChunkChars;
      }
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

// Sentences, periods and facts of one stretch of a paragraph, added to `para` and
// `facts`; `current` is the period running on from the sentences before. The stretch
// is folded to its matching view on its own (the view of the whole text is gone by
// now): the stages see that stretch of the text, and spans are shifted back to the
// whole text afterwards.
struct StretchContext {
  bool with_periods = false;
  PeriodFrame frame = PeriodFrame::digest;
  std::optional<int> report_year;
  int plan_year_offset = 1;  // Document::plan_year_offset
  bool explain = false;
  std::u32string unit_place;  // the unit's own place (桃坪乡 of 桃坪乡党委), matching view
  int unit_kind = -1;         // the kind of body it is (医院 of 第一人民医院党委), or -1
};

// The place a unit's organisation begins with, in the matching view (臨河縣委 -> 临河县),
// and the kind of body it is.
void place_of_unit(std::u32string_view text, Span organization, const Rules& rules, StretchContext& cx) {
  if (organization.empty() || organization.end > text.size()) return;
  std::u32string view = matching_view(text.substr(organization.start, organization.size()));
  cx.unit_place = unit_place_of(view, rules.subjects);
  cx.unit_kind = unit_kind_of(view, rules.subjects);
}

// Whether the source text of `span` holds a line break: the layout joined the figure
// over two lines ("全年发放渔业补贴\n320万元" does not; "39.6万\n元" does).
bool crosses_break(std::u32string_view text, Span span) {
  for (uint32_t i = span.start; i < span.end && i < text.size(); ++i)
    if (is_line_break(text[i])) return true;
  return false;
}

// What the facts stage gives one unit or sidebar: its facts, the figures left out
// (unrepresentable or damaged), and (--explain) the numerals refused with their rules.
struct FactsOut {
  std::vector<Fact>& facts;
  std::vector<Refusal>& left_out;
  std::vector<Refusal>& refused;
};

// periods.json clause_marker: the clauses of a sentence that open with a marker of
// another period than `sentence_period` date their own figures (fi.clause_starts, in
// joined offsets: the sentence's characters begin at `offset`); the sentence's period
// comes back after each (今年上半年已投入使用 is an aside, 全年培训党员1200人次 after it is
// the year reviewed), and the period running on to the next sentences is not touched.
void mark_clauses(std::u32string_view sentence, size_t offset, Period sentence_period, const StretchContext& cx,
                  const Rules& rules, FactInput& fi) {
  for (const ClauseMark& c : clause_marks(sentence, cx.report_year, rules.periods, cx.frame)) {
    if (c.mark.period == sentence_period) continue;
    fi.clause_starts.push_back(offset + c.at);
    fi.clause_periods.push_back(c.mark.period);
    if (c.end >= sentence.size()) continue;  // the clause ends the sentence: the next one has its own
    fi.clause_starts.push_back(offset + c.end);
    fi.clause_periods.push_back(sentence_period);
  }
}

// A sentence opening with a short label closed by a bracket of markup reads, for its
// period marker, as one whose label a colon closes: 【点评】市财政局…兑现率达到100% as
// 点评：… (periods.json review_label), 【存在问题】 as 存在问题：…. The markup's gap is
// all that parts the label from its text once the brackets are left out, and the
// comment's figures took the plans' period before it. Empty: no such label.
std::u32string label_closed_by_markup(std::u32string_view view, const Pieces& pieces) {
  constexpr size_t kMaxLabelChars = 8;
  constexpr std::u32string_view kClosing = U"】]〗》>)）";
  if (pieces.size() < 2 || pieces[0].size() > kMaxLabelChars || pieces[1].start <= pieces[0].end) return {};
  if (pieces[0].end >= view.size() || kClosing.find(view[pieces[0].end]) == std::u32string_view::npos) return {};
  Joined label = Joined::of(view, Pieces{pieces[0]});
  Joined rest = Joined::of(view, Pieces(pieces.begin() + 1, pieces.end()));
  return std::u32string(label.chars()) + U':' + std::u32string(rest.chars());
}

// Whether the paragraph ending at `end` ends at a single line break with digits on both
// sides (layout.json numerals_apart: 超过3⏎5个村); a blank line between (完成任务3⏎⏎5个村)
// is no cut.
bool cut_figure_after(std::u32string_view text, size_t end, const LayoutRules& layout) {
  auto digit = [&](size_t p) { return p < text.size() && layout.numerals_apart_chars.find(text[p]) != std::u32string::npos; };
  if (end == 0 || !digit(end - 1)) return false;
  size_t p = end;
  if (p < text.size() && text[p] == U'\r') ++p;
  return p < text.size() && text[p] == U'\n' && digit(p + 1);
}

void fill_stretch(std::u32string_view text, const Pieces& pieces, const StretchContext& cx, const Rules& rules,
                  PeriodRun& run, Paragraph& para, FactsOut out) {
  Span whole = covering(pieces);
  std::u32string_view local_text = text.substr(whole.start, whole.size());
  std::u32string local_view = matching_view(local_text);
  ParagraphText local{shifted(pieces, -int64_t(whole.start))};
  std::vector<SentenceText> sentences = split_sentences(local_view, local, rules.sentences);
  Joined joined = Joined::of(local_view, local.pieces);
  FactInput fi;
  fi.joined = &joined;
  fi.text = local_text;
  fi.report_year = cx.report_year;
  fi.plan_year_offset = cx.plan_year_offset;
  fi.cut_figure_after = cut_figure_after(text, whole.end, rules.layout);
  fi.explain = cx.explain;
  fi.unit_place = cx.unit_place;
  fi.unit_kind = cx.unit_kind;
  std::vector<Refusal> left_out;
  fi.left_out = &left_out;
  std::vector<Refusal> refused;
  if (cx.explain) fi.refused = &refused;
  if (para.sentences.empty()) para.sentences.reserve(sentences.size());
  fi.sentence_starts.reserve(sentences.size());
  fi.periods.reserve(sentences.size());
  fi.period_rules.reserve(sentences.size());
  size_t offset = 0;
  for (SentenceText& st : sentences) {
    // Where the sentence starts in the joined stretch.
    while (offset < joined.size() && joined.source(offset) != st.pieces.front().start) ++offset;
    PeriodMark here = run.current;
    if (cx.with_periods) {
      Joined sj = Joined::of(local_view, st.pieces);
      std::u32string labelled = label_closed_by_markup(local_view, st.pieces);
      auto mark = find_period_marker(labelled.empty() ? sj.chars() : std::u32string_view(labelled), cx.report_year,
                                     rules.periods, cx.frame);
      here = next_period(run, sj.chars(), mark, rules.periods, &rules.layout);
      mark_clauses(sj.chars(), offset, here.period, cx, rules, fi);
    }
    bool marked = cx.with_periods && !here.rule.empty() && here.marked;
    fi.sentence_starts.push_back(offset);
    fi.periods.push_back(here.period);
    fi.period_rules.push_back(here.rule);
    // Its pieces shifted back to the whole text where they are (not copied: one
    // allocation per sentence).
    for (Span& p : st.pieces) p = shifted(p, whole.start);
    para.sentences.push_back({std::move(st.pieces), here.period, here.rule, marked});
  }
  std::vector<Fact> found = find_facts(fi, rules);
  for (Fact& f : found) {
    // 由上年的2740万元增长到3260万元: the 2740万元 is last year's level, no outcome (its
    // period stays its sentence's, as the contract dates a figure).
    if (f.status.empty() && rules.kinds.is_quantity(f.kind) && baseline_figure(local_view, f.span.start, f.span.end, rules.aspects)) {
      f.status = rules.kinds.statuses[size_t(rules.aspects.baseline_status)].name;
      if (cx.explain) f.rules.mut().status = rules.aspects.baseline_rule;
    }
    f.joined = crosses_break(local_text, f.span);
    f.span = shifted(f.span, whole.start);
    if (!f.part_of.empty()) f.part_of = shifted(f.part_of, whole.start);
    if (!f.subject.first.empty()) f.subject.first = shifted(f.subject.first, whole.start);
    if (!f.subject.second.empty()) f.subject.second = shifted(f.subject.second, whole.start);
  }
  read_table_cells(text, found, rules, {cx.report_year, cx.frame, cx.with_periods, cx.explain, cx.plan_year_offset});
  if (out.facts.empty()) out.facts = std::move(found);  // one paragraph: no second copy
  else for (Fact& f : found) out.facts.push_back(std::move(f));
  for (const Refusal& r : left_out) out.left_out.push_back({shifted(r.span, whole.start), r.rule});
  for (Refusal r : refused) out.refused.push_back({shifted(r.span, whole.start), r.rule});
}

// Adds a stretch's facts to those of its unit, `done` of whose `total` characters are
// filled. When the unit's vector is full it grows to the facts the whole unit is
// expected to hold at the rate seen so far, a quarter over: doubling it past 2^20 facts
// (a 50 MB line) held both copies, 192 MiB each, at the run's peak, and capacity never
// written takes no memory.
void append_facts(std::vector<Fact>& facts, std::vector<Fact>&& found, size_t done, size_t total) {
  if (facts.empty()) {
    facts = std::move(found);
    return;
  }
  size_t need = facts.size() + found.size();
  if (need > facts.capacity()) {
    size_t expected = done > 0 && done < total ? need * total / done : need;
    facts.reserve(std::max(need, expected + expected / 4));
  }
  for (Fact& f : found) facts.push_back(std::move(f));
}

// Sentences, periods and facts of the paragraphs of one unit or sidebar. Periods run
// on across the paragraphs of a unit; sidebars are not reports and have none.
void fill(std::u32string_view text, std::vector<ParagraphText>&& in, const StretchContext& cx, const Rules& rules,
          std::vector<Paragraph>& paragraphs, FactsOut out) {
  PeriodRun run{start_period(rules.periods, cx.frame), std::nullopt, 0, 0, false};
  size_t total = 0, done = 0;  // characters of the paragraphs, and of those filled so far
  for (const ParagraphText& paragraph : in) total += covering(paragraph.pieces).size();
  for (ParagraphText& paragraph : in) {
    Paragraph para;
    auto fill_one = [&](const Pieces& stretch) {
      std::vector<Fact> found;
      fill_stretch(text, stretch, cx, rules, run, para, {found, out.left_out, out.refused});
      done += covering(stretch).size();
      append_facts(out.facts, std::move(found), done, total);
    };
    // Most paragraphs are one stretch: taken as they are (chunks_of copies them).
    if (covering(paragraph.pieces).size() <= kChunkChars) fill_one(paragraph.pieces);
    else
      for (const Pieces& stretch : chunks_of(text, paragraph.pieces, rules.sentences)) fill_one(stretch);
    para.pieces = std::move(paragraph.pieces);
    paragraphs.push_back(std::move(para));
  }
}

// A warning for each figure read across a line break, so that a reader can check it.
Warning joined_warning(const Fact& f) {
  return {"figure_joined", "a figure read across a line break (layout joined the lines)", true, f.span};
}

void warn_joined(Document& doc, const std::vector<Fact>& facts) {
  for (const Fact& f : facts)
    if (f.joined) doc.warnings.push_back(joined_warning(f));
}

// Figures left out, as warnings with their spans: those whose value cannot be
// represented (figure_unrepresentable) and those whose digits copying damaged
// (figure_damaged, the message naming the numbers rule: 新增就业2,3000名). Of each code
// the first kMaxFigureWarnings, then one that counts the rest (a file of a million
// 40-digit codes must not give a million warnings).
constexpr size_t kMaxFigureWarnings = 100;

void warn_left_out(const std::vector<Refusal>& left_out, const Rules& rules, std::vector<Warning>& warnings) {
  struct Count {
    std::string code;
    size_t count;
    std::string counted;  // what the warnings are of (LeftOutReason::counted)
  };
  std::vector<Count> counts;  // per code, in order of first sight
  for (const Refusal& r : left_out) {
    NumberRules::LeftOutReason why = left_out_reason(rules, r.rule);
    auto c = std::find_if(counts.begin(), counts.end(), [&](const Count& n) { return n.code == why.code; });
    if (c == counts.end()) c = counts.insert(counts.end(), {why.code, 0, why.counted});
    if (++c->count > kMaxFigureWarnings) continue;
    warnings.push_back({why.code, std::move(why.message), true, r.span});
  }
  // 140 figures of lists kept, their subjects withheld: "40 more figures kept with their
  // subject withheld", never "left out" (they were counted as left out).
  for (const Count& c : counts)
    if (c.count > kMaxFigureWarnings)
      warnings.push_back({c.code,
                          std::to_string(c.count - kMaxFigureWarnings) + " more " + c.counted +
                              " for the same reason (only the first " + std::to_string(kMaxFigureWarnings) +
                              " are listed)",
                          false, {}});
}

// Below this many characters a document is not worth the threads.
constexpr size_t kParallelChars = size_t(1) << 20;

// Calls work(0..n-1), on `threads` threads taking the next index in turn; an
// exception on any thread is rethrown once all have stopped.
void run_each(size_t n, size_t threads, const std::function<void(size_t)>& work) {
  threads = std::max<size_t>(1, std::min(threads, n));
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto loop = [&] {
    try {
      for (size_t i; (i = next.fetch_add(1)) < n;) work(i);
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next.store(n);
    }
  };
  if (threads > 1) prepare_for_threads();
  std::vector<std::thread> helpers = start_threads(threads - 1, loop);  // fewer where the system gives fewer
  loop();
  for (std::thread& t : helpers) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

namespace {

// --region (or the path) wins over the region the text states; a difference is told.
void give_region(Document& doc, const std::string& region, const std::string& from, const StructureRules& rules) {
  std::string stated = doc.region.empty() ? std::string() : slice(doc.text, doc.region);
  if (!stated.empty() && stated != region)
    doc.warnings.push_back({"region_overridden", "the text states " + stated + "; " + from + " " + region + " used instead",
                            true, covering(doc.region)});
  doc.region_given = region;
  doc.region_rule = from == "--region" ? rules.region_option_rule : rules.region_path_rule;
}

}  // namespace

namespace {

// A digest whose title's year rule reads a half-year review (structure.json year.half_year:
// 兰溪区2019年上半年…述职摘登) takes periods.json period.half_year: written during its year,
// its plan (下半年) of that year. Warned on the title: periods.this_year is then the report
// year itself, where the contract's digest has the year after.
void take_half_year(Document& doc, const Structure& st, const PeriodRules& pr) {
  if (st.year_periods != "half_year" || pr.half_year_rule.empty() || doc.genre != "digest") return;
  doc.periods_rule = pr.half_year_rule;
  doc.plan_year_offset = pr.half_year_plan_year_offset;
  std::string message = "a half-year review (" + st.year_rule + "): 今年以来/上半年 are the half under review, " +
                        "下半年 the plan of the same year; periods.this_year is the report year (" + pr.half_year_rule + ")";
  doc.warnings.push_back({"half_year_report", message, !st.year_place.empty(), st.year_place});
}

// The front matter of a document found by the structure stage: title, region, year,
// genre, furniture and the structure's warnings.
void take_front(Document& doc, Structure& st, const Rules& rules, const ExtractOptions& options) {
  doc.title = st.title;
  doc.title_breaks = st.title_breaks;
  doc.subtitle = st.subtitle;
  doc.region = st.region;
  doc.title_rule = st.title_rule;
  doc.subtitle_rule = st.subtitle_rule;
  doc.region_rule = st.region_rule;
  // After the text's rule: --explain names the option or the path that won.
  if (options.region) give_region(doc, *options.region, options.region_from, rules.structure);
  doc.year_rule = st.year_rule;
  doc.report_year = st.report_year;
  doc.genre = st.genre;
  doc.genre_rule = st.genre_rule;
  doc.furniture = std::move(st.furniture);
  doc.warnings.insert(doc.warnings.end(), st.warnings.begin(), st.warnings.end());
  take_half_year(doc, st, rules.periods);
}

// periods.json full_report_given_after: a full report dated after the year it reviews,
// by a line that is a date alone among the first or last lines of its text (under the
// byline: （2024年1月12日）; at the end: 2024年1月15日, under the signature).
bool given_after_year(const Document& doc, const Rules& rules) {
  const PeriodRules& pr = rules.periods;
  if (pr.full_report_given_after_rule.empty() || doc.genre != "full_report" || !doc.report_year) return false;
  // Words that only a text written during the year says (今年以来, 明年): a draft of December
  // given in January keeps them, and then its 今年 is the year under review.
  for (const std::u32string& w : pr.full_report_given_after_unless) {
    auto same = [](char32_t a, char32_t b) { return fold_char(a) == b; };
    if (!w.empty() && std::search(doc.text.begin(), doc.text.end(), w.begin(), w.end(), same) != doc.text.end())
      return false;
  }
  auto after = [&](std::u32string_view line) {
    auto year = dateline_year(matching_view(line), rules.structure.dateline_chars, pr);
    return year && *year > *doc.report_year;
  };
  // The first and the last `n` lines that hold text (for_each_line drops a CRLF file's \r).
  size_t n = pr.full_report_given_after_lines, seen = 0;
  std::vector<std::u32string_view> last(n);
  bool found = false;
  for_each_line(doc.text, [&](std::u32string_view line) {
    if (found || line.find_first_not_of(U" \t\u3000") == std::u32string_view::npos) return;
    found = seen < n && after(line);
    last[seen++ % n] = line;
  });
  return found || std::any_of(last.begin(), last.begin() + long(std::min(seen, n)), after);
}

StretchContext context_of(const Document& doc, const Rules& rules, const ExtractOptions& options) {
  StretchContext cx;
  bool half_year = !doc.periods_rule.empty() && doc.periods_rule == rules.periods.half_year_rule;
  cx.frame = half_year                   ? PeriodFrame::half_year
             : doc.genre != "full_report" ? PeriodFrame::digest
             : doc.periods_rule.empty()   ? PeriodFrame::full_report
                                          : PeriodFrame::full_report_after;
  cx.report_year = doc.report_year;
  cx.plan_year_offset = doc.plan_year_offset;
  cx.explain = options.explain;
  return cx;
}

}  // namespace

namespace {

// The document up to its units: structure and front matter found; the sidebars'
// paragraphs wait in `sidebars` (fill_sidebars), the units' headings and paragraphs in
// `units` (with_heading, fill_units).
Document prepare(std::u32string text, SourceInfo source, const Rules& rules, const ExtractOptions& options,
                 bool streamed, UnitList& units, std::vector<SidebarText>& sidebars) {
  // Spans are 32-bit code point offsets: a longer text (--max-bytes raised past 4 GiB)
  // would get spans that wrap around.
  if (text.size() > kMaxChars)
    throw InputError("too_large", "holds more than " + std::to_string(kMaxChars) + " characters, more than spans can index");
  Document doc;
  doc.source = std::move(source);
  doc.text = std::move(text);
  doc.rules_fingerprint = rules.fingerprint;
  doc.rules = rules.weak_from_this().lock();
  StructureOptions so;
  so.year = options.year;
  so.year_from = options.year_from;
  so.pack_units = streamed;  // a document filled whole takes all its units at once
  if (streamed) so.post = options.post;
  Structure st;
  {
    // The view of the whole text is needed only to find the structure: the text is
    // folded in place meanwhile (no second copy of it), then put back; its lines are
    // laid out a stretch at a time as the structure is found.
    FoldChanges folded = fold_in_place(doc.text);
    st = find_units(doc.text, folded, rules, so);
    unfold(doc.text, folded);
  }
  take_front(doc, st, rules, options);
  if (given_after_year(doc, rules)) doc.periods_rule = rules.periods.full_report_given_after_rule;
  units = std::move(st.units);
  sidebars = std::move(st.sidebars);
  return doc;
}

// What a quantity states, to tell whether a caption states it again: its kind, value
// (or range) and unit. 0.26亿元 states 2600万元.
struct Stated {
  std::string_view kind;
  Decimal low, high;
  std::string unit;
  bool operator<(const Stated& o) const {
    return std::tie(kind, low, high, unit) < std::tie(o.kind, o.low, o.high, o.unit);
  }
};

std::optional<Stated> stated(const Fact& f, const Rules& rules) {
  if (!rules.kinds.is_quantity(f.kind)) return std::nullopt;
  if (f.value) return Stated{f.kind, *f.value, *f.value, f.unit};
  if (f.range) return Stated{f.kind, f.range->first, f.range->second, f.unit};
  return std::nullopt;
}

// The lines of a unit or sidebar left out as captions by their shape alone
// (UnitText::captions), each read as a stretch of text would be: one with a quantity
// its unit's (sidebar's) facts do not state is told in `left_out` by its rule
// (caption_dropped, the line's span): 　　全年开展
// “红色物业”进小区活动86场，服务群众1.2万人次。（记者　刘洋　摄） may be the report's own
// paragraph. A caption stating the unit's figure again (白沙乡投资2600万元建成的…中心。
// under …投资2600万元…) is not told; a date (1月21日) or a place in a photo (左2) is no
// quantity. The unit's facts are sorted once: a file of many captions in one large unit
// stays linear.
void check_captions(std::u32string_view text, const std::vector<Refusal>& captions, const StretchContext& cx,
                    const Rules& rules, const std::vector<Fact>& facts, std::vector<Refusal>& left_out) {
  if (captions.empty()) return;
  std::vector<Stated> unit_states;
  for (const Fact& f : facts)
    if (auto s = stated(f, rules)) unit_states.push_back(std::move(*s));
  std::sort(unit_states.begin(), unit_states.end());
  StretchContext caption_cx = cx;
  caption_cx.explain = false;
  for (const Refusal& caption : captions) {
    PeriodRun run{start_period(rules.periods, cx.frame), std::nullopt, 0, 0, false};
    Paragraph scratch;
    std::vector<Fact> found;
    std::vector<Refusal> unused_left_out, unused_refused;
    fill_stretch(text, Pieces{caption.span}, caption_cx, rules, run, scratch, {found, unused_left_out, unused_refused});
    bool new_figure = std::any_of(found.begin(), found.end(), [&](const Fact& f) {
      std::optional<Stated> s = stated(f, rules);
      return s && !std::binary_search(unit_states.begin(), unit_states.end(), *s);
    });
    if (new_figure) left_out.push_back(caption);
  }
}

// Fills the sidebars of `doc` from their paragraphs, and adds the figures they left
// out to `too_large`.
void fill_sidebars(Document& doc, std::vector<SidebarText>& sidebars, const Rules& rules, const ExtractOptions& options,
                   std::vector<Refusal>& too_large) {
  StretchContext cx = context_of(doc, rules, options);
  for (SidebarText& sb : sidebars) {
    // A label with no text of its own is no sidebar: 相关链接： over a list of other
    // articles that is all page furniture gave an empty sidebar at [0, 0).
    if (sb.paragraphs.empty()) {
      check_captions(doc.text, sb.captions, cx, rules, {}, too_large);
      continue;
    }
    Sidebar out;
    out.label = sb.label;
    out.rule = sb.rule;
    fill(doc.text, std::move(sb.paragraphs), cx, rules, out.paragraphs, {out.facts, too_large, out.refused});
    check_captions(doc.text, sb.captions, cx, rules, out.facts, too_large);
    warn_joined(doc, out.facts);
    doc.sidebars.push_back(std::move(out));
  }
}

// A unit of the document with its heading (taken from `t`), its paragraphs yet to fill.
Unit with_heading(UnitText& t, const std::vector<Span>& markup) {
  UnitHeading& h = t.heading;
  Unit u;
  u.has_heading = t.has_heading;
  u.heading = std::move(h.heading);
  keep_clear_of_markup(u.heading, markup, h.organization.empty() ? h.name : h.organization);
  u.organization = h.organization;
  u.role = h.role;
  u.name = h.name;
  u.headline = std::move(h.headline);
  u.rules = std::move(h.rules);
  return u;
}

StretchContext unit_context(const Document& doc, const Rules& rules, const ExtractOptions& options) {
  StretchContext cx = context_of(doc, rules, options);
  cx.with_periods = true;
  return cx;
}

// Fills `u` from the paragraphs of `t`, unit `index` of the document whose text is
// `text`, and adds the figures it left out to `too_large`.
void fill_unit(std::u32string_view text, UnitText& t, Unit& u, size_t index, const StretchContext& cx,
               const Rules& rules, const ExtractOptions& options, std::vector<Refusal>& too_large) {
  if (options.before_unit) options.before_unit(index);
  StretchContext unit_cx = cx;
  place_of_unit(text, u.organization, rules, unit_cx);
  fill(text, std::move(t.paragraphs), unit_cx, rules, u.paragraphs, {u.facts, too_large, u.refused});
  mark_restated_cells(text, u.facts, rules, cx.explain);
  check_captions(text, t.captions, unit_cx, rules, u.facts, too_large);
}

// Fills out[k] from the paragraphs of units[k], in parallel for a large document, and
// adds their warnings (figures read across a line break) and the figures they left
// out to `too_large`, in the order of the units. The first fault goes up.
void fill_units(Document& doc, std::vector<UnitText>& units, Unit* out, const Rules& rules,
                const ExtractOptions& options, std::vector<Refusal>& too_large) {
  StretchContext cx = unit_context(doc, rules, options);
  std::vector<std::vector<Refusal>> too_large_in_unit(units.size());
  auto fill_one = [&](size_t k) { fill_unit(doc.text, units[k], out[k], k, cx, rules, options, too_large_in_unit[k]); };
  bool parallel = doc.text.size() >= kParallelChars;
  if (parallel && options.parallel) options.parallel(units.size(), fill_one);
  else run_each(units.size(), parallel ? options.threads : 1, fill_one);
  for (size_t k = 0; k < units.size(); ++k) warn_joined(doc, out[k].facts);
  for (const auto& spans : too_large_in_unit) too_large.insert(too_large.end(), spans.begin(), spans.end());
}

}  // namespace

Document extract_text(std::u32string text, SourceInfo source, const Rules& rules, const ExtractOptions& options,
                      std::vector<Span> markup, PageMap page) {
  UnitList list;
  std::vector<SidebarText> sidebars;
  std::vector<Refusal> too_large;
  Document doc = prepare(std::move(text), std::move(source), rules, options, false, list, sidebars);
  fill_sidebars(doc, sidebars, rules, options, too_large);
  doc.markup = std::move(markup);
  doc.page = std::move(page);
  std::vector<UnitText> units;
  units.reserve(list.size());
  while (!list.empty()) units.push_back(list.pop_front());
  doc.units.reserve(units.size());
  for (UnitText& t : units) doc.units.push_back(with_heading(t, doc.markup));
  fill_units(doc, units, doc.units.data(), rules, options, too_large);
  warn_left_out(too_large, rules, doc.warnings);
  return doc;
}

namespace {

// What to try instead of the encoding that failed.
std::string encoding_hint(const std::string& used) {
  bool utf8 = used == "UTF-8" || used == "utf-8" || used == "UTF8" || used == "utf8";
  return utf8 ? "wrong encoding? try --encoding GB18030" : "wrong encoding? try --encoding UTF-8";
}

// Text with more undecodable sequences than one character in a hundred, and at least
// this many, read in the wrong encoding: a document of junk facts. Below the count, a
// short file cut inside its last character is damage to report, not an error.
constexpr size_t kMinUndecodableForError = 10;

// The source's fields from its decoding, or InputError if it reads as junk.
void check_decoded(const Decoded& d, size_t bytes, SourceInfo& source) {
  if (d.invalid >= kMinUndecodableForError && d.invalid * 100 > d.text.size())
    throw InputError("undecodable", std::to_string(d.invalid) + " undecodable byte sequences in " +
                                        std::to_string(d.text.size()) + " characters (read as " + d.encoding + "); " +
                                        encoding_hint(d.encoding));
  source.undecodable = d.invalid;
  source.encoding = d.encoding;
  source.bom = d.bom;
  source.bytes = bytes;
}

// An HTML page saved from a website: read as its text (stage 1b, markup), the rule that
// did it named in the source (`"markup": "layout.html_page"`).
std::vector<Span> read_markup(Decoded& d, const LayoutRules::Markup& rules, SourceInfo& source, PageMap& page) {
  if (!is_html_page(d.text, rules)) return {};
  source.markup = rules.name;
  return read_page(d.text, rules, page).tags;
}

// A decoded input admitted as a document, whether read whole or streamed: the source's
// fields from its decoding (InputError if it reads as junk), and a page read as its
// text (the markup's spans returned, `page` mapping the text back to the page).
std::vector<Span> admit(Decoded& d, size_t bytes, SourceInfo& source, const Rules& rules, PageMap& page) {
  check_decoded(d, bytes, source);
  return read_markup(d, rules.layout.markup, source, page);
}

Document from_decoded(Decoded d, size_t bytes, SourceInfo source, const Rules& rules, const ExtractOptions& options) {
  PageMap page;
  std::vector<Span> markup = admit(d, bytes, source, rules, page);
  Document doc = extract_text(std::move(d.text), std::move(source), rules, options, std::move(markup), std::move(page));
  doc.warnings.insert(doc.warnings.begin(), d.warnings.begin(), d.warnings.end());
  return doc;
}

}  // namespace

Document extract(std::string_view bytes, SourceInfo source, const Rules& rules, const ExtractOptions& options) {
  return from_decoded(decode(bytes, options.decode), bytes.size(), std::move(source), rules, options);
}

Document extract_owned(std::string&& bytes, SourceInfo source, const Rules& rules, const ExtractOptions& options) {
  size_t size = bytes.size();
  return from_decoded(decode_owned(std::move(bytes), options.decode), size, std::move(source), rules, options);
}

Document extract_decoded(Decoded decoded, size_t bytes, SourceInfo source, const Rules& rules,
                         const ExtractOptions& options) {
  return from_decoded(std::move(decoded), bytes, std::move(source), rules, options);
}

StreamedDocument extract_streamed(std::string&& bytes, SourceInfo source, const Rules& rules,
                                  const ExtractOptions& options) {
  size_t size = bytes.size();
  return extract_streamed(decode_owned(std::move(bytes), options.decode), size, std::move(source), rules, options);
}

StreamedDocument extract_streamed(Decoded d, size_t bytes, SourceInfo source, const Rules& rules,
                                  const ExtractOptions& options) {
  PageMap page;
  std::vector<Span> markup = admit(d, bytes, source, rules, page);
  StreamedDocument out(rules, options);
  std::vector<SidebarText> sidebars;
  out.doc = prepare(std::move(d.text), std::move(source), rules, options, true, out.units_, sidebars);
  out.doc.markup = std::move(markup);
  out.doc.page = std::move(page);
  out.count_ = out.units_.size();
  // The first window of units is posted to the batch's idle threads before this one
  // fills the sidebars and the writer writes them: on big.txt (2,229 sidebars) at -j 2
  // the second thread waited 40-50 ms here. Its units are written by the writer, not
  // ahead: no UnitWriter is given before stream().
  if (out.count_ > 0 && out.posts_windows()) out.ahead_ = out.start_window(0);
  fill_sidebars(out.doc, sidebars, rules, options, out.too_large_);
  out.doc.warnings.insert(out.doc.warnings.begin(), d.warnings.begin(), d.warnings.end());
  for (const Sidebar& sb : out.doc.sidebars) out.facts_ += sb.facts.size();
  return out;
}

StreamedDocument::StreamedDocument(const Rules& rules, const ExtractOptions& options)
    : rules_(&rules), options_(options) {}

bool StreamedDocument::posts_windows() const { return options_.post && doc.text.size() >= kParallelChars; }

// One window of a streamed document's units: taken from its list of units, filled
// (on the batch's threads when posted), then written and freed one by one.
struct StreamedDocument::Window {
  size_t first = 0;                          // the index of units[0] in the document
  std::vector<UnitText> texts;               // their headings and paragraphs, as found
  std::vector<Span> spans;                   // where each stands in the text
  std::vector<Unit> units;
  std::vector<std::vector<Refusal>> too_large;  // each unit's figures left out
  std::vector<std::string> failures;         // what went wrong in each (empty: nothing)
  // What the writer needs of each unit once filled (finish_unit): the warnings of its
  // facts read across line breaks and their count; and, written ahead (a UnitWriter
  // given, see kWriteAheadChars), whether it was and its text (the unit freed then).
  std::vector<std::vector<Warning>> joined;
  std::vector<size_t> fact_counts;
  std::vector<char> ahead;
  std::vector<std::string> written;
  std::atomic<bool> abandoned{false};        // the document goes unwritten: fill no more
  std::function<void()> join;                // ends the fill (see ExtractOptions::post)
};

namespace {

// A unit that failed while streaming is written without facts: half of a unit's
// facts could be wrong ones.
void clear_failed(Unit& u) {
  std::vector<Paragraph>().swap(u.paragraphs);
  std::vector<Fact>().swap(u.facts);
  std::vector<Refusal>().swap(u.refused);
}

}  // namespace

// After unit k of `w` is filled (or failed), on the thread that filled it: what the
// writer needs of it noted, a failed one cleared, and, given `write`, the unit written
// and freed there (a unit freed by the writer's thread went back to another thread's
// heap, under its lock: malloc and free were 13% of a run on two threads, 8% on one).
void StreamedDocument::finish_unit(Window& w, size_t k, const UnitWriter& write) {
  Unit& u = w.units[k];
  for (const Fact& f : u.facts)
    if (f.joined) w.joined[k].push_back(joined_warning(f));
  if (!w.failures[k].empty()) clear_failed(u);
  w.fact_counts[k] = u.facts.size();
  if (!write || w.spans[k].end - w.spans[k].start > kWriteAheadChars) return;
  w.ahead[k] = true;
  write(w.written[k], u, w.first + k);
  u = Unit();
}

StreamedDocument::StreamedDocument(StreamedDocument&&) noexcept = default;

StreamedDocument::~StreamedDocument() {
  // A window still being filled (the writer stopped: a broken pipe) is waited for:
  // threads of the batch may be writing into it.
  if (!ahead_) return;
  ahead_->abandoned = true;
  try {
    ahead_->join();
  } catch (...) {  // the document is not written: its faults no longer matter
  }
}

// The units from `first` (the next one) on whose text adds up to kWindowChars (one at
// least), their filling started: enough work for every thread, little memory. A
// fault in a unit is kept, not thrown: the units before it are written already.
std::unique_ptr<StreamedDocument::Window> StreamedDocument::start_window(size_t first) {
  auto w = std::make_unique<Window>();
  w->first = first;
  size_t chars = 0;
  while (!units_.empty() && (w->texts.empty() || chars < kWindowChars)) {
    w->texts.push_back(units_.pop_front());
    for (const ParagraphText& p : w->texts.back().paragraphs) chars += covering(p.pieces).size();
  }
  size_t n = w->texts.size();
  for (UnitText& t : w->texts) {
    w->spans.push_back(text_of(t));
    w->units.push_back(with_heading(t, doc.markup));
  }
  w->too_large.resize(n);
  w->failures.resize(n);
  w->joined.resize(n);
  w->fact_counts.resize(n);
  w->ahead.resize(n);
  if (write_ahead_) w->written.resize(n);
  // Nothing of `this` is captured: the first window may be started before the document
  // is returned, moved (a large text's buffer moves with it: the view stays good) and
  // given a writer.
  auto work = [w = w.get(), text = std::u32string_view(doc.text), cx = unit_context(doc, *rules_, options_),
               rules = rules_, options = options_, write = write_ahead_](size_t k) {
    if (w->abandoned) return;
    try {
      fill_unit(text, w->texts[k], w->units[k], w->first + k, cx, *rules, options, w->too_large[k]);
    } catch (const std::exception& e) {
      w->failures[k] = e.what();
    }
    finish_unit(*w, k, write);
  };
  bool parallel = doc.text.size() >= kParallelChars;
  if (posts_windows()) {
    w->join = options_.post(n, std::move(work));
  } else if (parallel && options_.parallel) {
    w->join = [n, run = options_.parallel, work = std::move(work)] { run(n, work); };
  } else {
    size_t threads = parallel ? options_.threads : 1;
    w->join = [n, threads, work = std::move(work)] { run_each(n, threads, work); };
  }
  return w;
}

// Waits for window `w` to be filled and makes it the one written: its warnings, its
// unrepresentable figures and its failed units taken in the order of the units.
void StreamedDocument::take_window(std::unique_ptr<Window> w) {
  w->join();
  size_t n = w->units.size();
  for (const auto& joined : w->joined) doc.warnings.insert(doc.warnings.end(), joined.begin(), joined.end());
  for (const auto& spans : w->too_large) too_large_.insert(too_large_.end(), spans.begin(), spans.end());
  window_ = std::move(w->units);
  window_ahead_ = std::move(w->ahead);
  window_written_ = std::move(w->written);
  window_first_ = w->first;
  for (size_t k = 0; k < n; ++k) {
    if (!w->failures[k].empty()) drop_failed(w->spans[k], w->failures[k]);
    facts_ += w->fact_counts[k];
  }
  filled_ = w->first + n;
}

// Before unit i is written: once the window written is done with, the next one (filled
// meanwhile) takes its place and the one after it is started, so that the threads
// fill it while the writer writes.
void StreamedDocument::fill_up_to(size_t i) {
  if (i < filled_) return;
  std::unique_ptr<Window> w = ahead_ ? std::move(ahead_) : start_window(i);
  // Started before `w` is waited for: a thread done with w's units goes on with these.
  if (!units_.empty()) ahead_ = start_window(w->first + w->units.size());
  take_window(std::move(w));
}

// Where a unit's paragraphs stand in the text (empty when it has none).
Span StreamedDocument::text_of(const UnitText& u) {
  if (u.paragraphs.empty()) return Span{};
  Span a = covering(u.paragraphs.front().pieces), b = covering(u.paragraphs.back().pieces);
  return Span{a.start, b.end};
}

// A unit digestx failed on while streaming: the units before it are written already,
// so it is written without facts (a half-read unit could hold wrong ones; finish_unit
// cleared it) and said so.
void StreamedDocument::drop_failed(Span where, const std::string& what) {
  Warning w{"unit_failed", "digestx failed on this unit (" + what + "); its facts are left out", !where.empty(), where};
  doc.warnings.push_back(std::move(w));
  ++failed_units_;
}

void StreamedDocument::release(size_t i) {
  window_[i - window_first_] = Unit();
  if (!window_written_.empty()) std::string().swap(window_written_[i - window_first_]);
}

void StreamedDocument::finish() {
  if (finished_) return;
  finished_ = true;
  warn_left_out(too_large_, *rules_, doc.warnings);
  doc.warnings.insert(doc.warnings.end(), trailing_warnings.begin(), trailing_warnings.end());
  std::vector<Refusal>().swap(too_large_);
}

UnitStream StreamedDocument::stream(UnitWriter write_ahead) {
  write_ahead_ = std::move(write_ahead);
  UnitStream s;
  s.before = [this](size_t i) { fill_up_to(i); };
  s.after = [this](size_t i) { release(i); };
  s.count = count_;
  s.unit = [this](size_t i) -> const Unit& { return window_[i - window_first_]; };
  if (write_ahead_) {
    s.written = [this](size_t i) -> const std::string* {
      size_t k = i - window_first_;
      return k < window_ahead_.size() && window_ahead_[k] ? &window_written_[k] : nullptr;
    };
  }
  s.finish = [this] { finish(); };
  return s;
}

LineAnalysis analyse_line(std::u32string line, const Rules& rules, bool explain, std::u32string_view organization) {
  LineAnalysis out;
  out.rules = rules.weak_from_this().lock();
  out.text = std::move(line);
  std::u32string view = matching_view(out.text);
  out.numerals = find_numerals(view, rules.numbers, out.text, &out.left_out);
  if (explain)  // a damaged figure is a refusal too: 新增就业2,3000名
    for (const Refusal& r : out.left_out)
      if (!r.rule.empty()) out.refused.push_back(r);
  Joined joined = Joined::of(view, {{0, uint32_t(view.size())}});
  FactInput fi;
  fi.explain = explain;
  fi.joined = &joined;
  fi.text = out.text;
  fi.numerals = &out.numerals;  // the line is one piece: the same numerals
  StretchContext unit;
  place_of_unit(organization, {0, uint32_t(organization.size())}, rules, unit);
  fi.unit_place = unit.unit_place;
  fi.unit_kind = unit.unit_kind;
  fi.left_out = &out.left_out;
  if (explain) fi.refused = &out.refused;
  // Its sentences as the pipeline finds them: a subject or a span cue (“十三五”期间…)
  // reads within its sentence here as in a document.
  for (const SentenceText& st : split_sentences(view, ParagraphText{{{0, uint32_t(view.size())}}}, rules.sentences))
    if (!st.pieces.empty()) fi.sentence_starts.push_back(st.pieces.front().start);
  out.facts = find_facts(fi, rules);
  return out;
}

// The one answer to "may a total add this figure?" (contract, Totals): a kind that
// rules/kinds.json marks totalled (money) and an aspect it marks summable (amount), and
// no part of a whole beside it (part_of), no target or forecast (status).
// 人均可支配收入23977元 (per_capita) or 10万元以下的村 (threshold) never join a sum, nor
// 年度目标任务62亿元 beside the 58.6亿元 done against it (target).
bool counts_in_money_total(const Fact& f) {
  if (!f.value || !f.part_of.empty()) return false;  // 其中财政资金3000万元: inside its whole
  if (!f.status.empty()) return false;
  bool kind_totalled = false, aspect_summable = false;
  for (const GeneratedKind& k : generated_kinds())
    if (f.kind == k.name) kind_totalled = k.totalled;
  for (const GeneratedAspect& a : generated_aspects())
    if (f.aspect == a.name) aspect_summable = a.summable;
  return kind_totalled && aspect_summable;
}

std::string warnings_summary(const Document& doc) {
  if (doc.warnings.empty()) return {};
  std::vector<std::pair<std::string, size_t>> counts;  // in order of first appearance
  for (const Warning& w : doc.warnings) {
    if (w.code == "invalid_bytes") continue;  // summed up from the decoder's count below
    auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == w.code; });
    if (it == counts.end()) counts.push_back({w.code, 1});
    else ++it->second;
  }
  std::string out;
  if (doc.source.undecodable > 0)
    out = std::to_string(doc.source.undecodable) + " undecodable byte sequences; " + encoding_hint(doc.source.encoding);
  for (const auto& [code, n] : counts) out += (out.empty() ? "" : "; ") + std::to_string(n) + " " + code;
  return out;
}

size_t count_facts(const Document& doc) {
  size_t n = 0;
  for (const auto& u : doc.units) n += u.facts.size();
  for (const auto& s : doc.sidebars) n += s.facts.size();
  return n;
}

}  // namespace digestx
