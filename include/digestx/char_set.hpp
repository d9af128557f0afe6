#pragma once
// A set of characters given by the rules (clause breaks ，,：:, the numerals that keep a
// lead clause from dating 一二三…), asked about at every character of a text.
//
// Why not the rules' string and a search of it (in_set): that search, a loop over the
// set for each character asked about, added up to 6% of a run's instructions, spread
// over the stages (the lead-clause test of periods alone 1%). Most characters asked
// about are in no set (a Han character of a sentence is no clause break), and a
// 1,024-bit filter by the character's low ten bits answers them with one test; only a
// character whose bit is set is looked for in the list.

#include <cstdint>
#include <string>
#include <utility>

namespace digestx {

class CharSet {
 public:
  CharSet() = default;
  explicit CharSet(std::u32string chars) : chars_(std::move(chars)) {
    for (char32_t c : chars_) bits_[(c >> 6) & 15] |= uint64_t(1) << (c & 63);
  }
  bool has(char32_t c) const {
    return ((bits_[(c >> 6) & 15] >> (c & 63)) & 1) != 0 && chars_.find(c) != std::u32string::npos;
  }
  bool empty() const { return chars_.empty(); }
  // The characters as the rules list them.
  const std::u32string& chars() const { return chars_; }

 private:
  std::u32string chars_;
  uint64_t bits_[16] = {};
};

inline bool in_set(const CharSet& set, char32_t c) { return set.has(c); }

}  // namespace digestx
