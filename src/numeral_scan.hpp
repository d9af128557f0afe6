// Internal to the numbers stage (numbers.cpp, numeral_tokens.cpp, numeral_reading.cpp):
// the three steps of reading a numeral, each a class over the same text that hands
// plain data to the next. TokenReader: the characters at a position -> Tokens (一, 百,
// 2,500, 点五, 余). NumeralReader: Tokens -> the longest numeral they spell, its value
// and approximate range (Core: 十几万, 二〇二二, 2e5, 十打). The Scanner of numbers.cpp:
// a Core -> the figure with its sign and fraction (负三, 三分之一, 1 3/5), and which
// numerals count at all (一切, 四川).
#pragma once

#include <algorithm>
#include <cstddef>
#include <new>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <type_traits>

#include "digestx/char_set.hpp"
#include "digestx/numbers.hpp"
#include "digestx/utf.hpp"

namespace digestx::numerals {

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
  bool spaced_point = false;  // 12. 5: a point with white space beside it (numeral.spaced_point)
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
  // The next token is read in place, into the slot after the last (a default Token),
  // and kept by keep_read(): returned through std::optional it was copied three times.
  Token& read_slot() {
    if (size_ == kCapacity) throw std::logic_error("more numeral tokens than kMaxTokens + 1");
    return *new (buf_ + size_ * sizeof(Token)) Token();
  }
  void keep_read() { ++size_; }
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

inline bool in(std::u32string_view set, char32_t c) { return set.find(c) != std::u32string_view::npos; }
inline bool in(const CharSet& set, char32_t c) { return set.has(c); }
inline bool is_unit(const Token& t) { return t.type == Token::Type::small || t.type == Token::Type::big; }
inline bool is_fullwidth_digit(char32_t c) { return c >= 0xFF10 && c <= 0xFF19; }

// A numeral before signs, fractions and the checks of context.
struct Core {
  Numeral n;
  bool units_only = false;   // 百, 千万, 百万: units with no digit
  int units_power = 0;       // their power of ten
  bool starts_with_ten = false;
  bool arabic_integer = false;  // one Arabic token, no point, no separator
};

// The text being read and the lookups every step shares.
class NumeralText {
 public:
  NumeralText(std::u32string_view s, const NumberRules& r, std::u32string_view source)
      : s_(s), r_(r), src_(source.size() == s.size() ? source : std::u32string_view()) {}

 protected:
  bool is_point(size_t i) const { return i < s_.size() && in(r_.arabic_points, s_[i]); }
  bool digit_at(size_t i) const { return i < s_.size() && is_ascii_digit(s_[i]); }
  bool fullwidth_at(size_t i) const { return i < src_.size() && is_fullwidth_digit(src_[i]); }

  size_t skip_spaces(size_t p, size_t max) const {
    size_t q = p;
    while (q < s_.size() && is_space(s_[q]) && q - p < max) ++q;
    return q;
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

  bool unit_char_at(size_t i) const { return i < s_.size() && r_.unit_info(s_[i]); }


  // Whether one of the two-digit words (折) follows p, white space allowed.
  bool two_digit_word_at(size_t p) const {
    return !r_.two_digit_before.empty() && r_.two_digit_before.longest_at(s_, skip_spaces(p, kMaxInnerSpaces));
  }

  std::u32string_view s_;
  const NumberRules& r_;
  std::u32string_view src_;
};

// A figure whose digits copying damaged, [b, e), and the rule that leaves it out.
struct Damage {
  size_t b, e;
  const NumberRules::DamageRule* rule;
};

// Step 1: characters -> tokens (numeral_tokens.cpp; damaged figures: numeral_damage.cpp).
class TokenReader : public NumeralText {
 public:
  using NumeralText::NumeralText;
  // A damaged figure whose first run of digits starts at i (2,3000名, 76 4%, 1O0万元,
  // l2个, 12。5%), or nullopt.
  std::optional<Damage> damage_at(size_t i) const;

 protected:
  // A thousands separator at p followed by exactly three digits: 1,234 and ４，５６５.
  bool separator_at(size_t p, size_t start) const;
  bool space_group_at(size_t p, size_t start) const;
  // The readers of one token fill `t`, a default Token, and say whether there is one.
  // Arabic number at i: digits, thousands separators, decimal point; ".5" too. In a
  // dotted chain (2222.2222.22222, 2022.3.15) every part is an integer.
  bool arabic(size_t i, Token& t) const;
  // Chinese decimal digits after 点 (spaces allowed: 四百 点 五, 十点 五).
  bool point_digits(size_t i, int rule, Token& t) const;
  // One token at i (no white space skipping).
  bool token(size_t i, bool started, Token& t) const;
  // The next token after `p`, white space allowed in between.
  bool token_after_spaces(size_t p, TokenSpan toks, Token& t) const;
  // The tokens of the numeral starting at i, into `toks`. `too_long` is set (and
  // `run_end` to where the run of numeral characters ends, `toks` left empty) when
  // there are more than a numeral can hold.
  void collect(size_t i, Tokens& toks, bool* too_long, size_t* run_end, bool* overflow) const;
  // 两 before a unit or alone, or closing a range with 一 (一两); never the last digit.
  static void cut_leading_only(Tokens& toks);
  static bool chinese_digit(const Token& t);
  static bool consecutive(const Token& a, const Token& b);
  // 增长12. 5%: where the fraction starts after the integer [i, p), or 0.
  size_t spaced_fraction_at(size_t i, size_t p) const;

 private:
  size_t digit_run_end(size_t p) const;
  size_t separators_end(size_t p) const;
  size_t decimals_end(size_t p) const;  // past .5 at p, if any
  std::optional<Damage> damaged_grouping(size_t i, size_t p) const;
  std::optional<Damage> respectively_commas(size_t i, size_t e) const;
  std::optional<Damage> damaged_letters(size_t i, size_t p) const;
  std::optional<Damage> damaged_inner_space(size_t i, size_t p) const;
  std::optional<Damage> damaged_stop(size_t i, size_t p) const;
  std::optional<Damage> damaged_list_comma(size_t i, size_t p) const;
  std::optional<Damage> damaged_dotted_chain(size_t i, size_t p) const;
  std::optional<Damage> damaged_run(size_t i, size_t p, bool first) const;
  bool may_be_damaged(size_t i, size_t p) const;
  bool damage_may_follow(size_t p) const;
  std::optional<Damage> ratio_at(size_t i, size_t p) const;
  bool spaced_point_glued(size_t i) const;
};

// Step 2: tokens -> the numeral they spell (numeral_reading.cpp).
class NumeralReader : public TokenReader {
 public:
  using TokenReader::TokenReader;

 protected:
  // A big unit standing alone for its power of ten, only where an approximation mark
  // and a unit word follow (万余人次, 万多名); 万人, 万众 stay words.
  std::optional<Core> bare_big_unit(size_t i) const;
  bool unit_then_bound(size_t i) const;
  bool bound_word_before(size_t i) const;
  Lexicon::Match word_ending_unless(const Lexicon& words, const Lexicon& longer, size_t end) const;
  // Reads tokens [b, e) digit by digit: 二〇二二, 七五(折).
  std::optional<Numeral> digit_string(TokenSpan toks, size_t b, size_t e) const;
  void add_rules(Numeral& n, TokenSpan toks, size_t b, size_t e) const;
  // The numeral `toks` spell, into `n` (a default Numeral): false if they spell none.
  bool evaluate(TokenSpan toks, Numeral& n) const;
  // 两三, 五六百: two consecutive digits are a range, one token. `plain` with each such
  // pair merged, into `merged` when there is one (most numerals: `plain` itself, uncopied).
  TokenSpan merge_pairs(TokenSpan plain, Tokens& merged) const;
  // The numeral at i without sign or fraction, into `c` (a default Core: filled in
  // place, a Numeral is 288 bytes), or false; `next` receives where scanning goes on
  // when there is none.
  bool core_at(size_t i, size_t* next, Core& c) const;
  // Units with no digit before 分之 (百分之, 万分之): a power of ten.
  bool units_alone(const Tokens& toks, size_t* next, Core& c) const;
  // What the leading digits say: read as a two-digit number (`n` set), no numeral
  // here (`next` set), or open (the grammar decides).
  enum class Reading { read, none, open };

  // Two Chinese digits side by side: 七五(折) is 75, 两三 a range, 九九 no numeral;
  // 7 2 折, two Arabic digits apart before a two-digit word, is 72 (the second digit
  // is added to `toks`).
  Reading digit_pairs(Tokens& toks, Numeral& n, size_t* next) const;
  // The longest prefix of `toks` that is a numeral, into `n`, its token count into
  // `used`: cut where the local grammar breaks, then back off a few tokens at most
  // (then to the first token alone). The prefixes are views of `toks`, never copies.
  bool longest_prefix(const Tokens& toks, Numeral& n, size_t& used) const;
  // A figure whose value cannot be held, over [b, e): find_numerals reports it.
  static void unrepresentable(size_t b, size_t e, Core& c);
  // 2e5, 1.2E+05, 2^5, 2^-1 after an Arabic number.
  void exponent_after(Numeral& n) const;
  // 40k, -2.5 M: a Latin multiplier after an Arabic number.
  void multiplier_after(Numeral& n) const;
  // 十打 = 120.
  void dozen_after(Numeral& n) const;
  // The end of 分之 at p (spaces allowed around and inside), or 0.
  size_t infix_end(size_t p) const;
};

}  // namespace digestx::numerals
