#include "digestx/aspects.hpp"

#include <algorithm>

#include "digestx/utf.hpp"

namespace digestx {

namespace {

using Where = AspectRules::Where;

bool listed(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The same, refused at once when the name's bit is not among those of the names
// (AspectRules::name_bit; 0: no bits noted). Inline: most cues are refused so.
[[gnu::always_inline]] inline bool listed(const std::vector<std::string>& names, uint64_t bits, std::string_view name,
                                          uint64_t bit) {
  return (bits == 0 || (bits & bit)) && listed(names, name);
}

// A cue word ending at most max_gap characters before the figure, the gap all of
// gap_chars (同比增长13.8%, 较上年增长了一倍; not 减税降费3.2亿元), and not a level reached
// (提高到95%: not_after_cue) nor things added (新增8条: not_before_cue). A figure in a
// list is measured from the list's first figure (同比分别增长5.0%和6.8%).
bool near(const AspectInput& in, const AspectRules::Cue& c, size_t from) {
  size_t begin = std::min(in.list_begin, in.begin);
  for (size_t gap = 0; gap <= c.max_gap && begin >= from + gap; ++gap) {
    size_t end = begin - gap;
    if (gap > 0 && c.gap_chars.find(in.text[end]) == std::u32string::npos) return false;
    auto m = c.words.longest_ending_at(in.text, end);
    if (!m || end - m.len < from) continue;
    if (c.not_after_cue.longest_at(in.text, end) && gap > 0) return false;
    if (c.not_before_cue.longest_ending_at(in.text, end - m.len)) return false;
    return true;
  }
  return false;
}

// Right after the figure: 10万元以下的村 (followed_by), 百吨以上渔船 (followed_by_han, with
// text_ends: the figure ends in 以上).
// preceded_by, where given, must end right before it (在3至5万元的小额诉讼案件, not
// 给予3至5万元的奖励: the money given).
bool follows(const AspectInput& in, const AspectRules::Cue& c) {
  if (!c.text_ends.empty() && !c.text_ends.longest_ending_at(in.text, in.end)) return false;
  if (!c.preceded_by.empty() && !c.preceded_by.longest_ending_at(in.text, in.begin)) return false;
  if (c.followed_by.longest_at(in.text, in.end)) return true;
  return c.followed_by_han && in.end < in.text.size() && is_han(in.text[in.end]);
}

// A unit per another inside the figure's text (28微克/立方米, 1200元/人: quantities.json
// per_unit, read with the unit by the fact finder).
bool per_unit(const AspectInput& in, const QuantityRules& q) {
  for (size_t k = in.begin; k + 1 < in.end; ++k)
    if (q.per_unit_separators.has(in.text[k]) && q.per_unit_denominators.longest_at(in.text, k + 1))
      return true;
  return false;
}

// A cue further back than this does not describe the figure, and a sentence of hundreds
// of figures joined by 、 (建成站点3个、驿站3至5家、…) would make every look-back
// scan the whole sentence: time quadratic in its length (scaling_test facts_in_a_sentence).
constexpr size_t kMaxClauseChars = 120;
// A span cue (“十三五”期间…) reaches every clause of its sentence, this far back at most.
constexpr size_t kMaxSentenceChars = 2 * kMaxClauseChars;

// A clause of parts (其中街道财政列支120万元、争取上级补助66万元) is read together with the
// clause before it, whose figure they divide (累计投入党建经费186万元): its cue is theirs.
size_t with_whole(const AspectInput& in, const AspectRules::Cue& c, size_t clause, const AspectRules& rules) {
  size_t k = clause;
  while (k < in.begin && is_space(in.text[k])) ++k;
  if (clause == 0 || !c.parts_of_whole.longest_at(in.text, k)) return clause;
  return clause_begin(in.text, clause - 1, rules);
}

// What the cues of one figure read around it, each found once: where the clause
// holding the figure begins (every cue of aspects.json asked for it again, 8% of a
// run's instructions, each a look-back of up to kMaxClauseChars), and where in the
// stretch before it a word of each list may start (AspectRules::first_bits). Every
// stretch a cue reads ends at the figure (its clause, the clause before a clause of
// parts, its sentence): the positions whose character starts a word of some list are
// noted once, going back from the figure as far as a cue asks, and a list then tries
// only those (each list scanning its whole stretch, for every figure, was two thirds of
// finding aspects).
class AroundFigure {
 public:
  AroundFigure(const AspectInput& in, const AspectRules& rules)
      : unit_bit(AspectRules::name_bit(in.unit)), qualifier_bit(AspectRules::name_bit(in.qualifier)),
        in_(in), rules_(rules), reached_(in.begin) {
    size_t first = std::min(in.list_begin, in.begin);  // where near() reads back from
    if (first > 0 && first <= in.text.size()) before_bit = AspectRules::char_bit(in.text[first - 1]);
  }
  // The figure's unit and qualifier by AspectRules::name_bit, and the character before it
  // (before its list) by AspectRules::char_bit (0 at the start of the text), for the
  // cues' filters.
  const uint64_t unit_bit, qualifier_bit;
  uint64_t before_bit = 0;
  size_t clause_begin() {
    if (!clause_known_) clause_ = in_.clause != AspectInput::kUnknown ? in_.clause : digestx::clause_begin(in_.text, in_.begin, rules_);
    clause_known_ = true;
    return clause_;
  }
  // words.occurs_within(in.text, from, to), for the list of `bit` (0: a list the
  // loader did not index, an empty one: most cues have no not_in_clause).
  // Inline, the answer of a list none of whose words starts in the stretch noted already
  // (most lists once a cue before has noted the clause): no call (340,000 per 2 MB).
  bool occurs(const Lexicon& words, uint32_t bit, size_t from, size_t to) {
    if (!bit || (to == in_.begin && from >= reached_ && !(lists_ & bit))) return false;
    return occurs_noted(words, bit, from, to);
  }

 private:
  [[gnu::noinline]] bool occurs_noted(const Lexicon& words, uint32_t bit, size_t from, size_t to) {
    if (to != in_.begin || to > in_.text.size() || to > UINT32_MAX || (from < to && to - from > kMaxStarts))
      return occurs_anywhere(words, bit, from, to);
    reach(from);
    if (!(lists_ & bit)) return false;
    for (size_t k = 0; k < starts_count_ && starts_[k].pos >= from; ++k)
      if (starts_[k].lists & bit)
        if (Lexicon::Match m = words.longest_at(in_.text, starts_[k].pos); m && starts_[k].pos + m.len <= to) return true;
    return false;
  }
  // The longest stretch noted: a cue reads at most a sentence's kMaxSentenceChars, or a
  // clause and the one before it (2 * kMaxClauseChars + 1).
  static constexpr size_t kMaxStarts = 256;
  struct Start {
    uint32_t pos;    // a position of the text (going back from the figure)
    uint32_t lists;  // the bits of the lists that have a word starting with its character
  };
  // Notes the positions of [from, reached_) whose character starts a word of a list.
  void reach(size_t from) {
    for (; reached_ > from; --reached_)
      if (uint32_t lists = rules_.lists_starting_with(in_.text[reached_ - 1])) {
        starts_[starts_count_++] = {uint32_t(reached_ - 1), lists};
        lists_ |= lists;
      }
  }
  // A stretch that does not end at the figure (none of aspects.json's), read as it is.
  bool occurs_anywhere(const Lexicon& words, uint32_t bit, size_t from, size_t to) const {
    uint32_t lists = 0;
    for (size_t p = from; p < to; ++p) lists |= rules_.lists_starting_with(in_.text[p]);
    return (lists & bit) && words.occurs_within(in_.text, from, to);
  }
  const AspectInput& in_;
  const AspectRules& rules_;
  size_t clause_ = 0;
  bool clause_known_ = false;
  size_t reached_;         // the stretch [reached_, in.begin) is noted in starts_
  uint32_t lists_ = 0;     // the bits of all its starts
  size_t starts_count_ = 0;
  Start starts_[kMaxStarts];  // nearest the figure first
};

// alone_in_clause: no quantity before the figure in its clause (新开工预计投资5亿元的项目12个:
// 预计 foresees the 5亿元, not the 12 projects started).
bool first_in_clause(const AspectInput& in, const KindRegistry& kinds) {
  for (std::string_view k : in.kinds_before)
    if (kinds.is_quantity(k)) return false;
  return true;
}

// Whether cue `c`, which applies to the figure's kind, fits it.
// Inlined in first_fitting (a call per cue and figure was a third of finding aspects).
[[gnu::always_inline]] inline bool fits(const AspectInput& in, const AspectRules::Cue& c, const Rules& all,
                                       AroundFigure& around) {
  const AspectRules& rules = all.aspects;
  // No word of a near cue ends right before the figure, nor may a gap begin there.
  if (c.where == Where::near && c.near_bits && !(c.near_bits & around.before_bit)) return false;
  if (c.alone_in_clause && !first_in_clause(in, all.kinds)) return false;
  if (!c.qualifiers.empty() && !listed(c.qualifiers, c.qualifier_bits, in.qualifier, around.qualifier_bit)) return false;
  if (c.ranges_only && !in.range) return false;
  if (c.where != Where::unit && !c.units.empty() && !listed(c.units, c.unit_bits, in.unit, around.unit_bit)) return false;
  if (c.not_in_text.occurs_within(in.text, in.begin, in.end)) return false;
  // Where the clause begins, looked for only by the cues that read it.
  bool reads_clause = c.where == Where::clause || c.where == Where::near || !c.not_in_clause.empty();
  size_t clause = reads_clause ? around.clause_begin() : in.begin;
  if (around.occurs(c.not_in_clause, c.not_in_clause_bit, clause, in.begin)) return false;
  switch (c.where) {
    case Where::clause:
      return around.occurs(c.words, c.words_bit, c.parts_of_whole.empty() ? clause : with_whole(in, c, clause, rules),
                           in.begin);
    case Where::sentence:
      return around.occurs(c.words, c.words_bit,
                           std::max(in.sentence, in.begin > kMaxSentenceChars ? in.begin - kMaxSentenceChars : 0), in.begin);
    // followed_by, where given, must stand right after the figure too: 前移2个位次
    // (aspect.change.rank_places), not 前进2个村.
    case Where::near: return near(in, c, clause) && (c.followed_by.empty() || c.followed_by.longest_at(in.text, in.end));
    case Where::unit: return !in.unit.empty() && listed(c.units, c.unit_bits, in.unit, around.unit_bit);
    case Where::follows: return follows(in, c);
    case Where::per_unit: return per_unit(in, all.quantities);
    case Where::column: return false;  // a table's column header: read by the table step (table_cells.cpp)
    case Where::after_count:
      for (std::string_view k : in.kinds_before)
        if (listed(c.after_kinds, k)) return true;
      return false;
  }
  return false;
}

}  // namespace

size_t clause_begin(std::u32string_view text, size_t pos, const AspectRules& rules) {
  size_t end = std::min(pos, text.size());
  size_t floor = end > kMaxClauseChars ? end - kMaxClauseChars : 0;
  // The low six bits of each break character, as a filter: most characters of a
  // clause pass none of them, and are not searched for in the list.
  uint64_t may_break = rules.clause_break_bits;
  if (!may_break)
    for (char32_t b : rules.clause_breaks) may_break |= uint64_t(1) << (b & 63);
  for (size_t p = end; p > floor; --p) {
    char32_t c = text[p - 1];
    if (((may_break >> (c & 63)) & 1) && rules.clause_breaks.find(c) != std::u32string::npos) return p;
  }
  return floor;
}

namespace {

// The first of `cues` that fits the figure (one loop for the aspects' and the statuses'
// cues, so that `fits` is inlined once), nullptr if none does. `kind` is the index of
// in.kind in the registry; `by_kind`, the cues of each kind (AspectRules::cues_by_kind).
[[gnu::noinline]] const AspectRules::Cue* first_fitting(const std::vector<AspectRules::Cue>& cues,
                                                        const std::vector<std::vector<uint16_t>>& by_kind,
                                                        const AspectInput& in, size_t kind, const Rules& rules,
                                                        AroundFigure& around) {
  if (kind < by_kind.size()) {
    for (uint16_t i : by_kind[kind])
      if (fits(in, cues[i], rules, around)) return &cues[i];
    return nullptr;
  }
  if (!by_kind.empty()) return nullptr;  // indexed, and no cue is of this kind
  for (const AspectRules::Cue& c : cues)
    if (kind < c.for_kind.size() && c.for_kind[kind] && fits(in, c, rules, around)) return &c;
  return nullptr;
}

}  // namespace

FigureAspects find_aspect_and_status(const AspectInput& in, const Rules& rules) {
  const KindInfo* kind = rules.kinds.kind(in.kind);
  if (!kind || !kind->quantity) return {};
  AroundFigure around(in, rules.aspects);  // both read the same clause
  size_t kind_index = size_t(kind - rules.kinds.kinds.data());
  FigureAspects out;
  if (const AspectRules::Cue* c = first_fitting(rules.aspects.cues, rules.aspects.cues_by_kind, in, kind_index, rules, around))
    out.aspect = {rules.kinds.aspects[size_t(c->aspect)].name, c->name, c};
  else if (kind->default_aspect >= 0)
    out.aspect = {rules.kinds.aspects[size_t(kind->default_aspect)].name, kind->default_aspect_rule};
  if (const AspectRules::Cue* c = first_fitting(rules.aspects.status_cues, rules.aspects.status_cues_by_kind, in, kind_index, rules, around))
    out.status = {rules.kinds.statuses[size_t(c->status)].name, c->name, c};
  return out;
}

bool status_holds(const AspectRules::Cue& cue, Period period) { return !(cue.not_in_plans && period == Period::this_year); }

bool baseline_figure(std::u32string_view view, size_t begin, size_t end, const AspectRules& rules) {
  // 从120万元增加到150万元: the level the change starts from, right after the opener.
  if (!rules.baseline_rule.empty() && end <= view.size() && rules.baseline_openers.longest_ending_at(view, begin)) {
    // A noun may stand between (从2个村扩大到8个村).
    for (size_t at = end; at <= view.size() && at - end <= rules.baseline_reached_max_gap; ++at) {
      if (rules.baseline_reached_by.longest_at(view, at)) return true;
      if (at == view.size() || !is_han(view[at])) break;
    }
  }
  const std::u32string& joiner = rules.baseline_joiner;
  if (rules.baseline_rule.empty() || joiner.empty() || begin < joiner.size() || begin > view.size() ||
      view.compare(begin - joiner.size(), joiner.size(), joiner) != 0)
    return false;
  size_t time_end = begin - joiner.size();  // where the time ends
  size_t time_start = time_end;
  if (auto m = rules.baseline_times.longest_ending_at(view, time_end)) {
    time_start = time_end - m.len;
  } else {  // a year: 2005年, 2022年底
    size_t p = time_end;
    if (p > 0 && rules.baseline_year_suffixes.find(view[p - 1]) != std::u32string::npos) --p;
    if (p == 0 || view[p - 1] != U'年') return false;
    size_t digits = --p;
    while (digits > 0 && view[digits - 1] >= U'0' && view[digits - 1] <= U'9') --digits;
    if (p - digits != 4) return false;
    time_start = digits;
  }
  return bool(rules.baseline_openers.longest_ending_at(view, time_start));
}


}  // namespace digestx
