#include "digestx/decimal.hpp"

#include <cstdlib>
#include <utility>

namespace digestx {

namespace {

using Int = Decimal::Int;

// Mantissas stay below 10^36 so that sums and alignments cannot wrap the 128 bits.
constexpr int kMaxDigits = 36;
constexpr int kMaxScale = 30;

// 10^n for 0 <= n <= kMaxDigits; callers check n first (10^39 does not fit 128 bits).
Int pow10(int n) {
  Int p = 1;
  for (int i = 0; i < n && i < kMaxDigits; ++i) p *= 10;
  return p;
}

const Int kLimit = pow10(kMaxDigits);

bool fits(Int v) { return v < kLimit && v > -kLimit; }

bool checked_mul(Int a, Int b, Int* out) {
  if (__builtin_mul_overflow(a, b, out)) return false;
  return fits(*out);
}

// Brings two decimals to a common scale; false when that would overflow.
bool align(Int a, int sa, Int b, int sb, Int* ra, Int* rb, int* scale) {
  *scale = sa > sb ? sa : sb;
  if (*scale - sa > kMaxDigits || *scale - sb > kMaxDigits) return false;
  return checked_mul(a, pow10(*scale - sa), ra) && checked_mul(b, pow10(*scale - sb), rb);
}

// A value rounded to kMaxScale places, or nullopt where a value that is not zero
// would become 0 (1e-40): a figure read as 0 would be wrong, not rounded.
std::optional<Decimal> kept(const Decimal& exact, const Decimal& rounded) {
  if (rounded.is_zero() && !exact.is_zero()) return std::nullopt;
  return rounded;
}

Int abs128(Int v) { return v < 0 ? -v : v; }

}  // namespace

std::optional<Decimal> Decimal::parse(std::string_view s) {
  if (s.empty()) return std::nullopt;
  Int m = 0;
  int scale = 0, digits = 0;
  bool point = false;
  for (char c : s) {
    if (c == '.') {
      if (point) return std::nullopt;
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (m == 0 && c == '0' && !point) continue;  // leading zeros carry nothing
    if (++digits > kMaxDigits || (point && scale >= kMaxScale)) {
      // Trailing fractional digits beyond what we keep are dropped only if zero.
      if (point && c == '0') continue;
      return std::nullopt;
    }
    m = m * 10 + (c - '0');
    if (point) ++scale;
  }
  if (s == ".") return std::nullopt;
  return Decimal(m, scale).normalized();
}

namespace {
// The trailing zeros of m * 10^-s divided out (a zero's scale is 0), in M's width.
template <class M>
std::pair<M, int> without_trailing_zeros(M m, int s) {
  while (s > 0 && m % 10 == 0) {
    m /= 10;
    --s;
  }
  return {m, m == 0 ? 0 : s};
}
}  // namespace

Decimal Decimal::normalized() const {
  if (scale_ == 0) return *this;
  // Most mantissas fit 64 bits: their trailing zeros are divided out there (a division
  // of __int128 is a library call).
  if (mantissa_ <= Int(INT64_MAX) && mantissa_ >= Int(INT64_MIN)) {
    auto [m, s] = without_trailing_zeros(int64_t(mantissa_), scale_);
    return Decimal(m, s);
  }
  auto [m, s] = without_trailing_zeros(mantissa_, scale_);
  return Decimal(m, s);
}

// A whole number's scale is 0 (most figures: 3500余名, 2022年): no normalising then
// (83,000 calls per 2 MB, each an __int128 copy or more).
bool Decimal::is_integer() const { return scale_ == 0 || normalized().scale_ == 0; }

std::optional<Decimal> Decimal::add(const Decimal& o) const {
  // Two whole numbers (a numeral's parts: 三千五百 is 3000 + 500): nothing to align or
  // normalise (32,000 sums per 2 MB).
  if (scale_ == 0 && o.scale_ == 0) {
    Int r = mantissa_ + o.mantissa_;
    if (!fits(r)) return std::nullopt;
    return Decimal(r, 0);
  }
  Int a, b;
  int s;
  if (!align(mantissa_, scale_, o.mantissa_, o.scale_, &a, &b, &s)) return std::nullopt;
  Int r = a + b;
  if (!fits(r)) return std::nullopt;
  return Decimal(r, s).normalized();
}

std::optional<Decimal> Decimal::sub(const Decimal& o) const { return add(o.negated()); }

std::optional<Decimal> Decimal::mul(const Decimal& o) const {
  Int r;
  if (!checked_mul(mantissa_, o.mantissa_, &r)) return std::nullopt;
  int s = scale_ + o.scale_;
  Decimal d = Decimal(r, s).normalized();
  if (d.scale_ > kMaxScale) return kept(d, d.rounded(kMaxScale));
  return d;
}

std::optional<Decimal> Decimal::shift(int power) const {
  if (mantissa_ == 0) return Decimal();
  if (power >= 0) {
    int from_scale = power < scale_ ? power : scale_;
    int rest = power - from_scale;
    if (rest > kMaxDigits) return std::nullopt;
    Int r;
    if (!checked_mul(mantissa_, pow10(rest), &r)) return std::nullopt;
    return Decimal(r, scale_ - from_scale).normalized();
  }
  if (power < -(kMaxScale + kMaxDigits)) return std::nullopt;  // below 10^-30 whatever the mantissa
  int s = scale_ - power;
  if (s - kMaxScale > kMaxDigits) return std::nullopt;
  Decimal d = Decimal(mantissa_, s).normalized();
  return d.scale_ > kMaxScale ? kept(d, d.rounded(kMaxScale)) : d;
}

std::optional<Decimal> Decimal::div(const Decimal& o, int digits) const {
  if (o.mantissa_ == 0 || digits < 0 || digits > kMaxScale) return std::nullopt;
  if (mantissa_ == 0) return Decimal();
  // (a/10^sa) / (b/10^sb) = a * 10^(sb - sa) / b; compute with `digits`+1 places.
  int exp = o.scale_ - scale_ + digits + 1;
  Int num = mantissa_;
  Int den = o.mantissa_;
  if (exp >= 0) {
    if (exp > kMaxDigits || !checked_mul(num, pow10(exp), &num)) return std::nullopt;
  } else {
    // A denominator scaled past 10^36 exceeds every numerator: the quotient is 0 at
    // `digits` places, which the value (not 0) is not. 1e-30 / 12345678901234567890123456
    // once multiplied here past 128 bits.
    if (-exp > kMaxDigits || !checked_mul(den, pow10(-exp), &den)) return std::nullopt;
  }
  Int q = num / den;  // digits+1 places
  Int last = q % 10;
  q /= 10;
  if (last >= 5) q += 1;
  if (last <= -5) q -= 1;
  if (q == 0) return std::nullopt;  // not 0, but below the last place kept
  return Decimal(q, digits).normalized();
}

Decimal Decimal::rounded(int digits) const {
  if (scale_ <= digits) return *this;
  if (scale_ - digits > kMaxDigits) return Decimal();  // below half the last place: 0
  Int p = pow10(scale_ - digits);
  Int q = mantissa_ / p;
  Int r = mantissa_ % p;
  if (abs128(r) * 2 >= p) q += mantissa_ < 0 ? -1 : 1;
  return Decimal(q, digits).normalized();
}

int Decimal::compare(const Decimal& o) const {
  Int a, b;
  int s;
  if (!align(mantissa_, scale_, o.mantissa_, o.scale_, &a, &b, &s)) {
    // Only reachable with extreme scales; compare as doubles.
    double x = to_double(), y = o.to_double();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  return a < b ? -1 : (a > b ? 1 : 0);
}

std::string Decimal::str() const {
  Decimal d = normalized();
  // Filled from the right: the digits (the point placed once `scale` digits are
  // written), zeros in front of a value below one, then the sign.
  char buf[96];
  char* end = buf + sizeof buf;
  char* p = end;
  int written = 0;
  auto put_digit = [&](int digit) {
    if (d.scale_ > 0 && written == d.scale_) *--p = '.';
    *--p = char('0' + digit);
    ++written;
  };
  Int m = abs128(d.mantissa_);
  while (m > Int(UINT64_MAX)) {
    put_digit(int(m % 10));
    m /= 10;
  }
  uint64_t small = uint64_t(m);  // the cheaper 64-bit division for the rest
  do {
    put_digit(int(small % 10));
    small /= 10;
  } while (small != 0);
  if (d.scale_ > 0 && written <= d.scale_) {
    while (written < d.scale_) {
      *--p = '0';
      ++written;
    }
    *--p = '.';
    *--p = '0';
  }
  if (d.mantissa_ < 0) *--p = '-';
  return std::string(p, size_t(end - p));
}

double Decimal::to_double() const { return std::strtod(str().c_str(), nullptr); }

std::optional<long long> Decimal::to_int64_scaled() const {
  Decimal d = normalized();
  if (d.scale_ != 0) return std::nullopt;
  if (d.mantissa_ > Int(INT64_MAX) || d.mantissa_ < Int(INT64_MIN)) return std::nullopt;
  return static_cast<long long>(d.mantissa_);
}

}  // namespace digestx
