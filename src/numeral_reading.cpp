// Step 2 of reading a numeral: tokens become the longest numeral they spell, with its
// exact value (place values, dropped trailing units, 零), its approximate range (两三,
// 十几) and what follows an Arabic number (2e5, 40k) or any integer (十打). Plain data
// in (Tokens), plain data out (Core).
#include "numeral_scan.hpp"

namespace digestx::numerals {

namespace {

// ------------------------------------------------------------ arithmetic

enum class Mode { stated, low, high };

// The digit a token stands for in a mode: 几 is 0 as stated, 1..9 as a range.
Decimal digit_value(const Token& k, Mode mode) {
  if (k.type == Token::Type::ji) return Decimal::of(mode == Mode::stated ? 0 : mode == Mode::low ? 1 : 9);
  if (k.type == Token::Type::pair && mode == Mode::high) return k.high;
  return k.value;
}

// Arithmetic that fails in the evaluation overflows (一亿亿亿亿亿 is 10^40): `overflow`
// tells that apart from a grammar that does not hold (十百), where a shorter reading may.
std::nullopt_t overflowed(bool& overflow) {
  overflow = true;
  return std::nullopt;
}

// Value of one section below the smallest big unit in it: digits, 十百千, 零,
// Arabic numbers, a trailing 点… fraction. Dropped unit: 一千陆 = 1600, 两千三点一 = 2300.1.
std::optional<Decimal> eval_section(TokenSpan t, size_t b, size_t e, Mode mode, bool& overflow) {
  Decimal total;
  std::optional<Decimal> pending;
  bool pending_single = false;
  int last_power = -1;  // power of the last small unit
  bool zero_since_unit = false;
  int min_power_seen = 99;
  // A lone digit after a unit stands for the next lower place: 一千陆, 两千三.
  auto flush = [&]() -> bool {
    if (!pending) return true;
    std::optional<Decimal> add = *pending;
    if (last_power >= 1 && !zero_since_unit && pending_single) add = pending->shift(last_power - 1);
    auto sum = add ? total.add(*add) : std::nullopt;
    if (!sum) return overflow = true, false;
    total = *sum;
    pending.reset();
    return true;
  };
  for (size_t i = b; i < e; ++i) {
    const Token& k = t[i];
    switch (k.type) {
      case Token::Type::num:
      case Token::Type::pair:
      case Token::Type::ji:
        if (pending) return std::nullopt;
        pending = digit_value(k, mode);
        pending_single = k.single_digit || k.type != Token::Type::num;
        break;
      case Token::Type::zero:
        if (pending) return std::nullopt;
        zero_since_unit = true;
        break;
      case Token::Type::tens: {
        if (pending || k.power >= min_power_seen) return std::nullopt;
        min_power_seen = k.power;
        auto sum = total.add(k.value);
        if (!sum) return overflowed(overflow);
        total = *sum;
        last_power = k.power;
        zero_since_unit = false;
        break;
      }
      case Token::Type::small: {
        if (k.power >= min_power_seen) return std::nullopt;  // 十百 is not a number
        min_power_seen = k.power;
        Decimal mult = pending ? *pending : Decimal::of(1);
        auto add = mult.shift(k.power);
        auto sum = add ? total.add(*add) : std::nullopt;
        if (!sum) return overflowed(overflow);
        total = *sum;
        pending.reset();
        last_power = k.power;
        zero_since_unit = false;
        break;
      }
      case Token::Type::point_digits: {
        if (i + 1 != e || !flush()) return std::nullopt;
        auto sum = total.add(k.value);
        if (!sum) return overflowed(overflow);
        total = *sum;
        last_power = -1;
        break;
      }
      default:
        return std::nullopt;
    }
  }
  if (!flush()) return std::nullopt;
  return total;
}

// Splits at the last occurrence of the largest big unit: left × unit + right.
std::optional<Decimal> eval_range(TokenSpan t, size_t b, size_t e, Mode mode, bool& overflow) {
  if (b >= e) return std::nullopt;
  int best = -1;
  size_t at = e;
  for (size_t i = b; i < e; ++i)
    if (t[i].type == Token::Type::big && t[i].power >= best) {
      best = t[i].power;
      at = i;
    }
  if (at == e) return eval_section(t, b, e, mode, overflow);
  if (at == b) return std::nullopt;  // 万 with nothing before it
  auto left = eval_range(t, b, at, mode, overflow);
  if (!left) return std::nullopt;
  auto scaled = left->shift(best);
  if (!scaled) return overflowed(overflow);
  size_t r = at + 1;
  if (r >= e) return scaled;
  // 一万三 = 13000: one digit right after a big unit stands for the next lower place.
  const Token& k = t[r];
  if (r + 1 == e && k.single_digit &&
      (k.type == Token::Type::num || k.type == Token::Type::pair || k.type == Token::Type::ji)) {
    auto tail = digit_value(k, mode).shift(best - 1);
    auto sum = tail ? scaled->add(*tail) : std::nullopt;
    return sum ? sum : overflowed(overflow);
  }
  auto right = eval_range(t, r, e, mode, overflow);
  if (!right) return std::nullopt;
  auto sum = scaled->add(*right);
  return sum ? sum : overflowed(overflow);
}

// base^exponent by squaring; nullopt on overflow (at most ~7 squarings before that).
std::optional<Decimal> power_of(const Decimal& base, int exponent) {
  Decimal result = Decimal::of(1), b = base;
  for (int e = exponent; e > 0; e >>= 1) {
    if (e & 1) {
      auto r = result.mul(b);
      if (!r) return std::nullopt;
      result = *r;
    }
    if (e > 1) {
      auto sq = b.mul(b);
      if (!sq) return std::nullopt;
      b = *sq;
    }
  }
  return result;
}
}  // namespace

// A big unit standing alone for its power of ten, only where an approximation mark
// and a unit word follow (万余人次, 万多名) or a unit word and a bound (亿元以上项目);
// 万人, 万众, 数亿元以上 stay words.
std::optional<Core> NumeralReader::bare_big_unit(size_t i) const {
  const auto* info = i < s_.size() ? r_.info(s_[i]) : nullptr;
  if (!info || info->type != CharType::big_unit) return std::nullopt;
  // 培育税收超亿元楼宇3至5栋, 惠及上万名群众: a bound word before it and a unit word after it, too.
  bool bound_before = !r_.bare_big_rule.empty() && bound_word_before(i) && r_.unit_words.longest_at(s_, i + 1);
  bool bounded = !approx_then_unit(i + 1) && (unit_then_bound(i + 1) || bound_before);
  if (!bounded && !approx_then_unit(i + 1)) return std::nullopt;
  auto v = Decimal::of(1).shift(info->value);
  if (!v) return std::nullopt;
  Core c;
  c.units_only = true;
  c.units_power = info->value;
  c.n.begin = uint32_t(i);
  c.n.end = uint32_t(i + 1);
  c.n.value = *v;
  c.n.chinese = true;
  if (info->rule >= 0 && size_t(info->rule) < r_.rule_names.size()) c.n.rules.push_back(r_.rule_names[size_t(info->rule)]);
  if (bounded) c.n.rules.push_back(r_.bare_big_rule);
  return c;
}

// The longest word of `words` ending at `end`, unless a longer word of `longer` ends there
// too, whose last characters only look like it (建成 for the 成 of 成千上万, 附近 for 近).
Lexicon::Match NumeralReader::word_ending_unless(const Lexicon& words, const Lexicon& longer, size_t end) const {
  auto word = words.longest_ending_at(s_, end);
  if (!word) return word;
  auto other = longer.longest_ending_at(s_, end);
  return other && other.len > word.len ? Lexicon::Match{} : word;
}

// 超亿元, 近万名: a bound word ends at i, not a longer word that ends in one (附近万亩良田:
// 近 of 附近 is no "nearly"; 签约亿元项目: 约 of 签约 is no "about").
bool NumeralReader::bound_word_before(size_t i) const {
  return bool(word_ending_unless(r_.bare_big_bounds_before, r_.bare_big_not_bounds_before, i));
}

// 元以上, 亩以下: a unit word, then a bound; not after 数, 几 (数亿元以上, 几万元以下),
// unless a longer word ends there whose last character only looks like one (建成万亩级:
// 成 of the verb 建成 is not the 成 of 成千上万).
bool NumeralReader::unit_then_bound(size_t i) const {
  if (r_.bare_big_rule.empty()) return false;
  if (i >= 2 && word_ending_unless(r_.bare_big_not_after, r_.bare_big_but_after, i - 1)) return false;
  if (i >= 2 && (r_.info(s_[i - 2]) || is_ascii_digit(s_[i - 2]))) return false;  // 3亿元: no bare unit
  auto unit = r_.unit_words.longest_at(s_, i);
  return unit && bool(r_.bare_big_bounds.longest_at(s_, i + unit.len));
}

std::optional<Numeral> NumeralReader::digit_string(TokenSpan toks, size_t b, size_t e) const {
  std::string ascii;
  for (size_t k = b; k < e; ++k) {
    if (toks[k].arabic) {
      auto v = toks[k].value.to_int64();
      if (!v) return std::nullopt;
      ascii += std::to_string(*v);
    } else {
      ascii += char('0' + toks[k].digit);
    }
  }
  auto v = Decimal::parse(ascii);
  Numeral n;
  n.begin = toks[b].begin;
  n.end = toks[e - 1].end;
  if (v) n.value = *v;
  else n.unrepresentable = true;  // more digits than are held: not its first 36
  n.digit_string = true;
  n.chinese = !toks[b].arabic;
  n.arabic = toks[b].arabic;
  add_rules(n, toks, b, e);
  if (!r_.digit_string_rule.empty()) n.rules.push_back(r_.digit_string_rule);
  return n;
}

void NumeralReader::add_rules(Numeral& n, TokenSpan toks, size_t b, size_t e) const {
  if (toks[b].arabic) n.rules.push_back(r_.arabic_rule);
  for (size_t k = b; k < e; ++k)
    if (toks[k].spaced_point) n.rules.push_back(r_.spaced_point_rule);
  for (size_t k = b; k < e; ++k) {
    const Token& t = toks[k];
    // A view of a name the rules own.
    std::string_view name = t.rule >= 0 && size_t(t.rule) < r_.rule_names.size()
                                ? std::string_view(r_.rule_names[size_t(t.rule)])
                            : t.rule == -3              ? std::string_view(r_.half_rule)
                            : t.type == Token::Type::ji ? std::string_view(r_.ji_rule)
                                                        : std::string_view();
    if (!name.empty() && std::find(n.rules.begin(), n.rules.end(), name) == n.rules.end()) n.rules.push_back(name);
  }
}

bool NumeralReader::evaluate(TokenSpan toks, Numeral& n) const {
  // 零 alone (清零, 零容忍) says nothing.
  if (std::all_of(toks.begin(), toks.end(), [](const Token& k) { return k.type == Token::Type::zero; }))
    return false;
  n.begin = toks.front().begin;
  n.end = toks.back().end;
  for (const auto& k : toks) {
    n.arabic = n.arabic || k.arabic;
    n.chinese = n.chinese || (!k.arabic && k.type != Token::Type::approx);
    n.separators = n.separators || k.separators;
    n.point = n.point || k.point || k.type == Token::Type::point_digits;
    if (k.arabic && n.arabic_digits == 0) n.arabic_digits = k.arabic_digits;
  }
  add_rules(n, toks, 0, toks.size());
  // 二〇二二, 一九九一: three digits or more are read one by one.
  if (toks.size() >= 3 && std::all_of(toks.begin(), toks.end(), chinese_digit)) {
    auto d = digit_string(toks, 0, toks.size());
    if (!d) return false;
    d->rules = n.rules;
    if (!r_.digit_string_rule.empty()) d->rules.push_back(r_.digit_string_rule);
    n = std::move(*d);
    return true;
  }
  // Approximation markers inside (十余万) carry a qualifier and no value. The tokens
  // are copied only when one is left out or two are merged (most numerals: neither).
  TokenSpan plain = toks;
  Tokens plain_tokens;
  if (std::any_of(toks.begin(), toks.end(), [](const Token& k) { return k.type == Token::Type::approx; })) {
    for (const auto& k : toks) {
      if (k.type == Token::Type::approx) {
        n.qualifier = r_.approx[size_t(k.approx_index)].qualifier;
        n.rules.push_back(r_.approx[size_t(k.approx_index)].name);
      } else {
        plain_tokens.push_back(k);
      }
    }
    plain = plain_tokens;
  }
  Tokens merged_tokens;
  TokenSpan merged = merge_pairs(plain, merged_tokens);
  bool ranged = std::any_of(merged.begin(), merged.end(), [](const Token& k) {
    return k.type == Token::Type::pair || k.type == Token::Type::ji;
  });
  bool overflow = false;
  // One number token (3500, 12.5, 七: two numerals in three) is its own value, what the
  // sum of eval_range gives for it (0 + a normalised Decimal), without the sum.
  bool lone_number = merged.size() == 1 && merged[0].type == Token::Type::num;
  auto stated = lone_number ? std::optional<Decimal>(merged[0].value)
                            : eval_range(merged, 0, merged.size(), Mode::stated, overflow);
  if (!stated) {
    if (!overflow) return false;
    n.unrepresentable = true;  // no shorter reading: 一亿亿亿亿亿 is not 一亿亿亿
    return true;
  }
  n.value = *stated;
  if (ranged) {
    auto lo = eval_range(merged, 0, merged.size(), Mode::low, overflow);
    auto hi = eval_range(merged, 0, merged.size(), Mode::high, overflow);
    if (lo && hi) {
      n.low = *lo;
      n.high = *hi;
      if (n.value.is_zero()) n.value = *lo;
      if (!r_.approximate_range_rule.empty()) n.rules.push_back(r_.approximate_range_rule);
    }
  }
  return true;
}

TokenSpan NumeralReader::merge_pairs(TokenSpan plain, Tokens& merged) const {
  auto pair_at = [&](size_t i) {
    return i + 1 < plain.size() && chinese_digit(plain[i]) && chinese_digit(plain[i + 1]) &&
           consecutive(plain[i], plain[i + 1]);
  };
  size_t first_pair = 0;
  while (first_pair < plain.size() && !pair_at(first_pair)) ++first_pair;
  if (first_pair == plain.size()) return plain;
  for (size_t i = 0; i < plain.size(); ++i) {
    if (pair_at(i)) {
      Token p = plain[i];
      p.type = Token::Type::pair;
      p.high = plain[i + 1].value;
      p.end = plain[i + 1].end;
      merged.push_back(p);
      ++i;
      continue;
    }
    merged.push_back(plain[i]);
  }
  return merged;
}

bool NumeralReader::core_at(size_t i, size_t* next, Core& c) const {
  if (auto bare = bare_big_unit(i)) {
    *next = bare->n.end;
    c = std::move(*bare);
    return true;
  }
  bool too_long = false, overflow = false;
  size_t run_end = i + 1;
  Tokens toks;
  collect(i, toks, &too_long, &run_end, &overflow);
  if (too_long) {
    *next = std::max(run_end, i + 1);
    if (!overflow) return false;
    unrepresentable(i, *next, c);  // 40 digits: a figure, too long to hold
    return true;
  }
  if (toks.empty()) {
    *next = i + 1;
    return false;
  }
  // 百分之, 万分之, 百万分之: units alone before 分之 are a power of ten.
  if (std::all_of(toks.begin(), toks.end(), is_unit) && infix_end(toks.back().end)) return units_alone(toks, next, c);
  if (toks.front().type == Token::Type::big) {  // 万宁: no numeral starts with a big unit
    *next = toks.front().end;
    return false;
  }
  cut_leading_only(toks);
  Reading first = digit_pairs(toks, c.n, next);
  if (first == Reading::none) return false;
  size_t used = toks.size();
  if (first == Reading::open && !longest_prefix(toks, c.n, used)) {
    *next = i + 1;
    return false;
  }
  if (used > 0 && used <= toks.size()) {
    c.units_only = std::all_of(toks.begin(), toks.begin() + used, is_unit);
    for (size_t u = 0; u < used && c.units_only; ++u) c.units_power += toks[u].power;
    c.starts_with_ten = toks[0].type == Token::Type::small && toks[0].power == 1;
    c.arabic_integer = used == 1 && toks[0].arabic && !toks[0].point && !toks[0].separators;
    if (used == 1 && toks[0].arabic && !c.n.unrepresentable) {
      exponent_after(c.n);
      multiplier_after(c.n);
      if (c.n.end != toks[0].end) c.arabic_integer = false;
    }
  }
  dozen_after(c.n);
  *next = c.n.end;
  return true;
}

bool NumeralReader::units_alone(const Tokens& toks, size_t* next, Core& c) const {
  int power = 0;
  for (const Token& t : toks) power += t.power;
  auto v = Decimal::of(1).shift(power);
  if (!v) {
    *next = toks.back().end;
    unrepresentable(toks.front().begin, *next, c);
    return true;
  }
  c.units_only = true;
  c.units_power = power;
  c.starts_with_ten = toks[0].type == Token::Type::small && toks[0].power == 1;
  c.n.begin = toks.front().begin;
  c.n.end = toks.back().end;
  c.n.value = *v;
  c.n.chinese = true;
  add_rules(c.n, toks, 0, toks.size());
  *next = c.n.end;
  return true;
}

NumeralReader::Reading NumeralReader::digit_pairs(Tokens& toks, Numeral& n, size_t* next) const {
  size_t k = 0;
  while (k < toks.size() && chinese_digit(toks[k])) ++k;
  if (k == 2 && two_digit_word_at(toks[1].end)) {
    if (auto d = digit_string(toks, 0, 2)) {
      n = *d;
      return Reading::read;
    }
  } else if (k == 2 && toks[0].digit > 0 && toks[1].digit > 0 && !consecutive(toks[0], toks[1]) &&
             (toks.size() == 2 || !is_unit(toks[2]))) {
    *next = toks[1].end;
    return Reading::none;
  } else if (k >= 2 && k < toks.size() && is_unit(toks[k]) && !(k == 2 && consecutive(toks[0], toks[1]))) {
    // 九九八十一: digits before a unit that are no range; the numeral is 八十一.
    *next = toks[k - 1].begin;
    return Reading::none;
  }
  if (toks.size() != 1 || !toks[0].arabic || !toks[0].single_digit || r_.two_digit_before.empty())
    return Reading::open;
  size_t q = skip_spaces(toks[0].end, 1);
  if (q > toks[0].end && q + 1 <= s_.size() && is_ascii_digit(s_[q]) && !digit_at(q + 1) && two_digit_word_at(q + 1)) {
    if (arabic(q, toks.read_slot())) {
      toks.keep_read();
      if (auto d = digit_string(toks, 0, 2)) {
        n = *d;
        return Reading::read;
      }
      toks.pop_back();
    }
  }
  return Reading::open;
}

bool NumeralReader::longest_prefix(const Tokens& toks, Numeral& n, size_t& used) const {
  used = toks.size();
  while (used > 0 && toks[used - 1].type == Token::Type::approx) --used;
  for (size_t tries = 0; used > 0; ++tries) {
    if (tries > 0) n = Numeral();  // what the longer reading left
    if (evaluate(toks.prefix(used), n)) return true;
    used = tries + 1 < kMaxBackoff ? used - 1 : std::min<size_t>(used - 1, 1);
    while (used > 0 && toks[used - 1].type == Token::Type::approx) --used;
  }
  return false;
}

void NumeralReader::unrepresentable(size_t b, size_t e, Core& c) {
  c.n.begin = uint32_t(b);
  c.n.end = uint32_t(e);
  c.n.unrepresentable = true;
}

void NumeralReader::exponent_after(Numeral& n) const {
  size_t p = n.end, len = s_.size();
  if (p >= len) return;
  bool power = in(r_.power_chars, s_[p]);
  if (!power && !in(r_.exponent_chars, s_[p])) return;
  if (n.begin > 0 && is_ascii_alpha(s_[n.begin - 1])) return;  // a2e5 is a name
  size_t q = p + 1;
  int minus = 0;
  while (q < len && (s_[q] == '-' || s_[q] == '+') && q - p <= 3) minus += s_[q++] == '-';
  size_t d = q;
  while (q < len && is_ascii_digit(s_[q]) && q - d < 3) ++q;
  if (q == d || (q < len && (is_ascii_digit(s_[q]) || is_ascii_alpha(s_[q]) || is_point(q)))) return;
  int e = 0;
  for (size_t k = d; k < q; ++k) e = e * 10 + int(s_[k] - '0');
  if (e > r_.max_exponent) {
    n.end = uint32_t(q);
    n.unrepresentable = true;  // 2e50 is not 2
    return;
  }
  bool negative = minus % 2 == 1;
  std::optional<Decimal> v;
  if (power) {
    v = power_of(n.value, e);
    if (v && negative) v = Decimal::of(1).div(*v, 20);
  } else {
    v = n.value.shift(negative ? -e : e);
  }
  n.end = uint32_t(q);
  if (!v) {
    n.unrepresentable = true;
    return;
  }
  n.value = *v;
  n.rules.push_back(r_.exponent_rule);
}

void NumeralReader::multiplier_after(Numeral& n) const {
  size_t p = skip_spaces(n.end, 1), len = s_.size();
  if (p >= len || (p + 1 < len && (is_ascii_alpha(s_[p + 1]) || is_ascii_digit(s_[p + 1])))) return;
  if (n.begin > 0 && is_ascii_alpha(s_[n.begin - 1])) return;
  for (const auto& [c, power] : r_.latin_multipliers) {
    if (s_[p] != c) continue;
    auto v = n.value.shift(power);
    n.end = uint32_t(p + 1);
    if (!v) {
      n.unrepresentable = true;
      return;
    }
    n.value = *v;
    n.rules.push_back(r_.multiplier_rule);
    return;
  }
}

void NumeralReader::dozen_after(Numeral& n) const {
  // The word first: most numerals have none after them (40,000 calls of is_integer less).
  auto m = r_.dozen_words.longest_at(s_, n.end);
  if (!m || n.unrepresentable || n.low || n.digit_string || !n.value.is_integer()) return;
  if (r_.dozen_not.longest_at(s_, n.end)) return;
  auto v = n.value.mul(Decimal::of(m.value));
  n.end += m.len;
  if (!v) {
    n.unrepresentable = true;
    return;
  }
  n.value = *v;
  n.rules.push_back(r_.dozen_rule);
}

size_t NumeralReader::infix_end(size_t p) const {
  if (r_.fraction_infix.empty()) return 0;
  size_t q = skip_spaces(p, kMaxInfixSpaces);
  for (char32_t c : r_.fraction_infix) {
    if (q >= s_.size() || s_[q] != c) return 0;
    q = skip_spaces(q + 1, kMaxInfixSpaces);
  }
  // spaces after 之 belong to the numerator only if it follows
  return q;
}

}  // namespace digestx::numerals
