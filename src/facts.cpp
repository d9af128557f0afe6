#include "digestx/facts.hpp"

#include <algorithm>

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
  std::string kind;
  std::optional<Decimal> value;
  std::string unit, qualifier;
  std::optional<std::pair<Decimal, Decimal>> range;
  size_t sb = 0, se = 0;  // subject, empty if sb == se
  std::vector<std::string> numeral_rules;
  std::string unit_rule, qualifier_rule, subject_rule, kind_rule;
  bool classifier = false;  // a measure word: the subject is looked for after it first
};

class FactFinder {
 public:
  FactFinder(const FactInput& in, const Rules& rules)
      : in_(in), j_(*in.joined), s_(j_.chars), r_(rules), q_(rules.quantities), x_(rules.exclusions) {
    find_quote_zones();
    numerals_ = find_numerals(s_, rules.numbers);
    for (const auto& n : numerals_) numeral_starts_.push_back(n.begin);
  }

  std::vector<Fact> run() {
    std::vector<Fact> out;
    for (size_t i = 0; i < numerals_.size(); ++i) {
      if (numerals_[i].begin < consumed_until_) continue;
      std::optional<Draft> d = fact_at(i);
      if (!d) continue;
      consumed_until_ = d->e;
      if (d->kind != "date" && d->kind != "name") find_subject(*d);
      drafts_.push_back(*d);
    }
    for (const Draft& d : drafts_) out.push_back(finish(d));
    return out;
  }

 private:
  // ---------------------------------------------------------- exclusions

  void find_quote_zones() {
    std::vector<std::pair<size_t, size_t>> stack;  // (quote rule index, position)
    for (size_t i = 0; i < s_.size(); ++i) {
      char32_t c = s_[i];
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
  }

  bool quoted(size_t b, size_t e) const {
    for (const Zone& z : zones_) {
      if (z.open >= b) break;
      if (z.open < b && e <= z.close) return true;
    }
    return false;
  }

  bool in_set_phrase(size_t b, size_t e) const {
    size_t max = x_.set_phrases.max_len();
    for (size_t k = 0; k <= max && k <= b; ++k) {
      size_t start = b - k;
      auto m = x_.set_phrases.longest_at(s_, start);
      if (!m || start + m.len <= b) continue;
      auto ex = x_.set_phrase_exceptions.longest_at(s_, start);
      if (ex && ex.len >= m.len) continue;
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
    if (x_.version_latin_glued && e < s_.size() && is_ascii_alpha(s_[e]) && n.arabic) return true;
    if (x_.version_after_words.longest_at(s_, e)) return true;
    if (n.point && e + 1 < s_.size() && s_[e] == '.' && is_ascii_digit(s_[e + 1])) return true;
    return false;
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
    d.numeral_rules = n.rules;
    auto year_word = q_.year_words.longest_at(s_, e);
    // A span of years: 2023—2025年.
    if (is_year(n) && !year_word && i + 1 < numerals_.size()) {
      auto conn = q_.range_connectors.longest_at(s_, e);
      const Numeral& m = numerals_[i + 1];
      if (conn && m.begin == e + conn.len && is_year(m)) {
        if (auto yw = q_.year_words.longest_at(s_, m.end)) {
          d.e = d.ne = m.end + yw.len;
          return d;
        }
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
    if (auto dw = q_.day_words.longest_at(s_, e); dw && *v >= 1 && *v <= 31 && !n.point) {
      d.e = d.ne = e + dw.len;
      return d;
    }
    return std::nullopt;
  }

  // ---------------------------------------------------------- units

  // The unit at p, unless a longer word that is not a unit starts there (支部, 个人).
  Lexicon::Match unit_at(size_t p) const {
    auto u = q_.unit_words.longest_at(s_, p);
    if (!u) return u;
    auto blocked = q_.not_units.longest_at(s_, p);
    if (blocked && blocked.len >= u.len) return {};
    return u;
  }

  std::string as_written(size_t b, size_t e) const {
    std::string out;
    for (size_t i = b; i < e; ++i) append_utf8(out, in_.text[j_.source[i]]);
    return out;
  }

  std::optional<Decimal> scaled(const Decimal& v, const QuantityRules::Unit& u) const {
    std::optional<Decimal> out = v;
    if (u.multiply_by) out = out->mul(*u.multiply_by);
    if (out && u.divide_by) out = out->div(*u.divide_by, 12);
    return out;
  }

  void apply_unit(Draft& d, const QuantityRules::Unit& u, size_t ub, size_t ue) const {
    d.kind = u.kind;
    d.unit = u.as_written ? as_written(ub, ue) : u.unit;
    d.unit_rule = u.name;
    d.kind_rule = u.name;
    d.classifier = u.kind == "count" || u.kind == "ordinal";
  }

  // ---------------------------------------------------------- one fact

  std::optional<Draft> fact_at(size_t i) {
    Numeral n = numerals_[i];
    if (n.end <= n.begin) return std::nullopt;
    if (in_set_phrase(n.begin, n.end)) return std::nullopt;
    if (auto dt = date_at(i)) return dt;
    Draft d;
    d.nb = n.begin;
    d.b = n.begin;
    d.numeral_rules = n.rules;
    size_t p = n.end;

    // Before the numeral: 第 (ordinal), 百分之 / 人民币 (prefix units).
    const QuantityRules::Unit* prefix = nullptr;
    bool ordinal = false;
    if (auto di = q_.ordinal_prefixes.longest_ending_at(s_, n.begin)) {
      size_t at = n.begin - di.len;
      if (auto title = x_.title_ordinals.longest_at(s_, at); title && at + title.len > n.begin) return std::nullopt;
      ordinal = true;
      d.b = at;
      d.kind = "ordinal";
      d.kind_rule = q_.ordinal_rule;
    } else if (auto pre = q_.prefix_words.longest_ending_at(s_, n.begin)) {
      prefix = &q_.prefixes[size_t(pre.value)];
      d.b = n.begin - pre.len;
    }

    // 5千米 is five kilometres, not 5000 metres: give the 千 back to the unit.
    if (n.arabic && n.end - n.begin >= 2) {
      auto u = unit_at(n.end - 1);
      const auto* info = r_.numbers.info(s_[n.end - 1]);
      if (u && u.len >= 2 && info && info->type == NumberRules::CharType::small_unit) {
        auto shorter = parse_numeral(std::u32string_view(s_).substr(n.begin, n.end - 1 - n.begin), r_.numbers);
        if (shorter) {
          n.end -= 1;
          n.value = *shorter;
          p = n.end;
        }
      }
    }

    if (quoted(d.b, n.end)) return name_fact(n, d);
    if (is_version(n)) return name_fact(n, d);

    // Right after the numeral: 余/多 (3500余名), then the unit, then 以上/左右.
    size_t unit_b = 0, unit_e = 0;
    const QuantityRules::Unit* unit = nullptr;
    std::string qualifier = n.qualifier;
    std::string qualifier_rule = qualifier.empty() ? "" : "numeral.approx";
    if (auto a = r_.qualifiers.after_numeral.longest_at(s_, p)) {
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

    // A range: 3至5个, 两到三家, 1万-5万元, 10%-20%.
    std::optional<Numeral> high;
    {
      if (auto conn = q_.range_connectors.longest_at(s_, p); conn && i + 1 < numerals_.size()) {
        const Numeral& m = numerals_[i + 1];
        if (m.begin == p + conn.len && m.form == Numeral::Form::plain && !is_year(m)) {
          size_t q = m.end;
          if (auto a = r_.qualifiers.after_numeral.longest_at(s_, q); a && unit_at(q + a.len)) q += a.len;
          auto u2 = unit_at(q);
          bool fits = u2 ? (!unit || q_.units[size_t(u2.value)].kind == unit->kind) : bool(unit);
          if (u2 && q_.month_words.longest_at(s_, q)) fits = false;
          if (fits && (prefix || unit || u2 || ordinal)) {
            high = m;
            if (u2) {
              unit = &q_.units[size_t(u2.value)];
              unit_b = q;
              unit_e = q + u2.len;
              p = unit_e;
            } else {
              p = m.end;
            }
            ++consumed_numerals_;
          }
        }
      }
    }

    if (ordinal) {
      if (unit && (unit->kind == "count")) {
        d.unit = as_written(unit_b, unit_e);
        d.unit_rule = unit->name;
      }
      d.value = n.value;
      d.classifier = true;
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
        p = unit_b;  // the word after 百分之… is not its unit
      }
    } else if (n.form == Numeral::Form::fraction) {
      d.kind = "fraction";
      d.kind_rule = "numeral.fraction";
      d.value = n.value.rounded(6);
      if (unit) p = unit_b;
    } else if (unit) {
      if (unit->max_value && *unit->max_value < n.value) return std::nullopt;  // 十二成 is not a share
      // 八所镇, 三家村: a place named with a numeral.
      if (n.chinese && n.end - n.begin == 1 &&
          x_.place_units.contains(std::u32string_view(s_).substr(unit_b, unit_e - unit_b)) &&
          x_.place_suffixes.longest_at(s_, unit_e))
        return std::nullopt;
      // 一支(队伍), 一批(项目): the article "a", not a count of one.
      if (!high && x_.indefinite_numerals.contains(std::u32string_view(s_).substr(n.begin, n.end - n.begin)) &&
          x_.indefinite_units.contains(std::u32string_view(s_).substr(unit_b, unit_e - unit_b)))
        return std::nullopt;
      apply_unit(d, *unit, unit_b, unit_e);
      d.value = scaled(n.value, *unit);
      if (unit->kind == "duration" && is_year(n)) return std::nullopt;
    } else {
      return std::nullopt;  // a bare numeral is not a fact
    }
    if (!d.value) return std::nullopt;

    // Ranges: stated (3至5个) or inside the numeral (两三个, 十几个).
    const QuantityRules::Unit* scale = prefix ? prefix : unit;
    auto scale_it = [&](const Decimal& v) -> std::optional<Decimal> {
      if (d.kind == "fraction" || ordinal || !scale) return v;
      return scaled(v, *scale);
    };
    if (high) {
      auto lo = scale_it(n.low ? *n.low : n.value);
      auto hi = scale_it(high->high ? *high->high : high->value);
      if (lo && hi) {
        d.range = std::make_pair(*lo, *hi);
        d.value = *lo;
      }
      d.numeral_rules.push_back(q_.range_rule);
    } else if (n.low && n.high) {
      auto lo = scale_it(*n.low), hi = scale_it(*n.high);
      if (lo && hi) {
        d.range = std::make_pair(*lo, *hi);
        d.value = *lo;
      }
    }

    // Qualifiers after the unit (以上, 左右) and before the figure (近, 约, 不少于).
    if (auto a = r_.qualifiers.after_unit.longest_at(s_, p)) {
      qualifier = r_.qualifiers.entries[size_t(a.value)].qualifier;
      qualifier_rule = r_.qualifiers.entries[size_t(a.value)].name;
      p += a.len;
    }
    if (auto bq = r_.qualifiers.before.longest_ending_at(s_, d.b)) {
      auto cancel = r_.qualifiers.not_before.longest_ending_at(s_, d.b);
      if (!(cancel && cancel.len > bq.len)) {
        qualifier = r_.qualifiers.entries[size_t(bq.value)].qualifier;
        qualifier_rule = r_.qualifiers.entries[size_t(bq.value)].name;
        d.b -= bq.len;
      }
    }
    d.qualifier = qualifier;
    d.qualifier_rule = qualifier_rule;
    d.ne = high ? high->end : n.end;
    d.e = std::max(p, d.ne);
    return d;
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

  // ---------------------------------------------------------- subjects

  size_t sentence_begin(size_t pos) const {
    auto it = std::upper_bound(in_.sentence_starts.begin(), in_.sentence_starts.end(), pos);
    return it == in_.sentence_starts.begin() ? 0 : *(it - 1);
  }
  size_t sentence_end(size_t pos) const {
    auto it = std::upper_bound(in_.sentence_starts.begin(), in_.sentence_starts.end(), pos);
    return it == in_.sentence_starts.end() ? s_.size() : *it;
  }

  bool boundary(char32_t c) const { return r_.subjects.boundary_chars.find(c) != std::u32string::npos; }

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
    const auto& sr = r_.subjects;
    if (p < limit && s_[p] == sr.head_marker) ++p;
    size_t q = p, count = 0;
    while (q < limit && count < sr.max_after) {
      char32_t c = s_[q];
      // A short bracket inside the phrase: 村(社区)工作者.
      if ((c == '(' || c == U'（') && count > 0) {
        size_t k = q + 1;
        while (k < limit && k < q + 6 && s_[k] != ')' && s_[k] != U'）' && is_han(s_[k])) ++k;
        if (k < limit && (s_[k] == ')' || s_[k] == U'）') && k > q + 1) {
          count += k + 1 - q;
          q = k + 1;
          continue;
        }
      }
      if (boundary(c) || numeral_starts_at(q)) break;
      if (auto noun = sr.nouns.longest_at(s_, q)) {
        q += noun.len;
        count += noun.len;
        continue;
      }
      if (c == sr.head_marker) break;
      if (sr.hard_stops.longest_at(s_, q) || sr.stops_after.longest_at(s_, q)) break;
      if (size_t close = closing_quote(q, limit)) {
        count += close + 1 - q;
        q = close + 1;
        continue;
      }

      if (!is_han(c) && !is_ascii_alpha(c)) break;
      ++q;
      ++count;
    }
    // Cut by the length limit: end at the last character that ends a noun (者, 站, 率 …).
    if (count >= sr.max_after && q < limit && !boundary(s_[q])) {
      size_t k = q;
      while (k > p + 1 && sr.noun_suffixes.find(s_[k - 1]) == std::u32string::npos) --k;
      if (k > p + 1) q = k;
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
      if (count >= 1 && sr.stops_before.longest_ending_at(s_, q) &&
          sr.noun_suffixes.find(s_[q]) == std::u32string::npos)
        break;
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
    for (auto it = drafts_.rbegin(); it != drafts_.rend(); ++it)
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
  }

  // ---------------------------------------------------------- output

  Fact finish(const Draft& d) const {
    Fact f;
    f.span = j_.span(d.b, d.e);
    f.kind = d.kind;
    f.value = d.value;
    f.unit = d.unit;
    f.qualifier = d.qualifier;
    f.range = d.range;
    if (d.se > d.sb) f.subject = j_.pieces(d.sb, d.se);
    size_t k = 0;
    if (!in_.sentence_starts.empty()) {
      auto it = std::upper_bound(in_.sentence_starts.begin(), in_.sentence_starts.end(), d.nb);
      k = it == in_.sentence_starts.begin() ? 0 : size_t(it - in_.sentence_starts.begin()) - 1;
    }
    if (k < in_.periods.size()) f.period = in_.periods[k];
    f.year = f.period == Period::none || !in_.report_year
                 ? std::nullopt
                 : std::optional<int>(*in_.report_year + (f.period == Period::this_year ? 1 : 0));
    f.numeral_rules = d.numeral_rules;
    f.unit_rule = d.unit_rule;
    f.qualifier_rule = d.qualifier_rule;
    f.subject_rule = d.subject_rule;
    f.kind_rule = d.kind_rule;
    return f;
  }

  const FactInput& in_;
  const Joined& j_;
  const std::u32string& s_;
  const Rules& r_;
  const QuantityRules& q_;
  const ExclusionRules& x_;
  std::vector<Zone> zones_;
  std::vector<Numeral> numerals_;
  std::vector<uint32_t> numeral_starts_;
  std::vector<Draft> drafts_;
  size_t consumed_until_ = 0;
  size_t consumed_numerals_ = 0;
};

}  // namespace

std::vector<Fact> find_facts(const FactInput& input, const Rules& rules) {
  if (!input.joined || input.joined->chars.empty()) return {};
  return FactFinder(input, rules).run();
}

}  // namespace digestx
