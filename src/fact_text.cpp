// The paragraph as the facts stage reads it: its numerals and the lookups of the words
// next to a figure, shared by the exclusion zones, the composer and the subjects.
#include "fact_text.hpp"

namespace digestx::facts {

// The memos of the paragraphs read on this thread. A FactText is made and read on one
// thread (find_facts).
FactText::Memos& FactText::thread_memos() {
  static thread_local Memos memos;
  return memos;
}

FactText::FactText(const FactInput& in, const Rules& rules)
    : in_(in),
      j_(*in.joined),
      s_(j_.chars()),
      r_(rules),
      q_(rules.quantities),
      x_(rules.exclusions),
      numerals_(in.numerals ? *in.numerals : own_numerals_),
      memos_(thread_memos()),
      memo_tag_(++memos_.last_tag) {
  if (!in.numerals) {
    // The source characters, aligned with the view: full-width digits tell ４，５６５ apart.
    std::vector<Refusal> left_out;
    if (j_.contiguous() && s_.size() > 0) {
      own_numerals_ = find_numerals(s_, rules.numbers, in_.text.substr(j_.source(0), s_.size()), &left_out);
    } else {
      std::u32string source(s_.size(), U'\0');
      for (size_t i = 0; i < s_.size(); ++i) source[i] = in_.text[j_.source(i)];
      own_numerals_ = find_numerals(s_, rules.numbers, source, &left_out);
    }
    for (const Refusal& t : left_out) leave_out(t.span.start, t.span.end, t.rule);
  }
  numeral_starts_.reserve(numerals_.size());
  for (const auto& n : numerals_) numeral_starts_.push_back(n.begin);
}

bool FactText::list_joined(size_t k) const {
  const Numeral& a = numerals_[k - 1];
  return a.end + 1 == numerals_[k].begin && list_separator(s_[a.end]);
}

bool FactText::list_member(const Numeral& n) const {
  return n.arabic && n.form == Numeral::Form::plain && !n.per_power && !n.low && !n.digit_string &&
         n.qualifier.empty() && !is_year(n) && !code_like(n);
}

// One pass forward for the runs' first numerals, one backward for their last ones and for
// the unit each list hands back to its bare figures.
void FactText::read_lists() const {
  size_t n = numerals_.size();
  list_links_.assign(n, ListLinks{});
  for (size_t k = 0; k < n; ++k) list_links_[k].first = uint32_t(k > 0 && list_joined(k) ? list_links_[k - 1].first : k);
  for (size_t k = n; k-- > 0;) {
    ListLinks& l = list_links_[k];
    bool next_joined = k + 1 < n && list_joined(k + 1);
    l.last = uint32_t(next_joined ? list_links_[k + 1].last : k);
    l.unit_at = kNone;
    if (next_joined && list_member(numerals_[k + 1]))
      l.unit_at = unit_at(numerals_[k + 1].end) ? uint32_t(k + 1) : list_links_[k + 1].unit_at;
  }
}

Lexicon::Match FactText::word_at_memo(const Lexicon& lex, size_t p) const {
  WordMemo& memo = memos_.words[(p * 0x9E3779B1u ^ (reinterpret_cast<uintptr_t>(&lex) >> 4)) % kWordMemoSize];
  if (memo.text == memo_tag_ && memo.lex == &lex && memo.p == p) return memo.m;
  Lexicon::Match out;
  size_t q = skip_spaces(p);
  if (q < s_.size() && !is_space(s_[q]))
    if (auto m = lex.longest_at_spaced(s_, q, kMaxGap)) out = {uint32_t(q + m.len - p), m.value};
  memo = {memo_tag_, &lex, p, out};
  return out;
}

Lexicon::Match FactText::word_ending_after_spaces(const Lexicon& lex, size_t e) const {
  size_t q = e;
  while (q > 0 && is_space(s_[q - 1]) && e - q < kMaxGap) --q;
  if (q == 0 || is_space(s_[q - 1])) return {};
  auto m = lex.longest_ending_at_spaced(s_, q, kMaxGap);
  if (!m) return {};
  return {uint32_t(e - (q - m.len)), m.value};
}

// qualifiers.json reach: 约占总数的15.6%: the 约 of 约占 qualifies the share; it stands
// before what the share is of, the 的 right before the figure. The rule and where it starts.
std::pair<const QualifierRules::Reach*, size_t> FactText::reached(size_t b) const {
  for (const auto& r : r_.qualifiers.reach) {
    auto de = r.through.longest_ending_at(s_, b);
    if (!de) continue;
    for (size_t e = b - de.len, k = 0; e > 0 && k <= r.max_chars; --e, ++k) {
      if (auto w = r.words.longest_ending_at(s_, e)) return {&r, e - w.len};
      if (r.breaks.find(s_[e - 1]) != std::u32string::npos) break;
    }
  }
  return {nullptr, 0};
}

FactText::Qualified FactText::qualifiers_around(size_t b, size_t e, std::string_view own,
                                                std::string_view own_rule) const {
  const QualifierRules& qr = r_.qualifiers;
  Qualified q{b, e, own, own_rule};
  for (const auto& a : qr.around) {
    auto bw = word_ending_at(a.before, b);
    auto aw = bw ? word_at(a.after, e) : Lexicon::Match{};
    if (aw) return {b - bw.len, e + aw.len, a.qualifier, a.name};
  }
  auto a = word_at(qr.after_unit, e);
  if (a && word_at(qr.not_after_unit, e)) a = {};  // 3个多功能活动室: 多功能 is a word
  if (!a) {  // 24小时内: a word that bounds figures of some units only
    a = word_at(qr.after_some_units, e);
    if (a && !qr.entries[size_t(a.value)].units.longest_ending_at(s_, e)) a = {};
  }
  if (a) {
    q.qualifier = qr.entries[size_t(a.value)].qualifier;
    q.rule = qr.entries[size_t(a.value)].name;
    q.e += a.len;
  }
  if (q.qualifier.empty())
    if (auto r = reached(b); r.first) {
      q.qualifier = r.first->qualifier;
      q.rule = r.first->name;
      q.b = r.second;
      return q;
    }
  size_t glue = 0;
  auto bq = word_ending_at(qr.before, b);
  if (!bq) {
    if (auto g = word_ending_at(qr.glue, b); g && g.len < b) {
      bq = word_ending_at(qr.before, b - g.len);
      if (bq) glue = g.len;
    }
  }
  if (!bq) return q;
  const auto& starts = qr.entries[size_t(bq.value)].numeral_starts;
  if (!starts.empty() && (b >= s_.size() || starts.find(s_[b]) == std::u32string::npos)) return q;
  size_t end = b - glue;
  auto cancel = word_ending_at(qr.not_before, end);
  // 大概有五百多个: a vague "about" does not replace the figure's own 多.
  bool vague = qr.entries[size_t(bq.value)].qualifier == "about" && !q.qualifier.empty();
  if ((cancel && cancel.len > bq.len) || vague) return q;
  q.qualifier = qr.entries[size_t(bq.value)].qualifier;
  q.rule = qr.entries[size_t(bq.value)].name;
  q.b = end - bq.len;
  return q;
}

const Numeral* FactText::numeral_at(size_t p) const {
  p = skip_spaces(p);
  auto it = std::lower_bound(numeral_starts_.begin(), numeral_starts_.end(), uint32_t(p));
  if (it == numeral_starts_.end() || *it != p) return nullptr;
  return &numerals_[size_t(it - numeral_starts_.begin())];
}

Lexicon::Match FactText::unit_at(size_t p) const {
  UnitMemo& memo = memos_.units[p % kUnitMemoSize];
  if (memo.text != memo_tag_ || memo.p != p) {
    Lexicon::Match m = find_unit_at(p);  // may fill other memos' entries, never this one
    memo = {memo_tag_, p, m};
  }
  return memo.m;
}

// A unit with a cue (quantities.json `cued`) is one here only in its context: 得分96.5分 is
// a score; 9时30分, 3分28秒, 1分钱, 5分场 and a 分 with no word of a score in its own clause
// are not (经评估，电价每千瓦时下调3分 is a price: 评估 is no word of a score, and it stands
// in another clause). Their figure stays bare, refused, as before. `chain`: the clause
// before may lend its cue when it ends in a score itself (综合得分93.8分，较上年提高4.6分).
bool FactText::cue_fits(const QuantityRules::Unit::Cue& cue, size_t p, size_t len, bool chain) const {
  if (p == 0 || (cue.arabic_only && !is_ascii_digit(s_[p - 1]))) return false;
  if (p + len < s_.size() && cue.not_before_chars.find(s_[p + len]) != std::u32string::npos) return false;
  if (p + len < s_.size() && is_han(s_[p + len]) && !cue.han_after.longest_at(s_, p + len)) return false;
  size_t b = p;  // the figure's first character: digits and their point or commas
  while (b > 0 && (is_ascii_digit(s_[b - 1]) || s_[b - 1] == '.' || s_[b - 1] == ',')) --b;
  if (b > 0 && cue.not_after_chars.find(s_[b - 1]) != std::u32string::npos) return false;
  size_t start = b;
  while (start > 0 && b - start < cue.max_chars && cue.clause_breaks.find(s_[start - 1]) == std::u32string::npos) --start;
  for (size_t k = start; k < b; ++k)
    if (auto w = cue.words.longest_at(s_, k); w && k + w.len <= b) return true;
  // The clause before ends in the same unit after digits, itself a score by its own clause.
  if (!chain || !cue.after_scored_clause || start < len + 2) return false;
  if (cue.sentence_breaks.find(s_[start - 1]) != std::u32string::npos) return false;
  size_t q = start - 1 - len;
  if (s_.compare(q, len, s_, p, len) != 0) return false;
  return cue_fits(cue, q, len, false);
}

Lexicon::Match FactText::find_unit_at(size_t p) const {
  auto u = word_at(q_.unit_words, p);
  if (!u) {
    u = word_at(q_.cued_unit_words, p);
    if (!u || !cue_fits(*q_.units[size_t(u.value)].cued, p, u.len, true)) return {};
  }
  auto blocked = word_at(q_.not_units, p);
  // 个人 blocks 个 (先进个人), unless a noun starts inside it after the unit and runs past
  // it (quantities.json not_unit_overlaps): 5个人民法庭 is 5个 + 人民法庭.
  if (blocked && blocked.len >= u.len) {
    auto noun = word_at(q_.not_unit_overlaps, p + u.len);
    if (!noun || u.len + noun.len <= blocked.len) return {};
  }
  size_t end = p + u.len;
  if (is_ascii_alpha(s_[end - 1]) && end < s_.size() && is_ascii_alpha(s_[end])) return {};
  // A unit per another (quantities.json per_unit): 28微克/立方米 is one unit, not 28微克.
  if (end + 1 < s_.size() && q_.per_unit_separators.has(s_[end]))
    if (auto d = q_.per_unit_denominators.longest_at(s_, end + 1)) {
      size_t e = end + 1 + d.len;
      if (!(is_ascii_alpha(s_[e - 1]) && e < s_.size() && is_ascii_alpha(s_[e]))) u.len += 1 + d.len;
    }
  return u;
}

std::string FactText::as_written(size_t b, size_t e) const {
  std::string out;
  for (size_t i = b; i < e; ++i)
    if (!is_space(s_[i])) append_utf8(out, in_.text[j_.source(i)]);
  return out;
}

std::u32string FactText::folded(size_t b, size_t e) const {
  std::u32string out;
  for (size_t i = b; i < e; ++i)
    if (!is_space(s_[i])) out += s_[i];
  return out;
}

bool FactText::is_year(const Numeral& n) const {
  if (n.chinese && !n.digit_string) return false;
  if (n.arabic && (n.separators || n.point || n.arabic_digits != 4)) return false;
  if (n.digit_string && n.end - n.begin != 4) return false;
  auto v = n.value.to_int64();
  return v && *v >= q_.year_min && *v <= q_.year_max;
}

}  // namespace digestx::facts
