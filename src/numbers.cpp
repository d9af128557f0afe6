#include "digestx/numbers.hpp"

#include <algorithm>

#include "digestx/utf.hpp"

namespace digestx {

namespace {

using CharType = NumberRules::CharType;

struct Token {
  enum class Type { num, small, big, zero, point_digits, approx, ji, pair, tens } type;
  Decimal value;       // num, point_digits (0.xxx), pair (low digit)
  Decimal high;        // pair: high digit
  int power = 0;       // small, big; tens: 1
  bool single_digit = false;  // one Chinese (or Arabic) digit: may stand for a dropped unit
  bool arabic = false;
  bool separators = false, point = false;
  int arabic_digits = 0;
  int approx_index = -1;
  uint32_t begin = 0, end = 0;
  int rule = -1;
};

enum class Mode { stated, low, high };

struct Value {
  Decimal v;
  bool ok = true;
};

bool in(std::u32string_view set, char32_t c) { return set.find(c) != std::u32string_view::npos; }

const NumberRules::CharInfo* char_info(const NumberRules& r, char32_t c) { return r.info(c); }

// ------------------------------------------------------------ evaluation

// Value of one section below the smallest big unit in it: digits, 十百千, 零,
// Arabic numbers, a trailing 点… fraction. Dropped unit: 一千陆 = 1600.
std::optional<Decimal> eval_section(const std::vector<Token>& t, size_t b, size_t e, Mode mode) {
  Decimal total;
  std::optional<Decimal> pending;
  bool pending_single = false;
  int last_power = -1;       // power of the last small unit
  bool zero_since_unit = false;
  int min_power_seen = 99;
  for (size_t i = b; i < e; ++i) {
    const Token& k = t[i];
    switch (k.type) {
      case Token::Type::num:
      case Token::Type::pair:
      case Token::Type::ji: {
        if (pending) return std::nullopt;
        if (k.type == Token::Type::num) {
          pending = k.value;
        } else if (k.type == Token::Type::pair) {
          pending = mode == Mode::high ? k.high : k.value;
        } else {
          pending = Decimal::of(mode == Mode::stated ? 0 : mode == Mode::low ? 1 : 9);
        }
        pending_single = k.single_digit || k.type != Token::Type::num;
        break;
      }
      case Token::Type::zero:
        if (pending) return std::nullopt;
        zero_since_unit = true;
        break;
      case Token::Type::tens: {
        if (pending || k.power >= min_power_seen) return std::nullopt;
        min_power_seen = k.power;
        auto sum = total.add(k.value);
        if (!sum) return std::nullopt;
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
        if (!add) return std::nullopt;
        auto sum = total.add(*add);
        if (!sum) return std::nullopt;
        total = *sum;
        pending.reset();
        last_power = k.power;
        zero_since_unit = false;
        break;
      }
      case Token::Type::point_digits: {
        if (i + 1 != e) return std::nullopt;
        if (pending) {
          auto sum = total.add(*pending);
          if (!sum) return std::nullopt;
          total = *sum;
          pending.reset();
        }
        auto sum = total.add(k.value);
        if (!sum) return std::nullopt;
        total = *sum;
        last_power = -1;
        break;
      }
      default:
        return std::nullopt;
    }
  }
  if (pending) {
    Decimal add = *pending;
    if (last_power >= 1 && !zero_since_unit && pending_single) {
      auto shifted = pending->shift(last_power - 1);
      if (!shifted) return std::nullopt;
      add = *shifted;
    }
    auto sum = total.add(add);
    if (!sum) return std::nullopt;
    total = *sum;
  }
  return total;
}

// Splits at the last occurrence of the largest big unit: left × unit + right.
std::optional<Decimal> eval_range(const std::vector<Token>& t, size_t b, size_t e, Mode mode) {
  if (b >= e) return std::nullopt;
  int best = -1;
  size_t at = e;
  for (size_t i = b; i < e; ++i)
    if (t[i].type == Token::Type::big && t[i].power >= best) {
      best = t[i].power;
      at = i;
    }
  if (at == e) return eval_section(t, b, e, mode);
  if (at == b) return std::nullopt;  // 万 with nothing before it
  auto left = eval_range(t, b, at, mode);
  if (!left) return std::nullopt;
  auto scaled = left->shift(best);
  if (!scaled) return std::nullopt;
  size_t r = at + 1;
  if (r >= e) return scaled;
  // 一万三 = 13000: one digit right after a big unit stands for the next lower place.
  if (r + 1 == e && t[r].single_digit && (t[r].type == Token::Type::num || t[r].type == Token::Type::pair ||
                                           t[r].type == Token::Type::ji)) {
    Decimal d = t[r].type == Token::Type::pair && mode == Mode::high ? t[r].high : t[r].value;
    if (t[r].type == Token::Type::ji) d = Decimal::of(mode == Mode::stated ? 0 : mode == Mode::low ? 1 : 9);
    auto tail = d.shift(best - 1);
    if (!tail) return std::nullopt;
    return scaled->add(*tail);
  }
  auto right = eval_range(t, r, e, mode);
  if (!right) return std::nullopt;
  return scaled->add(*right);
}

// ------------------------------------------------------------ tokens

class Scanner {
 public:
  Scanner(std::u32string_view s, const NumberRules& r) : s_(s), r_(r) {}

  // Arabic number at i: digits, thousands separators, decimal point.
  std::optional<Token> arabic(size_t i) const {
    size_t n = s_.size(), p = i;
    while (p < n && is_ascii_digit(s_[p])) ++p;
    if (p == i) return std::nullopt;
    Token t;
    t.type = Token::Type::num;
    t.arabic = true;
    t.begin = uint32_t(i);
    std::string ascii;
    ascii.reserve(p - i + 8);
    for (size_t k = i; k < p; ++k) ascii += char(s_[k]);
    // Thousands separators: groups of exactly three digits after a first group of 1-3.
    if (p - i <= 3) {
      while (p + 3 < n + 0 && in(r_.thousands_separators, s_[p]) && is_ascii_digit(s_[p + 1]) &&
             is_ascii_digit(s_[p + 2]) && is_ascii_digit(s_[p + 3]) && (p + 4 >= n || !is_ascii_digit(s_[p + 4]))) {
        for (size_t k = p + 1; k < p + 4; ++k) ascii += char(s_[k]);
        p += 4;
        t.separators = true;
      }
    }
    t.arabic_digits = int(ascii.size());
    if (p + 1 < n && in(r_.arabic_points, s_[p]) && is_ascii_digit(s_[p + 1])) {
      ascii += '.';
      ++p;
      while (p < n && is_ascii_digit(s_[p])) ascii += char(s_[p++]);
      t.point = true;
    }
    t.end = uint32_t(p);
    auto v = Decimal::parse(ascii);
    if (!v || size_t(t.arabic_digits) > r_.arabic_max_digits) {
      t.rule = -2;  // too long to hold: the caller skips it
      return t;
    }
    t.value = *v;
    t.single_digit = ascii.size() == 1;
    return t;
  }

  // Chinese decimal digits after 点.
  std::optional<Token> point_digits(size_t i) const {
    const auto* info = char_info(r_, s_[i]);
    if (!info || info->type != CharType::point) return std::nullopt;
    size_t p = i + 1, n = s_.size();
    while (p < n && is_space(s_[p]) && p - i < 3) ++p;
    std::string ascii = "0.";
    size_t q = p;
    while (q < n && in(r_.decimal_digit_chars, s_[q])) {
      const auto* d = char_info(r_, s_[q]);
      ascii += char('0' + (d && d->type == CharType::digit ? d->value : 0));
      ++q;
    }
    if (q == p) return std::nullopt;
    Token t;
    t.type = Token::Type::point_digits;
    t.begin = uint32_t(i);
    t.end = uint32_t(q);
    t.rule = info->rule;
    auto v = Decimal::parse(ascii);
    if (!v) return std::nullopt;
    t.value = *v;
    return t;
  }

  // One token at i (no white space skipping), or nullopt.
  std::optional<Token> token(size_t i, bool started) const {
    if (i >= s_.size()) return std::nullopt;
    char32_t c = s_[i];
    if (is_ascii_digit(c)) return arabic(i);
    const auto* info = char_info(r_, c);
    if (info) {
      Token t;
      t.begin = uint32_t(i);
      t.end = uint32_t(i + 1);
      t.rule = info->rule;
      switch (info->type) {
        case CharType::digit:
          if (info->value == 0) {
            t.type = Token::Type::zero;
          } else {
            t.type = Token::Type::num;
            t.value = Decimal::of(info->value);
            t.single_digit = true;
          }
          return t;
        case CharType::small_unit:
          t.type = Token::Type::small;
          t.power = info->value;
          return t;
        case CharType::big_unit:
          t.type = Token::Type::big;
          t.power = info->value;
          return t;
        case CharType::tens:
          // 廿五 = 25: like 二十 followed by a digit.
          t.type = Token::Type::tens;
          t.value = Decimal::of(info->value);
          t.power = 1;
          return t;
        case CharType::point:
          if (!started) return std::nullopt;
          return point_digits(i);
        default:
          return std::nullopt;
      }
    }
    if (c == U'几' && started) {
      Token t;
      t.type = Token::Type::ji;
      t.begin = uint32_t(i);
      t.end = uint32_t(i + 1);
      t.single_digit = true;
      return t;
    }
    if (auto m = r_.approx_inside.longest_at(s_, i); m && started) {
      Token t;
      t.type = Token::Type::approx;
      t.begin = uint32_t(i);
      t.end = uint32_t(i + m.len);
      t.approx_index = m.value;
      return t;
    }
    return std::nullopt;
  }

  std::u32string_view s_;
  const NumberRules& r_;
};

bool is_unit(const Token& t) { return t.type == Token::Type::small || t.type == Token::Type::big; }

// Collects the tokens of the numeral starting at `i`.
std::vector<Token> collect(const Scanner& sc, size_t i, bool* overflow) {
  std::vector<Token> toks;
  size_t p = i, n = sc.s_.size();
  while (p < n) {
    auto t = sc.token(p, !toks.empty());
    size_t q = p;
    if (!t && !toks.empty()) {
      // White space inside a numeral: "一百 五 十 二", "7 万5 千4 百".
      while (q < n && is_space(sc.s_[q]) && q - p < 2) ++q;
      if (q > p) {
        t = sc.token(q, true);
        if (t && toks.back().arabic && t->arabic) t.reset();  // "1, 234" are two numbers
      }
    }
    if (!t) break;
    if (t->rule == -2) {
      *overflow = true;
      toks.push_back(*t);
      break;
    }
    // Two Arabic numbers never join; neither does an Arabic number after a Chinese digit.
    if (!toks.empty() && t->type == Token::Type::num && t->arabic && toks.back().type == Token::Type::num) break;
    if (!toks.empty() && t->type == Token::Type::num && !t->arabic && toks.back().arabic &&
        toks.back().type == Token::Type::num)
      break;
    if (t->type == Token::Type::approx) {
      // 十余万: only between a numeral and a unit.
      size_t after = t->end;
      auto next = sc.token(after, true);
      if (!next || !is_unit(*next)) break;
    }
    toks.push_back(*t);
    p = t->end;
  }
  // A numeral does not end in 余/多 or in a bare decimal point.
  while (!toks.empty() && toks.back().type == Token::Type::approx) toks.pop_back();
  return toks;
}

// 二〇二二, 一九九一: digits read one by one; 两三, 五六: a range of two.
bool digits_only(const std::vector<Token>& t) {
  if (t.size() < 2) return false;
  for (const auto& k : t)
    if (!((k.type == Token::Type::num && k.single_digit && !k.arabic) || k.type == Token::Type::zero)) return false;
  return true;
}

void merge_pairs(std::vector<Token>& t) {
  std::vector<Token> out;
  for (size_t i = 0; i < t.size(); ++i) {
    if (i + 1 < t.size() && t[i].type == Token::Type::num && t[i + 1].type == Token::Type::num && t[i].single_digit &&
        t[i + 1].single_digit && !t[i].arabic && !t[i + 1].arabic) {
      auto a = t[i].value.to_int64(), b = t[i + 1].value.to_int64();
      if (a && b && (*b == *a + 1 || (*a == 3 && *b == 5))) {
        Token p = t[i];
        p.type = Token::Type::pair;
        p.high = t[i + 1].value;
        p.end = t[i + 1].end;
        out.push_back(p);
        ++i;
        continue;
      }
    }
    out.push_back(t[i]);
  }
  t = std::move(out);
}

std::optional<Numeral> evaluate(std::vector<Token> toks, const NumberRules& r) {
  // 零 alone (清零, 零容忍) says nothing.
  if (std::all_of(toks.begin(), toks.end(), [](const Token& k) { return k.type == Token::Type::zero; })) return std::nullopt;
  Numeral n;
  n.begin = toks.front().begin;
  n.end = toks.back().end;
  for (const auto& k : toks) {
    n.arabic = n.arabic || k.arabic;
    n.chinese = n.chinese || (!k.arabic && k.type != Token::Type::approx);
    n.separators = n.separators || k.separators;
    n.point = n.point || k.point || k.type == Token::Type::point_digits;
    if (k.arabic && n.arabic_digits == 0) n.arabic_digits = k.arabic_digits;
    if (k.rule >= 0 && size_t(k.rule) < r.rule_names.size()) {
      const std::string& name = r.rule_names[size_t(k.rule)];
      if (std::find(n.rules.begin(), n.rules.end(), name) == n.rules.end()) n.rules.push_back(name);
    }
  }
  if (n.arabic) n.rules.insert(n.rules.begin(), r.arabic_rule);
  if (digits_only(toks) && !(toks.size() == 2 && toks[0].type == Token::Type::num && toks[1].type == Token::Type::num)) {
    std::string ascii;
    for (const auto& k : toks) ascii += k.type == Token::Type::zero ? '0' : char('0' + *k.value.to_int64());
    auto v = Decimal::parse(ascii);
    if (!v) return std::nullopt;
    n.value = *v;
    n.digit_string = true;
    n.rules.push_back("numeral.digit_string");
    return n;
  }
  // Approximation markers inside (十余万) carry a qualifier and no value.
  std::vector<Token> plain;
  for (const auto& k : toks) {
    if (k.type == Token::Type::approx) {
      n.qualifier = r.approx[size_t(k.approx_index)].qualifier;
      n.rules.push_back(r.approx[size_t(k.approx_index)].name);
    } else {
      plain.push_back(k);
    }
  }
  merge_pairs(plain);
  bool ranged = std::any_of(plain.begin(), plain.end(), [](const Token& k) {
    return k.type == Token::Type::pair || k.type == Token::Type::ji;
  });
  auto stated = eval_range(plain, 0, plain.size(), Mode::stated);
  if (!stated) return std::nullopt;
  n.value = *stated;
  if (ranged) {
    auto lo = eval_range(plain, 0, plain.size(), Mode::low);
    auto hi = eval_range(plain, 0, plain.size(), Mode::high);
    if (lo && hi) {
      n.low = *lo;
      n.high = *hi;
      if (n.value.is_zero()) n.value = *lo;
      n.rules.push_back("numeral.approximate_range");
    }
  }
  return n;
}

// The numeral at `i`, or nullopt; `next` receives where scanning goes on.
std::optional<Numeral> numeral_at(const Scanner& sc, size_t i, size_t* next) {
  bool overflow = false;
  std::vector<Token> toks = collect(sc, i, &overflow);
  if (overflow) {
    *next = toks.back().end;
    return std::nullopt;
  }
  // A numeral cannot start with a big unit (万宁), a lone point or 几 (几 handled as start below).
  while (!toks.empty() && toks.front().type == Token::Type::big) {
    *next = toks.front().end;
    return std::nullopt;
  }
  if (toks.empty()) {
    *next = i + 1;
    return std::nullopt;
  }
  while (!toks.empty()) {
    if (auto n = evaluate(toks, sc.r_)) {
      *next = n->end;
      return n;
    }
    toks.pop_back();  // the longest prefix that is a numeral
  }
  *next = i + 1;
  return std::nullopt;
}

bool starts_numeral(const Scanner& sc, size_t i) {
  char32_t c = sc.s_[i];
  if (is_ascii_digit(c)) return true;
  const auto* info = char_info(sc.r_, c);
  if (info && info->type != CharType::point && info->type != CharType::big_unit) return true;
  // 几十, 几百: 几 before a unit.
  if (c == U'几' && i + 1 < sc.s_.size()) {
    const auto* next = char_info(sc.r_, sc.s_[i + 1]);
    return next && next->type == CharType::small_unit;
  }
  return false;
}

// "分之" possibly with spaces: returns the index after it, or 0.
size_t fraction_infix_end(std::u32string_view s, size_t i) {
  size_t p = i;
  auto skip = [&] {
    while (p < s.size() && is_space(s[p]) && p - i < 6) ++p;
  };
  skip();
  if (p >= s.size() || s[p] != U'分') return 0;
  ++p;
  skip();
  if (p >= s.size() || s[p] != U'之') return 0;
  ++p;
  skip();
  return p;
}

bool bare_unit(const Numeral& n, std::u32string_view s, const NumberRules& r) {
  if (n.end - n.begin != 1) return false;
  const auto* info = char_info(r, s[n.begin]);
  return info && (info->type == CharType::small_unit || info->type == CharType::big_unit);
}

std::optional<Numeral> signed_numeral_at(const Scanner& sc, size_t i, size_t* next) {
  return numeral_at(sc, i, next);
}

}  // namespace

std::vector<Numeral> find_numerals(std::u32string_view s, const NumberRules& r) {
  Scanner sc(s, r);
  std::vector<Numeral> out;
  size_t i = 0, n = s.size();
  while (i < n) {
    // Negative sign: 负 always; '-' only where it cannot be a range dash.
    size_t neg_len = 0;
    if (auto m = r.negative_words.longest_at(s, i)) {
      bool dash = s[i] == '-';
      bool after_number = i > 0 && (is_ascii_digit(s[i - 1]) || char_info(r, s[i - 1]) || is_ascii_alpha(s[i - 1]));
      if (!(dash && after_number) && i + m.len < n && starts_numeral(sc, i + m.len)) neg_len = m.len;
    }
    size_t start = i + neg_len;
    if (start >= n || !starts_numeral(sc, start)) {
      ++i;
      continue;
    }
    size_t next = start + 1;
    auto num = signed_numeral_at(sc, start, &next);
    if (!num) {
      i = std::max(next, i + 1);
      continue;
    }
    // Fractions: 三分之一, 3又一千分之23; 百分之 alone is the percent prefix, left to facts.
    if (size_t after = fraction_infix_end(s, num->end); after && after < n && starts_numeral(sc, after)) {
      size_t next2 = after + 1;
      if (auto den = numeral_at(sc, after, &next2)) {
        if (bare_unit(*num, s, r)) {
          out.push_back(*den);
          i = den->end;
          continue;
        }
        if (auto q = den->value.div(num->value, 15)) {
          Numeral f = *num;
          f.end = den->end;
          f.value = *q;
          f.form = Numeral::Form::fraction;
          f.low.reset();
          f.high.reset();
          f.rules.push_back("numeral.fraction");
          f.chinese = f.chinese || den->chinese;
          f.arabic = f.arabic || den->arabic;
          num = f;
        }
      }
    }
    if (neg_len) {
      num->begin = uint32_t(i);
      num->value = num->value.negated();
      if (num->low) num->low = num->low->negated();
      if (num->high) num->high = num->high->negated();
      num->rules.insert(num->rules.begin(), r.negative_rule);
    }
    i = num->end;
    out.push_back(std::move(*num));
  }
  return out;
}

std::optional<Decimal> parse_numeral(std::u32string_view text, const NumberRules& rules) {
  auto all = find_numerals(text, rules);
  if (all.size() != 1 || all[0].begin != 0 || all[0].end != text.size()) return std::nullopt;
  return all[0].value;
}

}  // namespace digestx
