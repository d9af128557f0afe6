// UTF-8 <-> UTF-32 helpers used at the edges (rules, output); the pipeline itself
// works on std::u32string so that spans are plain code-point indices.
#pragma once

#include <string>
#include <string_view>

namespace digestx {

// Appends the UTF-8 form of one code point.
void append_utf8(std::string& out, char32_t c);
std::string to_utf8(std::u32string_view s);
// Decodes well-formed UTF-8; invalid sequences become U+FFFD.
std::u32string from_utf8(std::string_view s);
// The length of the well-formed UTF-8 sequence at s[i] (1 to 4), or 0 when the bytes
// there are not one (a stray 0xFF, an overlong form, a surrogate, a cut sequence).
size_t utf8_sequence_length(std::string_view s, size_t i);
// `s` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD: what
// goes into JSON and tables (a file name holding 0xFF, a parser's message).
std::string valid_utf8(std::string_view s);
bool is_valid_utf8(std::string_view s);

// Whether p[0..3) is a well-formed three-byte sequence whose lead is E1..EC or EE..EF:
// any continuation bytes make a code point there (no overlong form, no surrogate), and
// all of CJK is one. The fast path of decoding and of writing JSON strings; the caller
// makes sure three bytes are there. Tested as unsigned differences, the continuation
// bytes at once (x ^ 0x80 is under 0x40 exactly for 0x80..0xBF): range tests as written
// took 18 instructions a character, a third of decoding.
inline bool is_plain_three_byte(const unsigned char* p) {
  unsigned b = p[0];
  return b - 0xE1u <= 0xEEu - 0xE1u + 1 && b != 0xED && (unsigned(p[1] ^ 0x80) | unsigned(p[2] ^ 0x80)) < 0x40;
}

inline bool is_han(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FA1F) || c == 0x3007;
}

inline bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0 || c == 0x2002 || c == 0x2003 ||
         c == 0x2009 || c == 0x200B || c == 0xFEFF;
}

// (Most characters of a Chinese text are above U+2029: one test for them.)
inline bool is_line_break(char32_t c) {
  return c <= 0x2029 && (c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029 || c == 0x85);
}

inline bool is_ascii_digit(char32_t c) { return c >= '0' && c <= '9'; }

// Whether an ASCII digit stands in s[b, e) after the last `marker` (or with none): a
// figure's label may hold a figure of its own only in a clause closed by 的 before its
// head noun (18个　集体经济收入超10万元的村), while 56个　综合网格配备网格员600名 is two
// items. Asked by the layout (a line of figure and label) and the subject (the label).
inline bool digit_after_last(std::u32string_view s, size_t b, size_t e, char32_t marker) {
  for (size_t k = e; k-- > b;) {
    if (s[k] == marker) return false;
    if (is_ascii_digit(s[k])) return true;
  }
  return false;
}

// The value of one digit of a written calendar year, -1 if `c` is none: ASCII 0-9, 〇 or
// 零, 一 to 九. Typed text mixes them (二0二四年, with a digit zero), so a year's digits
// may too. (The matching view has already made 二○二四's circle a 〇.)
inline int year_digit(char32_t c) {
  if (is_ascii_digit(c)) return int(c - '0');
  static constexpr std::u32string_view kChinese = U"〇一二三四五六七八九";
  if (c == U'零') return 0;
  size_t k = kChinese.find(c);
  return k == std::u32string_view::npos ? -1 : int(k);
}

// The year written by the four digits at s[at, at + 4) (2024, 二〇二四, 二0二四), -1 if
// they are not all year digits or `s` ends first. The one reader of a year's digits:
// headings (邓佳慧同志二〇二四年度述职报告), periods (二0二三年，全县…) and report years.
inline int year_digits_at(std::u32string_view s, size_t at) {
  constexpr size_t kDigits = 4;
  if (at > s.size() || s.size() - at < kDigits) return -1;
  int year = 0;
  for (size_t i = at; i < at + kDigits; ++i) {
    int d = year_digit(s[i]);
    if (d < 0) return -1;
    year = year * 10 + d;
  }
  return year;
}

// Whether `c` is one of the characters of `set` (a rules string such as "、" or "，,。").
inline bool in_set(std::u32string_view set, char32_t c) { return set.find(c) != std::u32string_view::npos; }

// Calls fn with each line of `text`, without its \n or \r\n (the lines of
// `digestx numbers`, each an independent text).
template <class Fn>
void for_each_line(std::u32string_view text, Fn fn) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(U'\n', pos);
    if (end == std::u32string_view::npos) end = text.size();
    size_t stop = end > pos && text[end - 1] == U'\r' ? end - 1 : end;
    fn(text.substr(pos, stop - pos));
    pos = end + 1;
  }
}
inline bool is_ascii_alpha(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace digestx
