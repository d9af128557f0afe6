// Step 1 of reading a numeral: the characters at a position become tokens (digits,
// units, Arabic numbers, 点 fractions, 余/多 marks), collected while the local grammar
// of numerals holds. Plain data out: a Tokens buffer.
#include "figure_digits.hpp"
#include "numeral_scan.hpp"

namespace digestx::numerals {

namespace {

// The local grammar of numerals, checked token by token while collecting: no two
// digits side by side outside a leading run of digits (二〇二二, 两三百), small units
// falling within a section (not 十十), nothing but a big unit after 点…, no smaller big
// unit right after a big one (亿万). Cheap and linear; `evaluate` has the last word.
class LocalGrammar {
 public:
  bool accepts(const Token& t) const {
    bool leading = all_digits_ && (t.type == Token::Type::num || t.type == Token::Type::zero) && !t.arabic &&
                   t.digit >= 0;
    switch (t.type) {
      case Token::Type::num:
      case Token::Type::ji:
      case Token::Type::pair:
      case Token::Type::zero:
        return !point_ && (!digit_ || leading || pairs_with_unit_digit(t));
      case Token::Type::small:
      case Token::Type::tens:
        return !point_ && t.power < last_small_ && !(t.type == Token::Type::tens && digit_);
      case Token::Type::point_digits:
        return !point_;
      case Token::Type::big:
        return !(prev_big_ && t.power < last_big_);
      case Token::Type::approx:
        return true;
    }
    return false;
  }

  void push(const Token& t) {
    bool chinese_digit = (t.type == Token::Type::num || t.type == Token::Type::zero) && !t.arabic && t.digit >= 0;
    // The digit after a small unit (the 五 of 十五) may take a consecutive one after it,
    // once: 十五六万元 is 15-16万 (read apart, it gave 六万元 = 60000 without a word).
    unit_digit_ = chinese_digit && !digit_ && last_small_ != 99 && !all_digits_ ? t.digit : -1;
    all_digits_ = all_digits_ && chinese_digit;
    switch (t.type) {
      case Token::Type::num:
      case Token::Type::ji:
      case Token::Type::pair:
        digit_ = true;
        break;
      case Token::Type::zero:
        digit_ = all_digits_;
        break;
      case Token::Type::small:
      case Token::Type::tens:
        last_small_ = t.power;
        digit_ = false;
        break;
      case Token::Type::point_digits:
        point_ = true;
        digit_ = false;
        break;
      case Token::Type::big:
        last_small_ = 99;
        last_big_ = t.power;
        digit_ = point_ = false;
        break;
      case Token::Type::approx:
        break;
    }
    prev_big_ = t.type == Token::Type::big;
  }

 private:
  // 十五六, 二十七八, 三十五六万: a Chinese digit right after the unit's digit, one more
  // than it: `evaluate` makes the two a range (TokenReader::consecutive).
  bool pairs_with_unit_digit(const Token& t) const {
    // One more only (十三五 stays 十三; 三五个, a few, is a range only on its own). The plans
    // 十四五, 十五五 are consecutive: exclusions.json set phrases keep them no figure.
    return unit_digit_ > 0 && !t.arabic && t.digit == unit_digit_ + 1;
  }
  int unit_digit_ = -1;
  int last_small_ = 99, last_big_ = -1;
  bool digit_ = false, point_ = false, prev_big_ = false, all_digits_ = true;
};

}  // namespace

bool TokenReader::separator_at(size_t p, size_t start) const {
  if (p == 0 || !digit_at(p + 1) || !digit_at(p + 2) || !digit_at(p + 3)) return false;
  if (digit_at(p + 4)) return false;
  if (in(r_.thousands_separators, s_[p])) return true;
  if (in(r_.space_separators, s_[p])) return space_group_at(p, start);
  return in(r_.fullwidth_separators, s_[p]) && fullwidth_at(p - 1) && fullwidth_at(p + 1) && fullwidth_at(p + 2) &&
         fullwidth_at(p + 3);
}

// White space between groups of three digits (投入5 000万元, 党员1 200名) groups
// thousands: read apart, 5 000万元 was 000万元 (0 元) and 1 200名 was 200名, without a
// word. Never in a column of figures: not when the number follows another across white
// space (城关镇 12 360 98.5%), nor when the group is followed by white space that does
// not open another group of three (12 360 98.5%: 360 stands alone).
bool TokenReader::space_group_at(size_t p, size_t start) const {
  if (start >= 2 && in(r_.space_separators, s_[start - 1]) && digit_at(start - 2)) return false;
  size_t after = p + 4, q = after;
  while (q < s_.size() && in(r_.space_separators, s_[q])) ++q;
  // Digits after white space: another group of three, or the next column.
  if (q > after && q < s_.size() && is_ascii_digit(s_[q])) return separator_at(after, start);
  return true;  // 共 1 200 人参加: the unit after a space
}

bool TokenReader::arabic(size_t i, Token& t) const {
  size_t n = s_.size(), p = i;
  t.type = Token::Type::num;
  t.arabic = true;
  t.begin = uint32_t(i);
  FigureDigits ascii;  // no string per figure: 60,000 figures per 2 MB
  bool chain = i >= 2 && is_point(i - 1) && digit_at(i - 2);
  if (is_point(i)) {
    // .5, -.5; not ...9 or 2.5.5
    if (!digit_at(i + 1) || (i > 0 && (digit_at(i - 1) || is_point(i - 1)))) return false;
    ascii.push('0');
  } else {
    while (p < n && is_ascii_digit(s_[p])) ascii.push(char(s_[p++]));
    if (p - i <= 3) {
      while (p < n && separator_at(p, i)) {
        for (size_t k = p + 1; k < p + 4; ++k) ascii.push(char(s_[k]));
        p += 4;
        t.separators = true;
      }
    }
  }
  t.arabic_digits = int(ascii.size());
  // The fraction after a point: 12.5, or in running text 12. 5 and 1 . 5 (spaced_fraction_at).
  size_t fraction = 0;
  if (!chain && is_point(p) && digit_at(p + 1)) fraction = p + 1;
  if (!chain && !fraction && p > i && !t.separators && damage_may_follow(p)) fraction = spaced_fraction_at(i, p);
  if (fraction) {
    size_t q = fraction;
    while (q < n && is_ascii_digit(s_[q])) ++q;
    if (!(is_point(q) && digit_at(q + 1))) {
      ascii.push('.');
      for (size_t k = fraction; k < q; ++k) ascii.push(char(s_[k]));
      t.point = true;
      t.spaced_point = fraction != p + 1;
      p = q;
    }
  }
  t.end = uint32_t(p);
  if (p == i) return false;
  auto v = ascii.value();
  if (!v || size_t(t.arabic_digits) > r_.arabic_max_digits) {
    t.overflow = true;  // too long to hold: the caller skips it
    return true;
  }
  t.value = *v;
  t.single_digit = ascii.size() == 1;
  return true;
}

bool TokenReader::point_digits(size_t i, int rule, Token& t) const {
  size_t p = skip_spaces(i + 1, kMaxInnerSpaces), n = s_.size();
  auto decimal_digit = [&](size_t k) { return k < n && in(r_.decimal_digit_chars, s_[k]); };
  std::string ascii = "0.";
  size_t q = p;
  while (decimal_digit(q) && ascii.size() < 40) {
    const auto* d = r_.info(s_[q]);
    ascii += char('0' + (d && d->type == CharType::digit ? d->value : 0));
    ++q;
    size_t r = skip_spaces(q, 1);
    if (r > q && decimal_digit(r)) q = r;
  }
  if (q == p) return false;
  auto v = Decimal::parse(ascii);
  if (!v) return false;
  t.type = Token::Type::point_digits;
  t.begin = uint32_t(i);
  t.end = uint32_t(q);
  t.rule = rule;
  t.value = *v;
  return true;
}

bool TokenReader::token(size_t i, bool started, Token& t) const {
  if (i >= s_.size()) return false;
  char32_t c = s_[i];
  if (is_ascii_digit(c) || (!started && is_point(i))) return arabic(i, t);
  t.begin = uint32_t(i);
  t.end = uint32_t(i + 1);
  if (const auto* info = r_.info(c)) {
    t.rule = info->rule;
    switch (info->type) {
      case CharType::digit:
        t.digit = info->value;
        if (info->value == 0) {
          t.type = Token::Type::zero;
        } else {
          t.type = Token::Type::num;
          t.value = Decimal::of(info->value);
          t.single_digit = true;
          t.leading_only = in(r_.leading_only, c);
        }
        return true;
      case CharType::small_unit:
        t.type = Token::Type::small;
        t.power = info->value;
        return true;
      case CharType::big_unit:
        t.type = Token::Type::big;
        t.power = info->value;
        return true;
      case CharType::tens:
        // 廿五 = 25: like 二十 followed by a digit.
        t.type = Token::Type::tens;
        t.value = Decimal::of(info->value);
        t.power = 1;
        return true;
      case CharType::point:
        return started && point_digits(i, info->rule, t);
      default:
        return false;
    }
  }
  if (in(r_.ji_chars, c) && (started || unit_char_at(i + 1))) {
    t.type = Token::Type::ji;
    t.single_digit = true;
    return true;
  }
  // 半百 = 50: half of the unit after it.
  if (!started && in(r_.half_chars, c) && unit_char_at(i + 1)) {
    t.type = Token::Type::num;
    t.value = *Decimal::parse("0.5");
    t.rule = -3;
    return true;
  }
  if (started) {
    if (auto m = r_.approx_inside.longest_at(s_, i)) {
      t.type = Token::Type::approx;
      t.end = uint32_t(i + m.len);
      t.approx_index = m.value;
      return true;
    }
  }
  return false;
}

bool TokenReader::token_after_spaces(size_t p, TokenSpan toks, Token& t) const {
  if (token(p, !toks.empty(), t)) return true;
  if (toks.empty()) return false;
  size_t q = skip_spaces(p, kMaxInnerSpaces);
  if (q == p) return false;
  t = Token();  // a failed reading may leave its marks
  // "1, 234" are three numbers
  return token(q, true, t) && !(toks.back().arabic && t.arabic);
}

void TokenReader::collect(size_t i, Tokens& toks, bool* too_long, size_t* run_end, bool* overflow) const {
  toks.clear();
  LocalGrammar grammar;
  size_t p = i;
  while (p < s_.size()) {
    Token& t = toks.read_slot();
    if (!token_after_spaces(p, toks, t)) break;
    if (t.overflow) {
      *too_long = true;
      *overflow = true;
      *run_end = t.end;
      toks.clear();
      return;
    }
    if (!toks.empty()) {
      const Token& last = toks.back();
      // Two numbers never join; nor does an Arabic number follow a Chinese digit.
      if (t.type == Token::Type::num && last.type == Token::Type::num && (t.arabic || last.arabic)) break;
      // 余/多 only between a numeral and a unit: 十余万, 五百 余万.
      if (t.type == Token::Type::approx) {
        Token next;
        if (!token_after_spaces(t.end, toks, next) || !is_unit(next)) break;
      }
    }
    if (!grammar.accepts(t)) break;
    grammar.push(t);
    toks.keep_read();
    p = t.end;
    if (toks.size() > kMaxTokens) {
      *too_long = true;
      for (Token more; token_after_spaces(p, toks, more); more = Token()) p = std::max<size_t>(more.end, p + 1);
      *run_end = p;
      toks.clear();
      return;
    }
  }
  while (!toks.empty() && toks.back().type == Token::Type::approx) toks.pop_back();
}

void TokenReader::cut_leading_only(Tokens& toks) {
  for (size_t k = 1; k < toks.size(); ++k) {
    if (!toks[k].leading_only) continue;
    bool before_unit = k + 1 < toks.size() && is_unit(toks[k + 1]);
    bool after_one = toks[k - 1].digit == 1 && (k + 1 == toks.size() || is_unit(toks[k + 1]));
    if (!before_unit && !after_one) {
      toks.shrink_to(k);
      return;
    }
  }
}

bool TokenReader::chinese_digit(const Token& t) {
  return (t.type == Token::Type::num || t.type == Token::Type::zero) && !t.arabic && t.digit >= 0;
}

bool TokenReader::consecutive(const Token& a, const Token& b) {
  return a.digit > 0 && b.digit > 0 && (b.digit == a.digit + 1 || (a.digit == 3 && b.digit == 5));
}

}  // namespace digestx::numerals
