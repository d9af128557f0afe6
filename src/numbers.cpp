#include "digestx/numbers.hpp"

#include <algorithm>
#include <new>
#include <stdexcept>
#include <type_traits>

#include "digestx/utf.hpp"

namespace digestx {

namespace {

using CharType = NumberRules::CharType;

// A numeral holds at most this many tokens: a longer run of numeral characters is no
// number and is skipped in one step. With the backing off in `core_at` this bounds
// the work per numeral, so the recogniser stays linear in its input.
constexpr size_t kMaxTokens = 40;
// Shorter prefixes tried when a numeral does not evaluate, before the first token alone.
constexpr size_t kMaxBackoff = 6;
// Spaces between the tokens of one numeral (一百 五 十 二, 1000  万) and inside 分之.
constexpr size_t kMaxInnerSpaces = 2;
constexpr size_t kMaxInfixSpaces = 3;
// Places kept for the value of a fraction in the numbers list (facts round further).
constexpr int kFractionDigits = 15;

struct Token {
  enum class Type { num, zero, small, big, tens, point_digits, approx, ji, pair } type = Type::num;
  Decimal value;   // num, tens, point_digits (0.xxx), pair (low digit)
  Decimal high;    // pair: high digit
  int power = 0;   // small, big
  int digit = -1;  // a single Chinese digit 0-9, else -1
  bool single_digit = false;  // one digit: may stand for a dropped unit (一万三)
  bool arabic = false, separators = false, point = false;
  bool leading_only = false;  // 两: before a unit or alone
  int arabic_digits = 0;
  int approx_index = -1;
  uint32_t begin = 0, end = 0;
  int rule = -1;
  bool overflow = false;  // Arabic digits too many to hold
};
static_assert(std::is_trivially_copyable_v<Token> && std::is_trivially_destructible_v<Token>);

// A read-only run of tokens: a numeral's, or a prefix of them.
struct TokenSpan {
  const Token* data = nullptr;
  size_t count = 0;
  size_t size() const { return count; }
  bool empty() const { return count == 0; }
  const Token& operator[](size_t k) const { return data[k]; }
  const Token& front() const { return data[0]; }
  const Token& back() const { return data[count - 1]; }
  const Token* begin() const { return data; }
  const Token* end() const { return data + count; }
};

// The tokens of one numeral, at most kMaxTokens + 1, held in place and left
// uninitialised until pushed: collecting them, and trying shorter readings of them,
// allocates and copies nothing (a vector per candidate and a copy per retry were
// 135,000 allocations per 2 MB of text).
class Tokens {
 public:
  static constexpr size_t kCapacity = kMaxTokens + 1;
  Tokens() {}  // the buffer stays uninitialised
  void push_back(const Token& t) {
    if (size_ == kCapacity) throw std::logic_error("more numeral tokens than kMaxTokens + 1");
    new (buf_ + size_ * sizeof(Token)) Token(t);
    ++size_;
  }
  void pop_back() { --size_; }
  void shrink_to(size_t n) { size_ = std::min(n, size_); }
  void clear() { size_ = 0; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Token& operator[](size_t k) { return data()[k]; }
  const Token& operator[](size_t k) const { return data()[k]; }
  const Token& front() const { return data()[0]; }
  const Token& back() const { return data()[size_ - 1]; }
  const Token* begin() const { return data(); }
  const Token* end() const { return data() + size_; }
  TokenSpan prefix(size_t n) const { return {data(), std::min(n, size_)}; }
  operator TokenSpan() const { return {data(), size_}; }

 private:
  Token* data() { return std::launder(reinterpret_cast<Token*>(buf_)); }
  const Token* data() const { return std::launder(reinterpret_cast<const Token*>(buf_)); }
  alignas(Token) unsigned char buf_[kCapacity * sizeof(Token)];
  size_t size_ = 0;
};

bool in(std::u32string_view set, char32_t c) { return set.find(c) != std::u32string_view::npos; }
bool is_unit(const Token& t) { return t.type == Token::Type::small || t.type == Token::Type::big; }
bool is_fullwidth_digit(char32_t c) { return c >= 0xFF10 && c <= 0xFF19; }

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
        return !point_ && (!digit_ || leading);
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
  int last_small_ = 99, last_big_ = -1;
  bool digit_ = false, point_ = false, prev_big_ = false, all_digits_ = true;
};

// ------------------------------------------------------------ the scanner

// A numeral before signs, fractions and the checks of context.
struct Core {
  Numeral n;
  bool units_only = false;   // 百, 千万, 百万: units with no digit
  int units_power = 0;       // their power of ten
  bool starts_with_ten = false;
  bool arabic_integer = false;  // one Arabic token, no point, no separator
};

class Scanner {
 public:
  Scanner(std::u32string_view s, const NumberRules& r, std::u32string_view source)
      : s_(s), r_(r), src_(source.size() == s.size() ? source : std::u32string_view()) {}

  // Whether a numeral (or its sign) may start at i; cheap, no lookahead beyond one.
  bool could_start(size_t i) const {
    char32_t c = s_[i];
    if (c < r_.may_start.size() && !r_.may_start[c]) return false;
    if (is_ascii_digit(c)) return true;
    // A big unit starts a numeral only as a denominator: 万分之三.
    if (const auto* info = r_.info(c)) return info->type != CharType::point;
    if (in(r_.arabic_points, c)) return i + 1 < s_.size() && is_ascii_digit(s_[i + 1]);
    if (in(r_.ji_chars, c) || in(r_.half_chars, c)) return true;
    return bool(r_.negative_words.longest_at(s_, i));
  }

  // The end of a not-numeral word (一切, 十四五, 四川) covering i, or 0. Called with
  // rising i; every start position is looked up once.
  size_t not_numeral_end(size_t i) {
    const Lexicon& words = r_.not_numerals;
    if (phrase_cursor_ + words.max_len() < i) phrase_cursor_ = i - words.max_len();
    for (; phrase_cursor_ <= i; ++phrase_cursor_) {
      size_t start = phrase_cursor_;
      auto m = words.longest_at(s_, start);
      if (!m || start + m.len <= phrase_cover_end_) continue;
      auto ex = r_.not_numeral_exceptions.longest_at(s_, start);
      if (ex && ex.len >= m.len) continue;
      if (r_.ordinal_prefixes.longest_ending_at(s_, start)) continue;  // 第一批
      if (m.value == NumberRules::kSetPhrase && numeral_and_unit(start, m.len)) continue;  // 三家村 or 三家企业
      phrase_cover_end_ = start + m.len;
    }
    return phrase_cover_end_ > i ? phrase_cover_end_ : 0;
  }

  // Whether [b, b + len) is one numeral character and a unit word (三家, 一批).
  bool numeral_and_unit(size_t b, size_t len) const {
    if (len < 2 || !r_.info(s_[b])) return false;
    auto u = r_.unit_words.longest_at(s_, b + 1);
    return u && u.len == len - 1;
  }

  // A signed numeral, fraction or mixed number at i; `next` receives where to go on
  // when there is none.
  std::optional<Numeral> parse_at(size_t i, size_t* next) const {
    size_t sign = sign_at(i);
    auto c = core_at(i + sign, next);
    if (!c) return std::nullopt;
    if (c->n.unrepresentable) {
      c->n.begin = uint32_t(i);
      return c->n;
    }
    if (auto f = fraction_after(*c, i, sign > 0)) return f;
    // Units with no digit are no numeral (百分点, 千万不要) except before a unit word
    // (百吨, 千人), also after an approximation mark (百余个, 万余人次); 十 and 十万
    // are numerals.
    if (c->units_only && !c->starts_with_ten && !r_.unit_words.longest_at(s_, c->n.end) &&
        !approx_then_unit(c->n.end)) {
      *next = c->n.end;
      return std::nullopt;
    }
    Numeral n = std::move(c->n);
    if (auto m = mixed_after(n, c->arabic_integer)) n = std::move(*m);
    if (sign) negate(n, i);
    return n;
  }

  // A one-character numeral only counts where the next word shows it is one (一只,
  // 十斤, 第三, 四、) and not where it starts an ordinary word (一切, 四川).
  bool single_ok(const Numeral& n) const {
    if (n.end - n.begin != 1 || n.arabic || n.per_power || n.form != Numeral::Form::plain) return true;
    char32_t c = s_[n.begin];
    if (in(r_.never_alone, c)) return false;
    if (in(r_.leading_only, c) && n.begin > 0 && (digit_or_unit(n.begin - 1) || is_ascii_digit(s_[n.begin - 1])))
      return false;  // 二两, 两万两: the weight unit
    if (r_.ordinal_prefixes.longest_ending_at(s_, n.begin)) return true;
    if (r_.single_rule.empty()) return true;
    if (n.end >= s_.size() || !is_han(s_[n.end])) return true;
    return bool(r_.single_followers.longest_at(s_, n.end));
  }

 private:
  bool is_point(size_t i) const { return i < s_.size() && in(r_.arabic_points, s_[i]); }
  bool digit_at(size_t i) const { return i < s_.size() && is_ascii_digit(s_[i]); }
  bool fullwidth_at(size_t i) const { return i < src_.size() && is_fullwidth_digit(src_[i]); }

  size_t skip_spaces(size_t p, size_t max) const {
    size_t q = p;
    while (q < s_.size() && is_space(s_[q]) && q - p < max) ++q;
    return q;
  }

  // A thousands separator at p followed by exactly three digits: 1,234 and ４，５６５.
  bool separator_at(size_t p) const {
    if (p == 0 || !digit_at(p + 1) || !digit_at(p + 2) || !digit_at(p + 3)) return false;
    if (digit_at(p + 4)) return false;
    if (in(r_.thousands_separators, s_[p])) return true;
    return in(r_.fullwidth_separators, s_[p]) && fullwidth_at(p - 1) && fullwidth_at(p + 1) && fullwidth_at(p + 2) &&
           fullwidth_at(p + 3);
  }

  // Arabic number at i: digits, thousands separators, decimal point; ".5" too. In a
  // dotted chain (2222.2222.22222, 2022.3.15) every part is an integer.
  std::optional<Token> arabic(size_t i) const {
    size_t n = s_.size(), p = i;
    Token t;
    t.type = Token::Type::num;
    t.arabic = true;
    t.begin = uint32_t(i);
    std::string ascii;
    bool chain = i >= 2 && is_point(i - 1) && digit_at(i - 2);
    if (is_point(i)) {
      // .5, -.5; not ...9 or 2.5.5
      if (!digit_at(i + 1) || (i > 0 && (digit_at(i - 1) || is_point(i - 1)))) return std::nullopt;
      ascii = "0";
    } else {
      while (p < n && is_ascii_digit(s_[p])) ascii += char(s_[p++]);
      if (p - i <= 3) {
        while (p < n && separator_at(p)) {
          for (size_t k = p + 1; k < p + 4; ++k) ascii += char(s_[k]);
          p += 4;
          t.separators = true;
        }
      }
    }
    t.arabic_digits = int(ascii.size());
    if (!chain && is_point(p) && digit_at(p + 1)) {
      size_t q = p + 1;
      while (q < n && is_ascii_digit(s_[q])) ++q;
      if (!(is_point(q) && digit_at(q + 1))) {
        ascii += '.';
        for (size_t k = p + 1; k < q; ++k) ascii += char(s_[k]);
        t.point = true;
        p = q;
      }
    }
    t.end = uint32_t(p);
    if (p == i) return std::nullopt;
    auto v = Decimal::parse(ascii);
    if (!v || size_t(t.arabic_digits) > r_.arabic_max_digits) {
      t.overflow = true;  // too long to hold: the caller skips it
      return t;
    }
    t.value = *v;
    t.single_digit = ascii.size() == 1;
    return t;
  }

  // Chinese decimal digits after 点 (spaces allowed: 四百 点 五, 十点 五).
  std::optional<Token> point_digits(size_t i, int rule) const {
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
    if (q == p) return std::nullopt;
    Token t;
    t.type = Token::Type::point_digits;
    t.begin = uint32_t(i);
    t.end = uint32_t(q);
    t.rule = rule;
    auto v = Decimal::parse(ascii);
    if (!v) return std::nullopt;
    t.value = *v;
    return t;
  }

  // A big unit standing alone for its power of ten, only where an approximation mark
  // and a unit word follow (万余人次, 万多名) or a unit word and a bound (亿元以上项目);
  // 万人, 万众, 数亿元以上 stay words.
  std::optional<Core> bare_big_unit(size_t i) const {
    const auto* info = i < s_.size() ? r_.info(s_[i]) : nullptr;
    if (!info || info->type != CharType::big_unit) return std::nullopt;
    bool bounded = !approx_then_unit(i + 1) && unit_then_bound(i + 1);
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

  // 元以上, 亩以下: a unit word, then a bound; not after 数, 几, 上 (数亿元以上, 上万人以上).
  bool unit_then_bound(size_t i) const {
    if (r_.bare_big_rule.empty() || (i >= 2 && r_.bare_big_not_after.longest_ending_at(s_, i - 1))) return false;
    if (i >= 2 && (r_.info(s_[i - 2]) || is_ascii_digit(s_[i - 2]))) return false;  // 3亿元: no bare unit
    auto unit = r_.unit_words.longest_at(s_, i);
    return unit && bool(r_.bare_big_bounds.longest_at(s_, i + unit.len));
  }

  // 余个, 多名: an approximation mark, then a unit word.
  bool approx_then_unit(size_t i) const {
    auto mark = r_.approx_inside.longest_at(s_, i);
    return mark && bool(r_.unit_words.longest_at(s_, i + mark.len));
  }

  bool digit_or_unit(size_t i) const {
    const auto* info = r_.info(s_[i]);
    return info && info->type != CharType::point;
  }

  bool unit_char_at(size_t i) const {
    const auto* info = i < s_.size() ? r_.info(s_[i]) : nullptr;
    return info && (info->type == CharType::small_unit || info->type == CharType::big_unit);
  }

  // One token at i (no white space skipping), or nullopt.
  std::optional<Token> token(size_t i, bool started) const {
    if (i >= s_.size()) return std::nullopt;
    char32_t c = s_[i];
    if (is_ascii_digit(c) || (!started && is_point(i))) return arabic(i);
    Token t;
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
          return point_digits(i, info->rule);
        default:
          return std::nullopt;
      }
    }
    if (in(r_.ji_chars, c) && (started || unit_char_at(i + 1))) {
      t.type = Token::Type::ji;
      t.single_digit = true;
      return t;
    }
    // 半百 = 50: half of the unit after it.
    if (!started && in(r_.half_chars, c) && unit_char_at(i + 1)) {
      t.type = Token::Type::num;
      t.value = *Decimal::parse("0.5");
      t.rule = -3;
      return t;
    }
    if (started) {
      if (auto m = r_.approx_inside.longest_at(s_, i)) {
        t.type = Token::Type::approx;
        t.end = uint32_t(i + m.len);
        t.approx_index = m.value;
        return t;
      }
    }
    return std::nullopt;
  }

  // The next token after `p`, white space allowed in between; nullopt if none.
  std::optional<Token> token_after_spaces(size_t p, TokenSpan toks) const {
    auto t = token(p, !toks.empty());
    if (t || toks.empty()) return t;
    size_t q = skip_spaces(p, kMaxInnerSpaces);
    if (q == p) return std::nullopt;
    t = token(q, true);
    if (t && toks.back().arabic && t->arabic) return std::nullopt;  // "1, 234" are three numbers
    return t;
  }

  // The tokens of the numeral starting at i, into `toks`. `too_long` is set (and
  // `run_end` to where the run of numeral characters ends, `toks` left empty) when
  // there are more than a numeral can hold.
  void collect(size_t i, Tokens& toks, bool* too_long, size_t* run_end, bool* overflow) const {
    toks.clear();
    LocalGrammar grammar;
    size_t p = i;
    while (p < s_.size()) {
      auto t = token_after_spaces(p, toks);
      if (!t) break;
      if (t->overflow) {
        *too_long = true;
        *overflow = true;
        *run_end = t->end;
        toks.clear();
        return;
      }
      if (!toks.empty()) {
        const Token& last = toks.back();
        // Two numbers never join; nor does an Arabic number follow a Chinese digit.
        if (t->type == Token::Type::num && last.type == Token::Type::num && (t->arabic || last.arabic)) break;
        // 余/多 only between a numeral and a unit: 十余万, 五百 余万.
        if (t->type == Token::Type::approx) {
          auto next = token_after_spaces(t->end, toks);
          if (!next || !is_unit(*next)) break;
        }
      }
      if (!grammar.accepts(*t)) break;
      grammar.push(*t);
      toks.push_back(*t);
      p = t->end;
      if (toks.size() > kMaxTokens) {
        *too_long = true;
        while (auto more = token_after_spaces(p, toks)) p = std::max<size_t>(more->end, p + 1);
        *run_end = p;
        toks.clear();
        return;
      }
    }
    while (!toks.empty() && toks.back().type == Token::Type::approx) toks.pop_back();
  }

  // 两 before a unit or alone, or closing a range with 一 (一两); never the last digit.
  static void cut_leading_only(Tokens& toks) {
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

  static bool chinese_digit(const Token& t) {
    return (t.type == Token::Type::num || t.type == Token::Type::zero) && !t.arabic && t.digit >= 0;
  }

  static bool consecutive(const Token& a, const Token& b) {
    return a.digit > 0 && b.digit > 0 && (b.digit == a.digit + 1 || (a.digit == 3 && b.digit == 5));
  }

  // Reads tokens [b, e) digit by digit: 二〇二二, 七五(折).
  std::optional<Numeral> digit_string(TokenSpan toks, size_t b, size_t e) const {
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
    n.rules.push_back("numeral.digit_string");
    return n;
  }

  void add_rules(Numeral& n, TokenSpan toks, size_t b, size_t e) const {
    if (toks[b].arabic) n.rules.push_back(r_.arabic_rule);
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

  // Whether one of the two-digit words (折) follows p, white space allowed.
  bool two_digit_word_at(size_t p) const {
    return !r_.two_digit_before.empty() && r_.two_digit_before.longest_at(s_, skip_spaces(p, kMaxInnerSpaces));
  }

  std::optional<Numeral> evaluate(TokenSpan toks) const {
    // 零 alone (清零, 零容忍) says nothing.
    if (std::all_of(toks.begin(), toks.end(), [](const Token& k) { return k.type == Token::Type::zero; }))
      return std::nullopt;
    Numeral n;
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
      if (d) d->rules = n.rules, d->rules.push_back("numeral.digit_string");
      return d;
    }
    // Approximation markers inside (十余万) carry a qualifier and no value.
    Tokens plain;
    for (const auto& k : toks) {
      if (k.type == Token::Type::approx) {
        n.qualifier = r_.approx[size_t(k.approx_index)].qualifier;
        n.rules.push_back(r_.approx[size_t(k.approx_index)].name);
      } else {
        plain.push_back(k);
      }
    }
    // 两三, 五六百: two consecutive digits are a range.
    Tokens merged;
    for (size_t i = 0; i < plain.size(); ++i) {
      if (i + 1 < plain.size() && chinese_digit(plain[i]) && chinese_digit(plain[i + 1]) &&
          consecutive(plain[i], plain[i + 1])) {
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
    bool ranged = std::any_of(merged.begin(), merged.end(), [](const Token& k) {
      return k.type == Token::Type::pair || k.type == Token::Type::ji;
    });
    bool overflow = false;
    auto stated = eval_range(merged, 0, merged.size(), Mode::stated, overflow);
    if (!stated) {
      if (!overflow) return std::nullopt;
      n.unrepresentable = true;  // no shorter reading: 一亿亿亿亿亿 is not 一亿亿亿
      return n;
    }
    n.value = *stated;
    if (ranged) {
      auto lo = eval_range(merged, 0, merged.size(), Mode::low, overflow);
      auto hi = eval_range(merged, 0, merged.size(), Mode::high, overflow);
      if (lo && hi) {
        n.low = *lo;
        n.high = *hi;
        if (n.value.is_zero()) n.value = *lo;
        n.rules.push_back("numeral.approximate_range");
      }
    }
    return n;
  }

  // The numeral at i without sign or fraction, or nullopt; `next` receives where
  // scanning goes on when there is none.
  std::optional<Core> core_at(size_t i, size_t* next) const {
    if (auto bare = bare_big_unit(i)) {
      *next = bare->n.end;
      return bare;
    }
    bool too_long = false, overflow = false;
    size_t run_end = i + 1;
    Tokens toks;
    collect(i, toks, &too_long, &run_end, &overflow);
    if (too_long) {
      *next = std::max(run_end, i + 1);
      if (!overflow) return std::nullopt;
      return unrepresentable(i, *next);  // 40 digits: a figure, too long to hold
    }
    if (toks.empty()) {
      *next = i + 1;
      return std::nullopt;
    }
    // 百分之, 万分之, 百万分之: units alone before 分之 are a power of ten.
    if (std::all_of(toks.begin(), toks.end(), is_unit) && infix_end(toks.back().end)) return units_alone(toks, next);
    if (toks.front().type == Token::Type::big) {  // 万宁: no numeral starts with a big unit
      *next = toks.front().end;
      return std::nullopt;
    }
    cut_leading_only(toks);
    Core c;
    Reading first = digit_pairs(toks, c.n, next);
    if (first == Reading::none) return std::nullopt;
    size_t used = toks.size();
    if (first == Reading::open && !longest_prefix(toks, c.n, used)) {
      *next = i + 1;
      return std::nullopt;
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
    return c;
  }

  // Units with no digit before 分之 (百分之, 万分之): a power of ten.
  std::optional<Core> units_alone(const Tokens& toks, size_t* next) const {
    Core c;
    c.units_only = true;
    for (const Token& t : toks) c.units_power += t.power;
    c.starts_with_ten = toks[0].type == Token::Type::small && toks[0].power == 1;
    auto v = Decimal::of(1).shift(c.units_power);
    if (!v) {
      *next = toks.back().end;
      return unrepresentable(toks.front().begin, *next);
    }
    c.n.begin = toks.front().begin;
    c.n.end = toks.back().end;
    c.n.value = *v;
    c.n.chinese = true;
    add_rules(c.n, toks, 0, toks.size());
    *next = c.n.end;
    return c;
  }

  // What the leading digits say: read as a two-digit number (`n` set), no numeral
  // here (`next` set), or open (the grammar decides).
  enum class Reading { read, none, open };

  // Two Chinese digits side by side: 七五(折) is 75, 两三 a range, 九九 no numeral;
  // 7 2 折, two Arabic digits apart before a two-digit word, is 72 (the second digit
  // is added to `toks`).
  Reading digit_pairs(Tokens& toks, Numeral& n, size_t* next) const {
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
      if (auto second = arabic(q)) {
        toks.push_back(*second);
        if (auto d = digit_string(toks, 0, 2)) {
          n = *d;
          return Reading::read;
        }
        toks.pop_back();
      }
    }
    return Reading::open;
  }

  // The longest prefix of `toks` that is a numeral, into `n`, its token count into
  // `used`: cut where the local grammar breaks, then back off a few tokens at most
  // (then to the first token alone). The prefixes are views of `toks`, never copies.
  bool longest_prefix(const Tokens& toks, Numeral& n, size_t& used) const {
    used = toks.size();
    while (used > 0 && toks[used - 1].type == Token::Type::approx) --used;
    for (size_t tries = 0; used > 0; ++tries) {
      if (auto read = evaluate(toks.prefix(used))) {
        n = std::move(*read);
        return true;
      }
      used = tries + 1 < kMaxBackoff ? used - 1 : std::min<size_t>(used - 1, 1);
      while (used > 0 && toks[used - 1].type == Token::Type::approx) --used;
    }
    return false;
  }

  // A figure whose value cannot be held, over [b, e): find_numerals reports it.
  static std::optional<Core> unrepresentable(size_t b, size_t e) {
    Core c;
    c.n.begin = uint32_t(b);
    c.n.end = uint32_t(e);
    c.n.unrepresentable = true;
    return c;
  }

  static std::optional<Numeral> unrepresentable_fraction(const Core& den, size_t begin, size_t end) {
    Numeral f = den.n;
    f.begin = uint32_t(begin);
    f.end = uint32_t(end);
    f.form = Numeral::Form::fraction;
    f.unrepresentable = true;
    return f;
  }

  // 2e5, 1.2E+05, 2^5, 2^-1 after an Arabic number.
  void exponent_after(Numeral& n) const {
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

  // 40k, -2.5 M: a Latin multiplier after an Arabic number.
  void multiplier_after(Numeral& n) const {
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

  // 十打 = 120.
  void dozen_after(Numeral& n) const {
    if (r_.dozen_words.empty() || n.unrepresentable || n.low || n.digit_string || !n.value.is_integer()) return;
    auto m = r_.dozen_words.longest_at(s_, n.end);
    if (!m || r_.dozen_not.longest_at(s_, n.end)) return;
    auto v = n.value.mul(Decimal::of(m.value));
    n.end += m.len;
    if (!v) {
      n.unrepresentable = true;
      return;
    }
    n.value = *v;
    n.rules.push_back(r_.dozen_rule);
  }

  // A minus sign at i: 负 always, a dash only where it cannot be a range dash or a
  // second dash (3-5, －－9). Returns its length or 0.
  size_t sign_at(size_t i) const {
    auto m = r_.negative_words.longest_at(s_, i);
    if (!m) return 0;
    // 负 closing a word of its own is no sign: 为企业减负11.8亿元 is 11.8亿元.
    if (auto w = r_.negative_not.longest_ending_at(s_, i + m.len); w && w.len > m.len) return 0;
    if (s_[i] == '-' && i > 0) {
      char32_t b = s_[i - 1];
      if (is_ascii_digit(b) || r_.info(b) || is_ascii_alpha(b) || b == '-') return 0;
      // After a figure's unit it is a range dash: 10%-20%, 3个-5个.
      if (auto u = r_.unit_words.longest_ending_at(s_, i); u && u.len < i) {
        char32_t f = s_[i - u.len - 1];
        if (is_ascii_digit(f) || r_.info(f)) return 0;
      }
    }
    size_t j = i + m.len;
    if (j >= s_.size() || !could_start(j) || r_.negative_words.longest_at(s_, j)) return 0;
    return m.len;
  }

  void negate(Numeral& n, size_t begin) const {
    n.begin = uint32_t(begin);
    n.value = n.value.negated();
    if (n.low && n.high) {  // 负两三: [-3, -2]
      Decimal low = n.high->negated();
      n.high = n.low->negated();
      n.low = low;
    }
    n.rules.push_front(r_.negative_rule);
  }

  // The end of 分之 at p (spaces allowed around and inside), or 0.
  size_t infix_end(size_t p) const {
    if (r_.fraction_infix.empty()) return 0;
    size_t q = skip_spaces(p, kMaxInfixSpaces);
    for (char32_t c : r_.fraction_infix) {
      if (q >= s_.size() || s_[q] != c) return 0;
      q = skip_spaces(q + 1, kMaxInfixSpaces);
    }
    // spaces after 之 belong to the numerator only if it follows
    return q;
  }

  // a/b between Arabic integers, not in a date such as 2022/3/15.
  bool slash_at(const Core& den, size_t begin) const {
    size_t p = den.n.end;
    if (!den.arabic_integer || p + 1 >= s_.size() || !in(r_.fraction_slash, s_[p]) || !digit_at(p + 1)) return false;
    if (begin >= 2 && in(r_.fraction_slash, s_[begin - 1]) && digit_at(begin - 2)) return false;
    size_t q = p + 1;
    while (digit_at(q)) ++q;
    if (q + 1 < s_.size() && in(r_.fraction_slash, s_[q]) && digit_at(q + 1)) return false;
    if (is_point(q) && digit_at(q + 1)) return false;
    return true;
  }

  // What follows a numeral that makes it a fraction: 分之 (三分之一, 负３分之负一百五十七,
  // 百分之五 as a part-per numeral) or a slash (3/5). `den` starts at `begin` (its sign
  // included when `negative`).
  std::optional<Numeral> fraction_after(const Core& den, size_t begin, bool negative) const {
    size_t after = infix_end(den.n.end);
    bool slash = !after && slash_at(den, begin);
    if (!after && !slash) return std::nullopt;
    if (slash) after = den.n.end + 1;
    size_t sign = slash ? 0 : sign_at(after);
    size_t ignored = 0;
    auto num = core_at(after + sign, &ignored);
    if (!num || (slash && !num->arabic_integer && !num->n.unrepresentable)) return std::nullopt;
    if (num->n.unrepresentable) return unrepresentable_fraction(den, begin, num->n.end);
    if (num->units_only && !num->starts_with_ten && !den.units_only) return std::nullopt;
    Numeral n = num->n;
    if (sign) negate(n, after);
    // 百分之五, 千分之五, 百万分之五: the numerator counts parts per 10^k.
    if (!slash && den.units_only && den.units_power >= 2 && !negative) {
      n.per_power = den.units_power;
      n.per_begin = uint32_t(begin);
      n.rules.push_back(r_.fraction_rule);
      return n;
    }
    if (num->units_only && !num->starts_with_ten) return std::nullopt;
    Decimal d = negative ? den.n.value.negated() : den.n.value;
    // 三分之一 names the denominator first, 1/3 the numerator.
    auto q = slash ? d.div(n.value, kFractionDigits) : n.value.div(d, kFractionDigits);
    if (!q && !(slash ? n.value : d).is_zero()) return unrepresentable_fraction(den, begin, n.end);
    if (!q) return std::nullopt;
    Numeral f = den.n;
    f.begin = uint32_t(begin);
    f.end = n.end;
    f.value = *q;
    f.form = Numeral::Form::fraction;
    f.low.reset();
    f.high.reset();
    f.qualifier = {};
    f.chinese = f.chinese || n.chinese;
    f.arabic = f.arabic || n.arabic;
    f.point = f.point || n.point;
    f.digit_string = false;
    f.rules.push_back(r_.fraction_rule);
    return f;
  }

  // A whole number and a fraction: 三百五又三分之一, 1 3/5.
  std::optional<Numeral> mixed_after(const Numeral& whole, bool arabic_integer) const {
    if (whole.low || !whole.qualifier.empty() || !whole.value.is_integer() || whole.digit_string) return std::nullopt;
    size_t p = skip_spaces(whole.end, kMaxInfixSpaces), start = 0;
    if (auto j = r_.mixed_joiners.longest_at(s_, p)) {
      start = skip_spaces(p + j.len, kMaxInfixSpaces);
    } else if (arabic_integer && p == whole.end + 1 && digit_at(p)) {
      start = p;  // 1 3/5: one space, then an Arabic fraction
    } else {
      return std::nullopt;
    }
    size_t ignored = 0;
    auto den = core_at(start, &ignored);
    if (!den) return std::nullopt;
    auto frac = fraction_after(*den, start, false);
    if (!frac || frac->form != Numeral::Form::fraction || frac->value.negative()) return std::nullopt;
    if (start == p && !slash_at(*den, start)) return std::nullopt;  // the space form is for a/b only
    auto sum = frac->unrepresentable ? std::nullopt : whole.value.add(frac->value);
    Numeral m = whole;
    m.end = frac->end;
    if (!sum) {
      m.unrepresentable = true;
      return m;
    }
    m.value = *sum;
    m.form = Numeral::Form::fraction;
    m.chinese = m.chinese || frac->chinese;
    m.arabic = m.arabic || frac->arabic;
    m.rules.push_back(r_.mixed_rule);
    return m;
  }

  std::u32string_view s_;
  const NumberRules& r_;
  std::u32string_view src_;
  size_t phrase_cursor_ = 0, phrase_cover_end_ = 0;
};

}  // namespace

std::vector<Numeral> find_numerals(std::u32string_view s, const NumberRules& r, std::u32string_view source,
                                   std::vector<Span>* unrepresentable) {
  Scanner sc(s, r, source);
  std::vector<Numeral> out;
  size_t i = 0, n = s.size();
  while (i < n) {
    if (!sc.could_start(i)) {
      ++i;
      continue;
    }
    if (size_t end = sc.not_numeral_end(i)) {  // 一切, 十四五, 四川
      i = end;
      continue;
    }
    size_t next = i + 1;
    auto num = sc.parse_at(i, &next);
    if (!num) {
      i = std::max(next, i + 1);
      continue;
    }
    if (num->unrepresentable) {  // left out, never cut down to a part that fits
      if (unrepresentable) unrepresentable->push_back({num->begin, std::max(num->end, num->begin + 1)});
      i = std::max<size_t>(num->end, i + 1);
      continue;
    }
    if (!sc.single_ok(*num)) {
      i = num->begin + 1;
      continue;
    }
    i = std::max<size_t>(num->end, i + 1);
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
