#include "digestx/facts.hpp"

#include <algorithm>

#include "digestx/aspects.hpp"
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
  size_t sb = 0, se = 0;  // subject, empty if sb == se
  size_t hb = 0, he = 0;  // a head shared with a later noun of a list (一产、…三产增加值: 增加值)
  std::vector<std::string_view> numeral_rules;  // names owned by the rules (or literals)
  std::string_view unit_rule, qualifier_rule, subject_rule, kind_rule;  // names owned by the rules (or literals)
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
      if (!is_han(s_[k]) || boundary(s_[k])) break;
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

  size_t sentence_begin(size_t pos) const {
    auto it = std::upper_bound(in_.sentence_starts.begin(), in_.sentence_starts.end(), pos);
    return it == in_.sentence_starts.begin() ? 0 : *(it - 1);
  }
  size_t sentence_end(size_t pos) const {
    auto it = std::upper_bound(in_.sentence_starts.begin(), in_.sentence_starts.end(), pos);
    return it == in_.sentence_starts.end() ? s_.size() : *it;
  }

  bool boundary(char32_t c) const {
    const auto& set = r_.subjects.is_boundary;
    return c < set.size() ? bool(set[c]) : r_.subjects.boundary_chars.find(c) != std::u32string::npos;
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

  // A figure in [b, e) of the joined text whose value cannot be held: reported to the
  // caller (in source positions), never given a value it does not have.
  void unrepresentable(size_t b, size_t e) const {
    if (in_.unrepresentable && b < e) in_.unrepresentable->push_back(j_.span(b, std::min(e, s_.size())));
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
  size_t consumed_until_ = 0;
  size_t consumed_numerals_ = 0;
};

}  // namespace

std::vector<Fact> find_facts(const FactInput& input, const Rules& rules) {
  if (!input.joined || input.joined->size() == 0) return {};
  return FactFinder(input, rules).run();
}

}  // namespace digestx
