#pragma once
// A value for each character of the BMP, most of them the zero value (T{}): what a
// numeral character is (一 a digit, 万 a big unit), what a character is to the sentence
// splitter (。 a terminator). Asked about at every character of a text.
//
// Why not a flat table of 65,536 values: the few characters the rules set are spread
// over the BMP (０ FF10, 一 4E00, 亿 4EBF, 百 767E, 。 3002), so setting them touched a
// page of the table each. The two flat tables (NumberRules::chars, 768 KiB, and
// SentenceRules::classes, 64 KiB) were 32 of the 236 page faults of a run on a one-line
// file, and a page fault costs as much as 10,000 instructions on a virtual machine.
//
// Here the BMP is 256 blocks of 256 characters. A block is stored once one of its
// characters is set (the numerals fill fewer than twenty); the others read one shared block
// of zero values. A lookup reads the block's place, then the value: a few loads from
// tables small enough to stay in the cache (the flat table read one).
// T: a type whose value-initialised state is its zero value (CharInfo, uint8_t).

#include <array>
#include <cstdint>
#include <vector>

namespace digestx {

template <class T>
class CharTable {
 public:
  static constexpr char32_t kEnd = 0x10000;  // characters from here on read as T{}

  CharTable() : blocks_(1) {}

  const T& operator[](char32_t c) const {
    return c < kEnd ? blocks_[index_[c >> 8]][c & 0xFF] : blocks_[0][0];
  }

  // The value of `c` to write, its block stored on first use. `c` must be below kEnd.
  T& at(char32_t c) {
    uint16_t& block = index_[c >> 8];
    if (block == 0) {
      block = uint16_t(blocks_.size());
      blocks_.emplace_back();
    }
    return blocks_[block][c & 0xFF];
  }

  // How many blocks of 256 are stored (the shared zero block counted).
  size_t blocks() const { return blocks_.size(); }

 private:
  std::array<uint16_t, 256> index_{};  // each block's place in blocks_; 0: the zero block
  std::vector<std::array<T, 256>> blocks_;
};

}  // namespace digestx
