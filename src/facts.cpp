#include "digestx/facts.hpp"

#include <algorithm>

#include "digestx/aspects.hpp"
#include "digestx/utf.hpp"
#include "fact_text.hpp"

namespace digestx {

namespace {

using facts::Draft;

// Stage 7 at the level of a paragraph: each numeral is composed into a fact by the
// patterns of facts.json (fact_patterns.cpp) unless an exclusion zone refuses it
// (fact_zones.cpp); then the facts get their subjects, bounds, lists and aspects.
class FactFinder : private facts::FactText {
 public:
  FactFinder(const FactInput& in, const Rules& rules) : FactText(in, rules), zones_(*this) {}

  std::vector<Fact> run() {
    std::vector<Fact> out;
    for (size_t i = 0; i < numerals_.size(); ++i) {
      if (numerals_[i].begin < consumed_until_) continue;
      facts::Composed c = facts::compose_fact(*this, zones_, i, consumed_until_);
      if (!c.fact) {
        refuse(numerals_[i], c.refusal);
        continue;
      }
      Draft& d = *c.fact;
      consumed_until_ = d.e;
      if (r_.kinds.is_quantity(d.kind)) find_subject(d);
      drafts_.push_back(std::move(d));
    }
    add_fixed_words();
    combine_bounds();
    split_respectively();
    find_aspects();
    for (const Draft& d : drafts_) out.push_back(finish(d));
    return out;
  }

 private:
  // Words that are a figure on their own (打对折 = 50%), where no fact stands.
  void add_fixed_words() {
    if (q_.fixed_words.empty()) return;
    std::vector<Draft> found;
    size_t next_draft = 0;
    for (size_t i = 0; i < s_.size(); ++i) {
      auto m = q_.fixed_words.longest_at(s_, i);
      if (!m) continue;
      while (next_draft < drafts_.size() && drafts_[next_draft].e <= i) ++next_draft;
      bool overlaps = next_draft < drafts_.size() && drafts_[next_draft].b < i + m.len;
      auto blocked = q_.not_units.longest_at(s_, i);
      if (overlaps || (blocked && blocked.len > m.len) || zones_.quoted(i, i + m.len) || zones_.in_url(i)) continue;
      const QuantityRules::Unit& u = q_.fixed[size_t(m.value)];
      Draft d;
      d.b = d.nb = i;
      d.e = d.ne = i + m.len;
      d.kind = u.kind;
      d.unit = u.unit;
      d.value = u.value;
      d.kind_rule = d.unit_rule = u.name;
      find_subject(d);
      found.push_back(d);
      i += m.len - 1;
    }
    if (found.empty()) return;
    drafts_.insert(drafts_.end(), found.begin(), found.end());
    std::stable_sort(drafts_.begin(), drafts_.end(), [](const Draft& a, const Draft& b) { return a.b < b.b; });
  }

  static bool lower_bound_of(std::string_view q) { return q == "more_than" || q == "at_least"; }
  static bool upper_bound_of(std::string_view q) { return q == "less_than" || q == "at_most"; }

  // A lower and an upper bound side by side make one range: 大于10小于20,
  // 最多100最少20个, 1000以上，1500以下.
  void combine_bounds() {
    if (r_.qualifiers.bounds_rule.empty() || drafts_.size() < 2) return;
    std::vector<Draft> out;
    for (size_t k = 0; k < drafts_.size(); ++k) {
      if (k + 1 < drafts_.size()) {
        if (auto m = bounds(drafts_[k], drafts_[k + 1])) {
          out.push_back(*m);
          ++k;
          continue;
        }
      }
      out.push_back(drafts_[k]);
    }
    drafts_ = std::move(out);
  }

  std::optional<Draft> bounds(const Draft& a, const Draft& b) const {
    if (a.range || b.range || !a.value || !b.value || a.kind != b.kind) return std::nullopt;
    bool rising = lower_bound_of(a.qualifier) && upper_bound_of(b.qualifier);
    bool falling = upper_bound_of(a.qualifier) && lower_bound_of(b.qualifier);
    if (!rising && !falling) return std::nullopt;
    if (!a.unit.empty() && !b.unit.empty() && a.unit != b.unit) return std::nullopt;
    size_t p = skip_spaces(a.e);
    if (p != b.b) {
      auto j = word_at(r_.qualifiers.bound_joiners, a.e);
      if (!j || skip_spaces(a.e + j.len) != b.b) return std::nullopt;
    }
    const Draft& lo = rising ? a : b;
    const Draft& hi = rising ? b : a;
    if (*hi.value < *lo.value) return std::nullopt;
    Draft m = a;
    m.e = b.e;
    m.ne = b.ne;
    m.range = std::make_pair(*lo.value, *hi.value);
    m.value = *lo.value;
    m.qualifier = {};
    m.qualifier_rule = r_.qualifiers.bounds_rule;
    if (m.unit.empty()) {
      m.unit = b.unit;
      m.unit_rule = b.unit_rule;
      m.kind_rule = b.kind_rule;
    }
    m.numeral_rules.insert(m.numeral_rules.end(), b.numeral_rules.begin(), b.numeral_rules.end());
    // The second figure's subject, unless it is what stands between the two (并且).
    if (m.se <= m.sb && b.se > b.sb && (b.sb >= b.e || b.se <= a.b)) {
      m.sb = b.sb;
      m.se = b.se;
      m.subject_rule = b.subject_rule;
    }
    return m;
  }

  // ---------------------------------------------------------- 分别为 lists

  // 一产、二产、三产增加值分别为8.08亿元、2.08亿元、6.68亿元: pairs the figures after
  // the word with the nouns of the list before it.
  void split_respectively() {
    const auto& sr = r_.subjects;
    if (sr.respectively_words.empty()) return;
    for (size_t k = 0; k < drafts_.size(); ++k) {
      auto w = sr.respectively_words.longest_ending_at(s_, drafts_[k].b);
      if (!w) continue;
      size_t last = k;  // the figures of the list: 8.08亿元、2.08亿元、6.68亿元
      while (last + 1 < drafts_.size() && drafts_[last + 1].b == drafts_[last].e + 1 &&
             sr.respectively_separators.find(s_[drafts_[last].e]) != std::u32string::npos)
        ++last;
      auto items = list_before(drafts_[k].b - w.len, sentence_begin(drafts_[k].b));
      size_t n = last - k + 1;
      for (size_t i = 0; i < n; ++i) pair_with_item(drafts_[k + i], items.size() == n ? &items : nullptr, i);
      k = last;
    }
  }

  // The nouns of the list ending at `end` (一产、二产、三产增加值), left to right; the
  // first one as the subject rules read it before its separator.
  std::vector<std::pair<size_t, size_t>> list_before(size_t end, size_t floor) const {
    const auto& seps = r_.subjects.respectively_separators;
    std::vector<std::pair<size_t, size_t>> items;
    size_t e = end;
    for (size_t q = end; q > floor && end - q < 40; --q) {
      char32_t c = s_[q - 1];
      if (seps.find(c) != std::u32string::npos) {
        if (q < e) items.insert(items.begin(), {q, e});
        e = q - 1;
        continue;
      }
      if (!is_han(c) && !is_ascii_alpha(c)) break;
    }
    if (items.empty()) return items;
    bool verb = false;
    auto first = before(e, floor, &verb);
    // Parallel nouns are alike: 东山镇一产 before 二产、三产… is 一产.
    if (items.size() >= 2) {
      size_t len = items.front().second - items.front().first;
      bool alike = true;
      for (size_t i = 0; i + 1 < items.size(); ++i) alike = alike && items[i].second - items[i].first == len;
      if (alike && first.second - first.first > len) first.first = first.second - len;
    }
    if (first.second > first.first) items.insert(items.begin(), first);
    return items;
  }

  // The i-th figure gets the i-th noun and the head of the last one when the others
  // are shorter (一产 + 增加值); with no pairing (items null) it gets no subject.
  void pair_with_item(Draft& d, const std::vector<std::pair<size_t, size_t>>* items, size_t i) const {
    d.subject_rule = r_.subjects.respectively_rule;
    d.hb = d.he = 0;
    if (!items) {
      d.sb = d.se = 0;
      return;
    }
    d.sb = (*items)[i].first;
    d.se = (*items)[i].second;
    const auto& lastn = items->back();
    size_t mine = d.se - d.sb, lastlen = lastn.second - lastn.first;
    size_t other = items->size() > 1 ? (*items)[items->size() - 2].second - (*items)[items->size() - 2].first : 0;
    if (i + 1 < items->size() && other > 0 && lastlen > other && mine == other) {
      d.hb = lastn.first + other;
      d.he = lastn.second;
    }
  }

  // ---------------------------------------------------------- aspects

  // Each fact's aspect (amount, per_capita, rate, …) from the cues of aspects.json.
  void find_aspects() {
    for (size_t k = 0; k < drafts_.size(); ++k) {
      Draft& d = drafts_[k];
      AspectInput in;
      in.text = s_;
      in.begin = d.b;
      in.end = d.e;
      in.kind = d.kind;
      in.qualifier = d.qualifier;
      in.unit = d.unit;
      size_t clause = clause_begin(s_, d.b, r_.aspects);
      for (size_t m = k; m-- > 0 && drafts_[m].b >= clause;) in.kinds_before.push_back(drafts_[m].kind);
      AspectPick pick = find_aspect(in, r_);
      d.aspect = pick.aspect;
      d.aspect_rule = pick.rule;
    }
  }

  // ---------------------------------------------------------- subjects

  size_t sentence_begin(size_t pos) const {
    auto it = std::upper_bound(in_.sentence_starts.begin(), in_.sentence_starts.end(), pos);
    return it == in_.sentence_starts.begin() ? 0 : *(it - 1);
  }
  size_t sentence_end(size_t pos) const {
    auto it = std::upper_bound(in_.sentence_starts.begin(), in_.sentence_starts.end(), pos);
    return it == in_.sentence_starts.end() ? s_.size() : *it;
  }

  // Another figure starts here: Arabic digits, or a Chinese numeral with a unit after it
  // (not the 一 of 第一书记 or 一线).
  bool numeral_starts_at(size_t p) const {
    if (is_ascii_digit(s_[p])) return true;
    auto it = std::lower_bound(numeral_starts_.begin(), numeral_starts_.end(), uint32_t(p));
    if (it == numeral_starts_.end() || *it != p) return false;
    const Numeral& n = numerals_[size_t(it - numeral_starts_.begin())];
    return bool(unit_at(n.end));
  }

  size_t closing_quote(size_t open, size_t limit) const {
    for (const auto& [o, c] : r_.subjects.quote_pairs) {
      if (s_[open] != o) continue;
      for (size_t k = open + 1; k < limit && k < open + 20; ++k)
        if (s_[k] == c) return k;
    }
    return 0;
  }

  size_t opening_quote(size_t close, size_t floor) const {
    for (const auto& [o, c] : r_.subjects.quote_pairs) {
      if (s_[close] != c) continue;
      for (size_t k = close; k-- > floor && k + 20 > close;)
        if (s_[k] == o) return k + 1;
    }
    return 0;
  }

  std::pair<size_t, size_t> after(size_t p, size_t limit) const {
    auto direct = phrase_after(p, limit);
    if (direct.second > direct.first) return direct;
    // 400余册不适合青少年阅读的课外读物: a clause that starts with a stop word describes
    // the head noun after its 的.
    const auto& sr = r_.subjects;
    for (size_t k = p; k < limit && k < p + sr.max_after + sr.max_after; ++k) {
      if (boundary(s_[k]) || numeral_starts_at(k)) break;
      if (s_[k] == sr.head_marker && k > p) return phrase_after(k + 1, limit);
    }
    return direct;
  }

  std::pair<size_t, size_t> phrase_after(size_t p, size_t limit) const {
    const auto& sr = r_.subjects;
    if (p < limit && s_[p] == sr.head_marker) ++p;
    size_t q = p, count = 0;
    std::vector<size_t> ends;  // where a character, a bracket or a quote of the phrase ends
    auto take = [&](size_t len) {
      q += len;
      count += len;
      ends.push_back(q);
    };
    while (q < limit && count < sr.max_after) {
      char32_t c = s_[q];
      // A short bracket inside the phrase: 村(社区)工作者.
      if ((c == '(' || c == U'（') && count > 0) {
        size_t k = q + 1;
        while (k < limit && k < q + 6 && s_[k] != ')' && s_[k] != U'）' && is_han(s_[k])) ++k;
        if (k < limit && (s_[k] == ')' || s_[k] == U'）') && k > q + 1) {
          take(k + 1 - q);
          continue;
        }
      }
      if (boundary(c) || numeral_starts_at(q)) break;
      if (auto noun = sr.nouns.longest_at(s_, q)) {
        take(noun.len);
        continue;
      }
      if (auto noun = sr.nouns_after.longest_at(s_, q)) {
        take(noun.len);
        continue;
      }
      if (c == sr.head_marker) break;
      if (sr.hard_stops.longest_at(s_, q) || sr.stops_after.longest_at(s_, q)) break;
      if (size_t close = closing_quote(q, limit)) {
        take(close + 1 - q);
        continue;
      }
      if (!is_han(c) && !is_ascii_alpha(c)) break;
      take(1);
    }
    // Cut by the length limit: end at the last character that ends a noun (者, 站, 率 …),
    // never inside a bracket or a quote.
    if (count >= sr.max_after && q < limit && !boundary(s_[q])) {
      for (size_t i = ends.size(); i-- > 1;) {
        size_t e = ends[i - 1];
        if (sr.noun_suffixes.find(s_[e - 1]) != std::u32string::npos || s_[e - 1] == ')' || s_[e - 1] == U'”') {
          q = e;
          break;
        }
      }
    }
    return {p, q};
  }

  std::pair<size_t, size_t> before(size_t p, size_t floor, bool* verb) const {
    const auto& sr = r_.subjects;
    for (int guard = 0; guard < 4; ++guard) {
      auto c = sr.copulas.longest_ending_at(s_, p);
      if (!c || p - c.len < floor) break;
      auto word = sr.hard_stops.longest_ending_at(s_, p);  // 有 inside 所有 is no copula
      if (word && word.len > c.len) break;
      auto noun = sr.nouns.longest_ending_at(s_, p);  // nor 均 inside 平均
      if (noun && noun.len > c.len) break;
      p -= c.len;
    }
    *verb = bool(sr.verbs_before_figure.longest_ending_at(s_, p));
    if (*verb) return {p, p};
    size_t q = p, count = 0;
    while (q > floor && count < sr.max_before) {
      char32_t c = s_[q - 1];
      // Digits glued to letters are a name inside the phrase (5G基站).
      bool in_name = is_ascii_digit(c) && q < p && is_ascii_alpha(s_[q]);
      if (boundary(c) || (is_ascii_digit(c) && !in_name) || ends_a_fact(q)) break;
      if (auto noun = sr.nouns.longest_ending_at(s_, q); noun && q - noun.len >= floor) {
        q -= noun.len;
        count += noun.len;
        continue;
      }
      if (c == sr.head_marker) break;
      if (hard_stop_before(q)) break;
      // A verb before noun suffixes makes a noun (办结率, 慰问金, 服务站点), not before the
      // first character of a longer noun (配备网格员: 格 is no suffix).
      if (count >= 1 && sr.stops_before.longest_ending_at(s_, q) && !suffixes_only(q, p)) break;
      if (c == U'”' || c == U'》' || c == U'」' || c == U'’') {
        if (count >= 2) break;
        if (size_t open = opening_quote(q - 1, floor)) {
          count += q - (open - 1);
          q = open - 1;
          continue;
        }
        break;
      }
      if (!is_han(c) && !is_ascii_alpha(c) && !in_name && c != ')' && c != '(' && c != U'）' && c != U'（') break;
      --q;
      ++count;
    }
    // A lone opening bracket left at the start is not part of the phrase.
    while (q < p && (s_[q] == ')' || s_[q] == U'）')) ++q;
    return {q, p};
  }

  // Whether [q, p) is made of noun suffixes alone (率, 金, 站点).
  bool suffixes_only(size_t q, size_t p) const {
    for (size_t k = q; k < p; ++k)
      if (r_.subjects.noun_suffixes.find(s_[k]) == std::u32string::npos) return false;
    return q < p;
  }

  // A hard stop ending at q, unless it is the tail of a longer verb (与 in 参与) or a
  // one-character word that usually starts a noun on this side (就 in 就业).
  bool hard_stop_before(size_t q) const {
    const auto& sr = r_.subjects;
    auto h = sr.hard_stops.longest_ending_at(s_, q);
    if (!h) return false;
    auto v = sr.stops_before.longest_ending_at(s_, q);
    if (v && v.len > h.len) return false;
    if (h.len == 1 && sr.single_char_stops_before.find(s_[q - 1]) == std::u32string::npos) return false;
    return true;
  }

  bool ends_a_fact(size_t q) const {
    for (auto it = drafts_.rbegin(); it != drafts_.rend(); ++it) {
      if (it->e == q) return it->kind != "name";  // a name (5G) is part of the phrase
      if (it->e < q) break;
    }
    return false;
  }

  // The subject of the figure before this one, when this one only continues it:
  // 由5个增加到12个, 6期、800余人次.
  std::optional<std::pair<size_t, size_t>> inherited(size_t p, size_t floor) const {
    const auto& sr = r_.subjects;
    for (int guard = 0; guard < 4; ++guard) {
      auto c = sr.copulas.longest_ending_at(s_, p);
      if (c && p - c.len >= floor) {
        p -= c.len;
        continue;
      }
      if (p > floor && (s_[p - 1] == U'、' || s_[p - 1] == ',' || s_[p - 1] == U'，')) {
        --p;
        continue;
      }
      break;
    }
    for (auto it = drafts_.rbegin(); it != drafts_.rend() && it->e >= p; ++it)
      if (it->e == p && it->sb < it->se) return std::make_pair(it->sb, it->se);
    return std::nullopt;
  }

  void find_subject(Draft& d) const {
    size_t lo = sentence_begin(d.b), hi = sentence_end(d.b);
    bool verb = false;
    auto fwd = after(d.e, hi);
    auto back = before(d.b, lo, &verb);
    bool fwd_ok = fwd.second > fwd.first, back_ok = back.second > back.first;
    bool fwd_after_de = d.e < s_.size() && s_[d.e] == r_.subjects.head_marker;
    (void)fwd_after_de;
    std::pair<size_t, size_t> pick{0, 0};
    if (d.classifier) {
      if (fwd_ok) pick = fwd, d.subject_rule = fwd_after_de ? "subject.after_de" : "subject.after";
      else if (back_ok) pick = back, d.subject_rule = "subject.before";
    } else {
      if (back_ok) pick = back, d.subject_rule = "subject.before";
      else if (fwd_ok) pick = fwd, d.subject_rule = "subject.after";
    }
    if (pick.second <= pick.first && !verb) {
      if (auto inh = inherited(d.b, lo)) pick = *inh, d.subject_rule = "subject.inherited";
    }
    d.sb = pick.first;
    d.se = pick.second;
    trim_phrase_start(d);
    share_coordinated_head(d, hi);
  }

  // 脱贫户人均纯收入 -> 人均纯收入, 群众诉求按期办结率 -> 按期办结率: the subject begins at
  // the last phrase start inside it; “双带头人”型党支部书记 -> 党支部书记.
  void trim_phrase_start(Draft& d) const {
    const auto& sr = r_.subjects;
    for (size_t k = d.se; k-- > d.sb + 1;) {
      if (!sr.phrase_starts.longest_at(s_, k)) continue;
      d.sb = k;
      d.subject_rule = sr.phrase_start_rule;
      break;
    }
    while (d.se > d.sb + 1 && sr.never_first.find(s_[d.sb]) != std::u32string::npos) {
      ++d.sb;
      d.subject_rule = sr.phrase_start_rule;
    }
  }

  // 3个市级和8个区级美丽乡村示范村: the subject after a count that stops at a coordinator
  // followed by another count takes the head of that one's phrase (市级 + 美丽乡村示范村)
  // when both modifiers are alike (same length, same last character: 级).
  void share_coordinated_head(Draft& d, size_t hi) const {
    const auto& sr = r_.subjects;
    if (!d.classifier || d.se <= d.sb || d.sb < d.e || d.se >= hi) return;
    if (sr.coordinators.find(s_[d.se]) == std::u32string::npos) return;
    const Numeral* m = numeral_at(d.se + 1);
    if (!m || m->begin != d.se + 1) return;
    auto u = unit_at(m->end);
    if (!u) return;
    auto next = phrase_after(m->end + u.len, hi);
    size_t mine = d.se - d.sb;
    if (next.second - next.first <= mine || s_[next.first + mine - 1] != s_[d.se - 1]) return;
    d.hb = next.first + mine;
    d.he = next.second;
    d.subject_rule = sr.coordinated_rule;
  }

  // ---------------------------------------------------------- output

  // The subject's text, with the head it shares with a later noun (一产 + 增加值).
  Pieces subject_pieces(const Draft& d) const {
    Pieces p = j_.pieces(d.sb, d.se);
    if (d.he > d.hb) {
      Pieces head = j_.pieces(d.hb, d.he);
      p.insert(p.end(), head.begin(), head.end());
    }
    return p;
  }

  Fact finish(const Draft& d) const {
    Fact f;
    f.span = j_.span(d.b, d.e);
    f.kind = d.kind;
    f.value = d.value;
    f.unit = d.unit;
    f.qualifier = d.qualifier;
    if (d.range) f.range = *d.range;
    if (d.se > d.sb) f.subject = subject_pieces(d);
    f.aspect = d.aspect;
    size_t k = 0;
    if (!in_.sentence_starts.empty()) {
      auto it = std::upper_bound(in_.sentence_starts.begin(), in_.sentence_starts.end(), d.nb);
      k = it == in_.sentence_starts.begin() ? 0 : size_t(it - in_.sentence_starts.begin()) - 1;
    }
    if (k < in_.periods.size()) f.period = in_.periods[k];
    f.year = f.period == Period::none || !in_.report_year
                 ? std::nullopt
                 : std::optional<int>(*in_.report_year + (f.period == Period::this_year ? 1 : 0));
    if (in_.explain) {
      FactRules& r = f.rules.mut();
      r.numeral.assign(d.numeral_rules.begin(), d.numeral_rules.end());
      r.unit = d.unit_rule;
      r.qualifier = d.qualifier_rule;
      r.subject = d.subject_rule;
      r.kind = d.kind_rule;
      r.aspect = d.aspect_rule;
      r.pattern = d.pattern_rule;
    }
    return f;
  }

  facts::ExclusionZones zones_;
  std::vector<Draft> drafts_;
  size_t consumed_until_ = 0;
};

}  // namespace

std::vector<Fact> find_facts(const FactInput& input, const Rules& rules) {
  if (!input.joined || input.joined->size() == 0) return {};
  return FactFinder(input, rules).run();
}

}  // namespace digestx
