// Stage 6, numbers: the numerals of a text, left to right. Reading one numeral takes
// three steps (numeral_scan.hpp): tokens, the numeral they spell, and here what
// stands around it (a sign, 分之 or a slash, a mixed number) and whether it counts
// at all where it stands (一切, 四川, 十四五).
#include "digestx/numbers.hpp"

#include "numeral_scan.hpp"

namespace digestx {

namespace {

using namespace numerals;

class Scanner : public NumeralReader {
 public:
  using NumeralReader::NumeralReader;

  // Whether a numeral (or its sign) may start at i; cheap, no lookahead beyond one.
  bool could_start(size_t i) const {
    char32_t c = s_[i];
    if (c < r_.may_start.size() && !r_.may_start[c]) return false;
    if (is_ascii_digit(c)) return true;
    // A big unit starts a numeral only as a denominator: 万分之三.
    if (const auto* info = r_.info(c)) return info->type != CharType::point;
    // .5 is a decimal, but not after a word where . ends sentences: 5个.2024年 and
    // 5个.12个村 hold a full stop (they read 0.2024 年 and 0.12个); 增长.5%。 is 0.5%.
    if (in(r_.arabic_points, c))
      return i + 1 < s_.size() && is_ascii_digit(s_[i + 1]) && !year_after(i + 1) &&
             (i == 0 || (!is_han(s_[i - 1]) && s_[i - 1] != '%') || !soft_stops_live() ||
              (r_.decimal_after_words && r_.decimal_after_words->longest_ending_at(s_, i)));
    if (in(r_.ji_chars, c) || in(r_.half_chars, c)) return true;
    return bool(r_.negative_words.longest_at(s_, i));
  }

  // Whether four digits and 年 stand at k: a year, never the decimals of a point (.2024年).
  bool year_after(size_t k) const {
    if (k + 4 >= s_.size() || s_[k + 4] != U'年') return false;
    for (size_t d = k; d < k + 4; ++d)
      if (!is_ascii_digit(s_[d])) return false;
    return true;
  }

  // Whether the text's ASCII full stops end sentences (sentences.json soft_stops_unless),
  // asked once, at its first point after a word.
  bool soft_stops_live() const {
    if (soft_live_ < 0)
      soft_live_ = !r_.soft_stops.empty() && s_.find_first_of(r_.soft_stops_unless) == std::u32string_view::npos;
    return soft_live_ > 0;
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
      // 27×24米: a word that opens with a digit (7×24) opens none inside a number.
      if (start > 0 && is_ascii_digit(s_[start]) && is_ascii_digit(s_[start - 1])) continue;
      bool set_phrase = m.value >= NumberRules::kSetPhrase;
      if (set_phrase && numeral_and_unit(start, m.len)) continue;  // 三家村 or 三家企业
      // 近千万元村集体资产: a bound before it, or the noun going on past it.
      if (set_phrase && r_.set_phrase_bounds.voided(s_, start, m.len, size_t(m.value - NumberRules::kSetPhrase))) continue;
      if (vague_power_after(start + m.len)) continue;
      phrase_cover_end_ = start + m.len;
    }
    return phrase_cover_end_ > i ? phrase_cover_end_ : 0;
  }

  // Whether a count noun's 数 ending at `end` is the unknown digit of 数十, 数千 (再培育致富
  // 带头人数十名, 带动农户数千户 read 人数 and 户数, then an exact 十名 and 千户): a lone
  // 十, 百, 千 or 万 follows it, and no numeral after that (人数十二户 is 12 户).
  bool vague_power_after(size_t end) const {
    if (end == 0 || end + 1 > s_.size() || !in(r_.ji_chars, s_[end - 1])) return false;
    const auto* power = r_.info(s_[end]);
    if (!power || (power->type != CharType::small_unit && power->type != CharType::big_unit)) return false;
    return end + 1 >= s_.size() || !r_.info(s_[end + 1]);
  }

  // Whether [b, b + len) is one numeral character and a unit word (三家, 一批).
  bool numeral_and_unit(size_t b, size_t len) const {
    if (len < 2 || !r_.info(s_[b])) return false;
    auto u = r_.unit_words.longest_at(s_, b + 1);
    return u && u.len == len - 1;
  }

  // A signed numeral, fraction or mixed number at i, into `c.n` (`c` a default Core);
  // `next` receives where to go on when there is none.
  bool parse_at(size_t i, size_t* next, Core& c) const {
    size_t sign = sign_at(i);
    if (!core_at(i + sign, next, c)) return false;
    Numeral& n = c.n;
    if (n.unrepresentable) {
      n.begin = uint32_t(i);
      return true;
    }
    if (auto f = fraction_after(c, i, sign > 0)) {
      n = std::move(*f);
      return true;
    }
    // Units with no digit are no numeral (百分点, 千万不要) except before a unit word
    // (百吨, 千人), also after an approximation mark (百余个, 万余人次); 十 and 十万
    // are numerals.
    if (c.units_only && !c.starts_with_ten && !r_.unit_words.longest_at(s_, n.end) && !approx_then_unit(n.end)) {
      *next = n.end;
      return false;
    }
    if (auto m = mixed_after(n, c.arabic_integer)) n = std::move(*m);
    if (sign) negate(n, i);
    return true;
  }

  // A figure whose sign no reader can tell, with the words that make it so: a tolerance
  // (误差控制在±5%以内, 偏差正负0.5个百分点: 5% read alone is a level or an amount it is
  // not) and a minus sign right after a word of decrease (同比下降-1.2%, 减少-3个: a fall
  // of 1.2, or a fall of -1.2, a rise?). 增长-1.2% is a fall, plainly signed, and is read.
  // A rank from the last (排名倒数第二) read as a rank was second place.
  std::optional<Damage> ambiguous_sign(const Numeral& n) const {
    for (const auto* words_before : {&r_.tolerance, &r_.from_bottom})
      if (auto w = words_before->words.longest_ending_at(s_, n.begin); w && !words_before->name.empty())
        return Damage{n.begin - w.len, n.end, words_before};
    const auto& decrease = r_.negative_after_decrease;
    if (decrease.name.empty() || !n.value.negative() || !r_.negative_words.longest_at(s_, n.begin)) return std::nullopt;
    // A space may stand between the word and its sign (同比下降了 -1.2%, a PDF's spacing).
    size_t word_end = n.begin;
    while (word_end > 0 && is_space(s_[word_end - 1])) --word_end;
    if (auto w = decrease.words.longest_ending_at(s_, word_end)) return Damage{word_end - w.len, n.end, &decrease};
    return std::nullopt;
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
  static std::optional<Numeral> unrepresentable_fraction(const Core& den, size_t begin, size_t end) {
    Numeral f = den.n;
    f.begin = uint32_t(begin);
    f.end = uint32_t(end);
    f.form = Numeral::Form::fraction;
    f.unrepresentable = true;
    return f;
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

  // A rate per a power of ten: 孕产妇死亡率8.6/10万 (8.6 per 100000), 2.1/1000.
  static bool per_power_of_ten(const Core& c) {
    if (!c.n.arabic || c.n.point || !c.n.value.is_integer()) return false;
    std::string digits = c.n.value.str();
    return digits.size() >= 2 && digits[0] == '1' && digits.find_first_not_of('0', 1) == std::string::npos;
  }

  // One Arabic decimal (8.6), the numerator of a rate per a power of ten.
  static bool arabic_decimal(const Core& c) { return c.n.arabic && c.n.point && !c.n.chinese && !c.n.low; }

  // a/b between Arabic integers, not in a date such as 2022/3/15; a decimal over a power
  // of ten as well (8.6/10万).
  bool slash_at(const Core& den, size_t begin) const {
    size_t p = den.n.end;
    if (!(den.arabic_integer || arabic_decimal(den)) || p + 1 >= s_.size() || !in(r_.fraction_slash, s_[p]) ||
        !digit_at(p + 1))
      return false;
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
    Core num;
    if (!core_at(after + sign, &ignored, num)) return std::nullopt;
    if (slash && !num.arabic_integer && !num.n.unrepresentable && !per_power_of_ten(num)) return std::nullopt;
    if (slash && !den.arabic_integer && !per_power_of_ten(num)) return std::nullopt;  // 8.6/7 is no rate
    if (num.n.unrepresentable) return unrepresentable_fraction(den, begin, num.n.end);
    if (num.units_only && !num.starts_with_ten && !den.units_only) return std::nullopt;
    Numeral n = num.n;
    if (sign) negate(n, after);
    // 百分之五, 千分之五, 百万分之五: the numerator counts parts per 10^k.
    if (!slash && den.units_only && den.units_power >= 2 && !negative) {
      n.per_power = den.units_power;
      n.per_begin = uint32_t(begin);
      n.rules.push_back(r_.fraction_rule);
      return n;
    }
    if (num.units_only && !num.starts_with_ten) return std::nullopt;
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
    Core den;
    if (!core_at(start, &ignored, den)) return std::nullopt;
    auto frac = fraction_after(den, start, false);
    if (!frac || frac->form != Numeral::Form::fraction || frac->value.negative()) return std::nullopt;
    if (start == p && !slash_at(den, start)) return std::nullopt;  // the space form is for a/b only
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

  size_t phrase_cursor_ = 0, phrase_cover_end_ = 0;
  mutable int soft_live_ = -1;  // soft_stops_live: -1 not asked yet
};

}  // namespace

std::vector<Numeral> find_numerals(std::u32string_view s, const NumberRules& r, std::u32string_view source,
                                   std::vector<Refusal>* left_out) {
  Scanner sc(s, r, source);
  std::vector<Numeral> out;
  // Sized for one numeral in kCharsPerNumeral characters, denser than the digests (a
  // fact in about 18 characters of the 50 MB one-line input): growing a vector of
  // 288-byte numerals from empty moved each several times.
  constexpr size_t kCharsPerNumeral = 8;
  out.reserve(s.size() / kCharsPerNumeral + 1);
  size_t i = 0, n = s.size();
  const std::vector<bool>& may_start = r.may_start;
  while (i < n) {
    // Most characters start no numeral: passed here, without a call (could_start's own
    // first test; 558,000 calls per 2 MB of text).
    while (i < n && s[i] < may_start.size() && !may_start[s[i]]) ++i;
    if (i == n) break;
    if (!sc.could_start(i)) {
      ++i;
      continue;
    }
    if (size_t end = sc.not_numeral_end(i)) {  // 一切, 十四五, 四川
      i = end;
      continue;
    }
    // 新增就业2,3000名, 76 4%, 1O0万元: left out whole, never read as the digits after the
    // damage. A sign before the digits (-2,3000) is looked past.
    size_t digits = i + (!is_ascii_digit(s[i]) && i + 1 < n && is_ascii_digit(s[i + 1]));
    if (auto d = sc.damage_at(digits)) {
      if (left_out) left_out->push_back({{uint32_t(d->b), uint32_t(d->e)}, d->rule->name});
      i = std::max(d->e, i + 1);
      continue;
    }
    size_t next = i + 1;
    Core core;
    if (!sc.parse_at(i, &next, core)) {
      i = std::max(next, i + 1);
      continue;
    }
    const Numeral& num = core.n;
    if (num.unrepresentable) {  // left out, never cut down to a part that fits
      if (left_out) left_out->push_back({{num.begin, std::max(num.end, num.begin + 1)}, {}});
      i = std::max<size_t>(num.end, i + 1);
      continue;
    }
    if (!sc.single_ok(num)) {
      i = num.begin + 1;
      continue;
    }
    i = std::max<size_t>(num.end, i + 1);
    if (auto d = sc.ambiguous_sign(num)) {  // 误差±5%, 同比下降-1.2%: left out, never a bare 5 or -1.2
      if (left_out) left_out->push_back({{uint32_t(d->b), uint32_t(d->e)}, d->rule->name});
      continue;
    }
    out.push_back(std::move(core.n));
  }
  return out;
}

std::optional<Decimal> parse_numeral(std::u32string_view text, const NumberRules& rules) {
  auto all = find_numerals(text, rules);
  if (all.size() != 1 || all[0].begin != 0 || all[0].end != text.size()) return std::nullopt;
  return all[0].value;
}

}  // namespace digestx
