#pragma once
// A set of characters given by the rules (clause breaks ，,：:, the numerals that keep a
// lead clause from dating 一二三…, a subject's list separators 、), asked about at
// every character of a text.
//
// Why not the rules' string and a search of it (in_set, find): that search, a loop over
// the set for each character asked about, added up to 6% of a run's instructions,
// spread over the stages (the lead-clause test of periods alone 1%). Most characters
// asked about are in no set (a Han character of a sentence is no clause break), and a
// 1,024-bit filter by the character's low ten bits answers them with one test; only a
// character whose bit is set is looked for in the list.
//
// A CharSet reads as the string it was given (a view, its characters in order, find of
// one character), so that a rules field becomes one by its type alone.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace digestx {

class CharSet {
 public:
  static constexpr size_t npos = std::u32string::npos;

  CharSet() = default;
  explicit CharSet(std::u32string chars) { *this = std::move(chars); }
  CharSet& operator=(std::u32string chars) {
    chars_ = std::move(chars);
    for (uint64_t& b : bits_) b = 0;
    for (char32_t c : chars_) bits_[(c >> 6) & 15] |= uint64_t(1) << (c & 63);
    return *this;
  }

  bool has(char32_t c) const { return may_hold(c) && chars_.find(c) != npos; }
  // Where `c` stands in the set, npos if nowhere (as std::u32string::find).
  size_t find(char32_t c) const { return may_hold(c) ? chars_.find(c) : npos; }

  // The characters as the rules list them.
  const std::u32string& chars() const { return chars_; }
  operator std::u32string_view() const { return chars_; }
  bool empty() const { return chars_.empty(); }
  size_t size() const { return chars_.size(); }
  char32_t operator[](size_t i) const { return chars_[i]; }
  std::u32string::const_iterator begin() const { return chars_.begin(); }
  std::u32string::const_iterator end() const { return chars_.end(); }

 private:
  bool may_hold(char32_t c) const { return ((bits_[(c >> 6) & 15] >> (c & 63)) & 1) != 0; }

  std::u32string chars_;
  uint64_t bits_[16] = {};
};

inline bool in_set(const CharSet& set, char32_t c) { return set.has(c); }

}  // namespace digestx
