// The characters a match of a rule's regular expression can start with, read from its
// pattern, so that a line rule runs ICU only on lines that can match: page furniture
// (发布时间:…, 责任编辑:…) is tried on every short line, and ICU's matches() cost 15%
// of a run on lines that start with none of 首 发 来 责 (【 ….
#pragma once

#include <bitset>
#include <string_view>
#include <utility>
#include <optional>
#include <vector>

namespace digestx {

// \t and its kind in a pattern: the character they name (one list for both readers of
// the rules' patterns, src/regex_tree.cpp and src/regex_parse.cpp).
std::optional<char32_t> control_escape(char32_t c);

// Sorted inclusive ranges with those that overlap or touch joined into one.
void join_sorted_ranges(std::vector<std::pair<char32_t, char32_t>>& ranges);

struct FirstChars {
  bool any = true;  // unknown, or the pattern matches the empty string: every line may match
  bool space = false;  // \s
  bool digit = false;  // \d
  std::vector<std::pair<char32_t, char32_t>> ranges;  // sorted, inclusive

  bool may_start(char32_t c) const {
    if (any) return true;
    for (const auto& [lo, hi] : ranges)
      if (c >= lo && c <= hi) return true;
    return (space && is_regex_space(c)) || (digit && is_regex_digit(c));
  }
  // Where either may start (the alternation of both).
  void add(const FirstChars& other);

  static bool is_regex_space(char32_t c);
  static bool is_regex_digit(char32_t c);
};

// A superset of the first characters of `pattern` (ICU syntax, no flags): literals,
// escapes \s \d \t and escaped punctuation, [classes] without set operations, (groups)
// and (?:groups), alternation, quantifiers ? * + {m,n} (lazy or possessive), ^ $ \b;
// ., [^…], \w, \p{…} and the like stand for any character. A pattern that may start
// with one, or holds anything else (lookaround, inline flags, \x{…}), gives `any`.
// Read by the same reader as required_chars (src/regex_tree.hpp).
FirstChars first_chars(std::u32string_view pattern);

// Sets of characters that every match of `pattern` holds one of each, in this order
// (年 then 度 for (\d{4})\s*年度; a group of alternatives gives the union of one set of
// each: 省|市|县), read as first_chars reads; empty when it needs nothing or holds what
// the reader does not know. A text without them (holds_in_order false) cannot match,
// and its rule is neither compiled nor run by ICU.
std::vector<FirstChars> required_chars(std::u32string_view pattern);
bool holds_in_order(const std::vector<FirstChars>& needs, std::u32string_view text);

// A set of FirstChars asked about many characters: its ranges also as bits by the
// character's value modulo 1024, so that most characters are ruled out by one bit. A
// furniture rule's set of words' first characters holds a dozen ranges or more, each
// tested in turn on every character of every line given to the rule (about 1% of a
// run), and the first character of each short line was tested so on each rule (0.6%).
struct FirstCharsFilter {
  FirstChars chars;
  std::bitset<1024> bits;  // the ranges' characters by value modulo 1024

  FirstCharsFilter() = default;
  explicit FirstCharsFilter(FirstChars set);
  // chars.may_start(c), answered alike. Out of the ranges only \s or \d may take a
  // character, and a Chinese ideograph (U+4E00..U+9FFF), most of a text, is neither.
  bool may_start(char32_t c) const {
    if (chars.any || bits[c & 1023]) return chars.may_start(c);
    if (c >= 0x4E00 && c <= 0x9FFF) return false;
    return (chars.space && FirstChars::is_regex_space(c)) || (chars.digit && FirstChars::is_regex_digit(c));
  }
};

// The same test made quick for a pattern tried on many texts (LazyRegex::may_match).
class NeedsInOrder {
 public:
  NeedsInOrder() = default;
  explicit NeedsInOrder(std::vector<FirstChars> needs);
  // holds_in_order(needs, text), answered alike.
  bool held_by(std::u32string_view text) const;

 private:
  std::vector<FirstCharsFilter> sets_;
};

}  // namespace digestx
