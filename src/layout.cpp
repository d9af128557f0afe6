#include "digestx/layout.hpp"

#include <algorithm>
#include <bitset>
#include <memory>
#include <optional>
#include <unordered_map>

#include "digestx/regex_first.hpp"
#include "digestx/utf.hpp"

namespace digestx {

namespace {

bool starts_with_at(std::u32string_view view, size_t pos, size_t end, std::u32string_view word) {
  return !word.empty() && pos + word.size() <= end && view.substr(pos, word.size()) == word;
}

void trim(std::u32string_view view, Span& s) {
  while (s.start < s.end && is_space(view[s.start])) ++s.start;
  while (s.end > s.start && is_space(view[s.end - 1])) --s.end;
}

// Whether a character outside ASCII..U+10FF and the Chinese block U+2E80..U+A4CF is
// wide (Hangul, compatibility ideographs, full-width forms…): apart, so that the tests
// of the common cases inline where the columns of each character are counted.
bool wide_elsewhere(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || c >= 0x20000;
}

// Display columns of a character: 2 for the wide ones (Chinese characters, full-width
// forms and punctuation), 1 for the rest; a tab is 4.
inline uint32_t columns_of(char32_t c) {
  if (c < 0x1100) return c == '\t' ? 4 : 1;  // Latin, digits, punctuation: one test
  if (c >= 0x2E80 && c <= 0xA4CF) return 2;   // Chinese characters and punctuation: two
  return wide_elsewhere(c) ? 2 : 1;
}

// The width of a line from its first character (indent included) to its end, and the
// width of its indent, in the source's characters: the view's, but for those folding
// changed (a full-width Ａ is two columns, its view A one). `changed` is the first
// change at or after `from`; it is left at the first change after the line. In the
// same pass: whether a gap of a table's row is inside it (before its last character).
void measure(std::u32string_view view, const FoldChanges& changes, size_t& changed, size_t from, Line& line,
             const LayoutRules& rules) {
  uint32_t indent = 0, all = 0;
  bool gaps = false;
  size_t k = from;
  for (; k < line.span.start; ++k) indent += columns_of(view[k]);
  all = indent;
  for (; k < line.span.end; ++k) {
    char32_t c = view[k];
    all += columns_of(c);
    if (c <= U'|' && k + 1 < line.span.end && (c == '\t' || c == '|' || (c == ' ' && view[k + 1] == ' '))) gaps = true;
  }
  line.table_gaps = gaps;
  line.chars = uint32_t(line.span.end - from);
  for (; changed < changes.at.size() && changes.at[changed] < line.span.end; ++changed) {
    uint32_t k = changes.at[changed];
    uint32_t was = columns_of(changes.was[changed]), is = columns_of(view[k]);
    all += was - is;
    if (k < line.span.start) indent += was - is;
  }
  line.columns = all;
  line.indent = indent;
  line.indented = !line.blank && !rules.paragraph_indent_rule.empty() && indent >= rules.paragraph_indent_columns;
}

// Removes leading markdown marks and bullets, repeatedly ("### ■核心提示").
void strip_prefixes(std::u32string_view view, Span& s, Line& line, const LayoutRules& rules) {
  for (bool again = true; again && !s.empty();) {
    again = false;
    if (view[s.start] == rules.markdown_char) {
      uint32_t p = s.start;
      while (p < s.end && view[p] == rules.markdown_char) ++p;
      int level = int(p - s.start);
      if (level <= rules.markdown_max_level && line.heading_level == 0) {
        line.heading_level = level;
        line.markup_rules.push_back(rules.markdown_rule);
        s.start = p;
        trim(view, s);
        again = true;
        continue;
      }
    }
    for (const auto& b : rules.bullets) {
      if (b.chars.find(view[s.start]) == std::u32string::npos) continue;
      if (b.needs_space && (s.start + 1 >= s.end || !is_space(view[s.start + 1]))) continue;
      line.bulleted = true;
      line.markup_rules.push_back(b.name);
      ++s.start;
      // The same ornament closing the line is no part of it: ◆南坪乡党委书记 王五◆ (not a
      // list mark's: - 13 - is a page number).
      if (!b.needs_space && s.end > s.start && b.chars.find(view[s.end - 1]) != std::u32string::npos) --s.end;
      trim(view, s);
      again = true;
      break;
    }
  }
}

// The wrapper the span opens with and closes later (**…**, 【…】): the text inside it and
// what follows its close, untrimmed. None when no wrapper opens it, or its close is
// missing or right after its opening.
struct WrapperMatch {
  const LayoutRules::Wrapper* wrapper = nullptr;
  Span inside, after;
};

WrapperMatch match_wrapper(std::u32string_view view, Span s, const LayoutRules& rules) {
  for (const auto& w : rules.wrappers) {
    if (!starts_with_at(view, s.start, s.end, w.open)) continue;
    uint32_t inner = s.start + uint32_t(w.open.size());
    size_t close = view.substr(inner, s.end - inner).find(w.close);
    if (close == std::u32string_view::npos || close == 0) continue;
    Span inside{inner, inner + uint32_t(close)};
    return {&w, inside, {inside.end + uint32_t(w.close.size()), s.end}};
  }
  return {};
}

// Removes a wrapper such as **…** or 【…】 at the start of the line; the close may
// sit mid-line ("**海棠区委书记鲁正兰：**开拓…"), which splits the content in two.
ShortPieces strip_wrapper(std::u32string_view view, Span s, Line& line, const LayoutRules& rules, int depth = 0) {
  ShortPieces out;
  WrapperMatch m = match_wrapper(view, s, rules);
  if (!m.wrapper) {
    out.first = s;
    return out;
  }
  Span first = m.inside, second = m.after;
  trim(view, first);
  trim(view, second);
  line.wrapped = true;
  line.markup_rules.push_back(m.wrapper->name);
  // A wrapper around white space alone (**　**全年新增城镇就业3500人): the text is what
  // follows it. Given as {nothing, text}, the line was taken for markup only and its
  // text lost.
  if (first.empty()) std::swap(first, second);
  // One wrapper around the whole line may hold another at its start: **【石门县委书记　罗建平】
  // 以党建引领县域经济争先进位** (bold around the bracketed heading and its headline) was no
  // heading, and the digest's three reports were one unit. Read as 【…】… is, unless the
  // inner one is a label (**【数说】126个网格**: layout.json nested_min_chars).
  if (second.empty() && depth == 0 && m.wrapper->nested_min_chars > 0) {
    WrapperMatch nested = match_wrapper(view, first, rules);
    if (nested.wrapper && nested.inside.size() >= m.wrapper->nested_min_chars)
      return strip_wrapper(view, first, line, rules, 1);
  }
  out.first = first;
  if (!second.empty()) out.second = second;
  return out;
}

// A leading list mark: 一、 (一) 1. ①; its end, and the enumerator that reads it.
struct EnumeratorMatch {
  uint32_t end = 0;
  const LayoutRules::Enumerator* rule = nullptr;
};

EnumeratorMatch match_enumerator(std::u32string_view view, Span s, const LayoutRules& rules) {
  for (const auto& e : rules.enumerators) {
    uint32_t p = s.start;
    if (!e.open.empty()) {
      bool opened = false;
      for (const auto& o : e.open)
        if (starts_with_at(view, p, s.end, o)) {
          p += uint32_t(o.size());
          opened = true;
          break;
        }
      if (!opened) continue;
    }
    uint32_t digits_start = p;
    while (p < s.end && int(p - digits_start) < e.max_numerals && e.numerals.find(view[p]) != std::u32string::npos) ++p;
    if (p == digits_start) continue;
    const auto& ends = e.close.empty() ? e.after : e.close;
    for (const auto& c : ends) {
      if (c.empty() || starts_with_at(view, p, s.end, c)) {
        uint32_t end = p + uint32_t(c.size());
        if (end >= s.end) break;  // nothing after the mark: not a list item
        if (e.not_followed_by.find(view[end]) != std::u32string::npos) break;  // 12.6万元
        return {end, &e};
      }
    }
  }
  return {};
}

// The characters a list mark may start with (an open's first, or a numeral of an
// enumerator with no open), by their value modulo 1024, built once per document: most
// lines start with none, and each enumerator was tried on each of them.
struct EnumeratorStarts {
  std::bitset<1024> chars;
  explicit EnumeratorStarts(const LayoutRules& rules) {
    for (const auto& e : rules.enumerators) {
      for (const auto& o : e.open)
        if (!o.empty()) chars.set(o.front() & 1023);
      if (e.open.empty())
        for (char32_t c : e.numerals) chars.set(c & 1023);
    }
  }
  bool may_start(std::u32string_view view, Span s) const { return !s.empty() && chars[view[s.start] & 1023]; }
};

Span find_enumerator(std::u32string_view view, Span s, Line& line, const LayoutRules& rules,
                     const EnumeratorStarts& starts) {
  if (!starts.may_start(view, s)) return {};
  EnumeratorMatch m = match_enumerator(view, s, rules);
  if (!m.rule) return {};
  line.markup_rules.push_back(m.rule->name);
  return {s.start, m.end};
}

// A list of line rules for one document: a rule whose regex runs out of its steps is
// dropped for the rest of the document (it would on every line again).
struct Matchers {
  const std::vector<NamedRegex>& rules;
  std::vector<bool> dropped;
  explicit Matchers(const std::vector<NamedRegex>& rules) : rules(rules), dropped(rules.size(), false) {}
  bool live(size_t k) const { return !dropped[k] && rules[k].pattern; }
  // Whether rule k's regex matches `text` (all of it, or somewhere: `mode`).
  bool hit(size_t k, std::u32string_view text, RegexMode mode, rx::Groups* groups = nullptr) {
    if (!live(k)) return false;
    RegexRun run = rules[k].pattern.run(text, mode, groups);
    if (run == RegexRun::timed_out) dropped[k] = true;
    return run == RegexRun::hit;
  }
};

// What the furniture rules filter a line by, built once per document from the rules:
// the rules in their order, those a line may meet by its first character alone (no
// contains), those that take a line ending like a sentence; and the characters of all
// the rules' contains by their value modulo 1024 (a Chinese character falls on one of
// them 1 time in 40, against 1 in 3 for the rules' 64 bits). The first characters are
// the rules' own filters (LayoutRules::furniture_first_any, furniture_first).
struct FurnitureFilter {
  std::vector<uint32_t> all, by_first, sentence_end;
  std::bitset<1024> contained;
  explicit FurnitureFilter(const LayoutRules& rules) {
    for (uint32_t k = 0; k < rules.furniture.size(); ++k) {
      all.push_back(k);
      if (rules.furniture_contains[k].empty()) by_first.push_back(k);
      if (rules.furniture_sentence_end[k]) sentence_end.push_back(k);
    }
    for (char32_t c : rules.furniture_contains_any) contained.set(c & 1023);
  }
};

// The distinct characters of a line that some furniture rule's contains lists (most
// lines hold none, a few one or two: 2023-02-16 18:30 the date's - and :), found in one
// pass over the line on first need. Each rule searched the whole line for its own
// characters instead (line × list, rule after rule), about 2% of a run.
class ContainedChars {
 public:
  ContainedChars(std::u32string_view line, const LayoutRules& rules, const FurnitureFilter& filter)
      : line_(line), rules_(rules), filter_(filter) {}
  bool any() {
    scan();
    return count_ > 0 || overflow_;
  }
  // Whether the line holds one of `chars`, all of them among the rules' contains.
  bool one_of(std::u32string_view chars) {
    if (chars.empty()) return false;
    scan();
    if (overflow_) return line_.find_first_of(chars) != std::u32string_view::npos;
    for (size_t i = 0; i < count_; ++i)
      if (in_set(chars, held_[i])) return true;
    return false;
  }

 private:
  void scan() {
    if (scanned_) return;
    scanned_ = true;
    for (char32_t c : line_) {
      if (!filter_.contained[c & 1023] || !in_set(rules_.furniture_contains_any, c)) continue;
      if (std::find(held_, held_ + count_, c) != held_ + count_) continue;
      if (count_ == kMaxHeld) {
        overflow_ = true;  // a line of many such characters: searched as before
        return;
      }
      held_[count_++] = c;
    }
  }
  static constexpr size_t kMaxHeld = 16;
  std::u32string_view line_;
  const LayoutRules& rules_;
  const FurnitureFilter& filter_;
  char32_t held_[kMaxHeld] = {};
  size_t count_ = 0;
  bool scanned_ = false, overflow_ = false;
};

// A line set flush right under a paragraph set in: the page tells its captions apart so.
bool set_flush_under_text(const Line& line, const LayoutRules::CaptionShape& shape, bool flush_under_set_in) {
  return flush_under_set_in && !line.indented && shape.flush_max_chars > 0;
}

// Whether a line a caption rule covers has a caption's shape (layout.json furniture
// caption): a bullet leads it (▲ 官桥镇投资2600万元建成的…中心。（记者　王磊　摄）), or it is
// short, of one sentence and few clauses. A paragraph closed by a credit, 　　去年，
// 莲塘镇新建…6个，选派…12名，发放…39.6万元，惠及3500余名党员。（记者　王磊　摄）, was
// dropped whole as a caption, its figures with it, without a word: it is text (the
// credit is cut off its end by furniture.credit_in_line). Set in or flush alike: pages
// set captions in as they set paragraphs (　　白沙乡投资2600万元建成的农产品冷链物流中心。
// （记者　王磊　摄） read as text counted the body's 2600万元 twice).
// A line set flush right under a paragraph set in (flush_under_set_in) may be longer:
// 河湾乡投资1800万元建成的农产品冷链物流中心。该中心年储藏能力5000吨，辐射周边12个村。
// （通讯员　张敏　摄） under 　　去年，河湾乡投资1800万元建成… was text, its 1800万元 counted
// twice (--summary), without a word.
bool caption_shaped(std::u32string_view view, const Line& line, const LayoutRules::CaptionShape& shape,
                    bool flush_under_set_in) {
  if (shape.max_chars == 0 || line.bulleted) return true;
  bool flush = set_flush_under_text(line, shape, flush_under_set_in);
  if (line.body.size() > (flush ? shape.flush_max_chars : shape.max_chars)) return false;
  size_t sentences = 0, clauses = 0;
  for (uint32_t k = line.body.start; k < line.body.end; ++k) {
    sentences += in_set(shape.sentence_ends, view[k]);
    clauses += in_set(shape.clause_marks, view[k]);
  }
  if (flush) return sentences <= shape.flush_max_sentences && clauses <= shape.flush_max_clauses;
  return sentences <= shape.max_sentences && clauses <= shape.max_clauses;
}

// ICU's answers of the furniture rules (whether a rule's pattern covers the line) on
// the lines met so far in the document, by the line's text: a page's furniture comes
// back on every page (来源：…, 责任编辑：…, — 2 —), and four of five runs of ICU on a
// digest were of a rule on a text it had run on before. The answers of the first
// 64 rules are kept, for at most kMaxLines texts. One per document (LineStream):
// never shared between threads.
class FurnitureMemo {
 public:
  struct Answers {
    uint64_t known = 0, hits = 0;  // by the rule's index: answered, and covered
  };
  // The answers kept for `text`, a place for them when there is room, else nullptr.
  Answers* answers_of(std::u32string_view text) {
    key_.assign(text.data(), text.size());
    auto it = answers_.find(key_);
    if (it != answers_.end()) return &it->second;
    if (answers_.size() >= kMaxLines) return nullptr;
    return &answers_[key_];
  }
  static uint64_t bit_of(size_t rule) { return rule < 64 ? uint64_t(1) << rule : 0; }

 private:
  static constexpr size_t kMaxLines = 1024;
  std::unordered_map<std::u32string, Answers> answers_;
  std::u32string key_;  // reused: a lookup allocates nothing once it is long enough
};

// Whether rule k's pattern covers the whole line: answered from the memo when the rule
// ran on the same text before.
bool covers_line(size_t k, std::u32string_view body, Matchers& ms, FurnitureMemo& memo,
                 FurnitureMemo::Answers*& answers) {
  if (!ms.live(k)) return false;  // no pattern, or out of time on an earlier line: dropped
  uint64_t bit = FurnitureMemo::bit_of(k);
  if (!answers) answers = memo.answers_of(body);
  if (answers && (answers->known & bit)) return (answers->hits & bit) != 0;
  bool hit = ms.hit(k, body, RegexMode::whole);
  if (answers && ms.live(k)) {  // a run out of time dropped the rule: nothing to remember
    answers->known |= bit;
    if (hit) answers->hits |= bit;
  }
  return hit;
}

// Whether a caption rule took the line by its shape alone (caption_shaped: no bullet, not
// set flush under text set in), and the rule asks for such a line to be checked
// (warn_code): 　　全年开展“红色物业”进小区活动86场，服务群众1.2万人次。（记者　刘洋　摄）
// is one sentence set in as the text is, a caption or the report's own paragraph.
bool doubtful_caption(const Line& line, const LayoutRules::CaptionShape& shape, bool flush_under_set_in) {
  return !shape.warn_code.empty() && shape.max_chars > 0 && !line.bulleted &&
         !set_flush_under_text(line, shape, flush_under_set_in);
}

constexpr size_t kNoRule = SIZE_MAX;

// Page furniture: the index of the first rule whose regex covers the whole line, or
// kNoRule. Only the rules the line may match are run (its first character, the
// characters the rule needs): all of them at once as one alternation first cost ICU
// about 60,000 instructions a line that passed the filters, 13% of a run, for the rules
// filtered out too.
size_t furniture_rule(std::u32string_view view, const Line& line, const LayoutRules& rules,
                      const FurnitureFilter& filter, Matchers& ms, FurnitureMemo& memo, bool at_top,
                      bool flush_under_set_in) {
  if (line.blank || line.body.size() > rules.furniture_max_chars || rules.furniture.empty()) return kNoRule;
  bool ends_sentence = rules.furniture_not_ending.find(view[line.body.end - 1]) != std::u32string::npos;
  if (ends_sentence && !rules.furniture_any_sentence_end) return kNoRule;
  char32_t first = view[line.body.start];
  std::u32string_view body = view.substr(line.body.start, line.body.size());
  ContainedChars held(body, rules, filter);
  // Most lines: no ICU at all (no rule's first character, nor its words, nor the
  // characters its pattern needs: 发放慰问金… starts as 发布时间 does, without its 时间).
  // A line that ends like a sentence is tried only on the rules that take one (sentence_end),
  // by their own tests: the scan of the line on each such line was 1.7% of a run.
  if (!ends_sentence && !rules.furniture_first_any.may_start(first) && !held.any()) return kNoRule;
  auto candidate = [&](size_t k) {
    const std::u32string& needs = rules.furniture_contains[k];
    if (ends_sentence && !rules.furniture_sentence_end[k]) return false;
    if (rules.furniture_page_top[k] && !at_top) return false;
    return (needs.empty() ? rules.furniture_first[k].may_start(first) : held.one_of(needs)) &&
           rules.furniture[k].pattern.may_match(body);
  };
  // Only the rules the line may meet, in their order: a line that ends like a sentence,
  // the sentence_end ones; a line holding none of the contains characters, those with
  // none (each of the 37 rules asked in turn was 2% of a run).
  const std::vector<uint32_t>& order = ends_sentence ? filter.sentence_end : held.any() ? filter.all : filter.by_first;
  FurnitureMemo::Answers* answers = nullptr;
  for (uint32_t k : order) {
    if (!candidate(k)) continue;
    if (covers_line(k, body, ms, memo, answers) && caption_shaped(view, line, rules.furniture_caption[k], flush_under_set_in))
      return k;
  }
  return kNoRule;
}

// A sentence end inside the line with words after it (（一）医疗资源扩容提质。一年来，全市
//新增医疗): the heading runs into its paragraph, which the page broke at the line's end.
bool holds_sentence_end(std::u32string_view view, const Line& line, const LayoutRules& rules) {
  if (rules.section_heading_not_holding.empty()) return false;
  Span all = covering(line.content);
  for (uint32_t k = all.start; k + 1 < all.end; ++k)
    if (rules.section_heading_not_holding.find(view[k]) != std::u32string::npos) return true;
  return false;
}

// A figure and its label alone on a line, white space between: 1.86亿元　党建与学科建设专项投入,
// 96.3%　患者综合满意度 in a 数说 box. Such lines were joined into one sentence, and the
// count on the next took the label above it for its subject.
bool figure_label_line(std::u32string_view view, const Line& line, const LayoutRules::FigureLabel& fl) {
  if (fl.name.empty() || line.content.empty() || !line.enumerator.empty()) return false;
  Span all = covering(line.content);
  uint32_t k = all.start;
  auto digit = [&](uint32_t i) {
    return i < all.end && (is_ascii_digit(view[i]) || ((view[i] == '.' || view[i] == ',') && i > all.start));
  };
  if (!digit(k) || !is_ascii_digit(view[k])) return false;
  while (digit(k)) ++k;
  uint32_t unit = k;
  while (k < all.end && !is_space(view[k]) && k - unit <= fl.max_unit_chars) ++k;
  if (k == all.end || !is_space(view[k]) || k - unit > fl.max_unit_chars) return false;
  while (k < all.end && is_space(view[k])) ++k;
  uint32_t label = k;
  if (k < all.end && is_ascii_digit(view[k])) return false;
  for (; k < all.end; ++k)
    if (is_space(view[k]) || fl.not_in_label.find(view[k]) != std::u32string::npos) return false;
  if (digit_after_last(view, label, all.end, fl.head_marker)) return false;  // 18个　集体经济收入超10万元的村
  return all.end - label >= 2 && all.end - label <= fl.max_label_chars;
}

// 不少于15 / 00亩: the next line opens with a 0 that no figure opens with (not 0.5), so it
// continues the figure at the end of the line before (layout.json numerals_apart).
bool continues_figure(std::u32string_view view, const Line& next, const LayoutRules& rules) {
  size_t p = next.content.first.start;
  if (rules.numerals_apart_zero.empty() || rules.numerals_apart_zero.find(view[p]) == std::u32string::npos) return false;
  size_t q = p + 1;
  if (q < next.content.first.end) return rules.numerals_apart_decimal_points.find(view[q]) == std::u32string::npos;
  return true;
}

// Why the paragraph ends after `line` although no sentence end closes it, given the
// next line that holds text (nullptr at the end): a time or a table cell at its end,
// a short section heading (一、主要工作及成效), a list item or an indented line after it,
// or a numeral on either side of the break (完成任务3 / 5个村 is never 35个).
std::string_view complete_rule(std::u32string_view view, const Line& line, const Line* next, bool blank_before_next,
                               const LayoutRules& rules, Matchers& ms) {
  if (line.content.empty()) return {};
  Span last = line.content.second.empty() ? line.content.first : line.content.second;
  // 300万元— over 500万元: a range the page broke goes on (complete_line range_dash).
  if (next && !blank_before_next && !last.empty() && !next->content.empty() && !rules.range_dash_rule.empty() &&
      rules.range_dashes.find(view[last.end - 1]) != std::u32string::npos && is_ascii_digit(view[next->content.first.start]))
    return {};
  if (next && !next->content.empty() && !last.empty() && !line.full_width) {
    char32_t before = view[last.end - 1], after = view[next->content.first.start];
    if (rules.numerals_apart_chars.find(before) != std::u32string::npos &&
        rules.numerals_apart_chars.find(after) != std::u32string::npos)
      // 15 / 00亩 runs on even though 00 looks like a WeChat section number (01 西河镇…).
      return continues_figure(view, *next, rules) ? std::string_view() : rules.numerals_apart_rule;
  }
  if (!line.enumerator.empty() && covering(line.content).size() <= rules.section_heading_max_chars &&
      !holds_sentence_end(view, line, rules))
    return rules.section_heading_rule;
  if (next && !next->enumerator.empty()) return rules.next_enumerated_rule;
  // A bullet opens an item of its own (▶综合网格：56个 over ▶群众诉求办结率：98.2% were one
  // sentence); a paragraph the page broke goes on without one.
  if (next && next->bulleted && !rules.next_bulleted_rule.empty()) return rules.next_bulleted_rule;
  // Two rows of a table set with white space (一般公共预算收入　　17.1亿元　　18.6亿元 over
  // 民生支出　　29.8亿元　　32.5亿元): joined, the 18.6亿元 took the row below's label for
  // its subject. Both lines hold a table's gaps.
  if (next && line.table_gaps && next->table_gaps && !rules.spaced_rows_rule.empty()) return rules.spaced_rows_rule;
  if (figure_label_line(view, line, rules.figure_label) || (next && figure_label_line(view, *next, rules.figure_label)))
    return rules.figure_label.name;
  // A line set flush before one set in: the indent starts a paragraph (a page title over
  // 　　3月4日，云山县召开…; a paragraph the layout broke, then 　　今年，…), never a line
  // set in like the next (every line of some pages is).
  if (next && next->indented && !line.indented && !line.full_width && !rules.before_indent_rule.empty())
    return rules.before_indent_rule;
  // The end of the line is enough for these rules: a time, a date, a table cell.
  if (last.empty()) return {};
  Span tail{last.end - std::min<uint32_t>(last.size(), 32), last.end};
  std::u32string_view tail_text = view.substr(tail.start, tail.size());
  for (size_t k = 0; k < rules.complete_patterns.size(); ++k) {
    if (rules.complete_ends[k].find(view[last.end - 1]) == std::u32string::npos) continue;
    if (!rules.complete_patterns[k].pattern.may_match(tail_text)) continue;
    if (ms.hit(k, tail_text, RegexMode::search)) return rules.complete_patterns[k].name;
  }
  return {};
}

// A line that may belong to a page set at a fixed width: text, no table gaps in it.
bool measurable(const Line& line) { return !line.blank && line.furniture.empty() && !line.table_gaps; }

// The width most of the lines [b, last) share, to `tolerance`, in the measure `width`
// gives, and how many share it.
template <class Width>
std::pair<size_t, size_t> common_width(const std::vector<Line>& lines, size_t b, size_t last, size_t tolerance, Width width) {
  size_t best_width = 0, best_count = 0;
  for (size_t i = b; i < last; ++i) {
    size_t count = 0;
    for (size_t k = b; k < last; ++k)
      if (width(lines[k]) + tolerance >= width(lines[i]) && width(lines[k]) <= width(lines[i]) + tolerance) ++count;
    if (count > best_count || (count == best_count && width(lines[i]) > best_width))
      best_width = width(lines[i]), best_count = count;
  }
  return {best_width, best_count};
}

// The lines of the run [b, e) as wide as most of its lines (all but its last, which
// ends the paragraph short): the page's fixed width broke them. Measured in display
// columns (a PDF's page: a digit is half as wide as a Chinese character), else in
// characters (text wrapped at a count of them, digits and all). Equal counts of
// characters come by chance more often (第3 over 12个村…, two list items of 16): so many
// lines of exactly that count, and most of them ending inside a sentence.
void mark_run_width(std::u32string_view view, std::vector<Line>& lines, size_t b, size_t e, bool run_ends,
                    const LayoutRules::FixedWidth& fw) {
  if (e - b < fw.min_lines) return;
  size_t last = run_ends ? e - 1 : e;  // the lines that may be full
  auto columns = [](const Line& l) { return size_t(l.columns); };
  auto [width, count] = common_width(lines, b, last, fw.tolerance_columns, columns);
  if (width >= fw.min_columns && count * 100 >= (last - b) * fw.share_percent) {
    for (size_t i = b; i < last; ++i) lines[i].full_width = lines[i].columns + fw.tolerance_columns >= width;
    return;
  }
  if (fw.min_chars == 0) return;
  auto chars = [](const Line& l) { return size_t(l.chars); };
  std::tie(width, count) = common_width(lines, b, last, fw.tolerance_chars, chars);
  if (width < fw.min_chars || count < fw.min_char_lines || count * 100 < (last - b) * fw.share_percent) return;
  size_t open = 0;  // full lines that end inside a sentence
  for (size_t i = b; i < last; ++i)
    if (lines[i].chars + fw.tolerance_chars >= width && !lines[i].span.empty() &&
        !in_set(fw.sentence_ends, view[lines[i].span.end - 1]))
      ++open;
  if (open * 2 < count) return;
  for (size_t i = b; i < last; ++i) lines[i].full_width = lines[i].chars + fw.tolerance_chars >= width;
}

// Runs of text lines (no blank line between) of the fixed width a PDF is set at.
// A run of hundreds of lines is measured in windows, so that the time stays linear.
// Only the lines from `first` on are looked at (a run never goes through the line before).
void mark_fixed_width(std::u32string_view view, std::vector<Line>& lines, size_t first, const LayoutRules& rules) {
  constexpr size_t kWindow = 24;
  if (rules.fixed_width.name.empty()) return;
  std::vector<bool> text(lines.size() - first);
  for (size_t i = first; i < lines.size(); ++i) text[i - first] = measurable(lines[i]);
  for (size_t b = first; b < lines.size();) {
    if (!text[b - first]) {
      ++b;
      continue;
    }
    size_t e = b;
    while (e < lines.size() && e - b < kWindow && text[e - first]) ++e;
    mark_run_width(view, lines, b, e, e == lines.size() || !text[e - first], rules.fixed_width);
    b = e;
  }
}

// A news app's copy ends in its readers' comments (网友评论 over 江州老张 1小时前 and
// their text, 我们小区去年加装了2部电梯…): after a line of a tail rule every line is
// that rule's furniture, whatever it says. `tail` is that rule once met, line after line.
void mark_tail(Line& line, const LayoutRules& rules, std::string_view& tail) {
  if (!tail.empty()) {
    if (!line.blank) line.furniture = tail;
    return;
  }
  for (size_t k = 0; k < rules.furniture.size() && !line.furniture.empty(); ++k)
    if (rules.furniture_tail[k] && line.furniture == rules.furniture[k].name) tail = line.furniture;
}

bool is_text_line(const Line& line) { return !line.blank && line.furniture.empty(); }

// Furniture at the end (or the start) of a text line, cut off its words: a newspaper's
// copy jumps to another page inside a line (全年接待游客（下转第4版）), and the jump
// marker was glued to the paragraph. Only the rule's own characters at the line's edge
// run ICU.
void cut_edge(std::u32string_view view, Line& line, const LayoutRules& rules, Matchers& ms) {
  if (line.content.empty() || !line.enumerator.empty()) return;
  Span all = covering(line.content);
  std::u32string_view text = view.substr(all.start, all.size());
  for (size_t k = 0; k < rules.furniture_edge.size(); ++k) {
    bool end = in_set(rules.furniture_edge_ends[k], text.back()), start = in_set(rules.furniture_edge_starts[k], text.front());
    if ((!end && !start) || !rules.furniture_edge[k].pattern.may_match(text)) continue;
    rx::Groups found;
    if (!ms.hit(k, text, RegexMode::search, &found)) continue;
    uint32_t b = uint32_t(found.start(0)), e = uint32_t(found.end(0));
    if ((b > 0 && e < text.size()) || (b == 0 && e == text.size())) continue;
    line.edge = {all.start + b, all.start + e};
    line.edge_furniture = rules.furniture_edge[k].name;
    Span words = b > 0 ? Span{all.start, all.start + b} : Span{all.start + e, all.end};
    trim(view, words);
    auto clip = [&](Span& p) {
      p = {std::max(p.start, words.start), std::min(p.end, words.end)};
      if (p.start >= p.end) p = {};
    };
    clip(line.content.first);
    clip(line.content.second);
    if (line.content.first.empty()) std::swap(line.content.first, line.content.second);
    if (b > 0 && line.body.end == all.end) line.body.end = words.end;
    if (b == 0 && line.body.start == all.start) line.body.start = words.start;
    return;
  }
}

// Whether a bracket's content is a signature: a post's word, white space, then a name of two
// to four characters closing it, spaced or not (石门镇党委书记　周丽, 县委常委、白沙乡党委书记　周　丽).
// A note that only names a post is none: …1.2万亩。（摘自县长工作报告） or （数据来源：县统计局局长
// 办公室） were split off as signatures, and the figures before them went to the sidebar or
// to the next official, without a word.
bool signs_with_name(std::u32string_view inside, const LayoutRules::GluedHeading& g) {
  size_t e = inside.size();
  while (e > 0 && is_space(inside[e - 1])) --e;
  for (const auto& word : g.holding) {
    for (size_t at = inside.find(word); at != std::u32string_view::npos; at = inside.find(word, at + 1)) {
      size_t p = at + word.size();
      if (p >= e || !is_space(inside[p])) continue;
      size_t name = 0;
      for (; p < e; ++p) {
        if (is_han(inside[p])) ++name;
        else if (!is_space(inside[p])) break;
      }
      if (p == e && name >= 2 && name <= 4) return true;
    }
  }
  return false;
}

// Whether the text of the line before `b` (from `pos`) ends a sentence: with one of the
// rule's sentence ends, or with brackets closed after one (…新建杨梅冷库2座。（记者　刘洋　摄）
// ■官桥镇党委书记　孙德明, …3个。（数据截至12月底）■…) or closing a credit (▲石岭乡新建的茶叶
// 加工厂（通讯员　李军　摄）■沙河街道…): a copy joined the heading to a paragraph closed so,
// and the two units were one, without a word. The brackets hold no sentence end and no
// other bracket, and at most after_brackets_max characters.
bool ends_sentence_before(std::u32string_view view, size_t pos, size_t b, const LayoutRules::GluedHeading& g) {
  while (b > pos && is_space(view[b - 1])) --b;
  if (b == pos) return false;
  if (in_set(g.after, view[b - 1])) return true;
  size_t c = g.after_brackets_max == 0 ? std::u32string::npos : g.close.find(view[b - 1]);
  if (c == std::u32string::npos) return false;
  size_t lo = b - 1 > pos + g.after_brackets_max ? b - 2 - g.after_brackets_max : pos;
  for (size_t k = b - 1; k-- > lo;) {
    if (in_set(g.after, view[k]) || in_set(g.close, view[k])) return false;
    if (!in_set(g.open, view[k])) continue;
    if (view[k] != g.open[c]) return false;
    Span inside{uint32_t(k + 1), uint32_t(b - 1)};
    trim(view, inside);
    for (const auto& end : g.credit_ends)
      if (inside.size() > end.size() && starts_with_at(view, inside.end - end.size(), inside.end, end)) return true;
    size_t before = k;
    while (before > pos && is_space(view[before - 1])) --before;
    return before > pos && in_set(g.after, view[before - 1]);
  }
  return false;
}

// Where a signature in brackets glued to the end of a paragraph starts (…配备专职网格员84名。
// （石门镇党委书记　周丽）: the sections signed at the end were one unit, without a word):
// brackets closing the line, opened right after a sentence end (ends_sentence_before), holding no sentence mark,
// no other bracket, and a post's word and a name (signs_with_name; not （记者　王磊　摄）). Not on a line set as a
// heading (### 南平镇划分网格86个，覆盖全镇。（南平镇党委书记 林海）: a headline and its byline,
// whose sentence keeps it from being one). npos: none.
size_t glued_bracket_at(std::u32string_view view, size_t pos, size_t end, const LayoutRules& rules) {
  const LayoutRules::GluedHeading& g = rules.glued_heading;
  size_t first = pos;
  while (first < end && is_space(view[first])) ++first;
  if (first < end && view[first] == rules.markdown_char) return std::string::npos;
  while (end > pos && is_space(view[end - 1])) --end;
  if (g.open.empty() || end - pos < 4) return std::string::npos;
  size_t c = g.close.find(view[end - 1]);
  if (c == std::u32string::npos) return std::string::npos;
  size_t from = end > pos + g.max_chars + 2 ? end - g.max_chars - 2 : pos + 1;
  for (size_t k = end - 1; k-- > from;) {
    if (in_set(g.not_holding, view[k]) || in_set(g.close, view[k])) return std::string::npos;
    if (!in_set(g.open, view[k])) continue;
    if (view[k] != g.open[c]) return std::string::npos;
    if (!ends_sentence_before(view, pos, k, g)) return std::string::npos;
    return signs_with_name(view.substr(k + 1, end - 1 - (k + 1)), g) ? k : std::string::npos;
  }
  return std::string::npos;
}

// The least and the greatest character of a set: one test rules out the characters
// outside that range (the glued heading's marks ■□◆… are none of a line's Chinese, and
// searching them for each of a line's last 31 characters was 1.2% of a run).
struct CharBounds {
  char32_t least = U'\U0010FFFF' + 1, greatest = 0;  // empty set: nothing in range
  explicit CharBounds(std::u32string_view set) {
    for (char32_t c : set) least = std::min(least, c), greatest = std::max(greatest, c);
  }
  bool may_hold(char32_t c) const { return c >= least && c <= greatest; }
};

// Where a heading glued to the end of a paragraph starts (…新建杨梅冷库2座。■官桥镇党委书记
// 孙德明: the copy joined two lines, and two units were one): a heading's mark right after
// a sentence end, then a short tail that ends no sentence. npos: none.
size_t glued_heading_at(std::u32string_view view, size_t pos, size_t end, const LayoutRules::GluedHeading& g,
                        const CharBounds& marks) {
  if (g.name.empty() || end - pos < 3) return std::string::npos;
  size_t from = end > pos + g.max_chars + 1 ? end - g.max_chars - 1 : pos + 1;
  for (size_t k = from; k < end; ++k) {
    if (!marks.may_hold(view[k]) || !in_set(g.marks, view[k])) continue;
    if (!ends_sentence_before(view, pos, k, g)) continue;
    bool han = false, clean = true;
    for (size_t i = k + 1; i < end && clean; ++i) {
      clean = !in_set(g.not_holding, view[i]) && !in_set(g.marks, view[i]);
      han = han || is_han(view[i]);
    }
    if (clean && han) return k;
  }
  return std::string::npos;
}

// The lines right below a furniture line of a rule with list_below (点击排行 over
// 1　全县新增城镇就业岗位3200个, 本版其他新闻： over its headlines), up to a blank line,
// each short and not ending like a sentence: the list's entries. `list` is that rule
// while its list runs; a line that is no entry ends it.
void mark_list(std::u32string_view view, Line& line, const LayoutRules& rules, std::string_view& list, size_t& max) {
  if (line.blank) {
    list = {};
    return;
  }
  if (!list.empty() && line.furniture.empty()) {
    bool ends_sentence = in_set(rules.furniture_not_ending, view[line.body.end - 1]);
    if (line.body.size() <= max && !ends_sentence) line.furniture = list;
    else list = {};
    return;
  }
  if (line.furniture.empty()) return;  // text: no rule's list opens below it
  for (size_t k = 0; k < rules.furniture.size(); ++k)
    if (rules.furniture_list_below[k] > 0 && line.furniture == rules.furniture[k].name) {
      list = line.furniture;
      max = rules.furniture_list_below[k];
    }
}

// The line right above a furniture line whose rule takes it (line_above): short,
// standing alone (a blank line, furniture or nothing above it), no clause mark. 白河发布
// over 2025-01-22 18:30 发表于陕西 is the account's name, not the page's title. Across a
// blank line only when the furniture line names it again: 松原发布, blank, 原创 作者 松原发布
// 2024-01-16 08:30 发表于吉林 (the name was the title, and the title the subtitle).
void mark_line_above(std::u32string_view view, std::vector<Line>& pending, const Line& line,
                     const LayoutRules& rules) {
  size_t k = 0;
  while (k < rules.furniture.size() && rules.furniture[k].name != line.furniture) ++k;
  if (k == rules.furniture.size() || pending.empty()) return;
  const LayoutRules::LineAbove& takes = rules.furniture_line_above[k];
  size_t at = pending.size() - 1;
  if (pending[at].blank && at > 0) {
    const Line& named = pending[at - 1];
    std::u32string_view name = view.substr(named.body.start, named.body.end - named.body.start);
    std::u32string_view here = view.substr(line.body.start, line.body.end - line.body.start);
    if (named.blank || name.empty() || here.find(name) == std::u32string_view::npos) return;
    --at;
  }
  Line& above = pending[at];
  if (takes.max_chars == 0 || above.blank || !above.furniture.empty() || above.body.size() > takes.max_chars) return;
  if (at > 0 && is_text_line(pending[at - 1])) return;
  for (size_t i = above.body.start; i < above.body.end; ++i)
    if (takes.not_holding.find(view[i]) != std::u32string::npos) return;
  above.furniture = rules.furniture[k].name;
}

// Lines to reserve at once: grown one at a time, the vector held up to twice their
// size. Line feeds count them but in texts broken by CR alone or U+2028 (rare), where
// the vector grows as it did.
size_t count_lines(std::u32string_view view) {
  uint32_t n = 1;  // 32-bit, as spans are: the compiler counts four characters at a time
  for (char32_t c : view) n += c == '\n';
  return n;
}

// Lines of a stretch are laid out about this many characters at a time: a whole
// document's lines (120 bytes each, 330 MB for a 200 MB file) never exist at once.
// (A test build makes it small, so that short inputs cross stretches.)
#ifndef DIGESTX_STRETCH_CHARS
#define DIGESTX_STRETCH_CHARS (1 << 16)
#endif
constexpr size_t kStretchChars = DIGESTX_STRETCH_CHARS;
// Lines held while waiting for a text line that would close a run of fixed width: past
// this many, those up to the last line no run goes through are handed on anyway.
constexpr size_t kMaxPendingLines = 4096;

// A line's own layout: span, marks, enumerator and width (nothing that looks at other lines).
Line line_at(std::u32string_view view, const FoldChanges& changes, size_t& changed, size_t pos, size_t end,
             const LayoutRules& rules, const EnumeratorStarts& starts) {
  Line line;
  line.span = {uint32_t(pos), uint32_t(end)};
  trim(view, line.span);
  line.blank = line.span.empty();
  if (!line.blank) {
    Span s = line.span;
    strip_prefixes(view, s, line, rules);
    line.body = s;
    line.content = s.empty() ? ShortPieces() : strip_wrapper(view, s, line, rules);
    if (!line.content.empty()) line.enumerator = find_enumerator(view, line.content.first, line, rules, starts);
    if (line.content.empty()) line.blank = true;  // markup only, e.g. a lone "###"
  }
  measure(view, changes, changed, pos, line, rules);
  while (changed < changes.at.size() && changes.at[changed] < end) ++changed;  // the line's trimmed end
  return line;
}


}  // namespace

// What the stream carries from one stretch to the next: where it stands in the text
// and in the fold changes, the rules' matchers, the page's tail once begun, and the
// lines laid out whose marks wait for lines after them: a run of fixed width
// (mark_fixed_width) ends only at a line that cannot belong to one, and the
// completeness of a line looks at the next text line (complete_rule).
struct LineStream::State {
  std::u32string_view view;
  const FoldChanges& changes;
  const LayoutRules& rules;
  size_t pos = 0, changed = 0;
  bool at_end = false;
  CharBounds glued_marks;               // the range of the glued heading's marks
  FurnitureFilter furniture_filter;
  EnumeratorStarts enumerator_starts;
  std::vector<NamedRegex> header_rule;  // the running header's title regex, as Matchers take it
  Matchers furniture, complete, edge, header;
  FurnitureMemo furniture_memo;
  std::string_view tail;  // the tail rule once a line of it was met
  std::string_view list;  // the list_below rule whose list runs
  size_t list_max = 0;
  size_t text_lines = 0;        // lines of text met so far (the first is the title's)
  std::u32string first_text;    // the words of the first of them
  std::vector<std::u32string> beside_numbers;  // short lines met beside a page number line
  size_t jump_at = std::string::npos;  // the pending line of the last jump onward, if any
  std::vector<Line> pending;
  // Of the pending lines: how many were looked at, the last one that no run of fixed
  // width goes through (none: npos), and how many are final (up to such a line with
  // a text line after it).
  size_t scanned = 0, apart = std::string::npos, ready = 0;
  State(std::u32string_view v, const FoldChanges& c, const LayoutRules& r)
      : view(v),
        changes(c),
        rules(r),
        glued_marks(r.glued_heading.marks),
        furniture_filter(r),
        enumerator_starts(r),
        header_rule(1, r.running_header.title),
        furniture(r.furniture),
        complete(r.complete_patterns),
        edge(r.furniture_edge),
        header(header_rule) {}

  // The next stretch of lines, each with its furniture (and the page's tail) marked.
  void read_stretch() {
    size_t n = view.size(), stop = std::min(n, pos + kStretchChars);
    while (!at_end && (pos < stop || pos == 0)) {
      size_t end = pos;
      while (end < n && !is_line_break(view[end])) ++end;
      size_t glued = glued_heading_at(view, pos, end, rules.glued_heading, glued_marks);
      if (glued == std::string::npos) glued = glued_bracket_at(view, pos, end, rules);
      if (glued != std::string::npos) {
        add_line(pos, glued);
        add_line(glued, end);
        pending.back().markup_rules.push_back(rules.glued_heading.name);
      } else {
        add_line(pos, end);
      }
      // CRLF counts as one break.
      if (end < n) pos = end + ((view[end] == '\r' && end + 1 < n && view[end + 1] == '\n') ? 2 : 1);
      if (end >= n || pos == n) at_end = true;
    }
    for (; scanned < pending.size(); ++scanned) {
      if (apart != std::string::npos && is_text_line(pending[scanned])) ready = apart + 1;
      if (!measurable(pending[scanned])) apart = scanned;
    }
    // Past the head of a tail every line is furniture: no text line comes any more.
    if (!tail.empty() && apart != std::string::npos) ready = apart + 1;
    // Nor is a run of fixed width held open across a sea of lines with no text line in
    // it: 标题 over 200,000 blank lines held them all until the end (85 MB for 600 KB).
    if (pending.size() >= kMaxPendingLines && apart != std::string::npos) ready = std::max(ready, apart + 1);
    if (at_end) ready = pending.size();
  }

  // The line [from, to) laid out and marked, added to the pending lines.
  void add_line(size_t from, size_t to) {
    Line line = line_at(view, changes, changed, from, to, rules, enumerator_starts);
    if (!line.blank) {
      const Line* a = above();
      bool flush_under_set_in = a && a->indented && is_text_line(*a);
      size_t k = furniture_rule(view, line, rules, furniture_filter, furniture, furniture_memo, text_lines == 0,
                                flush_under_set_in);
      if (k != kNoRule) {
        line.furniture = rules.furniture[k].name;
        line.doubtful_caption = doubtful_caption(line, rules.furniture_caption[k], flush_under_set_in);
      }
    }
    if (is_text_line(line)) cut_edge(view, line, rules, edge);
    if (!line.furniture.empty()) mark_line_above(view, pending, line, rules);
    mark_list(view, line, rules, list, list_max);
    mark_tail(line, rules, tail);
    mark_running_header(line);
    mark_jump(line);
    if (is_text_line(line) && text_lines++ == 0) first_text = words(line);
    pending.push_back(std::move(line));
  }

  std::u32string words(const Line& line) const {
    std::u32string w;
    for (size_t k = 0; k < line.content.size(); ++k) w += view.substr(line.content[k].start, line.content[k].size());
    return w;
  }

  // Whether the words of `line` are `w`, read in place: the header's earlier lines are
  // looked for among the short lines pending (about 200 of them for each header line
  // of the bench slice), and the string made of each line's words was half the cost
  // of the running header.
  bool words_are(const Line& line, std::u32string_view w) const {
    size_t at = 0;
    for (size_t k = 0; k < line.content.size(); ++k) {
      std::u32string_view piece = view.substr(line.content[k].start, line.content[k].size());
      if (w.substr(at, piece.size()) != piece) return false;
      at += piece.size();
    }
    return at == w.size();
  }

  // The nearest line above the one to come that is not blank (nullptr: none pending).
  Line* above() {
    size_t j = pending.size();
    while (j > 0 && pending[j - 1].blank) --j;
    return j > 0 ? &pending[j - 1] : nullptr;
  }

  // A PDF's running header, the digest's title over each page beside its number
  // (…社保补贴合计86 / — 2 — / 澜川区2021年度述职报告摘编 / 0万元。): glued into the
  // paragraph it gave 0万元 and subjects like 度述职报告摘编. A short line beside a page
  // number line is the header when it reads as a digest's title (running_header regex),
  // is the document's first line of text (never that line itself), or was met beside
  // another page number line; then those earlier lines are the header too.
  void mark_running_header(Line& line) {
    const LayoutRules::RunningHeader& rh = rules.running_header;
    if (rh.name.empty() || line.blank) return;
    Line* up = above();
    if (!up) return;
    if (line.furniture == rh.beside && is_text_line(*up) && text_lines > 1) running_header(*up);
    else if (is_text_line(line) && up->furniture == rh.beside && text_lines > 0) running_header(line);
  }

  void running_header(Line& line) {
    const LayoutRules::RunningHeader& rh = rules.running_header;
    if (line.content.empty() || line.body.size() > rh.max_chars) return;
    std::u32string w = words(line);
    for (char32_t c : w)
      if (in_set(rh.not_holding, c)) return;
    bool seen = std::find(beside_numbers.begin(), beside_numbers.end(), w) != beside_numbers.end();
    if (!seen && beside_numbers.size() < kMaxHeaders) beside_numbers.push_back(w);
    bool title = rh.title.pattern.may_match(w) && header.hit(0, w, RegexMode::whole);
    if (!seen && !title && w != first_text) return;
    line.furniture = rh.name;
    if (!seen) return;
    for (Line& earlier : pending)
      if (is_text_line(earlier) && earlier.body.size() <= rh.max_chars && words_are(earlier, w)) earlier.furniture = rh.name;
  }
  static constexpr size_t kMaxHeaders = 16;

  // A newspaper's copy that jumps to another page (全年接待游客（下转第4版）) and comes back
  // (（上接第3版） / 32.6万人次…): the lines between are the page's other copy (本版其他
  // 新闻：…, the paper's masthead, the next page's line), not the unit's text, which
  // runs on after the jump back. With no jump back within max_lines, nothing is skipped.
  void mark_jump(const Line& line) {
    const LayoutRules::JumpedLines& jl = rules.jumped_lines;
    if (jl.name.empty()) return;
    bool whole = !line.furniture.empty() && is_marker(line.furniture);
    Span m = whole ? line.body : is_marker(line.edge_furniture) ? line.edge : Span{};
    if (jump_at != std::string::npos && pending.size() - jump_at > jl.max_lines) jump_at = std::string::npos;
    if (m.empty()) return;
    std::u32string_view t = view.substr(m.start, m.size());
    while (!t.empty() && (is_space(t.front()) || t.front() == U'(' || t.front() == U'（')) t.remove_prefix(1);
    bool back = false;
    for (const std::u32string& w : jl.from_words) back = back || t.substr(0, w.size()) == w;
    if (!back) {
      jump_at = pending.size();
      return;
    }
    if (jump_at == std::string::npos) return;
    for (size_t i = jump_at + 1; i < pending.size(); ++i)
      if (!pending[i].blank) pending[i].furniture = jl.name;
    jump_at = std::string::npos;
  }
  bool is_marker(std::string_view rule) const {
    const auto& ms = rules.jumped_lines.markers;
    return !rule.empty() && std::find(ms.begin(), ms.end(), rule) != ms.end();
  }

  // Widths and completeness of the ready lines, moved to the end of `out`.
  void finish(std::vector<Line>& out) {
    size_t count = ready, first = out.size();
    const Line* next = nullptr;
    bool blank_before_next = false;  // a blank line between a line and the next text line
    for (size_t i = count; i < pending.size() && !next; ++i) {
      if (is_text_line(pending[i])) next = &pending[i];
      else blank_before_next = blank_before_next || pending[i].blank;
    }
    if (count == pending.size() && out.empty()) out.swap(pending);  // all of them (no run ever ended): no copy
    else out.insert(out.end(), std::make_move_iterator(pending.begin()), std::make_move_iterator(pending.begin() + long(count)));
    mark_fixed_width(view, out, first, rules);
    for (size_t i = out.size(); i-- > first;) {
      Line& line = out[i];
      if (!is_text_line(line)) {  // furniture ends paragraphs anyway
        blank_before_next = blank_before_next || line.blank;
        continue;
      }
      line.complete = complete_rule(view, line, next, blank_before_next, rules, complete);
      next = &line;
      blank_before_next = false;
    }
    pending.erase(pending.begin(), pending.begin() + long(std::min(count, pending.size())));
    scanned -= count;
    apart = apart == std::string::npos || apart < count ? std::string::npos : apart - count;
    jump_at = jump_at == std::string::npos || jump_at < count ? std::string::npos : jump_at - count;
    ready = 0;
  }
};

LineStream::LineStream(std::u32string_view view, const FoldChanges& changes, const LayoutRules& rules)
    : s_(std::make_unique<State>(view, changes, rules)) {}

LineStream::~LineStream() = default;

bool LineStream::next(std::vector<Line>& out) {
  if (s_->at_end && s_->pending.empty()) return false;
  while (s_->ready == 0 && !s_->at_end) s_->read_stretch();
  s_->finish(out);
  return true;
}

// A paragraph runs on across the line of such a rule: within_paragraph (a page number),
// a PDF's running header, a jump marker in a line, the lines a copy jumps over.
bool LayoutRules::furniture_within(std::string_view rule) const {
  if (rule.empty()) return false;
  if (rule == running_header.name || rule == jumped_lines.name) return true;
  for (const NamedRegex& e : furniture_edge)
    if (e.name == rule) return true;
  for (size_t k = 0; k < furniture.size(); ++k)
    if (furniture[k].name == rule) return furniture_within_paragraph[k];
  return false;
}

const LayoutRules::CaptionShape* LayoutRules::caption_warned(std::string_view rule) const {
  for (size_t k = 0; k < furniture.size() && k < furniture_caption.size(); ++k)
    if (furniture[k].name == rule) return furniture_caption[k].warn_code.empty() ? nullptr : &furniture_caption[k];
  return nullptr;
}

int enumerator_kind(std::u32string_view s, const LayoutRules& rules) {
  size_t k = 0;
  while (k < s.size() && is_space(s[k])) ++k;
  if (k == s.size() || s.size() > UINT32_MAX) return -1;
  EnumeratorMatch m = match_enumerator(s, Span{uint32_t(k), uint32_t(s.size())}, rules);
  return m.rule ? int(m.rule - rules.enumerators.data()) : -1;
}

Layout layout(std::u32string_view text, std::u32string_view view, const LayoutRules& rules) {
  return layout(view, changes_between(text, view), rules);
}

Layout layout(std::u32string_view view, const FoldChanges& changes, const LayoutRules& rules) {
  Layout out;
  out.lines.reserve(count_lines(view));
  LineStream stream(view, changes, rules);
  while (stream.next(out.lines)) {
  }
  return out;
}

}  // namespace digestx
