#include "digestx/facts.hpp"

#include <algorithm>

#include "digestx/aspects.hpp"
#include "digestx/subjects.hpp"
#include "digestx/utf.hpp"

namespace digestx {

namespace {

struct Zone {
  size_t open, close;  // positions of the quote marks
};

// What one numeral became, in joined coordinates.
struct Draft {
  size_t b = 0, e = 0;  // the fact's text
  size_t nb = 0, ne = 0;  // the numeral(s) inside it
  std::string_view kind;  // owned by the rules or a literal
  std::optional<Decimal> value;
  std::string unit;
  std::string_view qualifier;
  std::optional<std::pair<Decimal, Decimal>> range;
  Subject subject;  // with a head shared with a later noun of a list (一产、…三产增加值: 增加值)
  std::vector<std::string_view> numeral_rules;  // names owned by the rules (or literals)
  std::string_view unit_rule, qualifier_rule, kind_rule;  // names owned by the rules (or literals)
  std::string_view aspect, aspect_rule;  // owned by the rules
  bool classifier = false;  // a measure word: the subject is looked for after it first
};

class FactFinder {
 public:
  FactFinder(const FactInput& in, const Rules& rules)
      : in_(in),
        j_(*in.joined),
        s_(j_.chars()),
        r_(rules),
        q_(rules.quantities),
        x_(rules.exclusions),
        numerals_(in.numerals ? *in.numerals : own_numerals_) {
    find_quote_zones();
    find_url_zones();
    if (!in.numerals) {
      // The source characters, aligned with the view: full-width digits tell ４，５６５ apart.
      std::vector<Span> too_large;
      if (j_.contiguous() && s_.size() > 0) {
        own_numerals_ = find_numerals(s_, rules.numbers, in_.text.substr(j_.source(0), s_.size()), &too_large);
      } else {
        std::u32string source(s_.size(), U'\0');
        for (size_t i = 0; i < s_.size(); ++i) source[i] = in_.text[j_.source(i)];
        own_numerals_ = find_numerals(s_, rules.numbers, source, &too_large);
      }
      for (Span t : too_large) unrepresentable(t.start, t.end);
    }
    for (const auto& n : numerals_) numeral_starts_.push_back(n.begin);
    subjects_.emplace(subject_input(), rules.subjects);
    find_institution_names();
  }

  std::vector<Fact> run() {
    std::vector<Fact> out;
    for (size_t i = 0; i < numerals_.size(); ++i) {
      if (numerals_[i].begin < consumed_until_) continue;
      std::optional<Draft> d = fact_at(i);
      if (!d) continue;
      consumed_until_ = d->e;
      if (r_.kinds.is_quantity(d->kind)) find_subject(*d);
      subjects_->note(d->b, d->e, d->kind == "name", d->subject);
      drafts_.push_back(std::move(*d));
    }
    add_fixed_words();
    combine_bounds();
    split_respectively();
    find_aspects();
    for (const Draft& d : drafts_) out.push_back(finish(d));
    return out;
  }

 private:
  // ---------------------------------------------------------- exclusions

  void find_quote_zones() {
    std::vector<std::pair<size_t, size_t>> stack;  // (quote rule index, position)
    for (size_t i = 0; i < s_.size(); ++i) {
      char32_t c = s_[i];
      if (c < x_.quote_chars.size() && !x_.quote_chars[c]) continue;
      for (size_t k = 0; k < x_.quotes.size(); ++k) {
        const auto& q = x_.quotes[k];
        if (c != q.open && c != q.close) continue;
        bool closes = false;
        if (c == q.close) {
          for (size_t m = stack.size(); m-- > 0;) {
            if (stack[m].first != k) continue;
            if (i - stack[m].second <= x_.max_quote_chars) zones_.push_back({stack[m].second, i});
            stack.resize(m);
            closes = true;
            break;
          }
        }
        if (!closes && c == q.open) stack.emplace_back(k, i);
        break;
      }
      if (stack.size() > 64) stack.erase(stack.begin());  // unbalanced marks cannot pile up
    }
    std::sort(zones_.begin(), zones_.end(), [](const Zone& a, const Zone& b) { return a.open < b.open; });
    // The furthest close of the zones up to each one: a lookup is then a binary
    // search, not a walk over every zone before it (quadratic on a long paragraph).
    size_t reach = 0;
    for (const Zone& z : zones_) zone_reach_.push_back(reach = std::max(reach, z.close));
  }

  // Inside a quote zone that opens before b and closes at or after e.
  bool quoted(size_t b, size_t e) const {
    auto it = std::lower_bound(zones_.begin(), zones_.end(), b, [](const Zone& z, size_t p) { return z.open < p; });
    size_t before = size_t(it - zones_.begin());
    return before > 0 && e <= zone_reach_[before - 1];
  }

  bool in_set_phrase(size_t b, size_t e) const {
    size_t max = x_.set_phrases.max_len();
    for (size_t k = 0; k <= max && k <= b; ++k) {
      size_t start = b - k;
      auto m = x_.set_phrases.longest_at(s_, start);
      if (!m || start + m.len <= b) continue;
      auto ex = x_.set_phrase_exceptions.longest_at(s_, start);
      if (ex && ex.len >= m.len) continue;
      if (q_.ordinal_prefixes.longest_ending_at(s_, start)) continue;  // 第一批 is an ordinal
      return true;
    }
    // Period markers hold numerals too (一年来, 过去一年): they are not quantities.
    const Lexicon& markers = r_.periods.marker_words;
    for (size_t k = 0; k <= markers.max_len() && k <= b; ++k) {
      auto m = markers.longest_at(s_, b - k);
      if (m && b - k + m.len > b) return true;
    }
    // A name that starts right after the numeral: 十五分钟生活圈.
    if (auto m = x_.set_phrases.longest_at(s_, e); m && !r_.numbers.info(s_[e]) && !is_ascii_digit(s_[e])) return true;
    return false;
  }

  bool is_version(const Numeral& n) const {
    size_t b = n.begin, e = n.end;
    if (b > 0 && x_.version_before_chars.find(s_[b - 1]) != std::u32string::npos) return true;
    // 5G is a name, 168cm a length.
    if (x_.version_latin_glued && e < s_.size() && is_ascii_alpha(s_[e]) && n.arabic && !unit_at(e)) return true;
    if (x_.version_after_words.longest_at(s_, e)) return true;
    // A part of a dotted chain: 3.0.1, 2022.3.15.
    if (e + 1 < s_.size() && s_[e] == '.' && is_ascii_digit(s_[e + 1])) return true;
    if (b >= 2 && s_[b - 1] == '.' && is_ascii_digit(s_[b - 2])) return true;
    return false;
  }

  // Session and edition numbers inside the names of meetings and events
  // (exclusions.json institution_names): 第十二届全省少数民族传统体育运动会,
  // 十四届人大一次会议. A bare 一次 counts only right after such a name.
  void find_institution_names() {
    for (const auto& rule : x_.institution_names) {
      for (const Numeral& n : numerals_) {
        auto unit = rule.units.longest_at(s_, n.end);
        if (!unit) continue;
        auto di = q_.ordinal_prefixes.longest_ending_at(s_, n.begin);
        bool bare_ok = bool(rule.bare_units.longest_at(s_, n.end));
        bool after_name = !institutions_.empty() && institutions_.back().close == n.begin;
        if (!di && !bare_ok && !after_name) continue;
        if (size_t end = institution_word_end(rule, n.end + unit.len))
          institutions_.push_back({di ? n.begin - di.len : n.begin, end});
      }
    }
    std::sort(institutions_.begin(), institutions_.end(), [](const Zone& a, const Zone& b) { return a.open < b.open; });
  }

  // Where the name that starts at p ends with one of the rule's words, or 0.
  size_t institution_word_end(const ExclusionRules::InstitutionName& rule, size_t p) const {
    for (size_t k = p; k < s_.size() && k <= p + rule.max_chars; ++k) {
      if (auto w = rule.words.longest_at(s_, k)) return k + w.len;
      if (!is_han(s_[k]) || subject_boundary(r_.subjects, s_[k])) break;
    }
    return 0;
  }

  bool in_institution_name(size_t pos) const {
    auto it = std::upper_bound(institutions_.begin(), institutions_.end(), pos,
                               [](size_t p, const Zone& z) { return p < z.open; });
    return it != institutions_.begin() && pos < (it - 1)->close;
  }

  // Web addresses: from http:// or www. to the next space or non-ASCII character.
  void find_url_zones() {
    if (x_.url_starts.empty()) return;
    for (size_t i = 0; i < s_.size();) {
      auto m = x_.url_starts.longest_at(s_, i);
      if (!m) {
        ++i;
        continue;
      }
      size_t e = i + m.len;
      while (e < s_.size() && s_[e] > ' ' && s_[e] < 0x7F) ++e;
      urls_.push_back({i, e});
      i = e;
    }
  }

  bool in_url(size_t pos) const {
    auto it = std::upper_bound(urls_.begin(), urls_.end(), pos, [](size_t p, const Zone& z) { return p < z.open; });
    return it != urls_.begin() && pos < (it - 1)->close;
  }

  // ---------------------------------------------------------- dates

  bool is_year(const Numeral& n) const {
    if (n.chinese && !n.digit_string) return false;
    if (n.arabic && (n.separators || n.point || n.arabic_digits != 4)) return false;
    if (n.digit_string && n.end - n.begin != 4) return false;
    auto v = n.value.to_int64();
    return v && *v >= q_.year_min && *v <= q_.year_max;
  }

  // Dates and calendar years: 2022年, 2023—2025年, 3月13日, 6月底.
  std::optional<Draft> date_at(size_t i) const {
    const Numeral& n = numerals_[i];
    size_t e = n.end;
    auto v = n.value.to_int64();
    if (!v) return std::nullopt;
    Draft d;
    d.b = d.nb = n.begin;
    d.kind = "date";
    d.kind_rule = q_.date_rule;
    if (in_.explain) d.numeral_rules.assign(n.rules.begin(), n.rules.end());
    auto year_word = q_.year_words.longest_at(s_, e);
    // The numeral joined to this one by a range connector (2023—2025, 1至9), if any.
    const Numeral* to = nullptr;
    if (!year_word && i + 1 < numerals_.size()) {
      auto conn = q_.range_connectors.longest_at(s_, e);
      if (conn && numerals_[i + 1].begin == e + conn.len) to = &numerals_[i + 1];
    }
    // A span of years: 2023—2025年.
    if (to && is_year(n) && is_year(*to)) {
      if (auto yw = q_.year_words.longest_at(s_, to->end)) {
        d.e = d.ne = to->end + yw.len;
        return d;
      }
    }
    // A span of months: 1至9月, 3—5月份 (not 3至5个月, where the measure word comes first).
    if (to && *v >= 1 && *v <= 12 && !n.point && !to->point) {
      auto last = to->value.to_int64();
      auto mw = q_.month_words.longest_at(s_, to->end);
      if (last && *last > *v && *last <= 12 && mw) {
        d.e = to->end + mw.len;
        if (auto after = q_.after_month.longest_at(s_, d.e)) d.e += after.len;
        d.ne = d.e;
        return d;
      }
    }
    if (year_word && is_year(n)) {
      d.e = d.ne = e + year_word.len;
      e = d.e;
      // 2022年3月 and so on are taken by the next numeral on its own.
      return d;
    }
    if (auto mw = q_.month_words.longest_at(s_, e); mw && *v >= 1 && *v <= 12 && !n.point) {
      // Not "3个月": the measure word would come first.
      d.e = e + mw.len;
      if (i + 1 < numerals_.size() && numerals_[i + 1].begin == d.e) {
        const Numeral& day = numerals_[i + 1];
        if (auto dw = q_.day_words.longest_at(s_, day.end)) d.e = day.end + dw.len;
      }
      if (auto after = q_.after_month.longest_at(s_, d.e)) d.e += after.len;
      d.ne = d.e;
      return d;
    }
    if (auto dw = q_.day_words.longest_at(s_, e); dw && *v >= 1 && *v <= 31 && !n.point && unit_at(e).len <= dw.len) {
      d.e = d.ne = e + dw.len;
      return d;
    }
    return std::nullopt;
  }

  // ---------------------------------------------------------- words around a figure

  // Spaces allowed between a figure and a word next to it, and inside that word.
  static constexpr size_t kMaxGap = 4;

  size_t skip_spaces(size_t p) const {
    size_t q = p;
    while (q < s_.size() && is_space(s_[q]) && q - p < kMaxGap) ++q;
    return q;
  }

  // The longest word of `lex` at p, spaces before and inside it skipped; the length
  // counts them.
  Lexicon::Match word_at(const Lexicon& lex, size_t p) const {
    size_t q = skip_spaces(p);
    if (q >= s_.size() || is_space(s_[q])) return {};
    auto m = lex.longest_at_spaced(s_, q, kMaxGap);
    if (!m) return {};
    return {uint32_t(q + m.len - p), m.value};
  }

  // The longest word of `lex` ending at e, likewise.
  Lexicon::Match word_ending_at(const Lexicon& lex, size_t e) const {
    size_t q = e;
    while (q > 0 && is_space(s_[q - 1]) && e - q < kMaxGap) --q;
    if (q == 0 || is_space(s_[q - 1])) return {};
    auto m = lex.longest_ending_at_spaced(s_, q, kMaxGap);
    if (!m) return {};
    return {uint32_t(e - (q - m.len)), m.value};
  }

  // The numeral starting at p (spaces skipped), or nullptr.
  const Numeral* numeral_at(size_t p) const {
    p = skip_spaces(p);
    auto it = std::lower_bound(numeral_starts_.begin(), numeral_starts_.end(), uint32_t(p));
    if (it == numeral_starts_.end() || *it != p) return nullptr;
    return &numerals_[size_t(it - numeral_starts_.begin())];
  }

  // ---------------------------------------------------------- units

  // The unit at p, unless a longer word that is not a unit starts there (支部, 个人),
  // or a Latin unit runs on into another word (5cmx).
  Lexicon::Match unit_at(size_t p) const {
    auto u = word_at(q_.unit_words, p);
    if (!u) return u;
    auto blocked = word_at(q_.not_units, p);
    if (blocked && blocked.len >= u.len) return {};
    size_t end = p + u.len;
    if (is_ascii_alpha(s_[end - 1]) && end < s_.size() && is_ascii_alpha(s_[end])) return {};
    return u;
  }

  std::string as_written(size_t b, size_t e) const {
    std::string out;
    for (size_t i = b; i < e; ++i)
      if (!is_space(s_[i])) append_utf8(out, in_.text[j_.source(i)]);
    return out;
  }

  std::u32string folded(size_t b, size_t e) const {
    std::u32string out;
    for (size_t i = b; i < e; ++i)
      if (!is_space(s_[i])) out += s_[i];
    return out;
  }

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

  void apply_unit(Draft& d, const QuantityRules::Unit& u, size_t ub, size_t ue) const {
    d.kind = u.kind;
    d.unit = u.as_written ? as_written(ub, ue) : u.unit;
    d.unit_rule = u.name;
    d.kind_rule = u.name;
    d.classifier = subject_after(u.kind);
  }

  // 5千米 is five kilometres, not 5000 metres; 五十兆字节 is 50 megabytes; 20万千瓦 is
  // 20 (unit 万千瓦), not 200000 千瓦: unit characters at the end of the numeral that
  // begin a longer unit word go back to the unit (two of them at most, longest first).
  void give_back_unit_char(Numeral& n, size_t& p) const {
    if (n.end - n.begin < 2 || n.form != Numeral::Form::plain || n.per_power) return;
    for (size_t back = std::min<size_t>(2, n.end - n.begin - 1); back >= 1; --back) {
      size_t at = n.end - back;
      bool units = true;
      for (size_t k = at; k < n.end; ++k) {
        const auto* info = r_.numbers.info(s_[k]);
        units = units && info &&
                (info->type == NumberRules::CharType::small_unit || info->type == NumberRules::CharType::big_unit);
      }
      auto u = units ? unit_at(at) : Lexicon::Match{};
      if (!u || u.len <= back) continue;
      auto shorter = parse_numeral(std::u32string_view(s_).substr(n.begin, at - n.begin), r_.numbers);
      if (!shorter) continue;
      n.end = uint32_t(at);
      n.value = *shorter;
      p = n.end;
      return;
    }
  }

  // 七成六 = 7.6成, 两米半 = 2.5米: a digit or 半 right after a unit that allows it.
  // Returns the added fraction and moves p past it.
  std::optional<Decimal> decimal_after(const Numeral& n, size_t& p) const {
    if (!n.value.is_integer() || n.low) return std::nullopt;
    size_t q = p;
    if (q < s_.size() && is_space(s_[q])) ++q;
    if (q >= s_.size()) return std::nullopt;
    if (r_.numbers.half_chars.find(s_[q]) != std::u32string::npos) {
      auto blocked = word_at(q_.not_units, q);
      if (blocked) return std::nullopt;
      p = q + 1;
      return Decimal::parse("0.5");
    }
    const Numeral* m = numeral_at(q);
    if (!m || m->begin != q || m->end - m->begin != 1 || m->arabic || m->form != Numeral::Form::plain) return std::nullopt;
    auto v = m->value.to_int64();
    if (!v || *v < 1 || *v > 9) return std::nullopt;
    size_t e = m->end;
    if (e < s_.size() && is_han(s_[e]) && (unit_at(e) || !r_.numbers.single_followers.longest_at(s_, e)))
      return std::nullopt;  // 三成五个村: the 五 counts the 村
    p = e;
    return Decimal::of(*v).shift(-1);
  }

  // 50元6角三分, 两美元又三美分: sub-units after the main unit of money.
  std::optional<Decimal> money_parts_after(const Decimal& main, size_t unit_b, size_t unit_e, size_t& p,
                                          std::vector<std::string_view>& rules) const {
    if (q_.money_parts.empty()) return std::nullopt;
    std::u32string main_unit = folded(unit_b, unit_e);
    Decimal total = main;
    bool any = false;
    for (int parts = 0; parts < 3; ++parts) {
      size_t q = p;
      if (auto j = word_at(q_.money_part_joiners, q)) q += j.len;
      const Numeral* m = numeral_at(q);
      if (!m || m->form != Numeral::Form::plain || m->low || m->per_power || !m->qualifier.empty()) break;
      auto part = word_at(q_.money_part_words, m->end);
      if (!part) break;
      if (auto u = unit_at(m->end); u && u.len > part.len) break;  // 5分钟
      const auto& mp = q_.money_parts[size_t(part.value)];
      if (std::find(mp.after.begin(), mp.after.end(), main_unit) == mp.after.end()) break;
      auto add = m->value.mul(mp.value);
      auto sum = add ? total.add(*add) : std::nullopt;
      if (!sum) break;
      total = *sum;
      p = m->end + part.len;
      if (in_.explain) rules.push_back(mp.name);
      any = true;
    }
    if (!any) return std::nullopt;
    return total;
  }

  // ---------------------------------------------------------- one fact

  std::optional<Draft> fact_at(size_t i) {
    Numeral n = numerals_[i];
    if (n.end <= n.begin || in_url(n.begin) || in_institution_name(n.begin)) return std::nullopt;
    if (in_set_phrase(n.begin, n.end)) return std::nullopt;
    if (auto dt = date_at(i)) return dt;
    Draft d;
    d.nb = n.begin;
    d.b = n.begin;
    if (in_.explain) d.numeral_rules.assign(n.rules.begin(), n.rules.end());
    size_t p = n.end;
    bool exact = true;  // false once arithmetic on the figure overflowed

    // Before the numeral: 百分之 (a parts-per numeral), 第 (ordinal), 人民币 (prefix units).
    const QuantityRules::Unit* prefix = nullptr;
    bool ordinal = false;
    bool per = n.per_power > 0 && q_.parts_per;
    if (per) {
      d.b = n.per_begin;
    } else if (auto di = q_.ordinal_prefixes.longest_ending_at(s_, n.begin)) {
      size_t at = n.begin - di.len;
      if (auto title = x_.title_ordinals.longest_at(s_, at); title && at + title.len > n.begin) return std::nullopt;
      ordinal = true;
      d.b = at;
      d.kind = "ordinal";
      d.kind_rule = q_.ordinal_rule;
    } else if (auto pre = word_ending_at(q_.prefix_words, n.begin); pre && n.begin - pre.len >= consumed_until_) {
      // 4人民币5美元: a word the figure before took as its unit is no prefix.
      prefix = &q_.prefixes[size_t(pre.value)];
      d.b = n.begin - pre.len;
    }

    give_back_unit_char(n, p);

    if (quoted(d.b, n.end)) return name_fact(n, d);
    if (is_version(n)) return name_fact(n, d);

    // Right after the numeral: 余/多 (3500余名), then the unit, then 以上/左右.
    size_t unit_b = 0, unit_e = 0;
    const QuantityRules::Unit* unit = nullptr;
    std::string_view qualifier = n.qualifier;
    std::string_view qualifier_rule = qualifier.empty() ? "" : "numeral.approx";
    if (auto a = word_at(r_.qualifiers.after_numeral, p)) {
      if (unit_at(p + a.len)) {
        qualifier = r_.qualifiers.entries[size_t(a.value)].qualifier;
        qualifier_rule = r_.qualifiers.entries[size_t(a.value)].name;
        p += a.len;
      }
    }
    if (auto u = unit_at(p)) {
      unit = &q_.units[size_t(u.value)];
      unit_b = p;
      unit_e = p + u.len;
      p = unit_e;
    }

    // A range: 3至5个, 两到三家, 1万-5万元, 10%-20%, 第十到第十五, 20和30之间.
    std::optional<Numeral> high;
    if (i + 1 < numerals_.size()) {
      const Numeral& m = numerals_[i + 1];
      auto conn = word_at(q_.range_connectors, p);
      bool between = false;
      if (!conn && !q_.between_connectors.empty()) {
        conn = word_at(q_.between_connectors, p);
        between = bool(conn);
      }
      if (conn) {
        size_t mb = skip_spaces(p + conn.len);
        if (ordinal)
          if (auto di = q_.ordinal_prefixes.longest_at(s_, mb)) mb += di.len;
        bool starts = per ? m.per_power == n.per_power && m.per_begin == mb : m.begin == mb && !m.per_power;
        if (starts && m.form == Numeral::Form::plain && !is_year(m)) {
          size_t q = m.end;
          if (auto a = word_at(r_.qualifiers.after_numeral, q); a && unit_at(q + a.len)) q += a.len;
          auto u2 = unit_at(q);
          // 10000与20000间: the closer, not the unit 间.
          if (between && u2 && word_at(q_.between_closers, q).len >= u2.len) u2 = {};
          bool fits = !u2 || !unit || q_.units[size_t(u2.value)].kind == unit->kind;
          if (u2 && q_.month_words.longest_at(s_, skip_spaces(q))) fits = false;
          // A range of bare figures: not of years or codes (2021-2022, 0898-1234).
          if (!prefix && !unit && !u2 && !ordinal && !per && (is_year(n) || code_like(n) || code_like(m)))
            fits = false;
          // 9到0 is no range.
          if ((m.high ? *m.high : m.value) < (n.low ? *n.low : n.value)) fits = false;
          size_t end = u2 ? q + u2.len : m.end;
          if (between) {
            auto closer = word_at(q_.between_closers, end);
            if (closer) end += closer.len;
            else fits = false;
          }
          if (fits) {
            high = m;
            if (u2) {
              unit = &q_.units[size_t(u2.value)];
              unit_b = q;
              unit_e = q + u2.len;
            }
            p = end;
            ++consumed_numerals_;
            if (between && in_.explain) d.numeral_rules.push_back(q_.between_rule);
          }
        }
      }
    }

    bool bare = false;
    if (ordinal) {
      if (unit && (unit->kind == "count")) {
        d.unit = as_written(unit_b, unit_e);
        d.unit_rule = unit->name;
      }
      d.value = n.value;
      d.classifier = true;
    } else if (per) {
      d.kind = q_.parts_per->kind;
      d.unit = q_.parts_per->unit;
      d.kind_rule = q_.parts_per->name;
      d.unit_rule = q_.parts_per->name;
      d.value = per_value(n.value, n.per_power);
      if (unit) p = high ? p : unit_b;  // the word after 百分之… is not its unit
    } else if (prefix) {
      d.kind = prefix->kind;
      d.unit = prefix->unit;
      d.kind_rule = prefix->name;
      d.unit_rule = prefix->name;
      d.value = scaled(n.value, *prefix);
      if (unit && unit->kind == "money" && prefix->kind == "money") {
        d.unit = unit->as_written ? as_written(unit_b, unit_e) : unit->unit;
        d.unit_rule = unit->name;
      } else if (unit) {
        p = unit_b;  // the word after 人民币… is not its unit
      }
    } else if (n.form == Numeral::Form::fraction) {
      d.kind = "fraction";
      d.kind_rule = "numeral.fraction";
      d.value = n.value.rounded(6);
      if (d.value->is_zero() && !n.value.is_zero()) exact = false;  // 10000000分之1 is not 0
      if (unit) p = unit_b;
    } else if (unit) {
      if (unit->max_value && *unit->max_value < n.value) return std::nullopt;  // 十二成 is not a share
      // 八所镇, 三家村: a place named with a numeral.
      if (n.chinese && n.end - n.begin == 1 &&
          x_.place_units.contains(folded(unit_b, unit_e)) &&
          x_.place_suffixes.longest_at(s_, unit_e))
        return std::nullopt;
      // 一支(队伍), 一批(项目): the article "a", not a count of one.
      if (!high && x_.indefinite_numerals.contains(std::u32string_view(s_).substr(n.begin, n.end - n.begin)) &&
          x_.indefinite_units.contains(folded(unit_b, unit_e)))
        return std::nullopt;
      apply_unit(d, *unit, unit_b, unit_e);
      Decimal v = n.value;
      if (!high && unit->decimal_after) {
        if (auto frac = decimal_after(n, p)) {
          auto sum = v.add(*frac);
          if (sum) v = *sum;
          else exact = false;
          if (in_.explain) d.numeral_rules.push_back(unit->decimal_after_rule);
        }
      }
      if (!high && unit->kind == "money") {
        if (auto total = money_parts_after(v, unit_b, unit_e, p, d.numeral_rules)) v = *total;
      }
      d.value = scaled(v, *unit);
      if (unit->kind == "duration" && is_year(n)) return std::nullopt;
    } else {
      // A bare figure is a fact only with a qualifier or a range (超过80, 大于10小于20).
      if (n.digit_string || code_like(n)) return std::nullopt;
      bare = true;
      d.kind = "count";
      d.kind_rule = "fact.bare";
      d.value = n.value;
    }
    if (!d.value || !exact) {  // scaled past 10^36 (or below 10^-30): left out, and said
      unrepresentable(d.b, p);
      return std::nullopt;
    }

    // Ranges: stated (3至5个) or inside the numeral (两三个, 十几个).
    const QuantityRules::Unit* scale = prefix ? prefix : unit;
    auto scale_it = [&](const Decimal& v) -> std::optional<Decimal> {
      if (per) return per_value(v, n.per_power);
      if (d.kind == "fraction" || ordinal || !scale || bare) return v;
      return scaled(v, *scale);
    };
    // A unit that scales only small figures (七折 = 70%, 75折 = 75%) scales both ends of a
    // range alike where one end alone would put them out of order: 一两十折 is [10%, 20%],
    // not [100%, 20%].
    auto set_range = [&](const Decimal& low, const Decimal& high_end) {
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
    if (high) {
      Decimal low = n.low ? *n.low : n.value;
      if (auto power = multiplier_power(n, *high)) {
        low = low.shift(*power).value_or(low);
        if (in_.explain) d.numeral_rules.push_back("range.shared_multiplier");
      }
      set_range(low, high->high ? *high->high : high->value);
      if (in_.explain) d.numeral_rules.push_back(q_.range_rule);
    } else if (n.low && n.high) {
      set_range(*n.low, *n.high);
    }
    if (!exact) {  // a range without its ends would be one figure where the text gives two
      unrepresentable(d.b, p);
      return std::nullopt;
    }

    // Qualifiers around the figure (比三十大), after the unit (以上, 左右) and before
    // the figure (近, 约, 不少于; 至少有, 超过了).
    bool around = false;
    for (const auto& a : r_.qualifiers.around) {
      auto bw = word_ending_at(a.before, d.b);
      auto aw = bw ? word_at(a.after, p) : Lexicon::Match{};
      if (!aw) continue;
      qualifier = a.qualifier;
      qualifier_rule = a.name;
      d.b -= bw.len;
      p += aw.len;
      around = true;
      break;
    }
    if (!around) {
      if (auto a = word_at(r_.qualifiers.after_unit, p)) {
        qualifier = r_.qualifiers.entries[size_t(a.value)].qualifier;
        qualifier_rule = r_.qualifiers.entries[size_t(a.value)].name;
        p += a.len;
      }
      size_t glue = 0;
      auto bq = word_ending_at(r_.qualifiers.before, d.b);
      if (!bq) {
        if (auto g = word_ending_at(r_.qualifiers.glue, d.b); g && g.len < d.b) {
          bq = word_ending_at(r_.qualifiers.before, d.b - g.len);
          if (bq) glue = g.len;
        }
      }
      if (bq) {
        size_t end = d.b - glue;
        auto cancel = word_ending_at(r_.qualifiers.not_before, end);
        // 大概有五百多个: a vague "about" does not replace the figure's own 多.
        bool vague = r_.qualifiers.entries[size_t(bq.value)].qualifier == "about" && !qualifier.empty();
        if (!(cancel && cancel.len > bq.len) && !vague) {
          qualifier = r_.qualifiers.entries[size_t(bq.value)].qualifier;
          qualifier_rule = r_.qualifiers.entries[size_t(bq.value)].name;
          d.b = end - bq.len;
        }
      }
    }
    if (bare && qualifier.empty() && !d.range) return std::nullopt;
    d.qualifier = qualifier;
    d.qualifier_rule = qualifier_rule;
    d.ne = high ? high->end : n.end;
    d.e = std::max(p, d.ne);
    return d;
  }

  // The multiplier written once for both ends of a range: 3至5万元 is [30000, 50000],
  // 10-500万元 [100000, 5000000], 1.5—2万亩 [15000, 20000]. The high end ends with
  // 万/亿/千 and the low end holds no unit character of its own (1万-5万元 is read
  // already; 5000-2万元 stays as written: scaled, its low end would pass its high end).
  std::optional<int> multiplier_power(const Numeral& low, const Numeral& high) const {
    if (high.end <= high.begin || low.form != Numeral::Form::plain || high.form != Numeral::Form::plain) return std::nullopt;
    const auto* last = r_.numbers.info(s_[high.end - 1]);
    using T = NumberRules::CharType;
    if (!last || (last->type != T::big_unit && last->type != T::small_unit)) return std::nullopt;
    for (size_t k = low.begin; k < low.end; ++k)
      if (const auto* c = r_.numbers.info(s_[k]); c && (c->type == T::big_unit || c->type == T::small_unit)) return std::nullopt;
    Decimal base = low.low ? *low.low : low.value;
    auto scaled = base.shift(last->value);
    Decimal top = high.high ? *high.high : high.value;
    if (!scaled || top < *scaled) return std::nullopt;
    return last->value;
  }

  // An Arabic integer with a leading zero (0898) is a code, not a quantity.
  bool code_like(const Numeral& n) const {
    return n.arabic && !n.point && n.end - n.begin > 1 && s_[n.begin] == '0';
  }

  std::optional<Draft> name_fact(const Numeral& n, Draft d) const {
    // Only figures worth showing: Arabic digits, or a numeral with a measure word.
    if (!n.arabic && !unit_at(n.end)) return std::nullopt;
    d.kind = "name";
    d.kind_rule = "exclusion.quoted_or_version";
    d.value.reset();
    d.b = n.begin;
    d.nb = n.begin;
    d.ne = n.end;
    d.e = n.end;
    return d;
  }

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
      if (overlaps || (blocked && blocked.len > m.len) || quoted(i, i + m.len) || in_url(i)) continue;
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
    if (m.subject.empty() && !b.subject.empty() && (b.subject.b >= b.e || b.subject.e <= a.b)) m.subject = b.subject;
    return m;
  }

  // ---------------------------------------------------------- 分别为 lists

  // 一产、二产、三产增加值分别为8.08亿元、2.08亿元、6.68亿元: see SubjectFinder.
  void split_respectively() {
    std::vector<SubjectFigure> figures;
    figures.reserve(drafts_.size());
    for (const Draft& d : drafts_) figures.push_back({d.b, d.e, d.subject});
    subjects_->split_respectively(figures);
    for (size_t k = 0; k < drafts_.size(); ++k) drafts_[k].subject = figures[k].subject;
  }

  // ---------------------------------------------------------- aspects

  // The counted noun comes after the figure (101个网格, 第三批试点): the registry says
  // which kinds count things.
  bool subject_after(std::string_view kind) const {
    const KindInfo* k = r_.kinds.kind(kind);
    return k && k->subject_after;
  }

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

  // Where the figures that count with a measure word or unit start, and where the unit
  // ends: another noun phrase never runs into one (网格员130名, not 网格员130).
  SubjectInput subject_input() const {
    SubjectInput si;
    si.text = s_;
    si.sentence_starts = &in_.sentence_starts;
    for (const Numeral& n : numerals_)
      if (auto u = unit_at(n.end)) si.counted.emplace_back(n.begin, n.end + u.len);
    std::sort(si.counted.begin(), si.counted.end());
    return si;
  }

  // The subject of a quantity, told to the subject finder with every figure found so
  // far (a figure right before a noun phrase ends it; 由5个增加到12个 inherits).
  void find_subject(Draft& d) {
    d.subject = subjects_->find(d.b, d.e, d.classifier);
  }

  // A figure in [b, e) of the joined text whose value cannot be held: reported to the
  // caller (in source positions), never given a value it does not have.
  void unrepresentable(size_t b, size_t e) const {
    if (in_.unrepresentable && b < e) in_.unrepresentable->push_back(j_.span(b, std::min(e, s_.size())));
  }

  // ---------------------------------------------------------- output

  // The subject's text, with the head it shares with a later noun (一产 + 增加值).
  Pieces subject_pieces(const Draft& d) const {
    Pieces p = j_.pieces(d.subject.b, d.subject.e);
    if (d.subject.he > d.subject.hb) {
      Pieces head = j_.pieces(d.subject.hb, d.subject.he);
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
    if (!d.subject.empty()) f.subject = subject_pieces(d);
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
      r.subject = d.subject.rule;
      r.kind = d.kind_rule;
      r.aspect = d.aspect_rule;
    }
    return f;
  }

  const FactInput& in_;
  const Joined& j_;
  std::u32string_view s_;
  const Rules& r_;
  const QuantityRules& q_;
  const ExclusionRules& x_;
  std::vector<Zone> zones_;
  std::vector<size_t> zone_reach_;  // zone_reach_[k]: the largest close of zones_[0..k]
  std::vector<Zone> urls_;
  std::vector<Zone> institutions_;  // names of meetings and events holding session numbers
  std::vector<Numeral> own_numerals_;    // when the caller gave none
  const std::vector<Numeral>& numerals_;  // the numerals of the text, left to right
  std::vector<uint32_t> numeral_starts_;
  std::vector<Draft> drafts_;
  std::optional<SubjectFinder> subjects_;  // set up once the numerals are known
  size_t consumed_until_ = 0;
  size_t consumed_numerals_ = 0;
};

}  // namespace

std::vector<Fact> find_facts(const FactInput& input, const Rules& rules) {
  if (!input.joined || input.joined->size() == 0) return {};
  return FactFinder(input, rules).run();
}

}  // namespace digestx
