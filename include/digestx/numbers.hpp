// Stage 6, numbers: every numeral expression in a stretch of text with its exact
// value. Arabic digits (thousands separators, decimals), Chinese numerals (零/〇,
// 两, financial forms, 十百千, 万/亿/兆, dropped trailing units such as 一万三),
// mixed forms (3万4000, 1.5万), approximations (十余万, 两三, 十几) and fractions
// (三分之一). What the numeral counts is the facts stage's business.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "digestx/decimal.hpp"
#include "digestx/rules.hpp"

namespace digestx {

struct Numeral {
  uint32_t begin = 0, end = 0;  // [begin, end) in the text given
  Decimal value;                // exact; for approximate ranges the stated part (二十几万 -> 200000)
  std::optional<Decimal> low, high;  // an approximate range: 两三 -> [2, 3], 十几 -> [11, 19]
  std::string qualifier;        // from inside the numeral: 十余万 -> "more_than"
  enum class Form { plain, fraction } form = Form::plain;
  bool chinese = false;         // holds a Chinese numeral character
  bool arabic = false;          // holds an Arabic digit
  bool separators = false;      // thousands separators
  bool point = false;           // a decimal point
  bool digit_string = false;    // read digit by digit (二〇二二)
  int arabic_digits = 0;        // number of Arabic digits before any point
  std::vector<std::string> rules;
};

// All numerals of `text` (a matching view), left to right, not overlapping.
std::vector<Numeral> find_numerals(std::u32string_view text, const NumberRules& rules);

// The value of a whole string that is one numeral, or nullopt. For tests and tools.
std::optional<Decimal> parse_numeral(std::u32string_view text, const NumberRules& rules);

}  // namespace digestx
