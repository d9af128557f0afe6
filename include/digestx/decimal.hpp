// Exact decimal numbers for extracted values: `17.4万` is 174000, never
// 173999.99999999997. A value is mantissa × 10^-scale with a 128-bit mantissa;
// every operation is checked and gives nullopt instead of wrapping (overflow past
// 10^36) or instead of rounding a value that is not zero to 0 (underflow below the
// last place kept): a figure that cannot be represented is reported, never bent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace digestx {

class Decimal {
 public:
  using Int = __int128;

  Decimal() = default;
  static Decimal of(long long v) { return Decimal(v, 0); }
  // From ASCII digits with at most one '.', e.g. "123", "0.5", ".25"; nullopt if it
  // is not of that form or has more digits than the mantissa holds.
  static std::optional<Decimal> parse(std::string_view ascii);

  bool is_zero() const { return mantissa_ == 0; }
  bool negative() const { return mantissa_ < 0; }
  bool is_integer() const;
  int scale() const { return scale_; }

  std::optional<Decimal> add(const Decimal& o) const;
  std::optional<Decimal> sub(const Decimal& o) const;
  std::optional<Decimal> mul(const Decimal& o) const;
  // Multiplies by 10^power (power may be negative).
  std::optional<Decimal> shift(int power) const;
  // Quotient rounded half away from zero to `digits` decimal places.
  std::optional<Decimal> div(const Decimal& o, int digits) const;
  Decimal negated() const { return Decimal(-mantissa_, scale_); }
  // Rounds to `digits` decimal places (half away from zero).
  Decimal rounded(int digits) const;

  int compare(const Decimal& o) const;
  bool operator==(const Decimal& o) const { return compare(o) == 0; }
  bool operator!=(const Decimal& o) const { return compare(o) != 0; }
  bool operator<(const Decimal& o) const { return compare(o) < 0; }
  bool operator<=(const Decimal& o) const { return compare(o) <= 0; }
  bool operator>(const Decimal& o) const { return compare(o) > 0; }

  // Plain decimal notation without exponent or trailing zeros: "174000", "0.333333".
  std::string str() const;
  double to_double() const;
  // The integer value when it fits in int64 and has no fraction. Inline for a whole
  // number (most figures, scale 0): the fact patterns ask it of a figure for each
  // month or day check (180,000 calls per 2 MB of text, 10 M instructions as a call).
  std::optional<long long> to_int64() const {
    if (scale_ == 0 && mantissa_ <= Int(INT64_MAX) && mantissa_ >= Int(INT64_MIN)) return static_cast<long long>(mantissa_);
    return to_int64_scaled();
  }

 private:
  Decimal(Int m, int s) : mantissa_(m), scale_(s) {}
  Decimal normalized() const;
  std::optional<long long> to_int64_scaled() const;
  Int mantissa_ = 0;
  int scale_ = 0;  // >= 0 digits after the point
};

}  // namespace digestx
