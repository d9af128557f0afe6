#include "digestx/units.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>

#include "digestx/boxed.hpp"
#include "digestx/headings.hpp"
#include "digestx/joined.hpp"
#include "digestx/periods.hpp"
#include "digestx/utf.hpp"

namespace digestx {

namespace {

// ------------------------------------------------------------ helpers

// The longest run of text without a sentence end that lines are joined into: real
// paragraphs broken by the page layout end a sentence within a few hundred characters.
constexpr size_t kMaxRunChars = 500;

bool is_closing(char32_t c) {
  return c == U'”' || c == U'’' || c == U'」' || c == U'』' || c == ')' || c == U'）' || c == U'》' || c == '"' ||
         c == '\'';
}

// Ends a sentence: 。！？ etc., possibly followed by closing quotes or brackets; with
// `soft`, an ASCII full stop after a word too (…新建党群服务站5个.: a paragraph's end). Not
// for the tests of headings: 三.红星镇党委书记　李明. is still a line to warn of.
bool ends_sentence(std::u32string_view s, const StructureRules& rules, bool soft_stops = false) {
  size_t i = s.size();
  while (i > 0 && (is_closing(s[i - 1]) || is_space(s[i - 1]))) --i;
  if (i == 0) return false;
  char32_t c = s[i - 1];
  // A soft stop after a Chinese character (…新建党群服务站5个.): ASCII text's full stop.
  bool soft = soft_stops && i >= 2 && !is_ascii_digit(s[i - 2]) && !is_ascii_alpha(s[i - 2]) && !is_space(s[i - 2]) &&
              rules.soft_stops.find(c) != std::u32string::npos;
  return in_set(rules.sentence_end, c) || c == U'…' || soft;
}

bool has_text(std::u32string_view s) {
  for (char32_t c : s)
    if (is_han(c) || is_ascii_digit(c) || is_ascii_alpha(c)) return true;
  return false;
}

void trim(const Joined& j, size_t& b, size_t& e) {
  while (b < e && is_space(j.chars()[b])) ++b;
  while (e > b && is_space(j.chars()[e - 1])) --e;
}

// Pieces of `line` without its enumerator (一、 (1) …) and the white space after it
// ("3. 天涯区委书记黄兴武": a numbered list of units).
ShortPieces without_enumerator(std::u32string_view view, const Line& line) {
  ShortPieces out = line.content;
  if (!line.enumerator.empty() && !out.empty() && out.first.start == line.enumerator.start) {
    out.first.start = line.enumerator.end;
    while (out.first.start < out.first.end && is_space(view[out.first.start])) ++out.first.start;
    if (out.first.empty()) {  // the enumerator was all of the first piece
      out.first = out.second;
      out.second = {};
    }
  }
  return out;
}

// A line's span as the one piece it is: Joined reads it so with no Pieces made (two
// tests of every body line made one each).
ShortPieces whole_line(const Line& line) {
  ShortPieces one;
  one.first = line.span;
  return one;
}

std::u32string text_of(std::u32string_view view, const Pieces& pieces) { return std::u32string(Joined::of(view, pieces).chars()); }
std::u32string text_of(std::u32string_view view, const ShortPieces& pieces) {
  return std::u32string(Joined::of(view, pieces).chars());
}

// ------------------------------------------------------------ line kinds

enum class Kind { blank, body, unit, sidebar, subtitle, title, furniture };

// What one line is. Kept for every line of the text, so small: the heading of a
// unit (rare) is boxed.
struct Classified {
  Kind kind = Kind::blank;
  Boxed<HeadingParse> unit;
  Span label;             // sidebar label
  std::string_view rule;  // sidebar, subtitle or lead rule (owned by the rules)
  bool in_unit = false;   // a sidebar label that inside a unit leads one of its paragraphs
  const StructureRules::Lead* lead = nullptr;  // what led the unit heading (——), if anything
  ShortPieces rest;       // sidebar inline text, subtitle text
};

std::optional<Classified> as_sidebar(std::u32string_view view, const Line& line, const StructureRules& rules) {
  ShortPieces content = without_enumerator(view, line);
  if (content.empty()) return std::nullopt;
  Joined j = Joined::of(view, content);
  for (const auto& label : rules.sidebar_labels) {
    std::u32string_view s = j.chars();
    if (s.compare(0, label.text.size(), label.text) != 0) continue;
    size_t p = label.text.size();
    size_t q = p;
    while (q < s.size() && is_space(s[q])) ++q;
    bool separated = q == s.size() || s[q] == ':' || s[q] == U'：' || q > p || line.wrapped;
    if (!separated) continue;
    if (q < s.size() && (s[q] == ':' || s[q] == U'：')) ++q;
    Classified c;
    c.kind = Kind::sidebar;
    c.label = j.span(0, p);
    c.rule = label.name;
    c.in_unit = label.in_unit;
    size_t b = q, e = s.size();
    trim(j, b, e);
    if (b < e) c.rest = j.pieces(b, e);
    return c;
  }
  return std::nullopt;
}

std::optional<Classified> as_subtitle(std::u32string_view view, const Line& line, const StructureRules& rules,
                                      bool prefixed) {
  Joined j = Joined::of(view, line.content);
  std::u32string_view s = j.chars();
  for (const auto& sub : rules.subtitles) {
    if (prefixed == sub.prefix.empty()) continue;
    size_t b = 0;
    if (!sub.prefix.empty()) {
      if (s.compare(0, sub.prefix.size(), sub.prefix) != 0) continue;
      b = sub.prefix.size();
      // A longer run of the same dash is still the prefix.
      while (b < s.size() && s[b] == sub.prefix.back()) ++b;
    }
    if (!sub.keywords.empty() &&
        std::none_of(sub.keywords.begin(), sub.keywords.end(), [&](const std::u32string& k) { return s.find(k) != std::u32string::npos; }))
      continue;
    size_t e = s.size();
    trim(j, b, e);
    if (b >= e) continue;
    Classified c;
    c.kind = Kind::subtitle;
    c.rule = sub.name;
    c.rest = j.pieces(b, e);
    return c;
  }
  return std::nullopt;
}

// The line after its lead, if a lead of the rules starts it: a heading may follow
// dashes when its headline stands above it ("——海棠区委书记鲁正兰").
ShortPieces after_lead(std::u32string_view view, const ShortPieces& content, const StructureRules& rules,
                       const StructureRules::Lead*& lead) {
  Joined j = Joined::of(view, content);
  std::u32string_view s = j.chars();
  for (const auto& l : rules.leads) {
    size_t p = 0;
    while (p < s.size() && (in_set(l.chars, s[p]) || (p > 0 && is_space(s[p])))) ++p;
    if (p == 0) continue;
    if (p == s.size()) return content;
    // ——记青山镇党委书记马骏 under its headline: 记 is the byline's, not the organisation's.
    if (auto word = l.words.longest_at(s, p); word && p + word.len < s.size() && is_han(s[p + word.len])) p += word.len;
    lead = &l;
    return j.pieces(p, s.size());
  }
  return content;
}

Classified classify(std::u32string_view view, const Line& line, const Rules& rules) {
  Classified c;
  if (line.blank) return c;
  if (!line.furniture.empty()) {
    c.kind = Kind::furniture;
    c.rule = line.furniture;
    return c;
  }
  // Rules such as --- or *** separate, they say nothing.
  if (!has_text(Joined::of(view, line.content).chars())) return c;
  if (auto s = as_sidebar(view, line, rules.structure)) return *s;
  ShortPieces content = without_enumerator(view, line);
  const StructureRules::Lead* lead = nullptr;
  ShortPieces heading = after_lead(view, content, rules.structure, lead);
  if (auto h = parse_heading_line(view, heading, rules.structure)) {
    c.kind = Kind::unit;
    c.unit = std::move(*h);
    c.lead = lead;
    if (lead) c.rule = lead->name;
    return c;
  }
  c.kind = Kind::body;
  return c;
}

// "文城镇：织密红色网格" above "——文城镇党委书记 符小明": the place before the colon
// repeats the organisation and is not part of the headline.
Pieces without_place_label(std::u32string_view view, const Pieces& headline, Span organization) {
  Joined j = Joined::of(view, headline);
  size_t colon = j.chars().find_first_of(U":：");
  if (colon == std::u32string::npos || colon == 0 || colon + 1 >= j.size()) return headline;
  std::u32string_view label(j.chars().data(), colon);
  std::u32string_view org = view.substr(organization.start, organization.size());
  if (org.substr(0, label.size()) != label) return headline;
  size_t b = colon + 1, e = j.size();
  while (b < e && is_space(j.chars()[b])) ++b;
  return j.pieces(b, e);
}

// “以高质量党建引领‘双一流’建设” set on the line under **云川大学党委书记 张立群**: a
// headline that is one quotation wholly wears its quotes as markup; the headline is
// what they hold. “小网格”撬动“大治理” (two quotations) keeps them.
std::optional<Pieces> without_enclosing_quotes(std::u32string_view view, const Pieces& headline, const Rules& rules) {
  Joined j = Joined::of(view, headline);
  std::u32string_view s = j.chars();
  if (s.size() < 3) return std::nullopt;
  for (const auto& q : rules.exclusions.quotes) {
    if (s.front() != q.open || s.back() != q.close) continue;
    size_t depth = 0, closed_at = s.size();
    for (size_t i = 0; i < s.size() && closed_at == s.size(); ++i) {
      if (s[i] == q.close && (q.open != q.close || i > 0) && depth > 0 && --depth == 0) closed_at = i;
      else if (s[i] == q.open) ++depth;
    }
    if (closed_at != s.size() - 1) return std::nullopt;
    size_t b = 1, e = s.size() - 1;
    while (b < e && is_space(s[b])) ++b;
    while (e > b && is_space(s[e - 1])) --e;
    return b < e ? std::optional<Pieces>(j.pieces(b, e)) : std::nullopt;
  }
  return std::nullopt;
}

// "述职主题：以党建引领疫情防控" under "述职人：城北镇党委书记 周建华": a field label
// before a colon names the line and is not part of the headline; nor are the dashes
// that lead it in ("——以“党建+”激活县域发展新动能" under "◆ 青川县委书记 马文涛").
Pieces without_headline_label(std::u32string_view view, const Pieces& headline, const Rules& rules) {
  const StructureRules& st = rules.structure;
  if (headline.empty()) return headline;
  Joined j = Joined::of(view, headline);
  std::u32string_view s = j.chars();
  size_t b = 0;
  while (b < s.size() && (st.headline_lead_marks.find(s[b]) != std::u32string::npos || is_space(s[b]))) ++b;
  if (auto m = st.headline_labels.longest_at(s, b)) {
    size_t c = b + m.len;
    while (c < s.size() && is_space(s[c])) ++c;
    // The label's separator is a heading's (structure.json separators: 述职主题：…).
    if (auto sep = st.separator_words.longest_at(s, c); sep && c + sep.len < s.size()) b = c + sep.len;
  }
  while (b < s.size() && is_space(s[b])) ++b;
  return b > 0 && b < s.size() ? j.pieces(b, s.size()) : headline;
}

// Where a heading line sits in the source: its words, and its wrappers too when they
// stand inside (【…】, **…**), so that the heading's span gives back its text.
Span heading_extent(std::u32string_view view, const Line& line) {
  Span e = line.wrapped ? line.body : covering(line.content);
  if (line.enumerator.empty() || line.enumerator.end <= e.start || line.enumerator.end > e.end) return e;
  e.start = line.enumerator.end;
  while (e.start < e.end && is_space(view[e.start])) ++e.start;
  return e;
}

// ------------------------------------------------------------ walking

struct Builder {
  std::u32string_view view;
  const Rules& rules;
  Structure out;
  SidebarText front;       // unlabelled text before the first unit
  // pending: the text of a section signed at the end, until its signature (signed_sections)
  enum class Where { front, sidebar, unit, pending } where = Where::front;
  bool interrupted_unit = false;  // the current sidebar interrupted a unit
  ParagraphText open;
  bool open_finished = true;
  size_t open_run = 0;  // characters of the open paragraph after its last sentence terminator
  std::vector<ParagraphText> pending;  // Where::pending's paragraphs
  // Captions taken by their shape alone (UnitText::captions) in Where::pending's text.
  std::vector<Refusal> pending_captions;

  std::vector<ParagraphText>& target() {
    switch (where) {
      case Where::sidebar: return out.sidebars.back().paragraphs;
      case Where::unit: return out.units.back().paragraphs;
      case Where::pending: return pending;
      default: return front.paragraphs;
    }
  }
  // Where a caption taken by its shape alone goes: beside the text it stands in.
  std::vector<Refusal>& target_captions() {
    switch (where) {
      case Where::sidebar: return out.sidebars.back().captions;
      case Where::unit: return out.units.back().captions;
      case Where::pending: return pending_captions;
      default: return front.captions;
    }
  }
  void close() {
    if (!open.pieces.empty()) target().push_back(std::move(open));
    open = {};
    open_finished = true;
    open_run = 0;
  }
  // A line goes on the open paragraph when that ends no sentence (the page layout broke
  // it), unless the paragraph already runs kMaxRunChars past its last sentence end: such
  // a run is a table or a list (thousands of rows of "海棠区第N网格 发放慰问金 39.6万元"),
  // not one sentence, and goes into paragraphs of about that length, cut at line breaks.
  // `pieces`: Pieces, or a line's ShortPieces as they are (made Pieces, an allocation
  // per line).
  template <class List>
  void add_body(const List& pieces) {
    if (pieces.empty()) return;
    Joined line = Joined::of(view, pieces);
    // A break between two numerals that the page did not make closes the paragraph too
    // (layout.json numerals_apart, see body()).
    if (open.pieces.empty() || open_finished || open_run > kMaxRunChars) close();
    for (size_t k = 0; k < pieces.size(); ++k) open.pieces.push_back(pieces[k]);
    // Only the new line is looked at: the text before it ends no sentence (else the
    // paragraph was closed), and ends_sentence skips closers back into it only to find
    // that. Joining the whole open paragraph per line was quadratic on a table of
    // 40,000 rows without a 。 ("海棠区第N网格 发放慰问金 39.6万元 惠及党员3500名").
    open_finished = ends_sentence(line.chars(), rules.structure,
                                  line.chars().find_first_of(rules.structure.soft_stops_unless) == std::u32string_view::npos);
    size_t last_end = line.chars().find_last_of(rules.structure.sentence_end);
    open_run = last_end == std::u32string_view::npos ? open_run + line.size() : line.size() - last_end - 1;
  }
  // Whether `line` opens a period and so a paragraph of its own, though the open one
  // ends no sentence (periods.json paragraph_opening): 二是培训党员1200人次, then
  // 今年，城关镇将新建小区党支部5个 (joined, the plan was dated last_year).
  bool opens_period(const ShortPieces& line) const {
    if (open.pieces.empty() || open_finished || line.empty() || open.pieces.back().empty()) return false;
    std::u32string_view first = view.substr(line.first.start, line.first.size());
    return opens_period_paragraph(first, view.substr(0, open.pieces.back().end), rules.periods);
  }
  bool starts_with_period_marker(const Pieces& pieces) const {
    std::u32string s = text_of(view, pieces);
    return bool(rules.periods.marker_words.longest_at(s, 0));
  }
};

// A line the page broke off a sentence, not a headline, though it ends in no sentence
// end: more clause commas than a headline holds (2025年，新登记经营主体6820户，同比增长
// 9.4%，总量突破 over a blank line and 5.2万户。), or a sentence's opening (2025年，… 一年来，…).
bool reads_as_sentence(const std::u32string& s, const StructureRules& st) {
  size_t commas = size_t(std::count_if(s.begin(), s.end(), [](char32_t c) { return c == U'，' || c == ','; }));
  if (!st.headline_commas_rule.empty() && commas > st.headline_max_commas) return true;
  const LazyRegex& opening = st.headline_sentence_opening.pattern;
  return opening && opening.may_match(s) && opening.run(s, RegexMode::prefix) == RegexRun::hit;
}

// `inner_marks`: marks the line may hold before its end (a title's 听！ in
// 年终述职丨听！白河县乡镇党委书记这样说); any other sentence end inside it makes a sentence.
bool headline_like(std::u32string_view view, const Pieces& pieces, const Rules& rules,
                   std::u32string_view inner_marks = {}) {
  std::u32string s = text_of(view, pieces);
  if (s.empty() || s.size() > rules.structure.headline_max_chars) return false;
  // 党建引领，让乡村美起来！: an exclamation may close a headline with no figure in it.
  if (s.size() > 1 && in_set(rules.structure.headline_final_marks, s.back()) &&
      std::none_of(s.begin(), s.end(), is_ascii_digit))
    s.pop_back();
  if (ends_sentence(s, rules.structure)) return false;
  if (in_set(rules.structure.address_end, s.back())) return false;  // 各位代表： opens the speech
  for (char32_t c : s)
    if ((c == U'。' || c == '!' || c == '?' || c == ';' || c == U'；') && inner_marks.find(c) == std::u32string_view::npos)
      return false;
  if (rules.periods.marker_words.longest_at(s, 0)) return false;
  if (reads_as_sentence(s, rules.structure)) return false;
  // （2023年12月28日） under a full report's author is its date.
  const auto& date = rules.structure.dateline_chars;
  return date.empty() || s.find_first_not_of(date) != std::u32string::npos;
}

// ------------------------------------------------------------ report year and region

// The text of a place with every quoted or bracketed name blanked out (same length), so
// that a year inside it (获评“2019年度全省先进集体”) never sets the report year.
std::u32string without_quoted(std::u32string_view s, const ExclusionRules& ex) {
  std::u32string out(s);
  for (size_t i = 0; i < out.size(); ++i) {
    for (const auto& q : ex.quotes) {
      if (out[i] != q.open) continue;
      // Only as far as a quote may reach: an opening mark that never closes must not
      // send a search to the end of a 5 MB text for each of its thousands of copies.
      size_t close = std::u32string_view(out).substr(i + 1, ex.max_quote_chars).find(q.close);
      if (close == std::u32string::npos) break;
      close += i + 1;
      std::fill(out.begin() + long(i) + 1, out.begin() + long(close), U'□');
      i = close;
      break;
    }
  }
  return out;
}

// The year a rule's group captured (2023, 二〇二三): its digits read as year_digit reads
// them, whatever their number.
int year_of_digits(std::u32string_view g) {
  int year = 0;
  for (char32_t c : g) year = year * 10 + std::max(year_digit(c), 0);
  return year;
}

// The text of group g of a match in `text` (empty where the group did not match).
std::u32string_view group_text(std::u32string_view text, const rx::Groups& found, size_t g) {
  if (found.start(g) < 0) return {};
  return text.substr(size_t(found.start(g)), size_t(found.end(g) - found.start(g)));
}

// A rule's regular expression searched under the time limit: a search that runs out
// is a miss, with a warning that names the rule (once per document).
bool bounded_find(const LazyRegex& re, std::u32string_view text, const std::string& rule, Structure& st,
                  rx::Groups* found = nullptr) {
  std::string message = "the regular expression of rule " + rule + " ran out of time and was skipped";
  auto said = [&] { return std::any_of(st.warnings.begin(), st.warnings.end(), [&](const Warning& w) { return w.message == message; }); };
  if (said()) return false;  // once per document: the next place would take as long
  RegexRun run = re.run(text, RegexMode::search, found);
  if (run == RegexRun::timed_out) st.warnings.push_back({"rule_timed_out", message, false, {}});
  return run == RegexRun::hit;
}

void find_year(Structure& st, std::u32string_view view, const std::vector<Pieces>& places,
               const std::vector<StructureRules::YearRule>& year_rules, const Rules& rules) {
  for (const auto& rule : year_rules) {
    size_t tried = 0;
    for (const Pieces& place : places) {
      if (rule.first_places && tried++ == rule.first_places) break;
      std::u32string text = without_quoted(text_of(view, place), rules.exclusions);
      rx::Groups found;
      if (!rule.pattern.may_match(text) || !bounded_find(rule.pattern, text, rule.name, st, &found)) continue;
      st.report_year = year_of_digits(group_text(text, found, 1)) + rule.offset;
      st.year_rule = rule.name;
      st.year_periods = rule.periods;
      st.year_place = covering(place);
      return;
    }
  }
}

// Where clauses start in a place: its start and after each clause mark, so that a
// region heading a clause of a sidebar (1月18日，琼南市2023年度…) is read too.
constexpr size_t kRegionWindowChars = 48;

std::vector<size_t> clause_starts(std::u32string_view s, std::u32string_view marks) {
  std::vector<size_t> out{0};
  for (size_t i = 0; i + 1 < s.size(); ++i)
    if (in_set(marks, s[i])) out.push_back(i + 1);
  return out;
}

void find_region(Structure& st, std::u32string_view view, const std::vector<Pieces>& places, const Rules& rules) {
  for (const Pieces& place : places) {
    Joined j = Joined::of(view, place);
    std::u32string masked = without_quoted(j.chars(), rules.exclusions);
    for (size_t from : clause_starts(masked, rules.structure.region_clause_marks)) {
      // A region heads its clause: a window of the clause's first characters is enough, and
      // copying the rest of the text at every comma would be quadratic in its length.
      std::u32string_view window = std::u32string_view(masked).substr(from, kRegionWindowChars);
      for (const auto& rule : rules.structure.region) {
        rx::Groups found;
        if (!rule.pattern.may_match(window) || !bounded_find(rule.pattern, window, rule.name, st, &found)) continue;
        if (found.start(1) < 0) continue;
        size_t cb = from + size_t(found.start(1)), ce = from + size_t(found.end(1));
        st.region = j.pieces(cb, ce);
        st.region_rule = rule.name;
        return;
      }
    }
  }
}

// ------------------------------------------------------------ title and subtitle

// The kinds of lines[0..n) into kinds[0..n): the one place classify is called from, so
// that it is inlined (called from two, it was not: 0.6% more instructions on one thread).
void classify_range(std::u32string_view view, const Line* lines, size_t n, const Rules& rules, Classified* kinds) {
  for (size_t i = 0; i < n; ++i) kinds[i] = classify(view, lines[i], rules);
}

// The kinds of `lines`, appended to `kinds`.
void classify_lines(std::u32string_view view, const std::vector<Line>& lines, const Rules& rules,
                    std::vector<Classified>& kinds) {
  size_t first = kinds.size();
  kinds.resize(first + lines.size());
  classify_range(view, lines.data(), lines.size(), rules, kinds.data() + first);
}

// The lines of a stream laid out a stretch ahead of the walk, on another thread
// (StructureOptions::post), while this one walks the stretch before. Of the structure
// stage of big.txt the layout is about two fifths, the classification a quarter and
// the walk a third: with all of the classification on the walk's thread, the layout's
// thread waited a third of the stage. So the thread that lays a stretch out goes on to
// classify its lines, a chunk at a time, until the walk comes for the stretch; then it
// lays out the next one, and the walk classifies the chunks left. Whoever comes first
// lays a stretch out, so the walk never waits for a thread busy elsewhere; nor does it
// wait for its own stretch through the pool's join, which would run the next stretch's
// layout on the walk's thread. One stretch at a time is laid out: the stream is used
// by one thread at a time.
class ReadAhead {
 public:
  ReadAhead(std::u32string_view view, LineStream& stream, const Rules& rules, PostWork post)
      : view_(view), stream_(stream), rules_(rules), post_(std::move(post)) {}
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;
  ~ReadAhead() {
    // The walk failed: a stretch not begun is not laid out; one begun is waited for.
    if (ahead_) ahead_->taken = true;
    for (Stretch* s : {done_.get(), ahead_.get()}) {
      try {
        if (s) s->join();
      } catch (...) {
      }
    }
  }

  // The next stretch's lines (the one laid out ahead) and their kinds, the one after
  // it started.
  bool next(std::vector<Line>& lines, std::vector<Classified>& kinds) {
    if (done_) done_->join();  // long returned: its chunks were all done
    done_.reset();
    if (!ahead_) start();
    std::unique_ptr<Stretch> got = std::move(ahead_);
    Stretch& s = *got;
    if (!s.taken.exchange(true)) lay_out(s);
    bool laid_out_well = s.wait([&] { return s.laid_out; });
    s.walk_here = true;  // its layout's thread takes no more of its chunks
    if (s.any && laid_out_well) start();
    classify_chunks(s, true);
    s.wait([&] { return s.chunks_done == s.chunks; });
    done_ = std::move(got);
    if (s.error) std::rethrow_exception(s.error);
    if (!s.any) return false;
    if (kinds.empty()) kinds.swap(s.kinds);
    else kinds.insert(kinds.end(), std::make_move_iterator(s.kinds.begin()), std::make_move_iterator(s.kinds.end()));
    lines.insert(lines.end(), std::make_move_iterator(s.lines.begin()), std::make_move_iterator(s.lines.end()));
    return true;
  }

 private:
  // Lines classified at a time: a stretch of big.txt is about 2,800 lines.
  static constexpr size_t kClassifyChunk = 64;
  struct Stretch {
    std::vector<Line> lines;
    std::vector<Classified> kinds;  // of lines, each set by the thread that took its chunk
    bool any = false;               // false: the stream had no more lines
    std::atomic<bool> taken{false};      // its layout begun, by the posted work or the walk
    std::atomic<bool> walk_here{false};  // the walk came for it: the posted work stops
    std::atomic<size_t> next_chunk{0};
    std::mutex m;  // guards the four below
    std::condition_variable changed;
    bool laid_out = false;
    size_t chunks = 0, chunks_done = 0;
    std::exception_ptr error;  // the first fault of its layout or classification
    std::function<void()> join;  // ends the posted work
    // Waits until ready(); whether no fault was met so far (a chunk on another thread
    // may still meet one).
    template <class Ready>
    bool wait(const Ready& ready) {
      std::unique_lock<std::mutex> lock(m);
      changed.wait(lock, ready);
      return !error;
    }
    void fail(std::exception_ptr e) {
      std::lock_guard<std::mutex> lock(m);
      if (!error) error = e;
    }
  };
  void start() {
    ahead_ = std::make_unique<Stretch>();
    ahead_->join = post_(1, [this, s = ahead_.get()](size_t) {
      if (s->taken.exchange(true)) return;
      lay_out(*s);
      classify_chunks(*s, false);
    });
  }
  // A fault is kept for the walk, which waits for this to end in any case.
  void lay_out(Stretch& s) {
    size_t chunks = 0;
    try {
      s.any = stream_.next(s.lines);
      s.kinds.resize(s.lines.size());
      chunks = (s.lines.size() + kClassifyChunk - 1) / kClassifyChunk;
    } catch (...) {
      s.fail(std::current_exception());
    }
    std::lock_guard<std::mutex> lock(s.m);
    s.chunks = chunks;
    s.laid_out = true;
    s.changed.notify_all();
  }
  // Classifies chunks of s until none is left (or, off the walk's thread, the walk came).
  void classify_chunks(Stretch& s, bool by_walk) {
    for (size_t c; (by_walk || !s.walk_here) && (c = s.next_chunk.fetch_add(1)) < s.chunks;) {
      try {
        size_t from = c * kClassifyChunk, end = std::min(s.lines.size(), from + kClassifyChunk);
        classify_range(view_, s.lines.data() + from, end - from, rules_, s.kinds.data() + from);
      } catch (...) {
        s.fail(std::current_exception());
      }
      std::lock_guard<std::mutex> lock(s.m);
      if (++s.chunks_done == s.chunks) s.changed.notify_all();
    }
  }
  std::u32string_view view_;
  LineStream& stream_;
  const Rules& rules_;
  PostWork post_;
  std::unique_ptr<Stretch> ahead_;
  std::unique_ptr<Stretch> done_;  // the stretch last handed to the walk, its posted work not yet joined
};

// The lines of the text with their kinds, laid out and classified a stretch at a time
// as the walk asks for them by their index in the whole text, and forgotten once it
// has left them behind: a large document's lines and kinds (184 bytes a line, 500 MB
// for a 200 MB file) never exist all at once. Deques: a reference to a line stays
// good while more are read.
using LineList = std::deque<Line>;
using KindList = std::deque<Classified>;

class LineWindow {
 public:
  // Appends the next lines and their kinds; false at the end.
  using Source = std::function<bool(std::vector<Line>&, std::vector<Classified>&)>;
  explicit LineWindow(Source source) : source_(std::move(source)) {}

  // Whether line i exists (read as far as it if needed).
  bool has(size_t i) { return (i >= base_ && i - base_ < lines_.size()) || read_to(i); }
  const Line& line(size_t i) const { return lines_[i - base_]; }
  Classified& kind(size_t i) { return kinds_[i - base_]; }
  bool consumed(size_t i) const { return consumed_[i - base_]; }
  void consume(size_t i) { consumed_[i - base_] = true; }

  // The index of the first unit heading among the first `max_lines` lines from `from`,
  // or npos if none; lines until then are all held (the front, in which the title is placed).
  size_t first_unit(size_t max_lines, size_t from = 0) {
    for (size_t i = from; i - from < max_lines && has(i); ++i)
      if (kind(i).kind == Kind::unit) return i;
    return std::string::npos;
  }
  size_t read_so_far() const { return base_ + lines_.size(); }
  // All the lines read so far, from the first (before any is forgotten).
  const LineList& lines() const { return lines_; }
  KindList& kinds() { return kinds_; }

  // Lines before i are not asked for again.
  void forget_before(size_t i) {
    size_t n = i > base_ ? i - base_ : 0;
    if (n < kForgetLines || n * 2 < lines_.size()) return;
    lines_.erase(lines_.begin(), lines_.begin() + long(n));
    kinds_.erase(kinds_.begin(), kinds_.begin() + long(n));
    consumed_.erase(consumed_.begin(), consumed_.begin() + long(n));
    base_ += n;
  }

 private:
  static constexpr size_t kForgetLines = 1024;
  bool read_to(size_t i) {
    while (i >= base_ + lines_.size() && read()) {
    }
    return i >= base_ && i < base_ + lines_.size();
  }
  bool read() {
    if (ended_) return false;
    std::vector<Line> more;
    std::vector<Classified> more_kinds;
    if (!source_(more, more_kinds)) {
      ended_ = true;
      return false;
    }
    for (size_t k = 0; k < more.size(); ++k) {
      kinds_.push_back(std::move(more_kinds[k]));
      lines_.push_back(std::move(more[k]));
      consumed_.push_back(false);
    }
    return true;
  }
  Source source_;
  LineList lines_;
  KindList kinds_;
  std::deque<bool> consumed_;
  size_t base_ = 0;  // the index of lines_.front() in the text
  bool ended_ = false;
};

struct FrontPlaces {
  size_t subtitle_at, title_at, title_lines = 1;
  bool subtitle_by_keyword = false;
  bool title_is_unit = false;  // the title is the report's unit heading too (report_heading)
  std::string title_rule;
};

// A dash-led line first; a line naming the genre (述职报告摘登) only if it is no sentence.
void place_subtitle(std::u32string_view view, const LineList& lines, const Rules& rules, size_t first_unit,
                    KindList& kinds, FrontPlaces& fp) {
  for (int pass = 0; pass < 2 && fp.subtitle_at == lines.size(); ++pass) {
    fp.subtitle_by_keyword = pass == 1;
    for (size_t i = 0; i < first_unit; ++i) {
      if (kinds[i].kind != Kind::body) continue;
      auto s = as_subtitle(view, lines[i], rules.structure, pass == 0);
      if (s && (pass == 0 || headline_like(view, lines[i].content, rules))) {
        kinds[i] = std::move(*s);
        fp.subtitle_at = i;
        break;
      }
    }
  }
}

// The first line before the first unit set as "# …".
void title_markdown_h1(const LineList& lines, size_t first_unit, const KindList& kinds,
                       FrontPlaces& fp) {
  for (size_t i = 0; i < first_unit; ++i)
    if (kinds[i].kind == Kind::body && lines[i].heading_level == 1) {
      fp.title_at = i;
      return;
    }
}

// The title above the subtitle, possibly set over two lines ("强化政治引领\n激发基层活力").
void title_above_subtitle(std::u32string_view view, const LineList& lines, const Rules& rules,
                          const KindList& kinds, FrontPlaces& fp) {
  if (fp.subtitle_at == lines.size()) return;
  size_t i = fp.subtitle_at;
  while (i > 0 && kinds[i - 1].kind == Kind::blank) --i;
  if (i == 0 || kinds[i - 1].kind != Kind::body || !headline_like(view, lines[i - 1].content, rules)) return;
  fp.title_at = i - 1;
  if (fp.title_at > 0 && kinds[fp.title_at - 1].kind == Kind::body &&
      headline_like(view, lines[fp.title_at - 1].content, rules)) {
    --fp.title_at;
    fp.title_lines = 2;
  }
}

// Whether a paragraph ends after line i: a blank line or page furniture follows (a news
// page's title over 发布时间：…), or the layout found the line complete (a title set
// flush over 　　1月29日，翠屏县召开…).
bool ends_paragraph(const LineList& lines, size_t i) {
  return i + 1 >= lines.size() || lines[i + 1].blank || !lines[i + 1].furniture.empty() || !lines[i].complete.empty();
}

// Whether the text names a genre of structure.json genres by its title regex
// (2023年度抓基层党建工作述职报告: an official's full report).
bool names_a_genre(std::u32string_view text, const StructureRules& rules) {
  for (const auto& g : rules.genres)
    if (g.title.may_match(text) && g.title.run(text, RegexMode::search) == RegexRun::hit) return true;
  return false;
}

// The first line of text (page furniture aside) when it stands alone and reads as a title.
// With no unit heading at all, only a title that names a genre: a full report copied
// without its byline (2023年度抓基层党建工作述职报告 over 一、2023年工作情况) had no title,
// so no genre, and its 今年以来 read as the year planned; a plain text's first line stays text.
// Set flush over the byline (2024年度述职述廉报告 over 城关镇党委书记　李明, no blank line
// between), a line that names a genre is still the title: it was the unit's headline
// (line_above), so the report had no title, no year and no genre, and its 今年以来 read
// as the year planned.
void title_first_line(std::u32string_view view, const LineList& lines, const Rules& rules, size_t first_unit,
                      bool no_units, const KindList& kinds, FrontPlaces& fp) {
  for (size_t i = 0; i < first_unit; ++i) {
    if (kinds[i].kind == Kind::blank || kinds[i].kind == Kind::furniture) continue;
    if (kinds[i].kind != Kind::body || lines[i].heading_level > 2 ||
        !headline_like(view, lines[i].content, rules, rules.structure.title_inner_marks))
      break;
    bool names_genre = names_a_genre(text_of(view, lines[i].content), rules.structure);
    bool over_byline = i + 1 == first_unit && names_genre;
    if ((ends_paragraph(lines, i) || over_byline) && (!no_units || names_genre)) fp.title_at = i;
    break;
  }
}

// A line naming the genre with no title above it and no dash is the title itself
// ("市直机关…2024年度…述职报告摘登" heading the page on its own).
void title_genre_line(const LineList& lines, KindList& kinds, FrontPlaces& fp) {
  if (fp.subtitle_at == lines.size() || !fp.subtitle_by_keyword) return;
  fp.title_at = fp.subtitle_at;
  fp.subtitle_at = lines.size();
  kinds[fp.title_at] = Classified{};
}

// Where the unit headings after the first stand (npos: none within the lines looked at).
struct LaterUnits {
  size_t second = std::string::npos, third = std::string::npos;
};

// Whether only blank lines and page furniture stand before line `to`, from `from` on.
bool nothing_between(const KindList& kinds, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i)
    if (kinds[i].kind != Kind::blank && kinds[i].kind != Kind::furniture) return false;
  return true;
}

// A unit heading that names the genre, the first line of the text: 青禾镇党委书记吴建业同志
// 2024年度述职报告 over the report's sections. With no other unit heading it is a single
// official's full report, its title and its unit's heading at once (with no title the
// report was taken for a digest, its 今年以来 read as the year planned); right over its
// byline (…同志述职报告 over 青禾镇党委书记 吴建业) and no heading after, the title alone. Among
// other such headings (石门镇党委书记周海涛同志述职报告, 柳溪乡党委书记何秀兰述职报告, …)
// each is a unit of a digest.
void title_report_heading(std::u32string_view view, const LineList& lines, const Rules& rules, size_t first_unit,
                          const LaterUnits& later, KindList& kinds, FrontPlaces& fp) {
  if (first_unit >= lines.size() || kinds[first_unit].kind != Kind::unit || !nothing_between(kinds, 0, first_unit)) return;
  if (!names_a_genre(text_of(view, lines[first_unit].content), rules.structure)) return;
  if (later.second == std::string::npos) {
    fp.title_at = first_unit;
    fp.title_is_unit = true;
  } else if (later.third == std::string::npos && nothing_between(kinds, first_unit + 1, later.second)) {
    fp.title_at = first_unit;
    kinds[first_unit] = Classified{};
  }
}

// The title rules of structure.json in order, until one places the title.
FrontPlaces place_title(std::u32string_view view, const LineList& lines, const Rules& rules, size_t first_unit,
                        bool no_units, const LaterUnits& later, KindList& kinds) {
  FrontPlaces fp;
  fp.subtitle_at = fp.title_at = lines.size();
  place_subtitle(view, lines, rules, first_unit, kinds, fp);
  using P = StructureRules::Title::Produce;
  for (const auto& t : rules.structure.titles) {
    switch (t.produce) {
      case P::markdown_h1: title_markdown_h1(lines, first_unit, kinds, fp); break;
      case P::above_subtitle: title_above_subtitle(view, lines, rules, kinds, fp); break;
      case P::first_line: title_first_line(view, lines, rules, first_unit, no_units, kinds, fp); break;
      case P::genre_line: title_genre_line(lines, kinds, fp); break;
      case P::report_heading: title_report_heading(view, lines, rules, first_unit, later, kinds, fp); break;
    }
    if (fp.title_at == lines.size()) continue;
    fp.title_rule = t.name;
    break;
  }
  for (size_t k = 0; k < fp.title_lines && fp.title_at + k < lines.size() && !fp.title_is_unit; ++k)
    kinds[fp.title_at + k].kind = Kind::title;
  return fp;
}

// ------------------------------------------------------------ walking the lines

// A line set as a heading (### …, a short line wholly in **…** or 【…】) with no list mark.
bool heading_like(std::u32string_view view, const Line& line, const StructureRules& rules) {
  if (rules.unknown_heading_rule.empty() || !line.enumerator.empty()) return false;
  if (line.heading_level == 0 && !(line.wrapped && line.content.second.empty())) return false;
  return covering(line.content).size() <= rules.unknown_heading_max_chars && !ends_sentence(text_of(view, line.content), rules);
}

// A short line that reads as a unit heading once the marks around it are set aside
// (>>南坪乡党委书记 王五, 【述职人】南坪乡…: ornaments no layout rule knows). Its text
// stays with the unit before, as an unknown heading's does, and a warning says so: never
// merged silently. Tried from the line's start and after each mark in its first characters.
constexpr size_t kSuspectedLeadChars = 12;

// Led by words no body starts with (organization.not_starting), a line heads no unit:
// ■点评人　县委书记　王强 is the head of a comment on the report above, not a heading once
// 点评人 is set aside (each of the checks below warned of it as a suspected heading).
bool led_by_no_body(std::u32string_view s, const StructureRules& rules) {
  size_t p = 0;
  while (p < s.size() && !is_han(s[p])) ++p;
  return bool(rules.organization_not_starting.longest_at(s, p));
}

bool suspected_heading(std::u32string_view view, const Line& line, const StructureRules& rules) {
  if (rules.unknown_heading_rule.empty()) return false;
  Joined j = Joined::of(view, whole_line(line));
  std::u32string_view s = j.chars();
  if (s.size() > rules.unknown_heading_max_chars || ends_sentence(s, rules)) return false;
  size_t e = s.size();
  while (e > 0 && !is_han(s[e - 1])) --e;
  if (led_by_no_body(s, rules)) return false;
  for (size_t b = 0; b < e && b <= kSuspectedLeadChars; ++b) {
    if (!is_han(s[b]) || (b > 0 && is_han(s[b - 1]))) continue;  // a start right after a mark
    if ((b > 0 || e < s.size()) && parse_heading_line(view, j.pieces(b, e), rules)) return true;
  }
  return false;
}

// Whether s[b, e) ends in a name after a gap, with a post before the gap: the name of
// min..max Chinese characters, the gap white space or the rules' gap marks, the post
// Chinese characters (posts held together are joined by 、: 城关镇党委书记、镇人大主席
// 张三) and gaps (the cells of a table row, 城关镇 | 党委书记) that end as a post does.
bool post_gap_name(std::u32string_view s, size_t b, size_t e, size_t max_name, const StructureRules& rules) {
  const auto& ph = rules.plain_heading;
  auto gap = [&](char32_t c) { return is_space(c) || ph.gap_marks.has(c); };
  size_t name = e;
  while (name > b && is_han(s[name - 1])) --name;
  if (e - name < ph.min_name_chars || e - name > max_name) return false;
  size_t post = name;
  while (post > b && gap(s[post - 1])) --post;
  if (post == name || post == b || ph.post_endings.find(s[post - 1]) == std::u32string::npos) return false;
  for (size_t k = b; k < post; ++k)
    if (!is_han(s[k]) && !gap(s[k]) && !rules.organization_title_separators.has(s[k])) return false;
  return true;
}

// Whether s[b, e) is a place, a gap, a name and a gap before the post, as some rosters set
// a heading no rule reads (县交通运输局　欧阳志刚　局长): Chinese characters only in the place
// and the name (up to one character more than plain_line max_name_chars: 欧阳志刚), the
// post ending as posts do (posts held together joined by 、: 党组书记、局长).
bool place_name_post(std::u32string_view s, size_t b, size_t e, const StructureRules& rules) {
  const auto& ph = rules.plain_heading;
  if (e == b || ph.post_endings.find(s[e - 1]) == std::u32string::npos) return false;
  size_t post = e;
  while (post > b && (is_han(s[post - 1]) || s[post - 1] == U'、')) --post;
  size_t gap = post;
  while (gap > b && is_space(s[gap - 1])) --gap;
  size_t name = gap;
  while (name > b && is_han(s[name - 1])) --name;
  if (gap == post || gap - name < ph.min_name_chars || gap - name > ph.max_name_chars + 1) return false;
  size_t place = name;
  while (place > b && is_space(s[place - 1])) --place;
  if (place == name || place == b) return false;
  for (size_t k = b; k < place; ++k)
    if (!is_han(s[k])) return false;
  return true;
}

// Where a last bracket holding Chinese characters only opens at the end of s[b, e)
// (局长　袁广田(县农业局): the body after the name), or npos.
size_t bracketed_tail(std::u32string_view s, size_t b, size_t e) {
  if (e - b < 3 || s[e - 1] != U')') return std::u32string::npos;
  size_t open = e - 1;
  while (open > b && is_han(s[open - 1])) --open;
  if (open == b || open == e - 1 || s[open - 1] != U'(') return std::u32string::npos;
  return open - 1;
}

// A plain line that reads as a post and a name after a gap, which no heading rule takes
// (县气象台台长 李四: a post or a body no rule knows): its text stays with the unit before,
// and a warning names it. The post is Chinese characters only and ends as a post does
// (长 记 任 …), so a headline with a gap in it (党建引领 促发展) is none. Read with the
// gap marks too, a name may run to one more character (城关镇党委书记：强基固本 is a post
// and a headline as often as a post and a name: no rule reads it, a warning says so).
bool plain_line_heading(std::u32string_view view, const Line& line, const StructureRules& rules) {
  const auto& ph = rules.plain_heading;
  if (ph.rule.empty() || line.heading_level != 0 || !line.enumerator.empty()) return false;
  // A bulleted line is read after its bullet: ■县供电公司党委书记、经理　林芳 was merged into
  // the unit above without a word, the same line without ■ warned of.
  ShortPieces words = whole_line(line);
  if (line.bulleted) words.first = line.body;
  Joined j = Joined::of(view, words);
  std::u32string_view s = j.chars();
  auto edge = [&](char32_t c) { return is_space(c) || ph.gap_marks.has(c); };
  size_t b = 0, end = s.size();
  while (b < end && edge(s[b])) ++b;
  while (end > b && edge(s[end - 1])) --end;
  // 交警支队政委 张建国：守护平安路: the headline after the colon (the view folds ： to :).
  size_t e = std::min(s.find(U':', b), end);
  while (e > b && is_space(s[e - 1])) --e;
  size_t most = rules.unknown_heading_max_chars;
  if (led_by_no_body(s, rules)) return false;
  if (e - b <= most && post_gap_name(s, b, e, ph.max_name_chars, rules)) return true;
  // The same two other ways round (a unit's text merged into the one above, without a
  // word): 局长　袁广田（县农业局）, 县交通运输局　欧阳志刚　局长.
  if (size_t open = bracketed_tail(s, b, e); e - b <= most && open != std::u32string::npos) {
    size_t name_end = open;
    while (name_end > b && is_space(s[name_end - 1])) --name_end;
    if (post_gap_name(s, b, name_end, ph.max_name_chars + 1, rules)) return true;
  }
  if (e - b <= most && place_name_post(s, b, e, rules)) return true;
  if (ph.gap_marks.empty() || end - b > most) return false;
  if (post_gap_name(s, b, end, ph.max_name_chars + 1, rules)) return true;
  // 城关镇党委书记：李明　建强城乡网格: a name after the colon, then white space and a headline.
  size_t cut = e < end ? e + 1 : end;
  while (cut < end && is_space(s[cut])) ++cut;
  while (cut < end && !is_space(s[cut])) ++cut;
  return cut < end && post_gap_name(s, b, cut, ph.max_name_chars + 1, rules);
}

// The shapes of a sub-heading that names a post but no official after it, each warned of
// as a suspected heading before: the post with nothing before it (■书记项目　杨梅冷链物流中心,
// ■书记带头　党员跟进), a comment's label after it (■县委书记点评: structure.json sidebar_labels), a
// quotation with words after it (■村党组织书记　“头雁”领航). Anything else after the last post
// may be a name no rule reads (■…副县长扎西多吉, ■…副县长－孙德明, ■…副县长（挂职）　孙德明)
// or a genre (■官桥镇党委书记述职摘要). False when no post is named at all.
bool post_may_name_official(std::u32string_view s, const Rules& rules) {
  const StructureRules& st = rules.structure;
  size_t first_post = s.size(), post_end = 0;
  for (size_t p = 0; p < s.size(); ++p)
    if (auto m = st.role_words.longest_at(s, p)) {
      first_post = std::min(first_post, p);
      post_end = std::max(post_end, p + m.len);
    }
  if (post_end == 0 || first_post == 0) return false;
  size_t p = post_end;
  while (p < s.size()) {
    if (is_space(s[p])) { ++p; continue; }
    auto sep = st.separator_words.longest_at(s, p);
    if (!sep) break;
    p += sep.len;
  }
  if (p >= s.size()) return true;
  for (const StructureRules::SidebarLabel& label : st.sidebar_labels)
    if (!label.text.empty() && s.compare(p, label.text.size(), label.text) == 0) return false;
  for (const ExclusionRules::Quote& q : rules.exclusions.quotes)
    if (s[p] == q.open) {
      size_t close = s.find(q.close, p + 1);
      // ■村党组织书记　“头雁”领航, not ■官桥镇党委书记　“90后”孙德明 (a name after the quote).
      return close == std::u32string_view::npos || close + 1 >= s.size() ||
             st.name_line_surnames.longest_at(s, close + 1);
    }
  return true;
}

// A place alone (■官桥镇 over its headline): the whole line a place's name, ending as one
// (marked_line place_endings: 镇, 街道…; not a body's, ■党群服务中心 is a sub-heading). Its report
// was merged into the unit above without a word, its figures the other official's. Naming
// no official, it opens no unit (0ec9f18 read such lines as units).
bool place_alone(std::u32string_view s, const StructureRules& rules) {
  if (s.size() < 2 || s.size() > rules.organization_max_chars) return false;
  for (char32_t c : s)
    if (!is_han(c)) return false;
  auto ending = rules.marked_line_place_endings.longest_ending_at(s, s.size());
  return ending && ending.len < s.size() && !rules.marked_line_not_place_endings.longest_ending_at(s, s.size());
}

// The text of a bulleted line (or one in markup) that may be a unit heading no rule reads
// (structure.json unknown_heading marked_line): short, ending no sentence, naming a post
// and what may be an official (■官桥镇党委书记　孙德明建强红色引擎, ■宝日希勒苏木党委书记
// 额尔敦巴雅尔). Whether its mark is the unit headings' own is decided once the document's
// headings are known (Walk::warn_unknown_headings).
bool marked_post_line(std::u32string_view s, const Rules& all) {
  const StructureRules& rules = all.structure;
  if (s.empty() || s.size() > rules.unknown_heading_max_chars || ends_sentence(s, rules) || led_by_no_body(s, rules))
    return false;
  return post_may_name_official(s, all);
}

// A line that looked like a heading (or read as one inside marks no rule knows) and
// matched no rule, warned of at the end unless it became the headline of the unit below.
struct UnknownHeading {
  Span span;
  ShortPieces content;
  bool headline = false;
};

struct Walk {
  std::u32string_view view;
  LineWindow& w;
  const Rules& rules;
  const FrontPlaces& fp;
  Builder b;
  std::vector<UnknownHeading> unknown_headings;
  std::vector<UnknownHeading> suspected_headings;  // lines that read as headings inside marks no rule knows
  std::vector<UnknownHeading> plain_headings;      // plain lines shaped like a post and a name
  std::vector<UnknownHeading> sub_labels;          // heading lines naming the unit above's place (unit_above)
  std::string_view sub_label_rule;
  std::vector<UnknownHeading> other_place_labels;  // a place's label, no official (unit_above other_place)
  std::string_view other_place_rule;
  std::vector<UnknownHeading> unsigned_signatures;  // a signature_only layout's line that signs no section
  std::string_view unsigned_signature_rule;
  std::vector<UnknownHeading> marked_lines;  // bulleted or marked-up lines naming a post, or a place (marked_line)
  std::u32string heading_marks;              // the bullets of the lines read as unit headings
  std::u32string last_org;  // the organisation of the last unit taken, in the view
  int outline = 0;  // the last item of the current unit's outline (二 of 二、存在的问题), 0: none
  bool sidebar_outline = false;  // the current sidebar numbers items of its own (附：一、…二、…)
  // The current sidebar's label when it is a box of figure lines (box_line_max_chars).
  const StructureRules::SidebarLabel* box = nullptr;

  Walk(std::u32string_view v, LineWindow& lines, const Rules& r, const FrontPlaces& f)
      : view(v), w(lines), rules(r), fp(f), b{v, r, {}, {}, Builder::Where::front, false, {}, true, 0, {}, {}} {}

  void leave_sidebar() {
    if (b.where == Builder::Where::sidebar) b.where = Builder::Where::front;
  }

  void title(const Line& line) {
    b.close();
    Structure& st = b.out;
    if (!st.title.empty()) st.title_breaks.push_back(st.title.size());
    Pieces words = line.content;
    if (column_tag(line)) {
      b.out.furniture.push_back({line.content.first, rules.structure.title_column_tag.name});
      words = Pieces{line.content.second};
    }
    st.title.insert(st.title.end(), words.begin(), words.end());
    st.title_rule = fp.title_rule;
    leave_sidebar();
  }

  // 【述职摘登】 before the title: a short piece in brackets (structure.json title_column_tag)
  // at the start of the line, the title after it.
  bool column_tag(const Line& line) const {
    const auto& tag = rules.structure.title_column_tag;
    if (tag.name.empty() || line.content.second.empty() || line.content.first.size() > tag.max_chars) return false;
    if (line.content.first.start >= line.content.second.start || line.markup_rules.empty()) return false;
    for (uint32_t k = line.content.first.start; k < line.content.first.end; ++k)
      if (tag.not_holding.has(view[k])) return false;  // 【2024年度】, 【青山县】: the title's own words
    return std::find(tag.wrappers.begin(), tag.wrappers.end(), line.markup_rules.back()) != tag.wrappers.end();
  }

  void subtitle(const Classified& c) {
    b.close();
    b.out.subtitle = c.rest;
    b.out.subtitle_rule = std::string(c.rule);
    leave_sidebar();
  }

  void sidebar(const Classified& c) {
    b.close();
    b.interrupted_unit = b.where == Builder::Where::unit || (b.where == Builder::Where::sidebar && b.interrupted_unit);
    SidebarText sb;
    sb.label = c.label;
    sb.rule = std::string(c.rule);
    b.out.sidebars.push_back(std::move(sb));
    b.where = Builder::Where::sidebar;
    sidebar_outline = numbers_items(c.rest);  // 附：重点项目清单　一、产业项目 (review8)
    box = nullptr;
    for (const auto& label : rules.structure.sidebar_labels)
      if (label.name == c.rule && label.box_line_max_chars > 0) box = &label;
    b.add_body(c.rest);
  }

  // Whether line i is prose after a box of figure lines that interrupted a unit
  // (structure.json box_line_max_chars): longer than a box's line, holding a clause mark,
  // and after a blank line or set in. 【数说2024】 … 2860万元　整合涉农资金, a blank line,
  // 　　依托“党支部+合作社+农户”模式，全镇整合涉农资金2860万元…: the report again.
  bool prose_after_box(size_t i) const {
    const Line& line = w.line(i);
    if (!box || b.where != Builder::Where::sidebar || !b.interrupted_unit || !b.open_finished) return false;
    if (!line.indented && !(i > 0 && w.line(i - 1).blank)) return false;
    if (line.bulleted || line.wrapped || line.content.empty() || is_ascii_digit(view[line.content.first.start])) return false;
    Joined j = Joined::of(view, line.content);
    std::u32string_view t = j.chars();
    if (t.size() <= box->box_line_max_chars) return false;
    for (const std::u32string& note : box->box_notes)
      if (t.substr(0, note.size()) == note) return false;
    return t.find_first_of(rules.structure.sentence_end) != std::u32string_view::npos ||
           t.find_first_of(U"，,；;") != std::u32string_view::npos;
  }

  // 点评：桃源镇产业党建抓得实… after 桃源镇党委书记's report comments on that report: its
  // figures are the unit's, so the label starts a paragraph of the unit (the label's rule
  // is listed with the unit's for --explain), not a sidebar.
  void comment_in_unit(size_t i) {
    b.close();
    note_unit_rule(w.kind(i).rule);
    body(i);
  }

  // Page furniture: kept out of the text, and ends the paragraph before it, but for a
  // page number that a paragraph runs on across (二 / — 2 — / 是基层医疗…), and the others
  // of LayoutRules::furniture_within (a running header, the lines a copy jumps over).
  // A caption taken by its shape alone is kept beside the unit or sidebar it stands in,
  // its figures checked once theirs are found (caption_dropped). Only while its caption
  // rule still names it: a caption among the lines a copy jumps over (下转第4版 … 上接第3版)
  // or under 网友评论 is another article's or a reader's, and was told as figure_damaged.
  void furniture(const Line& line, const Classified& c) {
    if (!rules.layout.furniture_within(c.rule)) b.close();
    b.out.furniture.push_back({line.span, c.rule});
    if (line.doubtful_caption && !line.content.empty() && rules.layout.caption_warned(c.rule))
      b.target_captions().push_back({covering(line.content), c.rule});
  }

  void body(size_t i) {
    const Line& line = w.line(i);
    // A sidebar that interrupted a unit ends where the report takes up its periods again,
    // or its outline (一、履职情况 … 附：… 二、存在的问题: structure.json outline_resumes). A box
    // on one line ends no sentence (【数说】全镇新增就业岗位1500个 over 今年，梅塘镇将新增合作社8家。):
    // a line that opens a period paragraph (opens_period) takes up the report as well; the
    // plan was the box's, its period null.
    int item = outline_item(line);
    bool resumes = outline > 0 && item == outline + 1 && !sidebar_outline;
    if (b.where == Builder::Where::sidebar && item > 0 && !resumes) sidebar_outline = true;
    bool prose = prose_after_box(i);
    // Not the sidebar's first paragraph: ■核心提示 over 去年，全县共投入党建经费5000万元 is the
    // box's text (it was the unit above's, the county's 5000万元 its own, without a word).
    bool box_has_text = b.where == Builder::Where::sidebar && (!b.open.pieces.empty() || !b.target().empty());
    if (b.where == Builder::Where::sidebar && b.interrupted_unit &&
        (resumes ||
         (box_has_text && (b.open_finished || b.opens_period(line.content)) && b.starts_with_period_marker(line.content)) ||
         prose)) {
      b.close();
      b.where = Builder::Where::unit;
      b.interrupted_unit = false;
      if (resumes) note_unit_rule(rules.structure.outline_resumes_rule);
      else if (prose) note_unit_rule(box->name);  // its box_line_max_chars ended the box
    }
    if (b.where == Builder::Where::unit && item > 0) outline = item;
    // A markdown heading no rule reads is a paragraph of its own: ## 东城区　区委书记　王建华 was
    // glued to the text under it, and **去年**，… no longer opened its sentence (period null).
    bool own_block = line.heading_level > 0;
    if (!line.enumerator.empty() || own_block || b.opens_period(line.content)) b.close();  // a list item starts a paragraph
    if (heading_like(view, line, rules.structure)) unknown_headings.push_back({line.span, line.content});
    else if (suspected_heading(view, line, rules.structure)) suspected_headings.push_back({line.span, line.content});
    else if (plain_line_heading(view, line, rules.structure)) plain_headings.push_back({line.span, line.content});
    else if (marked_line(i)) marked_lines.push_back({line.span, line.content});
    b.add_body(line.content);
    if (!line.edge_furniture.empty()) b.out.furniture.push_back({line.edge, line.edge_furniture});
    if (own_block) b.close();
    close_if_complete(i);
  }

  // A line complete as it stands (layout.json complete_line) ends its paragraph: 完成任务3 /
  // 5个村 is never 35个. A sidebar's label line too, and one wholly in brackets always
  // (【数说2024】 over 35名　新发展党员 read 202435名).
  void close_if_complete(size_t i) {
    const Line& line = w.line(i);
    bool box_title = w.kind(i).kind == Kind::sidebar && line.wrapped && line.content.second.empty();
    if ((line.complete.empty() && !box_title) || b.open_finished) return;
    // 【数说2024】 over 35名: the brackets part the figures for sure, no doubt to tell of.
    if (line.complete == rules.layout.numerals_apart_rule && !box_title) warn_numerals_apart(i);
    b.close();
  }

  // A line set with a bullet or in markup that may be a unit heading no rule reads
  // (structure.json unknown_heading marked_line): a post and what may be an official
  // (marked_post_line), or, bulleted, a place alone over a headline: ■官桥镇 over 建强红色引擎
  // heads a report only with a short line under it that ends no sentence; over a paragraph
  // (■文明村 over 全村…) it is a sub-heading, and so are ■工业强县, ■示范区 whatever stands
  // under them.
  bool marked_line(size_t i) {
    const Line& line = w.line(i);
    if (rules.structure.marked_line_rule.empty() || !(line.bulleted || line.wrapped) || !line.enumerator.empty())
      return false;
    Joined j = Joined::of(view, line.content);
    if (marked_post_line(j.chars(), rules)) return true;
    if (!line.bulleted || !place_alone(j.chars(), rules.structure) || !w.has(i + 1)) return false;
    const Line& below = w.line(i + 1);
    if (below.blank || below.content.empty() || below.bulleted) return false;
    Joined text = Joined::of(view, below.content);
    return text.chars().size() <= rules.structure.headline_max_chars && !ends_sentence(text.chars(), rules.structure);
  }

  // The value of a line's list mark when it is one of an outline's (二、, (二)): 0 if none.
  int outline_item(const Line& line) const {
    const StructureRules& st = rules.structure;
    if (st.outline_resumes_rule.empty() || line.enumerator.empty()) return 0;
    std::u32string_view mark = view.substr(line.enumerator.start, line.enumerator.size());
    bool around = !mark.empty() && st.outline_marks_around.find(mark.front()) != std::u32string::npos;
    if (around) mark.remove_prefix(1);
    if (mark.empty() || (around ? st.outline_marks_around : st.outline_marks_after).find(mark.back()) == std::u32string::npos)
      return 0;
    mark.remove_suffix(1);
    int value = 0, digit = 0;
    for (char32_t c : mark) {
      size_t k = st.outline_numerals.find(c);
      if (k == std::u32string::npos) return 0;
      if (k == 9) {  // 十: 十 10, 十二 12, 二十 20
        value += (digit ? digit : 1) * 10;
        digit = 0;
      } else {
        digit = int(k) + 1;
      }
    }
    return value + digit;
  }

  // Whether text holds an item mark of an outline (一、 of 附：重点项目清单　一、产业项目).
  bool numbers_items(const Pieces& text) const {
    const StructureRules& st = rules.structure;
    if (st.outline_resumes_rule.empty()) return false;
    for (Span p : text)
      for (uint32_t k = p.start; k + 1 < p.end; ++k)
        if (st.outline_numerals.find(view[k]) != std::u32string::npos &&
            st.outline_marks_after.find(view[k + 1]) != std::u32string::npos)
          return true;
    return false;
  }

  void note_unit_rule(std::string_view rule) {
    if (b.out.units.empty()) return;
    auto& rules_of_unit = b.out.units.back().heading.rules;
    if (std::find(rules_of_unit.begin(), rules_of_unit.end(), rule) == rules_of_unit.end()) rules_of_unit.push_back(rule);
  }

  void warn_numerals_apart(size_t i) {
    size_t j = i + 1;
    while (w.has(j) && (w.line(j).blank || !w.line(j).furniture.empty())) ++j;
    if (!w.has(j)) return;
    Span at{w.line(i).span.end - 1, w.line(j).span.start + 1};
    b.out.warnings.push_back({"numerals_apart", "a line ends and the next begins with a numeral: read as two figures, not one ("
                              + std::string(rules.layout.numerals_apart_rule) + ")", true, at});
  }

  bool headline_open_above(size_t i) const;
  bool labelled_heading(size_t i) const;
  std::optional<HeadingParse> two_line_parse(size_t i, size_t j);
  void take_two_lines(size_t i, HeadingParse parsed, size_t j);
  bool stands_alone(size_t j);
  bool two_line_heading(size_t i);
  void name_below(size_t i);
  bool signature(size_t i);
  bool date_line(size_t j);
  bool closes_section(size_t i);
  void take_section_captions(UnitText& unit);
  bool signs_section(size_t i);
  size_t section_headline(std::vector<ParagraphText>& from, bool split) const;
  void signed_unit(size_t i);
  void flush_pending();
  void unit(size_t i);
  bool unit_above_allows(size_t i) const;
  void sub_label(size_t i);
  void other_place_label(size_t i);
  void unsigned_signature(size_t i);
  void place_headline(HeadlinePlacement::Produce how, size_t i, UnitHeading& h, size_t& k);
  void headline_paragraph_above(UnitHeading& h);
  void headline_wrapped(UnitHeading& h, size_t& k);
  bool set_in_less_than_next(size_t k);
  void headline_own_line(size_t k, UnitHeading& h);
  void headline_line_above(size_t i, UnitHeading& h);
  const ParagraphText* headline_above();
  void take_headline_above(UnitHeading& h, Span where, HeadlinePlacement::Produce how);

  void run() {
    for (size_t i = 0; w.has(i); ++i) {
      // The line before is looked at (headline_line_above), and those past page
      // furniture above a signature (closes_section).
      size_t back = 1 + rules.structure.signed_sections_furniture_between;
      w.forget_before(i > back ? i - back : 0);
      if (w.consumed(i)) continue;
      switch (w.kind(i).kind) {
        case Kind::blank: break;
        case Kind::title: title(w.line(i)); break;
        case Kind::subtitle: subtitle(w.kind(i)); break;
        case Kind::sidebar:
          if (w.kind(i).in_unit && b.where == Builder::Where::unit) comment_in_unit(i);
          else sidebar(w.kind(i));
          close_if_complete(i);
          break;
        case Kind::furniture: furniture(w.line(i), w.kind(i)); break;
        case Kind::unit:
          note_heading_mark(w.line(i));
          if (fp.title_is_unit && i == fp.title_at) title(w.line(i));
          if (w.kind(i).unit->layout && w.kind(i).unit->layout->unit_above.warn_other_place) {
            other_place_label(i);
            break;
          }
          if (!unit_above_allows(i)) {
            sub_label(i);
            break;
          }
          if (signs_section(i)) {
            signed_unit(i);
            break;
          }
          if (w.kind(i).unit->layout && w.kind(i).unit->layout->signature_only) {
            unsigned_signature(i);
            break;
          }
          flush_pending();
          name_below(i);
          if (!signature(i)) unit(i);
          break;
        case Kind::body:
          if (two_line_heading(i)) {
            name_below(i);  // 县统计局 over 党组书记、局长 over 何晓光: three lines
            unit(i);
          } else {
            body(i);
          }
          break;
      }
    }
    b.close();
    flush_pending();
    warn_unknown_headings();
  }

  void warn_unknown_headings() {
    warn_headings(unknown_headings, "unknown_heading", "a line set as a heading matches no heading rule");
    warn_headings(suspected_headings, "heading_suspected",
                  "a line reads as a unit heading once the marks around it are set aside, but no layout rule takes it");
    warn_headings(plain_headings, "heading_suspected",
                  "a line standing alone reads as a post and a name, but no heading rule takes it",
                  rules.structure.plain_heading.rule);
    warn_headings(sub_labels, "heading_suspected",
                  "a line reads as a unit heading, but names the place of the unit above (or a village or community "
                  "under it): read as a sub-label of that unit",
                  std::string(sub_label_rule));
    warn_headings(other_place_labels, "heading_suspected",
                  "a line opens what may be the report of another place than the unit above's, but names no "
                  "official: not read as a heading",
                  std::string(other_place_rule));
    warn_headings(unsigned_signatures, "heading_suspected",
                  "a post and a name in brackets read as a section's signature, but no section is signed so "
                  "here: not read as a heading",
                  std::string(unsigned_signature_rule));
    auto other_mark = [&](const UnknownHeading& u) { return heading_marks.find(view[u.span.start]) == std::u32string::npos; };
    marked_lines.erase(std::remove_if(marked_lines.begin(), marked_lines.end(), other_mark), marked_lines.end());
    warn_headings(marked_lines, "heading_suspected",
                  "a line set with the unit headings' mark names a post and a name, or a place alone, but no heading "
                  "rule takes it",
                  rules.structure.marked_line_rule);
  }

  // The bullet of a line read as a unit heading (■ of ■梅塘镇党委书记　黄文斌), or the opening
  // of its markup (【 of 【梅塘镇党委书记　黄文斌】让…, * of **…**): a line set so that names a
  // post and a name no rule reads was merged into the unit above without a word.
  void note_heading_mark(const Line& line) {
    if (!(line.bulleted || line.wrapped) || line.span.empty()) return;
    char32_t mark = view[line.span.start];
    if (heading_marks.find(mark) == std::u32string::npos) heading_marks.push_back(mark);
  }

  void warn_headings(const std::vector<UnknownHeading>& lines_seen, const char* code, const std::string& what,
                     const std::string& rule = {}) {
    const std::string& named = rule.empty() ? rules.structure.unknown_heading_rule : rule;
    for (const UnknownHeading& u : lines_seen) {
      if (u.headline) continue;
      std::string words = to_utf8(text_of(view, u.content));
      b.out.warnings.push_back({code, what + " (" + named + "): \"" + words +
                                          "\"; its text stays with the unit before",
                                true, u.span});
    }
  }
};

// The short one-line paragraph just before the heading, if any: a headline set above it.
const ParagraphText* Walk::headline_above() {
  const auto& prev = b.target();
  if (prev.empty() || prev.back().pieces.size() != 1 || !headline_like(view, prev.back().pieces, rules)) return nullptr;
  return &prev.back();
}

// The paragraph above, at `where`, becomes the headline: a line of it that looked like
// a heading is no unknown one (spans of lines do not overlap: one line holds `where`).
void Walk::take_headline_above(UnitHeading& h, Span where, HeadlinePlacement::Produce how) {
  b.target().pop_back();
  h.rules.push_back(rules.structure.placement_name(how));
  for (auto* list : {&unknown_headings, &suspected_headings, &plain_headings, &sub_labels, &other_place_labels,
                     &unsigned_signatures, &marked_lines})
    for (UnknownHeading& u : *list)
      if (u.span.start <= where.start && where.end <= u.span.end) u.headline = true;
}

// The short paragraph above the heading, without a place label repeating the
// organisation: the headline of a heading led by dashes ("——海棠区委书记鲁正兰").
void Walk::headline_paragraph_above(UnitHeading& h) {
  const ParagraphText* above = headline_above();
  if (!above) return;
  Span where = covering(above->pieces);
  h.headline = without_place_label(view, above->pieces, h.organization);
  h.heading.insert(h.heading.begin(), h.headline.begin(), h.headline.end());
  take_headline_above(h, where, HeadlinePlacement::Produce::paragraph_above);
}

// Headline wrapped onto the following lines of the same block (or its continuation
// there), from `k`, the first line after the heading and the lines it took; `k` ends
// after them.
void Walk::headline_wrapped(UnitHeading& h, size_t& k) {
  size_t extra = 0;
  // A line set in under a heading that has its headline (…许文涛：做实网格 服务到家 over
  // 　　2022年，长桥街道将…) starts the text; set in under one without (■ 城关镇党委书记
  // 韩立新 over 　　“小网格”撬动“大治理”) it is the headline, and so is one set in less
  // than the paragraph under it, a title's second line centred (…吴国庆：以案促改促治 over
  // 　做深“后半篇文章” over 　　2024年，…).
  while (w.has(k) && w.kind(k).kind == Kind::body && extra < rules.structure.headline_max_lines &&
         !(w.line(k).indented && !h.headline.empty() && !set_in_less_than_next(k)) &&
         headline_like(view, w.line(k).content, rules)) {
    Pieces words = w.line(k).content;
    h.headline.insert(h.headline.end(), words.begin(), words.end());
    h.heading.push_back(heading_extent(view, w.line(k)));
    w.consume(k++);
    ++extra;
  }
  if (extra > 0) h.rules.push_back(rules.structure.placement_name(HeadlinePlacement::Produce::wrapped));
}

// Whether line k is a title's centred second line: set in less than the text line right
// under it, which is set in, under a line as wide as that one (the title ran out of room:
// …吴国庆：以案促改促治 over 　做深“后半篇文章” over 　　2024年，…), with no number and no
// list mark (under a short headline, 　一、强化政治引领, 　全镇发展党员35名, 　2024年工作回顾
// begin the text).
bool Walk::set_in_less_than_next(size_t k) {
  if (k == 0 || !w.has(k + 1) || w.kind(k + 1).kind != Kind::body) return false;
  const Line &line = w.line(k), &above = w.line(k - 1), &next = w.line(k + 1);
  if (!next.indented || line.indent >= next.indent || !line.enumerator.empty() || above.columns < next.columns) return false;
  Span words = covering(line.content);
  for (uint32_t i = words.start; i < words.end; ++i)
    if (is_ascii_digit(view[i])) return false;
  return true;
}

// Or standing alone after a blank line.
void Walk::headline_own_line(size_t k, UnitHeading& h) {
  size_t m = k;
  while (w.has(m) && w.kind(m).kind == Kind::blank) ++m;
  bool single = w.has(m) && m > k && w.kind(m).kind == Kind::body && w.line(m).enumerator.empty() &&
                (!w.has(m + 1) || w.kind(m + 1).kind == Kind::blank);
  if (!single || !headline_like(view, w.line(m).content, rules)) return;
  h.headline = w.line(m).content;
  // A markdown headline (### 以“红色网格”撬动基层治理大变革 under ## 东城区　区委书记　王建华) is
  // in the heading with its marks: they stand inside the heading's span, which covers both
  // lines, and the span's text must give the heading back (it lacked the ###).
  Span extent = heading_extent(view, w.line(m));
  if (const Line& below = w.line(m); below.heading_level > 0) {
    size_t from = below.span.start;
    while (from < extent.start && is_space(view[from])) ++from;
    extent.start = uint32_t(from);
  }
  h.heading.push_back(extent);
  h.rules.push_back(rules.structure.placement_name(HeadlinePlacement::Produce::own_line));
  w.consume(m);
}

// Or set right above the heading line, with no blank line between ("【强基固本】" over
// "营根镇党委书记 王大力").
void Walk::headline_line_above(size_t i, UnitHeading& h) {
  if (i == 0 || w.kind(i - 1).kind != Kind::body) return;
  const ParagraphText* above = headline_above();
  if (!above || covering(above->pieces) != covering(w.line(i - 1).content)) return;
  h.headline = above->pieces;
  h.heading.insert(h.heading.begin(), heading_extent(view, w.line(i - 1)));
  take_headline_above(h, covering(w.line(i - 1).content), HeadlinePlacement::Produce::line_above);
}

// A line short enough for half a heading, ending no sentence (县住建局, 局长 王五).
// Asked of every body line: the line's characters are borrowed from the view, not copied.
bool heading_half(std::u32string_view view, const Line& line, const StructureRules& rules) {
  if (line.blank || !line.furniture.empty() || line.content.empty()) return false;
  Joined words = Joined::of(view, line.content);
  return words.size() <= rules.two_line_heading_max_chars && !ends_sentence(words.chars(), rules);
}

// Whether the open paragraph is only the line right above line i, and reads as a headline
// (a headline set over a heading of two lines: 党建引领“网格”变“网络” over 石门镇党委 over
// 述职人：周丽). It ends no sentence, so the heading's lines were taken for its sentence
// going on, and the section merged into the unit above without a word.
bool Walk::headline_open_above(size_t i) const {
  if (i == 0 || b.open_finished || b.open.pieces.size() != 1 || w.kind(i - 1).kind != Kind::body) return false;
  if (w.line(i - 1).content.size() != 1 || covering(b.open.pieces) != covering(w.line(i - 1).content)) return false;
  return headline_like(view, b.open.pieces, rules);
}

// Two body lines, the second right under the first, that read as one heading together
// (structure.json two_line_heading): line i becomes the unit heading, line j (i + 1, or
// a name after blank lines: name_below) is consumed. Not when the text above is a
// paragraph the page broke (its sentence goes on).
std::optional<HeadingParse> Walk::two_line_parse(size_t i, size_t j) {
  const StructureRules& st = rules.structure;
  if (st.two_line_heading_rule.empty() || (!b.open_finished && !headline_open_above(i)) || !w.has(j) || w.consumed(j))
    return std::nullopt;
  // Line j may be a heading by itself, for a layout that says so (over_heading): 述职单位：
  // 青龙县石桥镇党委 over 述职人：镇党委书记　李红 (alone, the second read 镇党委 for the
  // organisation, and the first was text of the unit above, a sentence of its plans).
  Kind below_kind = w.kind(j).kind;
  if ((below_kind != Kind::body && below_kind != Kind::unit) || !w.line(j).enumerator.empty()) return std::nullopt;
  if (!heading_half(view, w.line(i), st) || !heading_half(view, w.line(j), st)) return std::nullopt;
  Pieces both = without_enumerator(view, w.line(i));
  // The lines between that the heading took already: 县统计局 over 党组书记、局长 (two lines,
  // one heading with no name) over 何晓光, the name (name_below).
  for (size_t k = i + 1; k < j; ++k)
    if (w.consumed(k) && !w.line(k).blank)
      for (size_t p = 0; p < w.line(k).content.size(); ++p) both.push_back(w.line(k).content[p]);
  Pieces below = w.line(j).content;
  both.insert(both.end(), below.begin(), below.end());
  auto parsed = parse_heading_line(view, both, st);
  if (parsed && below_kind == Kind::unit && !(parsed->layout && parsed->layout->over_heading)) return std::nullopt;
  return parsed;
}

void Walk::take_two_lines(size_t i, HeadingParse parsed, size_t j) {
  parsed.heading.rules.push_back(rules.structure.two_line_heading_rule);
  Classified& c = w.kind(i);
  c.kind = Kind::unit;
  c.unit = std::move(parsed);
  for (size_t k = i + 1; k <= j; ++k) w.consume(k);
}

bool Walk::two_line_heading(size_t i) {
  auto parsed = two_line_parse(i, i + 1);
  if (!parsed) return false;
  b.close();  // a headline above (headline_open_above): a paragraph of its own, for line_above
  take_two_lines(i, std::move(*parsed), i + 1);
  return true;
}

// Line j stands alone: a blank line or the end after it.
bool Walk::stands_alone(size_t j) { return !w.has(j + 1) || w.kind(j + 1).kind == Kind::blank; }

// A heading line with no name over a line that is a name and nothing else (城关镇党委书记
// over 李明): one heading over two lines, the name the official's, never the headline;
// also with a blank line between when the name stands alone (北港街道党工委书记, blank, 韩志远,
// blank: the name was the headline). The name at most plain_line max_name_chars long and
// led by a surname (two_line_heading name_line): four characters under a post are a
// headline as often (城关镇党委书记 over 强基固本 keeps it as the headline), and so are
// three that no surname leads (滨江街道党工委书记 over 聚合力 was the name 聚合力).
void Walk::name_below(size_t i) {
  const Classified& c = w.kind(i);
  if (!c.unit || !c.unit->heading.name.empty() || !c.unit->body.empty() || !w.has(i + 1)) return;
  size_t first = i + 1;  // after the lines the heading took (县统计局 over 党组书记、局长)
  while (w.has(first) && w.consumed(first) && !w.line(first).blank) ++first;
  size_t j = first;
  while (w.has(j) && w.kind(j).kind == Kind::blank && !w.consumed(j)) ++j;
  if (!w.has(j) || (j > first && !stands_alone(j))) return;
  const Line& below = w.line(j);
  if (below.blank || below.content.empty()) return;
  Span line_below = covering(below.content);
  // Or, right under the post, the name, a separator and the headline (龙潭镇党委书记 over
  // 杨　帆：让“金扁担”挑起乡村振兴: the name was lost, and the headline began with it).
  bool with_headline = j == first && line_below.size() > rules.structure.plain_heading.max_name_chars;
  if (line_below.size() > rules.structure.plain_heading.max_name_chars && !with_headline) return;
  auto parsed = two_line_parse(i, j);
  if (!parsed || !parsed->body.empty()) return;
  const UnitHeading& h = parsed->heading;
  bool name_alone = h.name == line_below && h.headline.empty();
  bool name_first = with_headline && !h.name.empty() && h.name.start == line_below.start && !h.headline.empty();
  if (!name_alone && !name_first) return;
  const auto& surnames = rules.structure.name_line_surnames;
  if (!surnames.empty() && !surnames.longest_at(text_of(view, {line_below}), 0)) return;
  if (!surnames.empty()) parsed->heading.rules.push_back(rules.structure.name_line_rule);
  take_two_lines(i, std::move(*parsed), j);
}

// A line that is a date and nothing else (2024年1月15日, （2024年1月15日）): structure.json
// signature's regex.
bool Walk::date_line(size_t j) {
  const LazyRegex& date = rules.structure.signature.pattern;
  std::u32string s = text_of(view, w.line(j).content);
  return date.may_match(s) && date.run(s, RegexMode::whole) == RegexRun::hit;
}

// A full report closed by its byline again, as a signature: 城南镇党委书记 (or with the
// name, 城南镇党委书记　李明) over the date, 2024年1月15日, at the end of the text. Read as
// a heading it started a second unit holding nothing, and the report, now of two units,
// was taken for a digest, its periods a year off, without a word. The lines are the
// report's: left out of the text as furniture (structure.signature), and its name the
// report's when the byline gave none. Only after the one unit of a report, with nothing
// but blank lines and one date line after it; a few lines are looked at.
constexpr size_t kSignatureLines = 8;

bool Walk::signature(size_t i) {
  const NamedRegex& sig = rules.structure.signature;
  const Classified& c = w.kind(i);
  if (sig.name.empty() || b.out.units.size() != 1 || b.where != Builder::Where::unit || !c.unit->body.empty())
    return false;
  UnitHeading& report = b.out.units.back().heading;
  const UnitHeading& h = c.unit->heading;
  if (!h.name.empty() && !report.name.empty() && text_of(view, {h.name}) != text_of(view, {report.name})) return false;
  std::vector<size_t> lines{i};
  bool dated = false;
  size_t j = i + 1;
  for (; w.has(j) && j - i <= kSignatureLines; ++j) {
    Kind kind = w.kind(j).kind;
    if (w.consumed(j) || (!dated && kind == Kind::body && date_line(j))) {
      dated = dated || !w.consumed(j);
      lines.push_back(j);
    } else if (kind != Kind::blank) {
      return false;
    }
  }
  if (w.has(j)) return false;  // more text after it
  b.close();
  for (size_t k : lines) {
    b.out.furniture.push_back({w.line(k).span, sig.name});
    w.consume(k);
  }
  if (report.name.empty() && !h.name.empty()) {
    report.name = h.name;
    report.rules.push_back(sig.name);
  }
  return true;
}

// structure.json signed_sections: sections signed at the end (建强支部堡垒 / 去年，青山镇… /
// 青山镇党委书记　马骏, a blank line after). Read as headings that open units, each signature
// took the next section's text and figures, the first section was front matter and the
// last unit empty, without a word.

// The heading line at `i` may close a section: it holds no headline, text ending a
// sentence stands right above it (no blank line between), a blank line or the end after it.
bool Walk::closes_section(size_t i) {
  const Classified& c = w.kind(i);
  if (!c.unit || !c.unit->body.empty() || !c.unit->heading.headline.empty() || i == 0) return false;
  // Page furniture between the text and its signature is passed over: a photo's caption,
  // …新建村级活动场所6个。 / 全年开展“邻里节”活动45场。（记者　赵阳　摄） / 青山镇党委书记　马骏,
  // made the signatures headings of the sections after them, each unit the next one's
  // figures, without a word.
  size_t k = i - 1;
  while (k > 0 && i - k <= rules.structure.signed_sections_furniture_between && w.kind(k).kind == Kind::furniture) --k;
  const Line& above = w.line(k);
  if (above.blank || w.kind(k).kind != Kind::body) return false;
  if (!ends_sentence(Joined::of(view, above.content).chars(), rules.structure)) return false;
  return !w.has(i + 1) || w.line(i + 1).blank;
}

// Whether the heading at `i` signs the section above it. Once a section was signed, the
// next one must be too, opening with its headline; the first only when the next heading
// closes its section the same way (a digest whose headings all stand under the text).
bool Walk::signs_section(size_t i) {
  const StructureRules& st = rules.structure;
  if (st.signed_sections_rule.empty() || !closes_section(i)) return false;
  // The first section is read as front matter or into a sidebar before it (编者按：…).
  bool pending = b.where == Builder::Where::pending;
  if (!pending && (b.where == Builder::Where::unit || !b.out.units.empty())) return false;
  b.close();
  auto& section = b.target();
  size_t first = section_headline(section, false);
  if (first == std::string::npos || (pending && first != 0)) return false;
  if (first + 1 == section.size() && section[first].pieces.size() == 1) return false;  // a headline and no text
  if (pending) return true;
  for (size_t j = i + 1; w.has(j) && j - i <= st.signed_sections_lookahead; ++j)
    if (w.kind(j).kind == Kind::unit) return closes_section(j);
  return false;
}

// The index of the last paragraph of `from` that is a headline (one short line), npos if
// none. A headline joined to the text under it (党建引领产业兴 over 白沙乡整合…, no sentence
// end between) is split off first.
size_t Walk::section_headline(std::vector<ParagraphText>& from, bool split) const {
  auto headline = [&](const Pieces& p) { return p.size() == 1 && headline_like(view, p, rules); };
  for (size_t k = from.size(); k-- > 0;) {
    if (headline(from[k].pieces)) return k;
    if (from[k].pieces.size() > 1 && headline({from[k].pieces.front()})) {
      if (!split) return k;  // only looked at: the text stays as it is unless signed
      ParagraphText rest;
      rest.pieces.assign(from[k].pieces.begin() + 1, from[k].pieces.end());
      from[k].pieces.resize(1);
      from.insert(from.begin() + long(k) + 1, std::move(rest));
      return k;
    }
  }
  return std::string::npos;
}

// The unit of a signature: the section above it, its first paragraph the headline; the
// text after it waits for the next signature.
void Walk::signed_unit(size_t i) {
  std::vector<ParagraphText>& from = b.target();
  size_t first = section_headline(from, true);  // found by signs_section
  const Classified& c = w.kind(i);
  UnitText unit;
  unit.has_heading = true;
  unit.heading = c.unit->heading;
  unit.heading.heading = {heading_extent(view, w.line(i))};
  if (c.lead) unit.heading.rules.push_back(c.lead->name);
  unit.heading.rules.push_back(rules.structure.signed_sections_rule);
  unit.heading.headline = from[first].pieces;
  unit.paragraphs.assign(std::make_move_iterator(from.begin() + long(first) + 1), std::make_move_iterator(from.end()));
  take_section_captions(unit);
  from.erase(from.begin() + long(first), from.end());
  last_org = view.substr(unit.heading.organization.start, unit.heading.organization.size());
  outline = 0;
  b.out.units.push_back(std::move(unit));
  b.where = Builder::Where::pending;
  b.interrupted_unit = false;
}

// The captions of the section a signature closes (from its headline on) are its unit's.
// Any before it stay the front matter's or the sidebar's; between the last signature and
// this headline they go to the unit above, the nearest (a caption between two sections
// was checked against the last unit of the document, each signature going over all of
// them again).
void Walk::take_section_captions(UnitText& unit) {
  std::vector<Refusal>& captions = b.target_captions();
  uint32_t section_start = unit.heading.headline.front().start;
  auto before = std::stable_partition(captions.begin(), captions.end(),
                                      [&](const Refusal& c) { return c.span.start < section_start; });
  unit.captions.assign(before, captions.end());
  captions.erase(before, captions.end());
  if (b.where == Builder::Where::pending && !b.out.units.empty()) {
    auto& above = b.out.units.back().captions;
    above.insert(above.end(), captions.begin(), captions.end());
    captions.clear();
  }
}

// Text after the last signature, or before a heading that signs nothing, stays with the
// last unit (as it did), warned of.
void Walk::flush_pending() {
  if (b.where != Builder::Where::pending) return;
  b.close();
  b.where = Builder::Where::unit;
  auto& captions = b.out.units.back().captions;
  captions.insert(captions.end(), b.pending_captions.begin(), b.pending_captions.end());
  b.pending_captions.clear();
  if (b.pending.empty()) return;
  Span at = covering(b.pending.front().pieces);
  auto& to = b.out.units.back().paragraphs;
  to.insert(to.end(), std::make_move_iterator(b.pending.begin()), std::make_move_iterator(b.pending.end()));
  b.pending.clear();
  b.out.warnings.push_back({"heading_suspected", "text after a section signed at the end has no signature of its own ("
                            + rules.structure.signed_sections_rule + "): it stays with the unit above", true, at});
}

// One placement of the headline; `k` is the first line after the heading and the
// lines it took. Only a wrapped headline goes on one found already.
void Walk::place_headline(HeadlinePlacement::Produce how, size_t i, UnitHeading& h, size_t& k) {
  using P = HeadlinePlacement::Produce;
  if (how != P::wrapped && !h.headline.empty()) return;
  switch (how) {
    case P::paragraph_above: headline_paragraph_above(h); break;
    case P::wrapped: headline_wrapped(h, k); break;
    case P::own_line: headline_own_line(k, h); break;
    case P::line_above: headline_line_above(i, h); break;
  }
}

std::u32string without_spaces(std::u32string s) {
  s.erase(std::remove_if(s.begin(), s.end(), [](char32_t c) { return is_space(c); }), s.end());
  return s;
}

// Characters of `a` and `z` alike, white space aside (何　敏 is 何敏), compared in place:
// every unit heading asks, and two strings made for it cost more than the rest.
bool same_words(std::u32string_view view, Span a, Span z) {
  size_t i = a.start, j = z.start;
  for (;;) {
    while (i < a.end && is_space(view[i])) ++i;
    while (j < z.end && is_space(view[j])) ++j;
    if (i == a.end || j == z.end) return i == a.end && j == z.end;
    if (view[i++] != view[j++]) return false;
  }
}

// The rule that makes a heading go on with the unit above, or empty. One closed by a mark
// of continuation that names the organisation and official of the last unit
// (structure.json continued_heading: 市行政审批服务局党组书记、局长何敏（续） after a page
// break was a second unit of the bureau with the headline （续）, its plans split from its
// outcomes, without a word). Or, with no mark, one that restates the official of the unit
// above inside the report, with a field label (same_official; `labelled` asks, only once
// the names match): 述职人：林海燕（白沙乡党委书记） under 白沙乡党委书记　林海燕, or 东关街道党工委
// over 述职人：赵明 under 东关街道党工委书记　赵　明, opened a second unit of the same official,
// whose sentences lost their period (去年), without a word. The same name, and the same
// organisation or one holding the other (白沙乡 in 白沙乡党委); a namesake of another place
// is another official.
template <class Labelled>
std::string_view continues_last_unit(std::u32string_view view, const UnitHeading& h, const Pieces& line,
                                     const Labelled& labelled, Builder& b) {
  const StructureRules& st = b.rules.structure;
  if (b.out.units.empty() || h.organization.empty() || h.name.empty()) return {};
  const UnitHeading& last = b.out.units.back().heading;
  if (last.name.empty() || last.organization.empty() || !same_words(view, h.name, last.name)) return {};
  auto words = [&](Span a) { return without_spaces(text_of(view, {a})); };
  std::u32string org = words(h.organization), last_org = words(last.organization);
  if (!st.continued_heading_rule.empty() && org == last_org) {
    std::u32string s = without_spaces(text_of(view, line));
    bool marked = std::any_of(st.continued_marks.begin(), st.continued_marks.end(), [&](const std::u32string& m) {
      return s.size() >= m.size() && s.compare(s.size() - m.size(), m.size(), m) == 0;
    });
    if (marked) return st.continued_heading_rule;
  }
  bool same_org = org.find(last_org) != std::u32string::npos || last_org.find(org) != std::u32string::npos;
  return same_org && labelled() ? std::string_view(st.same_official_rule) : std::string_view();
}

// Whether the heading at line i, with the lines it took below it, holds a field label
// naming the speaker (structure.json same_official labels: 述职人：林海燕（…）, 石门镇党委 over
// 述职人：周丽). Only such a label restates the official inside the report: a byline repeated
// bare (中共河口乡委员会书记　李文 over a second full report of his) opens a unit, as before.
bool Walk::labelled_heading(size_t i) const {
  const StructureRules& st = rules.structure;
  if (st.same_official_labels.empty()) return false;
  for (size_t k = i; w.has(k) && (k == i || (w.consumed(k) && !w.line(k).blank)); ++k) {
    std::u32string words = text_of(view, w.line(k).content);
    for (const std::u32string& label : st.same_official_labels)
      if (words.find(label) != std::u32string::npos) return true;
  }
  return false;
}

void Walk::unit(size_t i) {
  Classified& c = w.kind(i);
  b.close();
  if (std::string_view go_on = continues_last_unit(view, c.unit->heading, {heading_extent(view, w.line(i))},
                                                   [&] { return labelled_heading(i); }, b);
      !go_on.empty()) {
    auto& rules_of_last = b.out.units.back().heading.rules;
    if (std::find(rules_of_last.begin(), rules_of_last.end(), go_on) == rules_of_last.end())
      rules_of_last.emplace_back(go_on);
    b.where = Builder::Where::unit;
    b.interrupted_unit = false;
    b.add_body(c.unit->body);
    return;
  }
  UnitText unit;
  unit.has_heading = true;
  unit.heading = c.unit->heading;
  if (c.unit->body.empty()) unit.heading.heading = {heading_extent(view, w.line(i))};
  UnitHeading& h = unit.heading;
  size_t k = i + 1;
  for (; w.has(k) && w.consumed(k); ++k)  // the second line of a two-line heading (blank lines before it)
    if (c.unit->body.empty() && !w.line(k).blank) h.heading.push_back(heading_extent(view, w.line(k)));
  if (c.lead) {
    h.rules.push_back(c.lead->name);
    place_headline(c.lead->headline, i, h, k);
  }
  // A heading whose line goes on with the first paragraph has no headline elsewhere.
  if (c.unit->body.empty())
    for (HeadlinePlacement::Produce how : c.unit->layout->headline) place_headline(how, i, h, k);
  if (Pieces bare = without_headline_label(view, h.headline, rules); bare != h.headline) {
    h.headline = std::move(bare);
    h.rules.push_back(rules.structure.headline_label_rule);
  }
  if (auto bare = without_enclosing_quotes(view, h.headline, rules)) {
    h.headline = std::move(*bare);
    h.rules.push_back(rules.structure.headline_quotes_rule);
  }
  if (const auto& above = c.unit->layout->unit_above; !above.name.empty()) h.rules.push_back(above.name);
  last_org = view.substr(h.organization.start, h.organization.size());
  outline = 0;
  b.out.units.push_back(std::move(unit));
  b.where = Builder::Where::unit;
  b.interrupted_unit = false;
  b.add_body(c.unit->body);
}

// Whether a place ends in a village or a community (石桥村, 石桥村党支部: a party body of
// sub_place_bodies after it), a place inside a town's.
bool is_sub_place(std::u32string_view org, const HeadingLayout::UnitAbove& above) {
  size_t e = org.size();
  if (auto body = above.sub_place_bodies.longest_ending_at(org, e); body && body.len < e) e -= body.len;
  return bool(above.sub_places.longest_ending_at(org, e));
}

// A layout with unit_above takes its line only under a unit of another place:
// 【桃源乡】赵丽：把支部建在产业链上 under 河口镇党委's report is 桃源乡's (it was a paragraph of
// the unit above, which took its figures, without a word), while 【石门镇】高招：小积分兑出大文明
// inside 石门镇党委's report is a sub-label of it, 高 a surname's character (0ec9f18 read
// such labels as units, and was reverted). Nor a village or a community under a unit that is
// none (【石桥村】张华：… inside a town's report quotes one of its villages). With no unit above
// (the first heading) the line is one.
bool Walk::unit_above_allows(size_t i) const {
  const Classified& c = w.kind(i);
  if (!c.unit || !c.unit->layout || c.unit->layout->unit_above.name.empty() || last_org.empty()) return true;
  const auto& above = c.unit->layout->unit_above;
  Span org = c.unit->heading.organization;
  std::u32string place(view.substr(org.start, org.size()));
  if (place.empty() || last_org.find(place) != std::u32string::npos || place.find(last_org) != std::u32string::npos) return false;
  return !is_sub_place(place, above) || is_sub_place(last_org, above);
}

// The line stays the unit's text, as a body line, and a warning names it with its span.
void Walk::sub_label(size_t i) {
  sub_label_rule = w.kind(i).unit->layout->unit_above.name;
  w.kind(i).kind = Kind::body;
  body(i);
  const Line& line = w.line(i);
  for (const UnknownHeading& u : suspected_headings)
    if (u.span.start == line.span.start) return;  // warned of already
  sub_labels.push_back({line.span, line.content});
}

// A layout that names a place and no official (unit_above other_place: 【石门镇】高招：把支部
// 建在产业链上) is never a heading: 0ec9f18 read such labels as units and was reverted. Under
// a unit of another place (白沙乡党委's report) it may open 石门镇's report, or quote it:
// the line stays the unit's text and a warning names it, where it was merged into the unit
// above without a word; under its own place's unit (or a village's under its town's) it
// is that unit's sub-label, with no word. With no unit above it is warned of too.
void Walk::other_place_label(size_t i) {
  const bool other = unit_above_allows(i);
  other_place_rule = w.kind(i).unit->layout->unit_above.name;
  w.kind(i).kind = Kind::body;
  body(i);
  if (!other) return;
  const Line& line = w.line(i);
  other_place_labels.push_back({line.span, line.content});
}

// A signature_only layout's line that signs no section (structure.signed_sections): a post
// and a name in brackets closing a paragraph of an ordinary report (…42个。（县委书记点评）, split
// from it by layout.json glued_heading brackets) is no byline; it stays the unit's text,
// warned of, where a unit of 县委, its official 点评, took the figures after it.
void Walk::unsigned_signature(size_t i) {
  unsigned_signature_rule = w.kind(i).unit->layout->name;
  w.kind(i).kind = Kind::body;
  body(i);
  const Line& line = w.line(i);
  for (const UnknownHeading& u : suspected_headings)
    if (u.span.start == line.span.start) return;  // warned of already (structure.unknown_heading)
  unsigned_signatures.push_back({line.span, line.content});
}

// Year and region from the front matter: subtitle, title, the unlabelled text before
// the first unit, then the sidebars (核心提示: 琼南市2023年度…述职评议会).
void read_front_matter(Structure& st, std::u32string_view view, const std::vector<ParagraphText>& front,
                       const Rules& rules) {
  std::vector<Pieces> places;
  if (!st.subtitle.empty()) places.push_back(st.subtitle);
  if (!st.title.empty()) places.push_back(st.title);
  for (const auto& p : front) places.push_back(p.pieces);
  for (const auto& sb : st.sidebars)
    for (const auto& p : sb.paragraphs) places.push_back(p.pieces);
  find_year(st, view, places, rules.structure.report_year, rules);
  find_region(st, view, places, rules);
}

// The year and month of the first date a line holds (structure.json year_not_over's
// date_regex: 发布日期：2024-01-19, 来源：峰城日报　2017-01-13), if any.
std::optional<std::pair<int, int>> year_month_of(std::u32string_view line, const LazyRegex& date, const std::string& rule,
                                                 Structure& st) {
  rx::Groups found;
  if (!date.may_match(line) || !bounded_find(date, line, rule, st, &found)) return std::nullopt;
  int month = 0;
  for (char32_t c : group_text(line, found, 2)) month = month * 10 + int(c - U'0');
  return std::make_pair(year_of_digits(group_text(line, found, 1)), month);
}

// structure.json year_not_over: a digest's report year that is not over at the page's
// date (临水市2024年度…述职评议摘登 over 发布日期：2024-01-19) reviews no year: its plans
// (2024年，…将新增公办学位6000个) came out as done, without a word. Warned with both
// places; dated early in that year, the digest reviews the year before (2023年，…新建).
void check_year_not_over(Structure& st, std::u32string_view view, const Rules& rules) {
  const auto& r = rules.structure.year_not_over;
  auto named = [](const std::vector<std::string>& names, std::string_view n) {
    return std::find(names.begin(), names.end(), n) != names.end();
  };
  if (r.name.empty() || !st.report_year || st.genre != "digest" || !named(r.year_rules, st.year_rule)) return;
  // The page's own date is its first dated furniture line (a list of other pages' dates
  // further down is not its date).
  for (const FurnitureLine& f : st.furniture) {
    if (!named(r.furniture, f.rule)) continue;
    auto date = year_month_of(view.substr(f.span.start, f.span.size()), r.date, r.name, st);
    if (!date) continue;
    int year = *st.report_year;
    if (date->first > year || (date->first == year && date->second > r.last_month)) return;
    bool moves = date->first == year && date->second <= r.review_months;
    std::string dated = std::to_string(date->first) + "-" + std::to_string(date->second);
    std::string message = "the report year " + std::to_string(year) + " (" + st.year_rule + ") is not over at the page's date " +
                          dated + ": " +
                          (moves ? "the year before, " + std::to_string(year + r.offset) + ", taken (" + r.name + ")"
                                 : "kept; pass --year");
    Warning w{"report_year_not_over", message, !st.year_place.empty(), st.year_place};
    if (!st.year_place.empty()) w.spans = {st.year_place, f.span};
    st.warnings.push_back(std::move(w));
    if (moves) {
      st.report_year = year + r.offset;
      st.year_rule = r.name;
    }
    return;
  }
}

// The report year given (--year, or the path), which wins over what the text states,
// else a warning when the text states none.
void apply_given_year(Structure& st, const Rules& rules, const StructureOptions& options) {
  if (options.year) {
    if (st.report_year && *st.report_year != *options.year)
      st.warnings.push_back({"year_overridden",
                             "the text states " + std::to_string(*st.report_year) + "; " + options.year_from + " " +
                                 std::to_string(*options.year) + " used instead",
                             false,
                             {}});
    st.report_year = options.year;
    st.year_rule = rules.structure.year_option_rule;
  } else if (!st.report_year) {
    st.warnings.push_back({"no_report_year", "the text states no report year (NNNN年度); pass --year", false, {}});
  }
}

// A full report whose front matter states no year may state it in its body: its section
// headings (一、2023年工作回顾, 二、2024年工作打算) or its opening sentence (2023年，在区委的
// 坚强领导下，……); the byline's headline counts as the first place of the body. Tried
// after the front matter, so that a title's year still wins.
void find_body_year(Structure& st, std::u32string_view view, const std::vector<ParagraphText>& front,
                    const Rules& rules) {
  if (st.report_year) return;
  const StructureRules::Genre* genre = nullptr;
  for (const auto& g : rules.structure.genres) genre = g.name == st.genre_rule ? &g : genre;
  if (!genre || genre->body_year.empty()) return;
  // A full report has one unit at most (the genre's max_units), still open: back() is it.
  if (st.units.size() > 1) return;
  const UnitText* unit = st.units.empty() ? nullptr : &st.units.back();
  const auto& body = unit ? unit->paragraphs : front;
  std::vector<Pieces> places;
  places.reserve(body.size() + 1);
  // A bare section line right under the byline reads as its headline (2023年工作总结).
  if (unit && !unit->heading.headline.empty()) places.push_back(unit->heading.headline);
  for (const auto& p : body) places.push_back(p.pieces);
  find_year(st, view, places, genre->body_year, rules);
}

// A digest, or an official's full report (genres of structure.json, first match wins).
void find_genre(Structure& st, std::u32string_view view, const StructureRules& rules) {
  st.genre = "digest";
  if (st.title.empty()) return;
  std::u32string title_text = text_of(view, st.title);
  for (const auto& g : rules.genres) {
    if (st.units.size() > g.max_units || (g.no_subtitle && !st.subtitle.empty())) continue;
    if (!g.title.may_match(title_text) || !bounded_find(g.title, title_text, g.name, st)) continue;
    st.genre = g.genre;
    st.genre_rule = g.name;
    return;
  }
}

}  // namespace

std::optional<UnitHeading> parse_unit_heading(std::u32string_view view, const Pieces& content,
                                              const StructureRules& rules) {
  auto h = parse_heading_line(view, content, rules);
  if (!h) return std::nullopt;
  return std::move(h->heading);
}

namespace {

constexpr size_t kFrontMaxLines = 4096;

// The key of a unit heading for structure.json contents: organisation, role and name,
// white space aside (李　明 in the contents, 李明 over the report).
std::u32string official_key(std::u32string_view view, const UnitHeading& h) {
  auto part = [&](Span s) { return without_spaces(std::u32string(text_of(view, {s}))); };
  return part(h.organization) + U'|' + part(h.role) + U'|' + part(h.name);
}

// A line that is one of structure.json contents' labels alone (【本期导读】, 目录：).
bool contents_label(std::u32string_view view, const Line& line, const StructureRules& st) {
  std::u32string s = without_spaces(std::u32string(text_of(view, line.content)));
  while (!s.empty() && (s.back() == ':' || s.back() == U'：')) s.pop_back();
  auto m = st.contents_labels.longest_at(s, 0);
  return m && m.len == s.size();
}

// structure.json contents: a table of contents at the start of the units (【本期导读】 over
// 一、城东街道党工委书记　李　明 / 二、城西街道党工委书记　王海燕, then the lead, then the
// reports under the same headings) made a unit of each entry, every unit twice and the
// lead's figures owned by the last entry, without a word. Its lines become page
// furniture; the index of the first unit heading after it is returned (`first` if none).
struct ContentsRun {
  std::vector<size_t> entries;        // the heading lines of the run
  size_t again = std::string::npos;  // the heading after it that names its first entry again
};

// The run of heading lines from `first`, only blank lines and furniture between them, and
// the heading after it that names the first entry again: right after the run (the
// reports follow with no lead) or the first heading after the lead.
ContentsRun contents_run(std::u32string_view view, LineWindow& lines, size_t first) {
  auto key = [&](size_t at) { return official_key(view, lines.kind(at).unit->heading); };
  ContentsRun run;
  size_t i = first;
  for (; i - first < kFrontMaxLines && lines.has(i); ++i) {  // held lines bounded, as for the front
    Kind k = lines.kind(i).kind;
    if (k != Kind::unit && k != Kind::blank && k != Kind::furniture) break;
    if (k != Kind::unit) continue;
    if (!run.entries.empty() && key(i) == key(run.entries.front())) {
      run.again = i;
      return run;
    }
    run.entries.push_back(i);
  }
  if (run.entries.empty() || !lines.has(i)) return run;
  size_t next = lines.first_unit(kFrontMaxLines, i);
  if (next != std::string::npos && key(next) == key(run.entries.front())) run.again = next;
  return run;
}

size_t mark_contents(std::u32string_view view, LineWindow& lines, const StructureRules& st, size_t first) {
  if (st.contents_rule.empty()) return first;
  ContentsRun run = contents_run(view, lines, first);
  if (run.entries.size() < st.contents_min_entries || run.again == std::string::npos) return first;
  // The report named again holds text: 300 headings and nothing else, their names
  // repeating, are 300 units (bad-inputs every_line_heading lost 30 of them as contents).
  size_t after = run.again + 1;
  while (after - run.again < kFrontMaxLines && lines.has(after) && lines.kind(after).kind == Kind::blank) ++after;
  if (!lines.has(after) || lines.kind(after).kind == Kind::unit) return first;
  auto to_furniture = [&](size_t at) {
    lines.kind(at) = Classified{};
    lines.kind(at).kind = Kind::furniture;
    lines.kind(at).rule = st.contents_rule;
  };
  for (size_t e : run.entries) to_furniture(e);
  size_t above = first;
  while (above > 0 && lines.kind(above - 1).kind == Kind::blank) --above;
  if (above > 0 && lines.kind(above - 1).kind == Kind::body && contents_label(view, lines.line(above - 1), st))
    to_furniture(above - 1);
  return run.again;
}

// The lines of `source` walked into units, sidebars and front matter.
Structure walk_units(std::u32string_view view, LineWindow::Source source, const Rules& rules,
                     const StructureOptions& options) {
  LineWindow lines(std::move(source));
  // The front is looked for in the first kFrontMaxLines lines only: a text with no unit
  // heading held every line until its end to find none (标题 over 200,000 blank lines, a
  // 600 KB file, peaked at 85 MB; 3 million lines at 1.2 GB). No title stands that low.
  size_t first_unit = lines.first_unit(kFrontMaxLines);
  bool no_units = first_unit == std::string::npos;
  if (no_units) first_unit = std::min(kFrontMaxLines, lines.read_so_far());
  else first_unit = mark_contents(view, lines, rules.structure, first_unit);
  // The headings after the first, looked for only where the first names the genre (a
  // report's title, structure.title.report_heading): a few lines are held a while longer.
  LaterUnits later;
  if (!no_units && names_a_genre(text_of(view, lines.line(first_unit).content), rules.structure)) {
    later.second = lines.first_unit(kFrontMaxLines, first_unit + 1);
    if (later.second != std::string::npos) later.third = lines.first_unit(kFrontMaxLines, later.second + 1);
  }
  FrontPlaces fp = place_title(view, lines.lines(), rules, first_unit, no_units, later, lines.kinds());
  Walk walk(view, lines, rules, fp);
  walk.b.out.units.set_packing(options.pack_units);
  walk.run();
  Structure& st = walk.b.out;
  SidebarText& front = walk.b.front;
  read_front_matter(st, view, front.paragraphs, rules);
  find_genre(st, view, rules.structure);
  find_body_year(st, view, front.paragraphs, rules);
  if (!options.year) check_year_not_over(st, view, rules);  // a year given wins, unchecked
  apply_given_year(st, rules, options);
  if (st.units.empty()) {
    UnitText unit;
    unit.paragraphs = std::move(front.paragraphs);
    unit.captions = std::move(front.captions);
    st.units.push_back(std::move(unit));
    st.warnings.push_back({"no_unit_headings", "no unit heading found; the whole text is one unit", false, {}});
  } else if (!front.paragraphs.empty() || !front.captions.empty()) {
    // Unlabelled front matter goes after the labelled sidebars, which keep their order
    // (with no text but a caption's line, only to check that line: fill_sidebars).
    SidebarText lead;
    lead.rule = rules.structure.front_matter_rule;
    lead.paragraphs = std::move(front.paragraphs);
    lead.captions = std::move(front.captions);
    st.sidebars.push_back(std::move(lead));
  }
  return std::move(st);
}

}  // namespace

void UnitList::push_back(UnitText unit) {
  if (open_ && packing_) pack(*open_);
  else if (open_) unpacked_.push_back(std::move(*open_));
  open_ = std::move(unit);
}

void UnitList::pack(UnitText& unit) {
  UnitHeading& h = unit.heading;
  Packed p;
  p.organization = h.organization;
  p.role = h.role;
  p.name = h.name;
  p.heading = uint32_t(h.heading.size());
  p.headline = uint32_t(h.headline.size());
  p.paragraphs = unit.paragraphs.size();
  p.rules = uint32_t(h.rules.size());
  p.has_heading = unit.has_heading;
  spans_.insert(spans_.end(), h.heading.begin(), h.heading.end());
  spans_.insert(spans_.end(), h.headline.begin(), h.headline.end());
  for (const ParagraphText& para : unit.paragraphs) {
    piece_counts_.push_back(uint32_t(para.pieces.size()));
    spans_.insert(spans_.end(), para.pieces.begin(), para.pieces.end());
  }
  rules_.insert(rules_.end(), h.rules.begin(), h.rules.end());
  p.captions = uint32_t(unit.captions.size());
  captions_.insert(captions_.end(), unit.captions.begin(), unit.captions.end());
  packed_.push_back(p);
  unit = UnitText();
}

Pieces UnitList::take_spans(size_t n) {
  Pieces out(spans_.begin(), spans_.begin() + long(n));
  spans_.erase(spans_.begin(), spans_.begin() + long(n));
  return out;
}

UnitText UnitList::pop_front() {
  UnitText unit;
  if (!unpacked_.empty()) {
    unit = std::move(unpacked_.front());
    unpacked_.pop_front();
    return unit;
  }
  if (packed_.empty()) {
    unit = std::move(*open_);
    open_.reset();
    return unit;
  }
  const Packed& p = packed_.front();
  unit.has_heading = p.has_heading;
  UnitHeading& h = unit.heading;
  h.organization = p.organization;
  h.role = p.role;
  h.name = p.name;
  h.heading = take_spans(p.heading);
  h.headline = take_spans(p.headline);
  unit.paragraphs.resize(p.paragraphs);
  for (ParagraphText& para : unit.paragraphs) {
    para.pieces = take_spans(piece_counts_.front());
    piece_counts_.pop_front();
  }
  h.rules.assign(rules_.begin(), rules_.begin() + long(p.rules));
  rules_.erase(rules_.begin(), rules_.begin() + long(p.rules));
  unit.captions.assign(captions_.begin(), captions_.begin() + long(p.captions));
  captions_.erase(captions_.begin(), captions_.begin() + long(p.captions));
  packed_.pop_front();
  return unit;
}

Structure find_units(std::u32string_view view, const Layout& layout, const Rules& rules, const StructureOptions& options) {
  bool given = false;
  auto all_lines = [&](std::vector<Line>& out, std::vector<Classified>& kinds) {
    if (given) return false;
    out = layout.lines;
    classify_lines(view, out, rules, kinds);
    given = true;
    return true;
  };
  return walk_units(view, all_lines, rules, options);
}

Structure find_units(std::u32string_view view, const FoldChanges& changes, const Rules& rules,
                     const StructureOptions& options) {
  LineStream stream(view, changes, rules.layout);
  if (options.post) {
    ReadAhead ahead(view, stream, rules, options.post);
    return walk_units(view, [&](std::vector<Line>& out, std::vector<Classified>& kinds) { return ahead.next(out, kinds); },
                      rules, options);
  }
  auto next = [&](std::vector<Line>& out, std::vector<Classified>& kinds) {
    if (!stream.next(out)) return false;
    classify_lines(view, out, rules, kinds);
    return true;
  };
  return walk_units(view, next, rules, options);
}

}  // namespace digestx
