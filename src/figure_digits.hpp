// The characters of an Arabic figure (3500, 39.6, the 1200 of 1,200) read into its
// value as they are met: TokenReader::arabic built a std::string for every figure and
// handed it to Decimal::parse. Up to 18 digits the mantissa is kept in 64 bits and the
// value is built from it, the same Decimal (value and scale) as Decimal::parse gives;
// a longer figure keeps its text and Decimal::parse reads it (leading zeros, overflow).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "digestx/decimal.hpp"

namespace digestx::numerals {

class FigureDigits {
 public:
  // An ASCII digit or '.'; anything else makes the figure unreadable, as for parse.
  void push(char c) {
    ++size_;
    if (!long_ && (size_ > kBuffer || (is_digit(c) && digits_ == kFastDigits))) {
      long_ = true;
      text_.assign(buffer_, size_ - 1);
    }
    if (long_) {
      text_ += c;
      return;
    }
    buffer_[size_ - 1] = c;
    if (c == '.') {
      bad_ = bad_ || point_;
      point_ = true;
      return;
    }
    if (!is_digit(c)) {
      bad_ = true;
      return;
    }
    ++digits_;
    if (point_) ++scale_;
    mantissa_ = mantissa_ * 10 + (c - '0');
  }

  // Characters pushed, the point included.
  size_t size() const { return size_; }

  // What Decimal::parse gives for the characters pushed.
  std::optional<Decimal> value() const {
    if (long_) return Decimal::parse(text_);
    if (bad_ || digits_ == 0) return std::nullopt;  // "", ".", "1.2.3", "12a"
    Decimal whole = Decimal::of(mantissa_);
    // mantissa × 10^-scale, normalised: parse's Decimal(m, scale).normalized().
    return scale_ == 0 ? whole : whole.shift(-scale_);
  }

 private:
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }
  static constexpr int kFastDigits = 18;  // below 10^18: fits int64
  static constexpr size_t kBuffer = 32;
  int64_t mantissa_ = 0;
  int digits_ = 0, scale_ = 0;
  size_t size_ = 0;
  bool point_ = false, bad_ = false, long_ = false;
  char buffer_[kBuffer];
  std::string text_;  // only for a figure of more than 18 digits or 32 characters
};

}  // namespace digestx::numerals
