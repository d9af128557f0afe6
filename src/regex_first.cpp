#include "digestx/regex_first.hpp"

#include "regex_tree.hpp"

#include <unicode/uchar.h>

#include <algorithm>

namespace digestx {

namespace {

// Neither white space nor a digit, without asking ICU: ASCII's visible characters but
// the digits, and the Chinese ones after the ideographic space (U+3001..U+9FFF), which
// most texts are made of.
bool plain_char(char32_t c) { return (c > ' ' && c < 0x7F && (c < '0' || c > '9')) || (c > 0x3000 && c <= 0x9FFF); }

}  // namespace

bool FirstChars::is_regex_space(char32_t c) {
  // ICU's \s is [\t\n\f\r\p{Z}] (WhiteSpace in its tables); either, to be safe.
  if (c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r') return true;
  if (plain_char(c)) return false;
  int8_t type = u_charType(UChar32(c));
  return u_isUWhiteSpace(UChar32(c)) || type == U_SPACE_SEPARATOR || type == U_LINE_SEPARATOR ||
         type == U_PARAGRAPH_SEPARATOR;
}

bool FirstChars::is_regex_digit(char32_t c) {
  if (c >= '0' && c <= '9') return true;
  return !plain_char(c) && u_isdigit(UChar32(c));
}

void FirstChars::add(const FirstChars& other) {
  any = any || other.any;
  space = space || other.space;
  digit = digit || other.digit;
  // Both are sorted: merged in one pass, and ranges that overlap or touch are joined
  // (sorting the whole list again at each furniture rule of layout.json was 0.08 M
  // instructions of a start; the joined list is also shorter for may_start).
  // A class being read ([a\sb]) adds to ranges it has not sorted yet: then all are sorted.
  bool sorted = std::is_sorted(ranges.begin(), ranges.end()) && std::is_sorted(other.ranges.begin(), other.ranges.end());
  ranges.insert(ranges.end(), other.ranges.begin(), other.ranges.end());
  auto mid = ranges.end() - long(other.ranges.size());
  if (sorted)
    std::inplace_merge(ranges.begin(), mid, ranges.end());
  else
    std::sort(ranges.begin(), ranges.end());
  join_sorted_ranges(ranges);
}

void join_sorted_ranges(std::vector<std::pair<char32_t, char32_t>>& ranges) {
  size_t kept = 0;
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (kept > 0 && ranges[i].first <= ranges[kept - 1].second + 1) {
      ranges[kept - 1].second = std::max(ranges[kept - 1].second, ranges[i].second);
      continue;
    }
    ranges[kept++] = ranges[i];
  }
  ranges.resize(kept);
}

std::optional<char32_t> control_escape(char32_t c) {
  switch (c) {
    case 't': return U'\t';
    case 'n': return U'\n';
    case 'r': return U'\r';
    case 'f': return U'\f';
    case 'e': return char32_t(0x1B);
    case 'a': return char32_t(0x07);
    default: return std::nullopt;
  }
}

namespace {

using regex_tree::Alternatives;
using regex_tree::Node;
using regex_tree::Sequence;

// What a piece of the pattern can start with, and whether it can match nothing.
struct Start {
  FirstChars chars;
  bool nullable = true;
};

Start start_of(const Alternatives& alternatives);

Start start_of(const Node& node) {
  Start s;
  s.chars.any = false;
  if (node.kind == Node::Kind::kChar) s = {node.chars, false};
  else if (node.kind == Node::Kind::kGroup) s = start_of(node.branches);
  s.nullable = s.nullable || node.optional;
  return s;
}

// A sequence starts where its first piece does, and where the next does while every
// piece before it may match nothing (x{0,2}y: x or y).
Start start_of(const Sequence& sequence) {
  Start out;
  out.chars.any = false;
  for (const Node& node : sequence) {
    if (!out.nullable) break;
    Start item = start_of(node);
    out.chars.add(item.chars);
    out.nullable = item.nullable;
  }
  return out;
}

Start start_of(const Alternatives& alternatives) {
  Start out;
  out.chars.any = false;
  out.nullable = false;
  for (const Sequence& branch : alternatives) {
    Start b = start_of(branch);
    out.chars.add(b.chars);
    out.nullable = out.nullable || b.nullable;
  }
  return out;
}

}  // namespace

FirstChars first_chars(std::u32string_view pattern) {
  std::optional<Alternatives> tree = regex_tree::read(pattern);
  if (!tree) return FirstChars{};
  Start s = start_of(*tree);
  return s.nullable ? FirstChars{} : s.chars;
}

}  // namespace digestx
