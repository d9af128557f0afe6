// The inside of digestx's matcher (include/digestx/regex_engine.hpp): the pattern's
// tree (regex_parse.cpp) and the program it compiles to (regex_engine.cpp).
#pragma once

#include "digestx/regex_engine.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace digestx::rx {

constexpr int kUnbounded = -1;
// {m,n} is compiled as n copies of its body: a count past this goes to ICU.
constexpr int kMaxCount = 1000;

// A class of characters: ranges, \s \d and their complements, . (negated line ends).
struct Set {
  std::vector<std::pair<char32_t, char32_t>> ranges;  // sorted, joined, inclusive
  bool space = false, not_space = false, digit = false, not_digit = false, line_end = false;
  bool negated = false;

  bool has(char32_t c) const {
    bool in = false;
    for (const auto& [lo, hi] : ranges) {
      if (c < lo) break;
      if (c <= hi) {
        in = true;
        break;
      }
    }
    if (!in && (space || not_space)) in = is_space(c) ? space : not_space;
    if (!in && (digit || not_digit)) in = is_digit(c) ? digit : not_digit;
    if (!in && line_end) in = is_line_end(c);
    return in != negated;
  }
  void add(const Set& other);
  void normalise();
};

struct Ast {
  enum Kind { kSeq, kAlt, kSet, kRepeat, kCapture, kAtomic, kLook, kBol, kEol };
  enum Greed { kGreedy, kLazy, kPossessive };
  Ast() = default;
  explicit Ast(Kind k) : kind(k) {}
  Kind kind = kSeq;
  std::vector<Ast> kids;
  Set set;                    // kSet
  int min = 0, max = 0;       // kRepeat (max kUnbounded for * +)
  Greed greed = kGreedy;      // kRepeat
  int capture = 0;            // kCapture: the group's number
  bool behind = false;        // kLook
  bool negated = false;       // kLook
};

// The tree of `pattern`, or nullopt where it holds anything the matcher does not take;
// `groups` is the number of capture groups.
std::optional<Ast> parse(std::u32string_view pattern, size_t& groups);

struct Inst {
  enum Op : uint8_t { kChar, kSet, kStar, kSplit, kJmp, kSave, kBol, kEol, kLook, kAtomic, kMatch };
  Op op;
  bool flag = false;   // kLook: negated
  bool behind = false; // kLook
  bool saves = false;  // kLook/kAtomic: its body sets capture groups
  char32_t c = 0;      // kChar
  uint32_t x = 0;      // kSet, kStar: the set; kSplit: first choice; kJmp: target; kSave: slot; kLook/kAtomic: after its body (which starts next)
  uint32_t y = 0;      // kSplit: second choice; kLook behind: the body's least length
  uint32_t z = 0;      // kLook behind: the body's greatest length
};

struct Program {
  std::vector<Inst> code;      // the main program starts at 0
  std::vector<Set> sets;
  size_t groups = 0;
  bool anchored = false;       // starts with ^: a search tries the text's start only
  std::optional<Set> first;    // the characters a match may start with, where known
};

}  // namespace digestx::rx
