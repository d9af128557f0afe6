// The composer of the facts stage: the patterns of facts.json over the typed spans
// around a numeral, and the closed set of productions they name. Recognisers (the
// match_* functions) only say where a typed span is; productions decide what the
// fact is. A production either gives a fact, refuses the numeral with a named rule,
// or passes (scale_by_unit without a unit), and then the next pattern is tried.
#include <cstdint>
#include <type_traits>

#include "fact_text.hpp"

namespace digestx::facts {
namespace {

using FP = FactPatternRules;

// What the items of one pattern matched, apart from the figure itself.
struct MatchedSpans {
  size_t b = 0;    // where the fact starts: 第, 人民币, 百分之 included
  size_t p = 0;    // where the match ends so far
  bool ordinal = false, per = false;
  const QuantityRules::Unit* prefix = nullptr;
  const QuantityRules::Unit* unit = nullptr;
  size_t unit_b = 0, unit_e = 0;
  std::string_view qualifier, qualifier_rule;
  const Numeral* high = nullptr;        // the high end of a range
  const Numeral* last = nullptr;        // the numeral matched last (1至9月: 9 after 1)
  bool between = false;                 // 20和30之间
  bool listed = false;                  // the unit is the list's last figure's (3.5、8.2和6.1%)
  int list_power = 0;                   // and so is its multiplier (1200、800万元)
};
static_assert(std::is_trivially_copyable_v<MatchedSpans>);

// What the items of one pattern matched.
struct Matched : MatchedSpans {
  struct Part {
    Decimal add;  // in main units
    size_t end;
    std::string_view rule;
  };
  // Money sub-units: 6角, 三分. Out of MatchedSpans, whose plain fields are reset for
  // each pattern tried without building and freeing a vector (390,000 times per 2 MB).
  std::vector<Part> parts;
  Numeral n;  // the figure (unit characters at its end may go back to the unit)

  explicit Matched(const Numeral& figure) : n(figure) { restart(figure); }
  // Back to the figure as read, before the next pattern. A pattern changes only the
  // figure's end and value (5千米: the 千 goes back to the unit), so the figure is
  // copied once, not once per pattern tried (ten a figure: 2% of a run).
  void restart(const Numeral& figure) {
    // Copied from one empty value (a block copy), not built afresh field by field for
    // each of the 390,000 patterns tried per 2 MB of text (12 M instructions).
    static const MatchedSpans kNone{};
    static_cast<MatchedSpans&>(*this) = kNone;
    parts.clear();
    n.end = figure.end;
    n.value = figure.value;
    b = figure.begin;
    p = figure.end;
    last = &figure;
  }
};

// What a production made of a match.
struct Outcome {
  bool passed = false;  // the production does not apply: try the next pattern
  Composed result;
};

Outcome refused(std::string_view rule) { return {false, {std::nullopt, rule}}; }
Outcome made(Draft&& d) { return {false, {std::move(d), {}}}; }

bool is_quantity_production(FP::Production p) { return p != FP::Production::date; }

// The recognisers: where the typed spans a pattern asks for are, around the numeral
// i; plain positions in a Matched, nothing decided about the fact.
class Recogniser {
 public:
  Recogniser(const FactText& t, const ExclusionZones& z, size_t i, size_t consumed_until)
      : t_(t), z_(z), q_(t.q_), s_(t.s_), i_(i), consumed_until_(consumed_until) {}

 protected:
  bool match_before(const FP::PatternItem& it, Matched& m) const {
    switch (it.item) {
      case FP::Item::ordinal_prefix:
        if (auto di = q_.ordinal_prefixes.longest_ending_at(s_, m.b)) {
          m.b -= di.len;
          m.ordinal = true;
          return true;
        }
        return false;
      case FP::Item::ordinal_list_prefix:
        // 第1、2、3名: 2 and 3名 are places; the match starts at the figure itself.
        if (q_.ordinal_list_rule.empty() || !ordinal_list_led(i_) || list_first(i_) == i_) return false;
        m.ordinal = true;
        return true;
      case FP::Item::currency_prefix:
        // 4人民币5美元: a word the figure before took as its unit is no prefix.
        if (auto pre = t_.word_ending_at(q_.prefix_words, m.b); pre && m.b - pre.len >= consumed_until_) {
          m.prefix = &q_.prefixes[size_t(pre.value)];
          m.b -= pre.len;
          return true;
        }
        return false;
      case FP::Item::words:
        if (auto w = t_.word_ending_at(*it.words, m.b)) {
          if (auto longer = it.unless ? it.unless->longest_ending_at(s_, m.b) : Lexicon::Match{}; longer && longer.len > w.len)
            return false;  // 目前
          m.b -= w.len;
          return true;
        }
        return false;
      default:
        return false;
    }
  }

  Lexicon::Match word(const Lexicon& lex, bool spaces, size_t p) const {
    return spaces ? t_.word_at(lex, p) : lex.longest_at(s_, p);
  }

  bool match_after(const FP::PatternItem& it, bool spaces, Matched& m) const {
    Lexicon::Match w;
    switch (it.item) {
      case FP::Item::numeral: return match_numeral(it.check, spaces, m);
      case FP::Item::qualifier_after_numeral: return match_qualifier_after(m);
      case FP::Item::unit: return match_unit(it, m);
      case FP::Item::range: return match_range(m);
      case FP::Item::money_part: return match_money_parts(m);
      case FP::Item::list_unit: return match_list_unit(m);
      case FP::Item::range_connector: w = word(q_.range_connectors, spaces, m.p); break;
      case FP::Item::year_word: w = word(q_.year_words, spaces, m.p); break;
      case FP::Item::month_word: w = word(q_.month_words, spaces, m.p); break;
      case FP::Item::after_month: w = word(q_.after_month, spaces, m.p); break;
      case FP::Item::words:
        w = word(*it.words, spaces, m.p);
        // 3年前三名: 前三名 is a rank, not the 前 of 三年前 (date.years_ago's unless).
        if (w && it.unless && it.unless->longest_at(s_, m.p).len > w.len) w = {};
        break;
      case FP::Item::day_word:
        w = word(q_.day_words, spaces, m.p);
        if (w && it.check == FP::Check::not_unit && t_.unit_at(m.p).len > w.len) w = {};  // 5日元
        break;
      default: return false;
    }
    if (w) m.p += w.len;
    return bool(w);
  }

  // A numeral fits a check: a calendar year, a month (1至9月: later than the one
  // before), a day, a parts-per numeral, a fraction.
  // The value is read as an integer only by the checks that need it: most patterns
  // check nothing, and reading it for each of them was 3% of a run.
  bool numeral_fits(FP::Check check, const Numeral& n, const Numeral* before) const {
    // value_or with a value outside every range, not `v && *v`: optimised code may read a
    // disengaged optional's payload first, which valgrind reports as uninitialised.
    constexpr int64_t kNone = -1;
    switch (check) {
      case FP::Check::year: return t_.is_year(n);
      case FP::Check::month: {
        int64_t v = n.value.to_int64().value_or(kNone);
        return v >= 1 && v <= 12 && !n.point;
      }
      case FP::Check::later_month: {
        auto first = before ? before->value.to_int64() : std::nullopt;
        int64_t v = n.value.to_int64().value_or(kNone);
        return first.has_value() && v > first.value_or(0) && v <= 12 && !n.point;
      }
      case FP::Check::day: {
        int64_t v = n.value.to_int64().value_or(kNone);
        return v >= 1 && v <= 31 && !n.point;
      }
      case FP::Check::parts_per: return n.per_power > 0 && q_.parts_per;
      case FP::Check::fraction: return n.form == Numeral::Form::fraction;
      default: return true;
    }
  }

  bool match_numeral(FP::Check check, bool spaces, Matched& m) const {
    const Numeral* next = t_.numeral_at(m.p);
    if (!next || (!spaces && next->begin != m.p) || !numeral_fits(check, *next, m.last)) return false;
    m.last = next;
    m.p = next->end;
    return true;
  }

  // 余/多 between the figure and its unit (3500余名), only when a unit follows.
  bool match_qualifier_after(Matched& m) const {
    const QualifierRules& qr = t_.r_.qualifiers;
    auto a = t_.word_at(qr.after_numeral, m.p);
    if (!a || !t_.unit_at(m.p + a.len)) return false;
    m.qualifier = qr.entries[size_t(a.value)].qualifier;
    m.qualifier_rule = qr.entries[size_t(a.value)].name;
    m.p += a.len;
    return true;
  }

  // A unit word, of a kind (unit:money) or one of the pattern's own ({"unit": ["名"]}).
  bool match_unit(const FP::PatternItem& it, Matched& m) const {
    auto u = t_.unit_at(m.p);
    if (!u) return false;
    const QuantityRules::Unit& unit = q_.units[size_t(u.value)];
    if ((it.check == FP::Check::money && unit.kind != "money") || (it.check == FP::Check::count && unit.kind != "count"))
      return false;
    if (it.words && !own_unit(*it.words, m.p, m.p + u.len)) return false;
    m.unit = &unit;
    m.unit_b = m.p;
    m.unit_e = m.p + u.len;
    m.p = m.unit_e;
    return true;
  }

  // Whether the unit [b, e) is one of a pattern's own units, read without its spaces;
  // looked up in place when it has none (most: 名, 个), not copied (56,000 strings per 2 MB).
  bool own_unit(const Lexicon& units, size_t b, size_t e) const {
    std::u32string_view unit = s_.substr(b, e - b);
    if (std::none_of(unit.begin(), unit.end(), [](char32_t c) { return is_space(c); })) return units.contains(unit);
    return units.contains(t_.folded(b, e));
  }
  bool match_range(Matched& m) const;
  bool range_end_fits(const Matched& m, const Numeral& high, size_t q, Lexicon::Match u2, bool between) const;
  bool match_money_parts(Matched& m) const;
  bool match_list_unit(Matched& m) const;
  bool list_member(const Numeral& n) const { return t_.list_member(n); }
  size_t list_first(size_t i) const;
  size_t list_last(size_t i) const;
  bool ordinal_list_led(size_t i) const { return bool(q_.ordinal_prefixes.longest_ending_at(s_, t_.numerals_[list_first(i)].begin)); }
  bool far_apart(const Decimal& a, std::optional<Decimal> b) const;
  bool give_back_unit_char(Numeral& n) const;
  std::optional<Decimal> units_alone(size_t b, size_t e) const;
  bool all_unit_chars(size_t b, size_t e) const;
  int largest_unit_power(size_t b, size_t e) const;


  const FactText& t_;
  const ExclusionZones& z_;
  const QuantityRules& q_;
  std::u32string_view s_;
  size_t i_;
  size_t consumed_until_;
};

// The composer: the patterns of facts.json over the recognisers, and the productions
// that make a fact of what a pattern matched.
class Composer : private Recogniser {
 public:
  using Recogniser::Recogniser;
  static constexpr size_t kCheckCount = size_t(FP::Check::not_unit) + 1;


  Composed run() {
    const Numeral& n = t_.numerals_[i_];
    if (n.end <= n.begin) return {};
    if (auto rule = z_.refusal(n); !rule.empty()) return {std::nullopt, rule};
    if (auto rule = list_refusal(); !rule.empty()) return {std::nullopt, rule};
    if (split_by_break(n)) return {std::nullopt, t_.r_.layout.numerals_apart_rule};
    std::optional<Matched> m;  // made for the first pattern whose anchor fits
    // Each check's answer for the figure, read once: the patterns ask a few checks over
    // and over (170,000 readings of the value per 2 MB of text). 0: not read yet.
    int8_t fits[kCheckCount] = {};
    const std::vector<FP::Pattern>& patterns = t_.r_.facts.patterns;
    uint64_t gated_in = patterns_let_through(t_.r_.facts.gates, s_, n.begin, n.end);
    for (size_t k = next_pattern(gated_in, 0); k < patterns.size(); k = next_pattern(gated_in, k + 1)) {
      const FP::Pattern& p = patterns[k];
      // Most numerals are no year, month or fraction: the anchor's check first, before
      // anything is copied.
      FP::Check check = p.items[p.anchor].check;
      if (check != FP::Check::any) {
        int8_t& known = fits[size_t(check)];
        if (!known) known = numeral_fits(check, n, nullptr) ? 1 : -1;
        if (known < 0) continue;
      }
      if (m) m->restart(n);
      else m.emplace(n);
      std::optional<Outcome> o = try_pattern(p, *m);
      if (o && !o->passed) return std::move(o->result);
    }
    return {};
  }

 private:
  // The first pattern from k on that may match: the next one `gated_in` lets through, any
  // past the 64th.
  static size_t next_pattern(uint64_t gated_in, size_t k) {
    if (k >= 64) return k;
    uint64_t rest = gated_in >> k;
    return rest ? k + size_t(__builtin_ctzll(rest)) : 64;
  }

  // 第三、四季度, 第十二、十三届: the last place of a list led by 第 holds the word that says
  // what every place is; its exclusion (set.quarter) is the list's (quantities.json ordinal_list).
  std::string_view list_refusal() const {
    // Most figures lead no list after 第: that test first, before any set phrase is sought.
    if (q_.ordinal_list_rule.empty() || !ordinal_list_led(i_)) return {};
    size_t last = list_last(i_);
    size_t tail = t_.numerals_[last].end;
    // 第三、四季度: the last place is a set phrase the numbers stage read as no numeral.
    if (tail + 1 < s_.size() && t_.list_separator(s_[tail]))
      if (auto rule = z_.set_phrase_at(tail + 1); !rule.empty()) return rule;
    return last == i_ ? std::string_view() : z_.refusal(t_.numerals_[last]);
  }

  // 完成各项任务超过3⏎5个村: a line end between digits that the layout kept apart
  // (layout.json numerals_apart, warned) may cut a figure: the piece that ends the
  // paragraph before the break is none (it gave 超过3); a whole figure opening the next
  // line stays (5个).
  bool split_by_break(const Numeral& n) const { return t_.in_.cut_figure_after && n.end == s_.size(); }

  // nullopt: the pattern does not match here. The anchor's check was made by run (on the
  // figure as read, which the items before the anchor leave as it is).
  std::optional<Outcome> try_pattern(const FP::Pattern& p, Matched& m) const {
    for (size_t k = p.anchor; k-- > 0;)
      if (!match_before(p.items[k], m) && !p.items[k].optional) return std::nullopt;
    if (p.items[p.anchor].check == FP::Check::parts_per) {
      m.per = true;
      m.b = m.n.per_begin;
    }
    if (is_quantity_production(p.produce)) {
      const Anchor& a = anchor(m);
      if (a.title) return refused(t_.x_.title_ordinal_rule);
      if (a.unit_prefix) return refused(t_.x_.unit_prefix_rule);
      m.n.end = a.end;
      m.n.value = a.value;
      m.p = m.n.end;
      if (!a.name_rule.empty()) return name_fact(m, a.name_rule);
    }
    for (size_t k = p.anchor + 1; k < p.items.size(); ++k)
      if (!match_after(p.items[k], p.spaces, m) && !p.items[k].optional) return std::nullopt;
    Outcome o = produce(p, m);
    if (o.result.fact && t_.in_.explain) o.result.fact->pattern_rule = p.name;
    return o;
  }

  // What the figure is once its prefixes are known, the same for every pattern that
  // reaches it with the same start: a title (第一书记), its end after giving unit
  // characters back (5千米), a name zone (in quotes, a version).
  struct Anchor {
    size_t b = SIZE_MAX;
    bool ordinal = false, title = false;
    bool unit_prefix = false;  // the numeral is all a unit word's prefix: 千瓦时
    uint32_t end = 0;
    Decimal value;
    std::string_view name_rule;
  };

  // Gives m.n the end and value of the anchor when it reads them (try_pattern sets
  // them from the anchor anyway).
  const Anchor& anchor(Matched& m) const {
    if (anchor_.b == m.b && anchor_.ordinal == m.ordinal) return anchor_;
    anchor_ = Anchor();
    anchor_.b = m.b;
    anchor_.ordinal = m.ordinal;
    // 第一书记: a title, not an ordinal.
    if (auto title = t_.x_.title_ordinals.longest_at(s_, m.b); m.ordinal && title && m.b + title.len > m.n.begin) {
      anchor_.title = true;
      return anchor_;
    }
    anchor_.unit_prefix = !give_back_unit_char(m.n);
    anchor_.end = m.n.end;
    anchor_.value = m.n.value;
    anchor_.name_rule = z_.name_rule(m.n, m.b);
    return anchor_;
  }

  // ------------------------------------------------------------ productions

  Outcome produce(const FP::Pattern& p, Matched& m) const;
  Outcome produce_date(Matched& m) const;
  Outcome produce_quantity(const FP::Pattern& p, Matched& m) const;
  bool produce_head(const FP::Pattern& p, Matched& m, Draft& d, bool& exact, std::string_view& refusal) const;
  bool produce_unit(const FP::Pattern& p, Matched& m, Draft& d, bool& exact, std::string_view& refusal) const;
  void set_range(const Matched& m, Draft& d, bool& exact, bool bare) const;
  void qualify(Matched& m, Draft& d) const;
  Outcome name_fact(const Matched& m, std::string_view rule) const;
  std::optional<Decimal> decimal_after(const Numeral& n, size_t& p) const;
  std::optional<Decimal> scaled(const Decimal& v, const QuantityRules::Unit& u) const {
    std::optional<Decimal> out = v;
    if (u.multiply_by && (!u.multiply_if_below || v < *u.multiply_if_below)) out = out->mul(*u.multiply_by);
    if (out && u.divide_by) out = out->div(*u.divide_by, 12);
    return out;
  }
  // 百分之五 = 5%, 千分之五 = 0.5%: the value in parts per 10^parts_per_power.
  std::optional<Decimal> per_value(const Decimal& v, int per_power) const {
    return v.shift(q_.parts_per_power - per_power);
  }
  std::optional<int> multiplier_power(const Numeral& low, const Numeral& high) const;
  Draft start_draft(const Matched& m) const {
    Draft d;
    d.b = m.b;
    d.nb = m.n.begin;
    if (t_.in_.explain) {
      d.numeral_rules.assign(m.n.rules.begin(), m.n.rules.end());
      if (m.between) d.numeral_rules.push_back(q_.between_rule);
    }
    return d;
  }

  mutable Anchor anchor_;
};

// ------------------------------------------------------------ recognisers

// A range tail: 3至5个, 两到三家, 1万-5万元, 10%-20%, 第十到第十五, 20和30之间.
bool Recogniser::match_range(Matched& m) const {
  if (i_ + 1 >= t_.numerals_.size()) return false;
  const Numeral& high = t_.numerals_[i_ + 1];
  auto conn = t_.word_at(q_.range_connectors, m.p);
  bool between = false;
  if (!conn && !q_.between_connectors.empty()) {
    conn = t_.word_at(q_.between_connectors, m.p);
    between = bool(conn);
  }
  if (!conn) return false;
  size_t hb = t_.skip_spaces(m.p + conn.len);
  if (m.ordinal)
    if (auto di = q_.ordinal_prefixes.longest_at(s_, hb)) hb += di.len;
  // 提升百分之五到十: the high end shares the low end's 百分之 (it gave 5, its range lost).
  bool shares_per = m.per && !high.per_power && high.begin == hb;
  bool starts = m.per ? (high.per_power == m.n.per_power && high.per_begin == hb) || shares_per
                      : high.begin == hb && !high.per_power;
  if (!starts || high.form != Numeral::Form::plain || t_.is_year(high)) return false;
  size_t q = high.end;
  if (auto a = t_.word_at(t_.r_.qualifiers.after_numeral, q); a && t_.unit_at(q + a.len)) q += a.len;
  auto u2 = t_.unit_at(q);
  // 10000与20000间: the closer, not the unit 间.
  if (between && u2 && t_.word_at(q_.between_closers, q).len >= u2.len) u2 = {};
  if ((shares_per && u2) || !range_end_fits(m, high, q, u2, between)) return false;
  size_t end = u2 ? q + u2.len : high.end;
  if (between) end += t_.word_at(q_.between_closers, end).len;
  m.high = &high;
  m.between = between;
  if (u2) {
    m.unit = &q_.units[size_t(u2.value)];
    m.unit_b = q;
    m.unit_e = q + u2.len;
  }
  m.p = end;
  return true;
}

// Whether the high end at q (its unit u2) closes a range with the figure of m.
bool Recogniser::range_end_fits(const Matched& m, const Numeral& high, size_t q, Lexicon::Match u2, bool between) const {
  const Numeral& n = m.n;
  if (u2 && m.unit && q_.units[size_t(u2.value)].kind != m.unit->kind) return false;
  if (u2 && q_.month_words.longest_at(s_, t_.skip_spaces(q))) return false;
  // A range of bare figures: not of years or codes (2021-2022, 0898-1234).
  if (!m.prefix && !m.unit && !u2 && !m.ordinal && !m.per && (t_.is_year(n) || t_.code_like(n) || t_.code_like(high)))
    return false;
  // 9到0 is no range.
  if ((high.high ? *high.high : high.value) < (n.low ? *n.low : n.value)) return false;
  size_t end = u2 ? q + u2.len : high.end;
  return !between || bool(t_.word_at(q_.between_closers, end));
}

// 分别增长3.5、8.2和6.1%: the unit of the list's last figure, given to a bare figure
// followed by a list separator and more bare figures (quantities.json list_unit). The
// match ends at the figure: its fact's text is its own figure.
bool Recogniser::match_list_unit(Matched& m) const {
  if (q_.list_unit_rule.empty() || m.unit || m.prefix || m.ordinal || m.per || m.high || m.p != m.n.end ||
      !list_member(m.n))
    return false;
  if (ordinal_list_led(i_)) return false;  // 第1、2、3名: places (fact.ordinal_list_member)
  // The list's first figure with a unit after this one, all figures between bare list
  // members (read once per paragraph: a list of 30 towns costs no 30 looks ahead per figure).
  size_t k = t_.list_links(i_).unit_at;
  if (k == FactText::kNone || k - i_ >= q_.list_unit_max_figures) return false;
  const Numeral& next = t_.numerals_[k];
  size_t p = next.end;
  auto u = t_.unit_at(p);
  // 1、200万元: a thousands separator typed as 、, not two figures (120、150公里 are two).
  if (k == i_ + 1 && s_[m.n.end] == U'、' && !m.n.point && !next.point && !m.n.chinese &&
      m.n.arabic_digits <= q_.list_unit_thousands_lead_digits && next.arabic_digits == 3)
    return false;
  if (q_.list_unit_not_units.longest_at(s_, p)) return false;  // 12、13、14组: numbered groups
  const QuantityRules::Unit& unit = q_.units[size_t(u.value)];
  // 12、15元/斤: a unit per another is read from the fact's own text (aspect per_capita),
  // which the first figure's would not hold; it stays out.
  bool per_unit = false;
  for (size_t c = p; c < p + u.len; ++c) per_unit = per_unit || q_.per_unit_separators.has(s_[c]);
  // 10000与20000间: a range's closer, not a unit (fact.bare reads the range).
  if (t_.word_at(q_.between_closers, p).len >= u.len) return false;
  if (per_unit || std::find(q_.list_unit_kinds.begin(), q_.list_unit_kinds.end(), unit.kind) == q_.list_unit_kinds.end() ||
      q_.month_words.longest_at(s_, p) || q_.year_words.longest_at(s_, p) || q_.day_words.longest_at(s_, p))
    return false;
  m.unit = &unit;
  m.unit_b = p;
  m.unit_e = p + u.len;
  m.listed = true;
  // 1200、800万元: the last figure's 万 is the list's when this figure holds none.
  const auto* mult = t_.r_.numbers.unit_info(s_[next.end - 1]);
  if (mult && largest_unit_power(m.n.begin, m.n.end) < 0) m.list_power = mult->value;
  return !far_apart(m.n.value, m.list_power ? next.value.shift(-m.list_power) : next.value);
}

// The first and the last numeral of the list numeral i is in (i when it is in none), no
// further than a list may share a unit (FactText::list_links: a run of 1、2、3、… of 100k
// figures stays linear).
size_t Recogniser::list_first(size_t i) const {
  size_t bound = i > q_.list_unit_max_figures ? i - q_.list_unit_max_figures : 0;
  return std::max<size_t>(t_.list_links(i).first, bound);
}

size_t Recogniser::list_last(size_t i) const {
  return std::min<size_t>(t_.list_links(i).last, i + q_.list_unit_max_figures);
}

// 分别补助5000、2万元: a figure and the list's last (its digits before the shared 万) lie
// list_unit max_ratio times apart or more: no share of the unit (5000万 was read).
bool Recogniser::far_apart(const Decimal& a, std::optional<Decimal> b) const {
  if (!b || a.is_zero() || b->is_zero()) return false;
  const Decimal& small = *b < a ? *b : a;
  const Decimal& big = *b < a ? a : *b;
  auto scaled = small.mul(Decimal::of(q_.list_unit_max_ratio));
  return scaled && *scaled <= big;
}

// 50元6角三分, 两美元又三美分: sub-units after the main unit of money.
bool Recogniser::match_money_parts(Matched& m) const {
  if (q_.money_parts.empty() || !m.unit) return false;
  std::u32string main_unit = t_.folded(m.unit_b, m.unit_e);
  size_t p = m.p;
  for (int parts = 0; parts < 3; ++parts) {
    size_t q = p;
    if (auto j = t_.word_at(q_.money_part_joiners, q)) q += j.len;
    const Numeral* n = t_.numeral_at(q);
    if (!n || n->form != Numeral::Form::plain || n->low || n->per_power || !n->qualifier.empty()) break;
    auto part = t_.word_at(q_.money_part_words, n->end);
    if (!part) break;
    if (auto u = t_.unit_at(n->end); u && u.len > part.len) break;  // 5分钟
    const auto& mp = q_.money_parts[size_t(part.value)];
    if (std::find(mp.after.begin(), mp.after.end(), main_unit) == mp.after.end()) break;
    auto add = n->value.mul(mp.value);
    if (!add) break;
    p = n->end + part.len;
    m.parts.push_back({*add, p, mp.name});
  }
  return !m.parts.empty();
}

// 5千米 is five kilometres, not 5000 metres; 五十兆字节 is 50 megabytes; 20万千瓦 is
// 20 (unit 万千瓦), not 200000 千瓦: unit characters at the end of the numeral that
// begin a longer unit word go back to the unit (two of them at most, longest first).
// 百万千瓦 is 百万 and the unit 千瓦 (it read 1001000 瓦). Returns false when the whole
// numeral is such a unit's prefix and no figure is left: 节约用电千瓦时 (it read 1000 瓦).
bool Recogniser::give_back_unit_char(Numeral& n) const {
  if (n.form != Numeral::Form::plain || n.per_power) return true;
  size_t len = n.end - n.begin;
  for (size_t back = len >= 2 ? std::min<size_t>(2, len - 1) : 0; back >= 1; --back) {
    size_t at = n.end - back;
    if (!all_unit_chars(at, n.end)) continue;
    auto u = t_.unit_at(at);
    if (!u || u.len <= back) continue;
    auto shorter = parse_numeral(s_.substr(n.begin, at - n.begin), t_.r_.numbers);
    if (!shorter) shorter = units_alone(n.begin, at);
    if (!shorter) continue;
    n.end = uint32_t(at);
    n.value = *shorter;
    return true;
  }
  auto whole = all_unit_chars(n.begin, n.end) ? t_.unit_at(n.begin) : Lexicon::Match{};
  return !(whole && whole.len > len);
}

// The power of ten of the largest unit character (十百千万亿) in [b, e); -1 when none.
int Recogniser::largest_unit_power(size_t b, size_t e) const {
  int largest = -1;
  for (size_t k = b; k < e; ++k)
    if (const auto* info = t_.r_.numbers.unit_info(s_[k])) largest = std::max(largest, info->value);
  return largest;
}

bool Recogniser::all_unit_chars(size_t b, size_t e) const {
  for (size_t k = b; k < e; ++k)
    if (!t_.r_.numbers.unit_info(s_[k])) return false;
  return b < e;
}

// The value of a numeral of unit characters alone, each larger than the one before:
// 百万 is 10^6 and 万 10^4 (they are numerals only before a unit word, so the grammar
// cannot read them once the unit's first character has gone back); nullopt otherwise.
std::optional<Decimal> Recogniser::units_alone(size_t b, size_t e) const {
  int power = 0, last = -1;
  for (size_t k = b; k < e; ++k) {
    const auto* info = t_.r_.numbers.unit_info(s_[k]);
    if (!info || info->value <= last) return std::nullopt;
    power += info->value;
    last = info->value;
  }
  if (b >= e) return std::nullopt;
  return Decimal::of(1).shift(power);
}

// ------------------------------------------------------------ productions

Outcome Composer::produce(const FP::Pattern& p, Matched& m) const {
  if (p.produce == FP::Production::date) return produce_date(m);
  return produce_quantity(p, m);
}

// Dates and calendar years: 2022年, 2023—2025年, 3月13日, 6月底.
Outcome Composer::produce_date(Matched& m) const {
  Draft d = start_draft(m);
  d.kind = "date";
  d.kind_rule = q_.date_rule;
  d.e = d.ne = m.p;
  return made(std::move(d));
}

Outcome Composer::name_fact(const Matched& m, std::string_view rule) const {
  // Only figures worth showing: Arabic digits, or a numeral with a measure word.
  if (!m.n.arabic && !t_.unit_at(m.n.end)) return refused(rule);
  Draft d = start_draft(m);
  d.kind = "name";
  d.kind_rule = rule;
  d.b = d.nb = m.n.begin;
  d.e = d.ne = m.n.end;
  return made(std::move(d));
}

Outcome Composer::produce_quantity(const FP::Pattern& p, Matched& m) const {
  Draft d = start_draft(m);
  bool exact = true;  // false once arithmetic on the figure overflowed
  std::string_view refusal;
  if (!produce_head(p, m, d, exact, refusal)) return refusal.empty() ? Outcome{true, {}} : refused(refusal);
  const std::string_view unrepresentable = t_.r_.facts.refuse_unrepresentable;
  if (!d.value || !exact) {  // scaled past 10^36 (or below 10^-30): left out, and said
    t_.leave_out(d.b, m.p);
    return refused(unrepresentable);
  }
  bool bare = p.produce == FP::Production::bare;
  set_range(m, d, exact, bare);
  if (!exact) {  // a range without its ends would be one figure where the text gives two
    t_.leave_out(d.b, m.p);
    return refused(unrepresentable);
  }
  qualify(m, d);
  if (m.qualifier.empty() && !p.qualifier.empty()) {  // 前三名: at most third
    m.qualifier = p.qualifier;
    m.qualifier_rule = p.name;
  }
  if (bare && m.qualifier.empty() && !d.range) return refused(t_.r_.facts.refuse_bare);
  d.qualifier = m.qualifier;
  d.qualifier_rule = m.qualifier_rule;
  d.ne = m.high ? m.high->end : m.n.end;
  d.e = std::max(m.p, d.ne);
  return made(std::move(d));
}

// The kind, unit and value the production gives the figure; false when it passes
// (refusal empty) or refuses.
bool Composer::produce_head(const FP::Pattern& p, Matched& m, Draft& d, bool& exact, std::string_view& refusal) const {
  const Numeral& n = m.n;
  if (m.qualifier.empty() && !n.qualifier.empty()) {
    m.qualifier = n.qualifier;
    m.qualifier_rule = t_.r_.facts.inside_qualifier_rule;
  }
  switch (p.produce) {
    case FP::Production::ordinal:
      d.kind = "ordinal";
      d.kind_rule = q_.ordinal_rule;
      if (m.unit && m.unit->kind == "count") {
        d.unit = t_.as_written(m.unit_b, m.unit_e);
        d.unit_rule = m.unit->name;
      }
      d.value = n.value;
      d.classifier = true;
      return true;
    case FP::Production::parts_per:
      d.kind = q_.parts_per->kind;
      d.unit = q_.parts_per->unit;
      d.kind_rule = d.unit_rule = q_.parts_per->name;
      d.value = per_value(n.value, n.per_power);
      if (m.unit && !m.high) m.p = m.unit_b;  // the word after 百分之… is not its unit
      return true;
    case FP::Production::prefix_unit:
      d.kind = m.prefix->kind;
      d.unit = m.prefix->unit;
      d.kind_rule = d.unit_rule = m.prefix->name;
      d.value = scaled(n.value, *m.prefix);
      if (m.unit && m.unit->kind == "money" && m.prefix->kind == "money") {
        d.unit = m.unit->as_written ? t_.as_written(m.unit_b, m.unit_e) : m.unit->unit;
        d.unit_rule = m.unit->name;
      } else if (m.unit) {
        m.p = m.unit_b;  // the word after 人民币… is not its unit
      }
      return true;
    case FP::Production::fraction:
      d.kind = "fraction";
      d.kind_rule = t_.r_.numbers.fraction_rule;  // numbers.json fraction
      d.value = n.value.rounded(6);
      if (d.value->is_zero() && !n.value.is_zero()) exact = false;  // 10000000分之1 is not 0
      if (m.unit) m.p = m.unit_b;
      return true;
    case FP::Production::bare:
      if (n.digit_string || t_.code_like(n)) {
        refusal = t_.r_.facts.refuse_code;
        return false;
      }
      d.kind = "count";
      d.kind_rule = p.name;
      d.value = n.value;
      return true;
    default:
      return produce_unit(p, m, d, exact, refusal);
  }
}

// scale_by_unit and money_sub_units: 39.6万元, 七成六, 50元6角三分.
bool Composer::produce_unit(const FP::Pattern& p, Matched& m, Draft& d, bool& exact, std::string_view& refusal) const {
  const Numeral& n = m.n;
  const QuantityRules::Unit* unit = m.unit;
  if (!unit) return false;  // no unit: the next pattern (a bare figure)
  const ExclusionRules& x = t_.x_;
  if (unit->max_value && *unit->max_value < n.value) {  // 十二成 is not a share
    refusal = unit->max_value_rule;
    return false;
  }
  // 八所镇, 三家村: a place named with a numeral.
  if (n.chinese && n.end - n.begin == 1 && x.place_units.contains(t_.folded(m.unit_b, m.unit_e)) &&
      x.place_suffixes.longest_at(s_, m.unit_e)) {
    refusal = x.place_rule;
    return false;
  }
  bool one = !m.high && x.indefinite_numerals.contains(s_.substr(n.begin, n.end - n.begin));
  // 把党组织的触角延伸到每一栋楼、每一户居民: "every", whatever the measure word.
  if (one && n.begin > 0 && x.every_after.find(s_[n.begin - 1]) != std::u32string::npos) {
    refusal = x.every_rule;
    return false;
  }
  // 一支(队伍), 一批(项目): the article "a", not a count of one; but 建成一百一十千伏变电站一座。
  // (after its noun, ending the clause) counts one.
  bool ends_clause = m.unit_e < s_.size() && x.indefinite_counted_before.find(s_[m.unit_e]) != std::u32string::npos;
  if (one && !ends_clause && x.indefinite_units.contains(t_.folded(m.unit_b, m.unit_e))) {
    refusal = x.indefinite_rule;
    return false;
  }
  d.kind = unit->kind;
  d.unit = unit->as_written ? t_.as_written(m.unit_b, m.unit_e) : unit->unit;
  d.unit_rule = d.kind_rule = unit->name;
  const KindInfo* k = t_.r_.kinds.kind(unit->kind);
  d.classifier = k && k->subject_after;
  Decimal v = n.value;
  if (m.listed) {  // 1200、800万元: 800万's multiplier
    if (auto shifted = v.shift(m.list_power)) v = *shifted;
    else exact = false;
    if (t_.in_.explain) d.numeral_rules.push_back(q_.list_unit_rule);
  }
  if (!m.high && !m.listed && unit->decimal_after) {
    if (auto frac = decimal_after(n, m.p)) {
      auto sum = v.add(*frac);
      if (sum) v = *sum;
      else exact = false;
      if (t_.in_.explain) d.numeral_rules.push_back(unit->decimal_after_rule);
    }
  }
  if (unit->add && !m.high && !m.listed) {  // 1个半小时 = 1.5个小时
    auto sum = v.add(*unit->add);
    if (sum) v = *sum;
    else exact = false;
  }
  if (m.qualifier.empty() && !unit->qualifier.empty()) {  // 两个多月: more than two months
    m.qualifier = unit->qualifier;
    m.qualifier_rule = unit->name;
  }
  if (p.produce == FP::Production::money_sub_units && !m.high) {
    for (const Matched::Part& part : m.parts) {
      auto sum = v.add(part.add);
      if (!sum) break;
      v = *sum;
      m.p = part.end;
      if (t_.in_.explain) d.numeral_rules.push_back(part.rule);
    }
  }
  d.value = scaled(v, *unit);
  if (unit->kind == "duration" && t_.is_year(n)) {
    refusal = t_.r_.facts.refuse_year_duration;
    return false;
  }
  return true;
}

// 七成六 = 7.6成, 两米半 = 2.5米: a digit or 半 right after a unit that allows it.
// Returns the added fraction and moves p past it.
std::optional<Decimal> Composer::decimal_after(const Numeral& n, size_t& p) const {
  if (!n.value.is_integer() || n.low) return std::nullopt;
  size_t q = p;
  if (q < s_.size() && is_space(s_[q])) ++q;
  if (q >= s_.size()) return std::nullopt;
  if (t_.r_.numbers.half_chars.find(s_[q]) != std::u32string::npos) {
    if (t_.word_at(q_.not_units, q)) return std::nullopt;
    p = q + 1;
    return Decimal::parse("0.5");
  }
  // A digit only after a Chinese numeral, as the colloquial form goes (3米半 is 3.5 米):
  // 新建道路12公里三是… was 12.3 公里, and 2.3万平方米 over 三是… 23000.3 平方米.
  if (n.arabic || n.point) return std::nullopt;
  const Numeral* m = t_.numeral_at(q);
  if (!m || m->begin != q || m->end - m->begin != 1 || m->arabic || m->form != Numeral::Form::plain) return std::nullopt;
  auto v = m->value.to_int64();
  if (!v || *v < 1 || *v > 9) return std::nullopt;
  size_t e = m->end;
  if (e < s_.size() && is_han(s_[e]) && (t_.unit_at(e) || !t_.r_.numbers.single_followers.longest_at(s_, e)))
    return std::nullopt;  // 三成五个村: the 五 counts the 村
  if (t_.word_at(q_.decimal_after_not_before, e)) return std::nullopt;  // 十二公里三是…
  p = e;
  return Decimal::of(*v).shift(-1);
}

// Ranges: stated (3至5个) or inside the numeral (两三个, 十几个). A unit that scales only
// small figures (七折 = 70%, 75折 = 75%) scales both ends alike where one end alone would
// put them out of order: 一两十折 is [10%, 20%], not [100%, 20%].
void Composer::set_range(const Matched& m, Draft& d, bool& exact, bool bare) const {
  const Numeral& n = m.n;
  const QuantityRules::Unit* scale = m.prefix ? m.prefix : m.unit;
  bool plain = d.kind == "fraction" || m.ordinal || !scale || bare;
  auto scale_it = [&](const Decimal& v) -> std::optional<Decimal> {
    if (m.per) return per_value(v, n.per_power);
    if (plain) return v;
    return scaled(v, *scale);
  };
  auto set = [&](const Decimal& low, const Decimal& high_end) {
    auto lo = scale_it(low), hi = scale_it(high_end);
    if (lo && hi && *hi < *lo && scale && scale->multiply_if_below && !(high_end < *scale->multiply_if_below)) lo = low;
    if (!lo || !hi) {
      exact = false;
      return;
    }
    if (*hi < *lo) std::swap(*lo, *hi);
    d.range = std::make_pair(*lo, *hi);
    d.value = *lo;
  };
  if (m.high) {
    Decimal low = n.low ? *n.low : n.value;
    if (auto power = multiplier_power(n, *m.high)) {
      low = low.shift(*power).value_or(low);
      if (t_.in_.explain && !q_.shared_multiplier_rule.empty()) d.numeral_rules.push_back(q_.shared_multiplier_rule);
    }
    set(low, m.high->high ? *m.high->high : m.high->value);
    if (t_.in_.explain) d.numeral_rules.push_back(q_.range_rule);
  } else if (n.low && n.high) {
    set(*n.low, *n.high);
  }
}

// The multiplier written once for both ends of a range: 3至5万元 is [30000, 50000],
// 10-500万元 [100000, 5000000], 1.5—2万亩 [15000, 20000]. The high end ends with
// 万/亿/千 and the low end holds no unit character as large (1万-5万元 is read
// already; 5000-2万元 stays as written: scaled, its low end would pass its high end).
std::optional<int> Composer::multiplier_power(const Numeral& low, const Numeral& high) const {
  if (high.end <= high.begin || low.form != Numeral::Form::plain || high.form != Numeral::Form::plain) return std::nullopt;
  const auto* last = t_.r_.numbers.unit_info(s_[high.end - 1]);
  if (!last) return std::nullopt;
  // 十至十五万元: a 十 inside the low end is a digit's place, not its own multiplier (it
  // gave [10, 150000]); only one as large as the high end's (1万-5万元) is.
  if (largest_unit_power(low.begin, low.end) >= last->value) return std::nullopt;
  Decimal base = low.low ? *low.low : low.value;
  auto scaled = base.shift(last->value);
  Decimal top = high.high ? *high.high : high.value;
  if (!scaled || top < *scaled) return std::nullopt;
  return last->value;
}

// Qualifiers around the figure, after the unit and before the figure, as FactText reads them.
void Composer::qualify(Matched& m, Draft& d) const {
  auto q = t_.qualifiers_around(d.b, m.p, m.qualifier, m.qualifier_rule);
  d.b = q.b;
  m.p = q.e;
  m.qualifier = q.qualifier;
  m.qualifier_rule = q.rule;
}

}  // namespace

// The characters stand where the composer looks the items up: right before the figure
// (longest_ending_at), before its spaces (FactText::word_ending_at), right after it
// (longest_at) or after its spaces (FactText::word_at).
uint64_t patterns_let_through(const FactPatternRules::PatternGates& gates, std::u32string_view s, size_t b, size_t e) {
  using Gates = FactPatternRules::PatternGates;
  uint64_t out = gates.ungated;
  if (b > 0) out |= gates.let_through(Gates::before, s[b - 1]);
  size_t q = b;
  while (q > 0 && is_space(s[q - 1]) && b - q < FactText::kMaxGap) --q;
  if (q > 0 && !is_space(s[q - 1])) out |= gates.let_through(Gates::before_spaced, s[q - 1]);
  if (e < s.size()) out |= gates.let_through(Gates::after, s[e]);
  q = e;
  while (q < s.size() && is_space(s[q]) && q - e < FactText::kMaxGap) ++q;
  if (q < s.size() && !is_space(s[q])) out |= gates.let_through(Gates::after_spaced, s[q]);
  return out;
}

Composed compose_fact(const FactText& t, const ExclusionZones& zones, size_t i, size_t consumed_until) {
  return Composer(t, zones, i, consumed_until).run();
}

}  // namespace digestx::facts
