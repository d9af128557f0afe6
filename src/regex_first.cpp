#include "digestx/regex_first.hpp"

#include <unicode/uchar.h>

#include <algorithm>

namespace digestx {

bool FirstChars::is_regex_space(char32_t c) {
  // ICU's \s is [\t\n\f\r\p{Z}] (WhiteSpace in its tables); either, to be safe.
  if (c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r') return true;
  int8_t type = u_charType(UChar32(c));
  return u_isUWhiteSpace(UChar32(c)) || type == U_SPACE_SEPARATOR || type == U_LINE_SEPARATOR ||
         type == U_PARAGRAPH_SEPARATOR;
}

bool FirstChars::is_regex_digit(char32_t c) { return u_isdigit(UChar32(c)); }

void FirstChars::add(const FirstChars& other) {
  any = any || other.any;
  space = space || other.space;
  digit = digit || other.digit;
  ranges.insert(ranges.end(), other.ranges.begin(), other.ranges.end());
  std::sort(ranges.begin(), ranges.end());
}

namespace {

// What a piece of the pattern can start with, and whether it can match nothing.
struct Start {
  FirstChars chars;
  bool nullable = true;
};

Start nothing() {
  Start s;
  s.chars.any = false;
  return s;
}

Start one_char(char32_t c) {
  Start s = nothing();
  s.chars.ranges.push_back({c, c});
  s.nullable = false;
  return s;
}

// One character, which may be any: ., [^…], \w, \p{…} (or a zero-width \b, which is
// safe to take for one: it only adds characters).
Start anything() {
  Start s;
  s.nullable = false;
  return s;
}

bool is_ascii_alnum(char32_t c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

class Reader {
 public:
  explicit Reader(std::u32string_view p) : p_(p) {}

  FirstChars run() {
    Start s = alternation();
    if (i_ != p_.size() || unknown_ || s.nullable) return FirstChars{};
    return s.chars;
  }

 private:
  std::u32string_view p_;
  size_t i_ = 0;
  bool unknown_ = false;

  bool at(char32_t c) const { return i_ < p_.size() && p_[i_] == c; }
  Start give_up() {
    unknown_ = true;
    i_ = p_.size();
    return nothing();
  }

  Start alternation() {
    Start out = sequence();
    while (!unknown_ && at('|')) {
      ++i_;
      Start next = sequence();
      out.chars.add(next.chars);
      out.nullable = out.nullable || next.nullable;
    }
    return out;
  }

  Start sequence() {
    Start out = nothing();
    while (!unknown_ && i_ < p_.size() && !at('|') && !at(')')) {
      Start item = quantified();
      if (!out.nullable) continue;
      out.chars.add(item.chars);
      out.nullable = item.nullable;
    }
    return out;
  }

  Start quantified() {
    Start s = item();
    if (unknown_) return s;
    if (at('?') || at('*')) {
      s.nullable = true;
      ++i_;
    } else if (at('+')) {
      ++i_;
    } else if (at('{')) {
      size_t close = p_.find('}', i_);
      if (close == std::u32string_view::npos) return give_up();
      if (i_ + 1 < close && p_[i_ + 1] == '0') s.nullable = true;  // {0,n}
      i_ = close + 1;
    } else {
      return s;
    }
    if (at('?') || at('+')) ++i_;  // lazy or possessive: the same characters
    return s;
  }

  Start item() {
    char32_t c = p_[i_++];
    switch (c) {
      case '(': return group();
      case '[': return char_class();
      case '\\': return escape();
      case '^':
      case '$': return nothing();  // zero width
      case '.': return anything();
      case '*':
      case '+':
      case '?':
      case '{': return give_up();
      default: return one_char(c);
    }
  }

  Start group() {
    if (at('?')) {
      if (i_ + 1 >= p_.size() || (p_[i_ + 1] != ':' && p_[i_ + 1] != '>')) return give_up();  // lookaround, flags
      i_ += 2;
    }
    Start inner = alternation();
    if (!at(')')) return give_up();
    ++i_;
    return inner;
  }

  // After a backslash: \s, \d or an escaped punctuation mark; in a class too.
  Start escape() {
    if (i_ >= p_.size()) return give_up();
    char32_t c = p_[i_++];
    Start s = nothing();
    s.nullable = false;
    if (c == 's') s.chars.space = true;
    else if (c == 'd') s.chars.digit = true;
    else if (c < 0x80 && !is_ascii_alnum(c)) s.chars.ranges.push_back({c, c});
    else if (std::u32string_view(U"wWSDbBAzZGhHvVRXtnrfea").find(c) != std::u32string_view::npos) return anything();
    else return give_up();  // \p{…}, \x{…}, \Q…\E, back references: more than one character of pattern
    return s;
  }

  Start char_class() {
    bool negated = at('^');
    if (negated) ++i_;
    if (at(']')) return give_up();
    Start out = nothing();
    out.nullable = false;
    while (!unknown_ && !at(']')) {
      if (i_ >= p_.size() || at('[') || (at('&') && i_ + 1 < p_.size() && p_[i_ + 1] == '&')) return give_up();
      if (at('\\')) {
        ++i_;
        out.chars.add(escape().chars);
        continue;
      }
      char32_t lo = p_[i_++], hi = lo;
      if (at('-') && i_ + 1 < p_.size() && p_[i_ + 1] != ']') {
        hi = p_[i_ + 1];
        if (hi == '\\' || hi == '[' || hi == '-' || hi < lo) return give_up();
        i_ += 2;
      }
      out.chars.ranges.push_back({lo, hi});
    }
    if (unknown_) return out;
    ++i_;
    if (negated) return anything();
    std::sort(out.chars.ranges.begin(), out.chars.ranges.end());
    return out;
  }
};

}  // namespace

FirstChars first_chars(std::u32string_view pattern) { return Reader(pattern).run(); }

}  // namespace digestx
