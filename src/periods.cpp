#include "digestx/periods.hpp"

#include "digestx/joined.hpp"
#include "digestx/layout.hpp"
#include "digestx/utf.hpp"

namespace digestx {

namespace {

bool is_open_quote(char32_t c) { return c == U'“' || c == U'《' || c == U'「' || c == U'『' || c == U'‘'; }
bool is_close_quote(char32_t c) { return c == U'”' || c == U'》' || c == U'」' || c == U'』' || c == U'’'; }

// Whether the quote opening at `open` is speech whose markers count (exclusions.json
// speech_marks): its words end in a clause break or a sentence end (“去年，城关镇推动…
// 93%。”王强说; “去年，我们新建示范村3个，”), and it holds one marker at most (“去年…，
// 今年要全面发力。” dates nothing); never a book's title, nor a slogan (“今年栽苗，明年挂
// 果，后年增收”).
bool speech_quote(std::u32string_view s, size_t open, const PeriodRules& rules) {
  if (open >= s.size() || s[open] == U'《' || rules.speech_marks.empty()) return false;
  size_t close = open + 1;
  while (close < s.size() && !is_close_quote(s[close])) ++close;
  if (close >= s.size() || close < open + 2 || rules.speech_marks.find(s[close - 1]) == std::u32string::npos)
    return false;
  size_t markers = 0;
  for (size_t k = open + 1; k < close && markers < 2; ++k)
    if (auto m = rules.marker_words.longest_at(s, k)) {
      ++markers;
      k += m.len - 1;
    }
  return markers < 2;
}

// A four-digit year ending at `end` (exclusive), Arabic or Chinese digits, not the end
// of a longer number (12023年 is no year).
std::optional<int> year_ending_at(std::u32string_view s, size_t end) {
  if (end < 4) return std::nullopt;
  int year = year_digits_at(s, end - 4);
  if (year < 0 || (end > 4 && year_digit(s[end - 5]) >= 0)) return std::nullopt;
  return year;
}

bool blocked(std::u32string_view s, size_t begin, size_t end, const PeriodRules& rules) {
  return bool(rules.not_after.longest_ending_at(s, begin)) || bool(rules.not_before.longest_at(s, end));
}

// A frame whose sentences before any marker have no period and whose this_year events
// with a month date their own sentence (digest_event): a digest's, a half-year digest's.
bool digest_like(PeriodFrame frame) { return frame == PeriodFrame::digest || frame == PeriodFrame::half_year; }

// A marker that counts in this frame: 上半年, 下半年 only in a half-year digest (in a yearly
// one 2024年上半年 is the year the running period or the year names).
bool counts_in(const PeriodRules::Marker& marker, PeriodFrame frame) {
  return !marker.half_year_only || frame == PeriodFrame::half_year;
}

// A marker word's period in the frame of the document.
PeriodMark mark_of(const PeriodRules::Marker& marker, PeriodFrame frame) {
  if (frame == PeriodFrame::half_year && marker.half_year_given)
    return PeriodMark{marker.half_year_period, marker.name, true, marker.half_year_sentence_only};
  if (frame != PeriodFrame::full_report && frame != PeriodFrame::half_year)
    return PeriodMark{marker.period, marker.name, true, marker.sentence_only};
  bool only = marker.full_report_sentence_only || (marker.sentence_only && !marker.full_report_given);
  return PeriodMark{marker.full_report_period, marker.name, true, only};
}

// A word marker opening the second clause of a sentence whose first clause holds no
// figure (龙潭村把红色资源和乡村旅游结合起来，去年接待游客8.6万人次): the marker dates the
// figures after it. Not 3个村党群服务中心面积不足150平方米，今年将…: figures stand before it.
std::optional<PeriodMark> lead_clause_marker(std::u32string_view s, const PeriodRules& rules, PeriodFrame frame) {
  size_t limit = std::min(s.size(), rules.lead_clause_max_offset);
  for (size_t i = 0; i < limit; ++i) {
    char32_t c = s[i];
    if (is_ascii_digit(c) || rules.lead_clause_not_in.has(c)) return std::nullopt;
    if (is_open_quote(c) || !rules.lead_clause_breaks.has(c)) continue;
    auto m = rules.marker_words.longest_at(s, i + 1);
    if (!m || blocked(s, i + 1, i + 1 + m.len, rules) || !counts_in(rules.markers[size_t(m.value)], frame))
      return std::nullopt;
    PeriodMark mark = mark_of(rules.markers[size_t(m.value)], frame);
    mark.rule = rules.lead_clause_rule;
    return mark;
  }
  return std::nullopt;
}

// 2025年1月10日, 2024年1-10月: a month after the year at `after` (dated_event).
bool month_follows(std::u32string_view s, size_t after, const PeriodRules& rules) {
  if (rules.dated_event_month.empty()) return false;
  size_t k = after;
  size_t limit = std::min(s.size(), after + rules.dated_event_month_chars_max);
  while (k < limit && rules.dated_event_month_chars.find(s[k]) != std::u32string::npos) ++k;
  return k > after && s.substr(k, rules.dated_event_month.size()) == rules.dated_event_month;
}

// dated_event in a digest: a this_year marker with a month after it (今年1月，街道获评全省
//先进; 2024年1月，…) in a sentence with no plan word dates that event only. As a marker it
// made the review after it (全年新建道路5公里) the year planned, without a word.
PeriodMark digest_event(PeriodMark mark, std::u32string_view s, size_t after, const PeriodRules& rules) {
  if (mark.period != Period::this_year || rules.dated_event_plan_words.empty() || !month_follows(s, after, rules))
    return mark;
  if (rules.dated_event_plan_words.occurs_within(s, 0, s.size())) return mark;
  return PeriodMark{mark.period, rules.dated_event_rule, true, true};
}

// The marker of the year `year` (period.report_year, period.next_year), if any.
const PeriodRules::Marker* year_marker(int year, int report_year, const PeriodRules& rules) {
  for (const auto& marker : rules.markers)
    if (marker.year_offset && year == report_year + *marker.year_offset) return &marker;
  return nullptr;
}

// A marker word at i that a character before it makes part of another word: 目前年产值,
// 以前年度, 此后年均 (前年, 后年: periods.json markers' not_after_chars).
bool inside_word(std::u32string_view s, size_t i, const PeriodRules::Marker& marker) {
  return i > 0 && in_set(marker.not_after_chars, s[i - 1]);
}

// periods.json other_year: a year that opens the sentence, alone or after one of the
// openers (到2025年，力争…), and lies within max_years of the report year (1000年以上古树
// is no year). A year further in (全年实现税收1.2亿元，2022年为…, 由2022年底的120万元增加到…)
// dates no sentence: the clause it opens is clause_marks' to date.
bool opens_as_other_year(std::u32string_view s, size_t year_begin, size_t after, int year, int report_year,
                         const PeriodRules& rules) {
  if (rules.other_year_rule.empty() || std::abs(year - report_year) > rules.other_year_max_years) return false;
  // 2018年建成的新校区，去年完成扩建: the year of a noun, not of the sentence (other_year's
  // not_before).
  if (rules.other_year_not_before.longest_at(s, after)) return false;
  if (year_begin == 0) return true;
  auto opener = rules.other_year_openers.longest_at(s, 0);
  return opener && opener.len == year_begin;
}

// A year marker ending at i (its 年 at i): the report year, the one after, or another
// year opening the sentence; nullopt for none of them.
// The length of 度 and the clause break after a year opening the sentence at i - 4
// (periods.json year_degree_opening: 2023年度，…), 0 if it is not so.
size_t degree_opening(std::u32string_view s, size_t i, size_t after, const PeriodRules& rules) {
  size_t n = rules.year_degree_suffix.size();
  if (rules.year_degree_rule.empty() || n == 0 || i != 4 || s.compare(after, n, rules.year_degree_suffix) != 0)
    return 0;
  return after + n < s.size() && in_set(rules.year_degree_then, s[after + n]) ? n : 0;
}

std::optional<PeriodMark> year_mark(std::u32string_view s, size_t i, int report_year, const PeriodRules& rules, PeriodFrame frame) {
  auto year = year_ending_at(s, i);
  size_t after = i + rules.year_suffix.size();
  size_t degree = year ? degree_opening(s, i, after, rules) : 0;
  if (degree > 0) {
    const PeriodRules::Marker* marker = year_marker(*year, report_year, rules);
    if (!marker)  // another year (2022年度，… in a 2023 digest): as other_year reads it
      return std::abs(*year - report_year) > rules.other_year_max_years
                 ? std::nullopt
                 : std::optional<PeriodMark>(PeriodMark{Period::none, rules.year_degree_rule, true, true});
    PeriodMark mark = mark_of(*marker, frame);
    mark.rule = rules.year_degree_rule;
    return mark;
  }
  if (!year || rules.year_not_before.longest_at(s, after) || blocked(s, i - 4, after, rules)) return std::nullopt;
  // "2022—2025年" is a span of years, not a marker; 到2025年 is one year.
  Lexicon::Match dash = i >= 5 ? rules.year_not_before.longest_ending_at(s, i - 4) : Lexicon::Match{};
  size_t before_dash = i - 4 - (dash ? dash.len : 0);  // the year's end before the dash, if any
  if (dash && before_dash > 0 && (year_digit(s[before_dash - 1]) >= 0 || s[before_dash - 1] == rules.year_suffix[0]))
    return std::nullopt;
  // A half-year digest's 2019年下半年，将…, 2019年底前建成…: the plan of its own year.
  if (frame == PeriodFrame::half_year && *year == report_year && rules.half_year_plan_words.longest_at(s, after))
    return PeriodMark{Period::this_year, rules.half_year_rule, true};
  if (const PeriodRules::Marker* marker = year_marker(*year, report_year, rules)) {
    if (!digest_like(frame) && month_follows(s, after, rules))
      return PeriodMark{marker->period, rules.dated_event_rule, true, true};
    // mark_of: a half-year digest's 2020年 lies past its plan (in_half_year).
    PeriodMark mark = mark_of(*marker, frame);
    return digest_like(frame) ? digest_event(mark, s, after, rules) : mark;
  }
  if (opens_as_other_year(s, i - 4, after, *year, report_year, rules)) return PeriodMark{Period::none, rules.other_year_rule, true, true};
  return std::nullopt;
}

}  // namespace

std::optional<PeriodMark> find_period_marker(std::u32string_view s, std::optional<int> report_year,
                                             const PeriodRules& rules, PeriodFrame frame) {
  size_t limit = std::min(s.size(), rules.max_offset + 1);
  int quote_depth = 0;
  for (size_t i = 0; i < limit; ++i) {
    char32_t c = s[i];
    // A sentence opening with speech (“去年，城关镇推动…。”王强说): its markers count;
    // not a book's title (《2024年…实施方案》) nor a slogan.
    if (is_open_quote(c) && !(i == 0 && speech_quote(s, i, rules))) ++quote_depth;
    if (is_close_quote(c) && quote_depth > 0) --quote_depth;
    if (quote_depth > 0) continue;
    if (auto m = rules.marker_words.longest_at(s, i)) {
      const PeriodRules::Marker& marker = rules.markers[size_t(m.value)];
      if (!blocked(s, i, i + m.len, rules) && !inside_word(s, i, marker) && counts_in(marker, frame)) {
        PeriodMark mark = mark_of(marker, frame);
        if (marker.plan_period && digest_like(frame) && rules.dated_event_plan_words.occurs_within(s, 0, s.size()))
          mark.period = *marker.plan_period;
        return digest_like(frame) ? digest_event(mark, s, i + m.len, rules) : mark;
      }
    }
    // Year markers: "2022年" at the report year or an offset from it.
    if (report_year && !rules.year_suffix.empty() && s.compare(i, rules.year_suffix.size(), rules.year_suffix) == 0)
      if (auto mark = year_mark(s, i, *report_year, rules, frame)) return mark;
  }
  if (rules.lead_clause_max_offset > 0) return lead_clause_marker(s, rules, frame);
  return std::nullopt;
}

// The length of the marker word or the year (2024年) that `s` opens with, 0 if none: what
// opens a paragraph (paragraph_opening) or a clause (clause_marker).
// The length of a year and its 年 (2024年) at p, 0 if none.
size_t year_with_suffix_at(std::u32string_view s, size_t p, const PeriodRules& rules) {
  if (rules.year_suffix.empty() || year_digits_at(s, p) < 0 || s.substr(p + 4, rules.year_suffix.size()) != rules.year_suffix)
    return 0;
  return 4 + rules.year_suffix.size();
}

size_t opening_marker(std::u32string_view s, const PeriodRules& rules) {
  if (auto m = rules.marker_words.longest_at(s, 0)) return m.len;
  return year_with_suffix_at(s, 0, rules);
}

// 力争到2025年, 截至2022年: an opener of other_year, then a year and its 年.
bool opens_with_opener_year(std::u32string_view s, const PeriodRules& rules) {
  auto opener = rules.other_year_openers.longest_at(s, 0);
  return opener && year_with_suffix_at(s, opener.len, rules) > 0;
}

bool opens_period_paragraph(std::u32string_view line, std::u32string_view before, const PeriodRules& rules) {
  if (rules.paragraph_opening_rule.empty() || before.empty()) return false;
  // The line first: few open with a marker, and each body line of an open paragraph asks.
  size_t end = opening_marker(line, rules);
  if (end == 0 || end >= line.size() || !in_set(rules.paragraph_opening_then, line[end])) return false;
  // A clause going on (…同比增长9.4%，), or words that take what follows (比 / 去年增加3公里,
  // 截至 / 今年，累计…): the page broke a sentence there.
  return !in_set(rules.paragraph_opening_not_after, before.back()) && !rules.not_after.longest_ending_at(before, before.size()) &&
         !rules.paragraph_opening_not_after_words.longest_ending_at(before, before.size());
}

std::optional<PeriodMark> header_period(std::u32string_view header, std::optional<int> report_year,
                                        const PeriodRules& rules, PeriodFrame frame) {
  if (rules.table_cell_rule.empty() || header.empty()) return std::nullopt;
  auto m = rules.marker_words.longest_at(header, 0);
  if (m && counts_in(rules.markers[size_t(m.value)], frame)) {
    PeriodMark mark = mark_of(rules.markers[size_t(m.value)], frame);
    // 去年 of a full report: the year before its review; 去年同期 (not_before): a
    // comparison's base, of no period of its own.
    if (mark.sentence_only || rules.not_before.longest_at(header, m.len)) mark.period = Period::none;
    mark.rule = rules.table_cell_rule;
    return mark;
  }
  // A year: four digits, then 年/年度, a span's dash or the header's end (2023, 2023年完成,
  // 2021—2023年累计); not a figure (| 1000万元以上 | 3个 |, | 1500人以上的村 | 5个 |) nor 20231.
  int year = year_digits_at(header, 0);
  size_t year_word = header.size() > 4 ? rules.table_cell_year_words.longest_at(header, 4).len : 0;
  bool dash = header.size() > 4 && in_set(rules.table_cell_span_marks, header[4]);
  if (year < 0 || (header.size() > 4 && year_word == 0 && !dash)) return std::nullopt;
  if (report_year && std::abs(year - *report_year) > rules.other_year_max_years) return std::nullopt;
  size_t after = 4 + year_word;
  bool span = after < header.size() && in_set(rules.table_cell_span_marks, header[after]);
  PeriodMark mark{Period::none, rules.table_cell_rule, true};
  const PeriodRules::Marker* marker = span || !report_year ? nullptr : year_marker(year, *report_year, rules);
  if (marker) mark.period = marker->period;
  return mark;
}

std::optional<int> dateline_year(std::u32string_view line, std::u32string_view dateline_chars, const PeriodRules& rules) {
  while (!line.empty() && is_space(line.back())) line.remove_suffix(1);
  while (!line.empty() && is_space(line.front())) line.remove_prefix(1);
  if (line.empty() || rules.year_suffix.empty() || line.find_first_not_of(dateline_chars) != std::u32string_view::npos)
    return std::nullopt;
  size_t at = line.find(rules.year_suffix);
  int year = at == std::u32string_view::npos || at < 4 ? -1 : year_digits_at(line, at - 4);
  return year < 0 ? std::nullopt : std::optional<int>(year);
}

std::vector<ClauseMark> clause_marks(std::u32string_view s, std::optional<int> report_year, const PeriodRules& rules,
                                     PeriodFrame frame) {
  std::vector<ClauseMark> out;
  if (rules.clause_marker_rule.empty()) return out;
  auto is_break = [&](char32_t c) { return rules.clause_marker_breaks.has(c); };
  int quote_depth = 0;  // inside quotes (“去年干得好，今年更要好”) nothing marks
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    // Clause breaks are marks, never ideographs: most characters of a sentence are ruled
    // out by one test (find_first_of's search of the set per character was 1%).
    char32_t c = s[i];
    if (is_han(c)) continue;
    // Speech is read as text (…”王海燕说，“今年，我们将再建示范村5个…。”).
    if (is_open_quote(c) && !speech_quote(s, i, rules)) ++quote_depth;
    if (is_close_quote(c) && quote_depth > 0) --quote_depth;
    if (quote_depth > 0 || !is_break(c)) continue;
    std::u32string_view clause = s.substr(i + 1);
    bool speech = !clause.empty() && is_open_quote(clause[0]) && speech_quote(s, i + 1, rules);
    if (speech) clause = clause.substr(1);
    // Only a marker that opens the clause: 比前年增加120人次 is none. A year after an
    // opener of other_year opens it too: …，力争到2025年茶园面积达到1万亩 (a target of 2025
    // was the plan's this_year, and the panel linked it as next year's plan).
    if (!opening_marker(clause, rules) && !opens_with_opener_year(clause, rules)) continue;
    auto mark = find_period_marker(clause, report_year, rules, frame);
    // A clause of another year or of 前年 (…，2022年为9800万元, …，前年为…) has none, and a
    // digest's event (…，2024年1月建成投用) its year's; a full report's dated event
    // (…，2024年1月…) dates nothing here.
    if (!mark) continue;
    bool of_no_period = mark->sentence_only && mark->period == Period::none;
    bool event = mark->rule == rules.dated_event_rule && digest_like(frame);
    bool dates_clause = of_no_period || event || (!mark->sentence_only && mark->period != Period::none);
    if (!dates_clause) continue;
    mark->rule = rules.clause_marker_rule;
    size_t end = i + 1;
    while (end < s.size() && !is_break(s[end])) ++end;
    // Speech opening with the marker is dated by it to its end (…”王海燕说，“今年，我们将
    // 再建示范村5个，争取上级资金500万元。”).
    if (speech)
      for (end = i + 2; end < s.size() && !is_close_quote(s[end]);) ++end;
    // A marker set off by its own break (…，今年，将新增网格5个): its clause is the next.
    else if (end < s.size() && end - (i + 1) <= opening_marker(clause, rules))
      for (++end; end < s.size() && !is_break(s[end]);) ++end;
    out.push_back({i + 1, end, *mark});
  }
  return out;
}

PeriodMark start_period(const PeriodRules& rules, PeriodFrame frame) {
  if (digest_like(frame)) return {};
  return PeriodMark{rules.full_report_start, rules.full_report_start_rule};
}

PeriodMark next_period(PeriodMark& current, const std::optional<PeriodMark>& mark) {
  if (mark && mark->sentence_only) return *mark;
  if (mark) current = *mark;
  PeriodMark out = current;
  current.marked = false;
  return out;
}

namespace {

// The kind of item of a list that `s` opens with: 二是建成…, 其三…, 第二，… (introduced_list's
// words: 0), （二）新增…, 3. … (a layout list mark: 1 + its enumerator's index); -1: none.
int item_kind(std::u32string_view s, const PeriodRules& rules, const LayoutRules* layout) {
  size_t k = 0;
  while (k < s.size() && is_space(s[k])) ++k;
  if (rules.introduced_list_openers.longest_at(s, k)) return 0;
  int e = layout ? enumerator_kind(s, *layout) : -1;
  return e < 0 ? -1 : 1 + e;
}

// Whether a sentence introduces a list, and of which kind of item: it ends in one of the
// marks (2025年，…三个目标：, the kind not known yet: kAnyItem), or the list begins after the
// last of them (…三个目标：一是…1000万元。, its kind); not 2025年，计划完成以下任务：新建…
// (no item follows).
constexpr int kAnyItem = -2;

// An item that is a heading of items below it: short, no digit (（一）产业发展。), so a list
// of another kind may follow within it (an item of words, 三是建强阵地。, heads none: 二、存在
//的问题 after it is the report's next section).
bool sub_heading(std::u32string_view s) {
  constexpr size_t kMaxChars = 12;
  if (s.size() > kMaxChars) return false;
  for (char32_t c : s)
    if (is_ascii_digit(c)) return false;
  return true;
}
std::optional<int> introduces_list(std::u32string_view s, const PeriodRules& rules, const LayoutRules* layout) {
  size_t end = s.size();
  while (end > 0 && is_space(s[end - 1])) --end;
  size_t mark = s.substr(0, end).find_last_of(rules.introduced_list_marks);
  if (mark == std::u32string_view::npos) return std::nullopt;
  if (mark + 1 == end) return kAnyItem;
  int kind = item_kind(s.substr(mark + 1, end - mark - 1), rules, layout);
  return kind < 0 ? std::nullopt : std::optional<int>(kind);
}

}  // namespace

PeriodMark next_period(PeriodRun& run, std::u32string_view sentence, const std::optional<PeriodMark>& mark,
                       const PeriodRules& rules, const LayoutRules* layout) {
  // Items go on in the kind of the first: after 一是…三是… within the sentence, the
  // report's own （二）夯实基层基础… and 二、存在的问题 are no items of it.
  if (run.list && !mark) {
    int kind = item_kind(sentence, rules, layout);
    bool nested = run.list_kind > 0 && run.sub_heading && kind >= 0 && run.inner_kind == kAnyItem;
    if (nested) run.inner_kind = kind;  // （一）产业发展。 over 1.新建产业园1个：a list within
    if (kind >= 0 && (run.list_kind == kAnyItem || kind == run.list_kind || kind == run.inner_kind)) {
      if (run.list_kind == kAnyItem) run.list_kind = kind;
      run.sub_heading = kind == run.list_kind && sub_heading(sentence);
      PeriodMark lent = *run.list;
      lent.rule = rules.introduced_list_rule;
      lent.marked = false;
      return lent;
    }
  }
  run.list.reset();
  PeriodMark out = next_period(run.current, mark);
  // Only a period of its own sentence is lent: any other runs on to the items anyway.
  if (!rules.introduced_list_rule.empty() && mark && mark->sentence_only) {
    if (auto kind = introduces_list(sentence, rules, layout)) {
      run.list = out;
      run.list_kind = *kind;
      run.inner_kind = kAnyItem;
      run.sub_heading = false;
    }
  }
  return out;
}

std::vector<PeriodMark> assign_periods(std::u32string_view view, const std::vector<SentenceText>& sentences,
                                       std::optional<int> report_year, const PeriodRules& rules, PeriodFrame frame,
                                       const LayoutRules* layout) {
  std::vector<PeriodMark> out;
  out.reserve(sentences.size());
  PeriodRun run{start_period(rules, frame), std::nullopt, 0, 0, false};
  for (const auto& sentence : sentences) {
    Joined j = Joined::of(view, sentence.pieces);
    out.push_back(next_period(run, j.chars(), find_period_marker(j.chars(), report_year, rules, frame), rules, layout));
  }
  return out;
}

}  // namespace digestx
