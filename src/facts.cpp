#include "digestx/facts.hpp"

#include <algorithm>
#include <iterator>

#include "digestx/aspects.hpp"
#include "digestx/periods.hpp"
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
  FactFinder(const FactInput& in, const Rules& rules) : FactText(in, rules), zones_(*this) {
    subjects_.emplace(subject_input(), rules.subjects);
    subjects_->expect_notes(numerals_.size());
  }

  std::vector<Fact> run() {
    // Sized once, never doubled: a paragraph of a million figures (a 50 MB line) would
    // otherwise hold up to twice its drafts and facts while a vector grows.
    drafts_.reserve(numerals_.size());
    for (size_t i = 0; i < numerals_.size(); ++i) {
      if (numerals_[i].begin < consumed_until_) continue;
      facts::Composed c = facts::compose_fact(*this, zones_, i, consumed_until_);
      if (!c.fact) {
        refuse(numerals_[i], c.refusal);
        note_institution_name(numerals_[i]);
        // 开通24小时自助服务区3个: the refused 24 is part of the name 3个 counts.
        if (r_.exclusions.refuses_inside_a_name(c.refusal))
          subjects_->note(numerals_[i].begin, numerals_[i].end, true, Subject{});
        continue;
      }
      Draft& d = *c.fact;
      consumed_until_ = d.e;
      if (r_.kinds.is_quantity(d.kind)) find_subject(d);
      subjects_->note(d.b, d.e, d.kind == "name", d.subject);
      drafts_.push_back(std::move(d));
    }
    combine();
    find_aspects();
    keep_parts_of_summed(drafts_, r_.kinds, [this](size_t pos) {
      bool by_clause = false;
      return period_at(pos, by_clause);
    });
    release_numerals();
    std::vector<Fact> out;
    out.reserve(drafts_.size());
    for (const Draft& d : drafts_) out.push_back(finish(d));
    return out;
  }

 private:
  // ---------------------------------------------------------- combinations

  using FP = FactPatternRules;

  // The combination rules of facts.json, in file order; bounds rules that stand
  // together are one pass (the first that matches two facts wins).
  void combine() {
    const auto& rules = r_.facts.combinations;
    for (size_t k = 0; k < rules.size(); ++k) {
      switch (rules[k].produce) {
        case FP::Combination::fixed_figure: add_fixed_words(rules[k].name); break;
        case FP::Combination::respectively: split_respectively(rules[k]); break;
        case FP::Combination::parts: mark_parts_after(drafts_, s_, rules[k], r_.aspects.clause_breaks, r_.kinds); break;
        case FP::Combination::sum: mark_sum_after(drafts_, s_, rules[k], r_.aspects.clause_breaks, r_.kinds); break;
        case FP::Combination::unpaired: {
          std::vector<size_t> warned;
          unpair_lists(drafts_, s_, rules[k], r_, warned);
          if (in_.left_out)
            for (size_t i : warned) in_.left_out->push_back({j_.span(drafts_[i].b, drafts_[i].e), rules[k].name});
          break;
        }
        case FP::Combination::bounds: {
          size_t e = k + 1;
          while (e < rules.size() && rules[e].produce == FP::Combination::bounds) ++e;
          combine_bounds(rules.data() + k, rules.data() + e);
          k = e - 1;
          break;
        }
      }
    }
  }

  // fixed_figure: words that are a figure on their own (打对折 = 50%), where no fact stands.
  void add_fixed_words(std::string_view rule) {
    if (q_.fixed_words.empty()) return;
    std::vector<Draft> found;
    size_t next_draft = 0;
    for (size_t i = 0; i < s_.size(); ++i) {
      auto m = q_.fixed_words.longest_at(s_, i);
      if (!m) continue;
      while (next_draft < drafts_.size() && drafts_[next_draft].e <= i) ++next_draft;
      bool overlaps = next_draft < drafts_.size() && drafts_[next_draft].b < i + m.len;
      auto blocked = q_.not_units.longest_at(s_, i);
      if (overlaps || (blocked && blocked.len > m.len) || blocked_from_before(i) || zones_.quoted(i, i + m.len) ||
          zones_.in_url(i))
        continue;
      const QuantityRules::Unit& u = q_.fixed[size_t(m.value)];
      Draft d;
      d.b = d.nb = i;
      d.e = d.ne = i + m.len;
      d.kind = u.kind;
      d.unit = u.unit;
      d.value = u.value;
      d.kind_rule = d.unit_rule = u.name;
      d.pattern_rule = rule;
      qualify_fixed(d);
      find_subject(d);
      found.push_back(d);
      i += m.len - 1;
    }
    if (found.empty()) return;
    drafts_.insert(drafts_.end(), found.begin(), found.end());
    std::stable_sort(drafts_.begin(), drafts_.end(), [](const Draft& a, const Draft& b) { return a.b < b.b; });
  }

  // A not_units word that starts before position i and runs into it: 上半年, 下半年, 每半年
  // hold the fixed word 半年 (quantities.json duration.half_year), but are a half of the
  // calendar year or a period, no span of half a year.
  bool blocked_from_before(size_t i) const {
    for (size_t k = 1; k <= i && k < q_.not_units.max_len(); ++k)
      if (auto w = q_.not_units.longest_at(s_, i - k); w && w.len > k) return true;
    return false;
  }

  // A fixed word's qualifiers, as any figure's (一半以上, 超过半数): without them 一半以上
  // would read as exactly half.
  void qualify_fixed(Draft& d) const {
    auto q = qualifiers_around(d.b, d.e, {}, {});
    d.b = q.b;
    d.e = q.e;
    d.qualifier = q.qualifier;
    d.qualifier_rule = q.rule;
  }

  // What a qualifier says of the figure: at least it (more_than, at_least) or at most.
  static bool lower_bound_of(std::string_view q) { return q == "more_than" || q == "at_least"; }
  static bool upper_bound_of(std::string_view q) { return q == "less_than" || q == "at_most"; }

  // bounds: a lower and an upper bound side by side make one range: 大于10小于20,
  // 最多100最少20个, 1000以上，1500以下.
  void combine_bounds(const FP::CombineRule* first, const FP::CombineRule* last) {
    std::vector<Draft> out;  // filled from the first merge on: most paragraphs have none
    bool merging = false;
    for (size_t k = 0; k < drafts_.size(); ++k) {
      std::optional<Draft> merged;
      if (k + 1 < drafts_.size() && may_bound(drafts_[k], drafts_[k + 1]))
        for (const FP::CombineRule* r = first; r != last && !merged; ++r)
          if (side_by_side(*r, drafts_[k], drafts_[k + 1])) merged = bounds(drafts_[k], drafts_[k + 1], r->name);
      if (merged && !merging) {
        out.reserve(drafts_.size());
        std::move(drafts_.begin(), drafts_.begin() + std::ptrdiff_t(k), std::back_inserter(out));
        merging = true;
      }
      if (merged) {
        out.push_back(std::move(*merged));
        ++k;
      } else if (merging) {
        out.push_back(std::move(drafts_[k]));
      }
    }
    if (merging) drafts_ = std::move(out);
  }

  // What the bounds production asks of any two facts, before their words are looked at.
  static bool may_bound(const Draft& a, const Draft& b) {
    return !a.range && !b.range && a.value && b.value && a.kind == b.kind && !a.qualifier.empty() &&
           !b.qualifier.empty();
  }

  static bool has_qualifier(const FP::CombineItemRule& item, const Draft& d) {
    const auto& qs = item.qualifiers;
    return qs.empty() || std::find(qs.begin(), qs.end(), d.qualifier) != qs.end();
  }

  // The items of a bounds rule over two facts: the first, the words between them (an
  // optional item may be absent), the second right after (spaces allowed).
  bool side_by_side(const FP::CombineRule& rule, const Draft& a, const Draft& b) const {
    const auto& items = rule.items;
    if (!has_qualifier(items.front(), a) || !has_qualifier(items.back(), b)) return false;
    if (skip_spaces(a.e) == b.b && (items.size() == 2 || items[1].optional)) return true;
    if (items.size() == 2) return false;
    auto j = word_at(*items[1].words, a.e);
    return j && skip_spaces(a.e + j.len) == b.b;
  }

  std::optional<Draft> bounds(const Draft& a, const Draft& b, std::string_view rule) const {
    if (a.range || b.range || !a.value || !b.value || a.kind != b.kind) return std::nullopt;
    bool rising = lower_bound_of(a.qualifier) && upper_bound_of(b.qualifier);
    bool falling = upper_bound_of(a.qualifier) && lower_bound_of(b.qualifier);
    if (!rising && !falling) return std::nullopt;
    if (!a.unit.empty() && !b.unit.empty() && a.unit != b.unit) return std::nullopt;
    const Draft& lo = rising ? a : b;
    const Draft& hi = rising ? b : a;
    if (*hi.value < *lo.value) return std::nullopt;
    Draft m = a;
    m.e = b.e;
    m.ne = b.ne;
    m.range = std::make_pair(*lo.value, *hi.value);
    m.value = *lo.value;
    m.qualifier = {};
    m.qualifier_rule = rule;
    if (m.unit.empty()) {
      m.unit = b.unit;
      m.unit_rule = b.unit_rule;
      m.kind_rule = b.kind_rule;
    }
    m.numeral_rules.insert(m.numeral_rules.end(), b.numeral_rules.begin(), b.numeral_rules.end());
    // The second figure's subject, unless it is what stands between the two (并且).
    if (m.subject.empty() && !b.subject.empty() && (b.subject.b >= b.e || b.subject.e <= a.b)) m.subject = b.subject;
    return m;
  }

  // respectively: 一产、二产、三产增加值分别为8.08亿元、2.08亿元、6.68亿元 (SubjectFinder
  // reads the lists).
  void split_respectively(const FP::CombineRule& rule) {
    std::vector<SubjectFigure> figures;
    figures.reserve(drafts_.size());
    for (const Draft& d : drafts_) figures.push_back({d.b, d.e, d.subject, r_.kinds.is_quantity(d.kind), d.classifier});
    bool copulas_between = rule.items.size() == 4;  // [noun_list, words, copulas, fact_list]
    subjects_->split_respectively(figures, *rule.items[1].words, copulas_between, rule.name);
    for (size_t k = 0; k < drafts_.size(); ++k) drafts_[k].subject = figures[k].subject;
  }

  // ---------------------------------------------------------- aspects

  // Each fact's aspect (amount, per_capita, rate, …) and, when it is no outcome, its
  // status (target, forecast) from the cues of aspects.json.
  void find_aspects() {
    size_t list_begin = 0;
    AspectInput in;  // one for all the facts: its list of kinds keeps its room
    for (size_t k = 0; k < drafts_.size(); ++k) {
      Draft& d = drafts_[k];
      if (!continues_list(k)) list_begin = d.b;
      in.kinds_before.clear();
      in.text = s_;
      in.begin = d.b;
      in.list_begin = list_begin;
      in.end = d.e;
      in.kind = d.kind;
      in.qualifier = d.qualifier;
      in.unit = d.unit;
      in.range = d.range.has_value();
      in.sentence = in_.sentence_starts.empty() ? 0 : in_.sentence_starts[sentence_of(d.b)];
      size_t clause = clause_begin(s_, d.b, r_.aspects);
      in.clause = clause;
      for (size_t m = k; m-- > 0 && drafts_[m].b >= clause;) in.kinds_before.push_back(drafts_[m].kind);
      FigureAspects picks = find_aspect_and_status(in, r_);
      d.aspect = picks.aspect.aspect;
      d.aspect_rule = picks.aspect.rule;
      d.status = picks.status.aspect;
      d.status_rule = picks.status.rule;
      d.status_cue = picks.status.cue;
    }
  }

  // The k-th figure follows the one before it in a list: one list separator between
  // them, the same kind (增长5.0%和6.8%, 8.08亿元、2.08亿元).
  bool continues_list(size_t k) const {
    if (k == 0) return false;
    const Draft& a = drafts_[k - 1];
    const Draft& b = drafts_[k];
    return a.e + 1 == b.b && a.kind == b.kind && r_.subjects.list_separators.find(s_[a.e]) != std::u32string::npos;
  }

  // ---------------------------------------------------------- subjects

  // The name of a meeting or event ends the noun phrase read back from a figure after
  // it, like a figure does: 办理区十四届人大三次会议代表建议26件 -> 代表建议 (not the
  // whole name), 承办第十二届全省运动会赛事12项 -> 赛事.
  void note_institution_name(const Numeral& n) {
    auto [b, e] = zones_.institution_span(n.begin);
    if (e <= b || e <= noted_name_end_) return;
    noted_name_end_ = e;
    subjects_->note(b, e, false, Subject{});
  }

  // Where the figures that count with a measure word or unit start, and where the unit
  // ends: another noun phrase never runs into one (网格员130名, not 网格员130).
  SubjectInput subject_input() const {
    SubjectInput si;
    si.text = s_;
    si.sentence_starts = &in_.sentence_starts;
    si.unit_place = in_.unit_place;
    si.unit_kind = in_.unit_kind;
    for (const Numeral& n : numerals_) {
      // 一千二百余名: a qualifier between the numeral and the unit (分4期轮训村干部一千二百余名
      // gave 4期 the subject 轮训村干部一千二百余名).
      size_t p = n.end;
      if (auto a = word_at(r_.qualifiers.after_numeral, p); a && unit_at(p + a.len)) p += a.len;
      if (auto u = unit_at(p)) si.counted.emplace_back(n.begin, p + u.len);
    }
    std::sort(si.counted.begin(), si.counted.end());
    return si;
  }

  // The subject of a quantity, told to the subject finder with every figure found so
  // far (a figure right before a noun phrase ends it; 由5个增加到12个 inherits).
  void find_subject(Draft& d) {
    d.subject = subjects_->find(d.b, d.e, d.classifier, d.kind);
  }

  // ---------------------------------------------------------- output

  // The subject's text, with the head it shares with a later noun (一产 + 增加值): the
  // last two of its pieces, as ShortPieces keeps them, without making the Pieces (an
  // allocation per fact).
  ShortPieces subject_pieces(const Draft& d) const {
    Span last[2];
    size_t n = 0;
    auto keep = [&](Span s) {
      if (n < 2) {
        last[n++] = s;
      } else {
        last[0] = last[1];
        last[1] = s;
      }
    };
    j_.each_piece(d.subject.b, d.subject.e, keep);
    if (d.subject.he > d.subject.hb) j_.each_piece(d.subject.hb, d.subject.he, keep);
    ShortPieces out;
    if (n > 0) out.first = last[0];
    if (n > 1) out.second = last[1];
    return out;
  }

  // The index of the sentence holding pos (0 when the caller gave no sentences).
  size_t sentence_of(size_t pos) const {
    const auto& starts = in_.sentence_starts;
    auto it = std::upper_bound(starts.begin(), starts.end(), pos);
    return it == starts.begin() ? 0 : size_t(it - starts.begin()) - 1;
  }

  // The period of a figure at pos: its sentence's, or that of a clause marker between
  // the sentence's start and it (去年新建网格15个，今年将新增网格5个: 5个 this_year).
  // `by_clause` tells whether a clause marker decided it (--explain names that rule).
  Period period_at(size_t pos, bool& by_clause) const {
    size_t k = sentence_of(pos);
    Period p = k < in_.periods.size() ? in_.periods[k] : Period::none;
    const auto& starts = in_.clause_starts;
    auto it = std::upper_bound(starts.begin(), starts.end(), pos);
    size_t sentence_start = k < in_.sentence_starts.size() ? in_.sentence_starts[k] : 0;
    by_clause = it != starts.begin() && *(it - 1) >= sentence_start;
    if (by_clause) p = in_.clause_periods[size_t(it - starts.begin()) - 1];
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
    if (!d.subject.empty()) f.subject = subject_pieces(d);
    f.aspect = d.aspect;
    if (d.part_e > d.part_b) f.part_of = j_.span(d.part_b, d.part_e);
    bool by_clause = false;
    f.period = period_at(d.nb, by_clause);
    f.year = year_of(f.period, in_.report_year, in_.plan_year_offset);
    bool status_holds = d.status_cue && digestx::status_holds(*d.status_cue, f.period);
    if (status_holds) f.status = d.status;
    if (in_.explain) {
      FactRules& r = f.rules.mut();
      r.numeral.assign(d.numeral_rules.begin(), d.numeral_rules.end());
      r.unit = d.unit_rule;
      r.qualifier = d.qualifier_rule;
      r.subject = d.subject.rule;
      r.kind = d.kind_rule;
      r.aspect = d.aspect_rule;
      if (status_holds) r.status = d.status_rule;
      r.pattern = d.pattern_rule;
      if (by_clause) r.period = r_.periods.clause_marker_rule;
      r.part = d.part_rule;
    }
    return f;
  }

  facts::ExclusionZones zones_;
  std::vector<Draft> drafts_;
  std::optional<SubjectFinder> subjects_;  // set up once the numerals are known
  size_t consumed_until_ = 0;
  size_t noted_name_end_ = 0;  // the end of the last meeting name told to the subject finder
};

}  // namespace

std::vector<Fact> find_facts(const FactInput& input, const Rules& rules) {
  if (!input.joined || input.joined->size() == 0) return {};
  return FactFinder(input, rules).run();
}

}  // namespace digestx
