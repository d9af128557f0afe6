// Stage 6, numbers: every numeral expression in a stretch of text with its exact
// value. Arabic digits (thousands separators, decimals, 2e5, 2^5, 40k), Chinese
// numerals (零/〇, 两, 廿, financial forms, 十百千, 万/亿/兆 and 万万, dropped
// trailing units such as 一万三 and 两千三点一), mixed forms (3万4000, 1.5万), spaces
// inside (一百 五 十 二), approximations (十余万, 两三, 十几), fractions (三分之一,
// 3/5, 三百五又三分之一) and the numerator of 百分之/千分之 forms. What the numeral
// counts is the facts stage's business.
//
// Not numerals: a lone digit that starts an ordinary word (一切, 一看, 四川), set
// phrases (一肩挑, 十四五), financial characters on their own (队伍, 收拾, 大陆), two
// digits side by side that are no range (九九, 两两), units with no digit (百, 千万).
//
// The work per numeral is bounded (runs longer than a numeral can be are skipped in
// one step), so the recogniser is linear in its input.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "digestx/decimal.hpp"
#include "digestx/rules.hpp"
#include "digestx/span.hpp"

namespace digestx {

// The names of the rules that read a numeral, most often two or three: kept inline,
// so that the numerals of a text (tens of thousands) cost no allocation for them; a
// longer list goes on the heap.
class RuleNames {
 public:
  using iterator = const std::string_view*;
  void push_back(std::string_view name) {
    if (!spill_.empty()) {
      spill_.push_back(name);
    } else if (size_ < kInline) {
      inline_[size_++] = name;
    } else {
      spill_.assign(inline_, inline_ + size_);
      spill_.push_back(name);
    }
  }
  void push_front(std::string_view name) {
    std::vector<std::string_view> all{name};
    all.insert(all.end(), begin(), end());
    clear();
    for (auto n : all) push_back(n);
  }
  void clear() {
    size_ = 0;
    spill_.clear();
  }
  iterator begin() const { return spill_.empty() ? inline_ : spill_.data(); }
  iterator end() const { return spill_.empty() ? inline_ + size_ : spill_.data() + spill_.size(); }
  size_t size() const { return size_t(end() - begin()); }
  bool empty() const { return size() == 0; }

 private:
  static constexpr size_t kInline = 4;
  std::string_view inline_[kInline];
  size_t size_ = 0;
  std::vector<std::string_view> spill_;
};

struct Numeral {
  uint32_t begin = 0, end = 0;  // [begin, end) in the text given
  Decimal value;                // exact; for approximate ranges the stated part (二十几万 -> 200000)
  std::optional<Decimal> low, high;  // an approximate range: 两三 -> [2, 3], 十几 -> [11, 19]
  std::string_view qualifier;   // from inside the numeral: 十余万 -> "more_than" (owned by the rules)
  enum class Form { plain, fraction } form = Form::plain;
  // 百分之五 / 千分之五 / 百万分之五: the numeral (五) counts parts of 10^per_power;
  // per_begin is where the 百分之 starts. 0 when the numeral stands on its own.
  int per_power = 0;
  uint32_t per_begin = 0;
  bool chinese = false;         // holds a Chinese numeral character
  bool arabic = false;          // holds an Arabic digit
  bool separators = false;      // thousands separators
  bool point = false;           // a decimal point
  bool digit_string = false;    // read digit by digit (二〇二二)
  int arabic_digits = 0;        // number of Arabic digits before any point
  RuleNames rules;               // names owned by the rules (or literals)
  // Its value cannot be held exactly (more than 36 digits, past 10^36, a value below
  // 10^-30 that would read as 0): while parsing only; find_numerals leaves it out.
  bool unrepresentable = false;
};

// All numerals of `text` (a matching view), left to right, not overlapping. `source`,
// when given, is the original text aligned with `text` (same length): it tells
// full-width digits apart (４，５６５ is one number, 4，565 two). A figure whose value
// cannot be represented (12345678901234567890123456分之0.000000000000000000000000000001,
// 一亿亿亿亿亿, 2e50, forty digits) is left out whole, never read in part, and its span
// is added to `left_out` when given, with an empty rule. So is a figure whose digits
// copying damaged (新增就业2,3000名, 机械化率达到76 4%, 完成投资1O0万元, 增长12。5%), with
// the rule of numbers.json's "damaged" that found it: never read in part as the digits
// after the damage (3000名, 4%, 0万元, 5%).
std::vector<Numeral> find_numerals(std::u32string_view text, const NumberRules& rules,
                                   std::u32string_view source = {}, std::vector<Refusal>* left_out = nullptr);

// The value of a whole string that is one numeral, or nullopt. For tests and tools.
std::optional<Decimal> parse_numeral(std::u32string_view text, const NumberRules& rules);

}  // namespace digestx
