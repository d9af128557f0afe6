// Text that the page layout split into pieces (a paragraph broken by a blank line,
// a heading wrapped over lines), joined into one contiguous string of the matching
// view, with the source position of every character so that spans map back.
// Pieces that sit end to end (most paragraphs: one piece) are not copied: the
// joined text is then a slice of the view itself.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "digestx/span.hpp"

namespace digestx {

class Joined {
 public:
  static Joined of(std::u32string_view view, const Pieces& pieces) {
    Joined j;
    bool contiguous = true;
    for (size_t i = 1; i < pieces.size(); ++i) contiguous = contiguous && pieces[i].start == pieces[i - 1].end;
    if (contiguous) {
      if (!pieces.empty()) {
        j.base_ = pieces.front().start;
        j.borrowed_ = view.substr(pieces.front().start, pieces.back().end - pieces.front().start);
      }
      return j;
    }
    j.copied_ = true;
    size_t n = 0;
    for (const Span& p : pieces) n += p.size();
    j.owned_.resize(n);
    j.map_.resize(n);
    char32_t* chars = &j.owned_[0];
    uint32_t* map = j.map_.data();
    size_t k = 0;
    for (const Span& p : pieces) {
      if (p.end > view.size() || p.start > p.end) continue;  // never so from the stages; kept safe
      for (uint32_t i = p.start; i < p.end; ++i, ++k) {
        chars[k] = view[i];
        map[k] = i;
      }
    }
    j.owned_.resize(k);
    j.map_.resize(k);
    return j;
  }

  // The joined characters (valid while this Joined and the view live).
  std::u32string_view chars() const { return copied_ ? std::u32string_view(owned_) : borrowed_; }
  size_t size() const { return copied_ ? owned_.size() : borrowed_.size(); }
  // Whether the characters are one stretch of the view (source(i) = source(0) + i).
  bool contiguous() const { return !copied_; }
  // Source index of chars()[i].
  uint32_t source(size_t i) const { return copied_ ? map_[i] : base_ + uint32_t(i); }

  // The source pieces covered by [begin, end) of the joined string.
  Pieces pieces(size_t begin, size_t end) const {
    Pieces out;
    if (begin >= end) return out;
    if (!copied_) return {Span{base_ + uint32_t(begin), base_ + uint32_t(end)}};
    for (size_t i = begin; i < end; ++i) {
      if (!out.empty() && out.back().end == map_[i]) {
        ++out.back().end;
      } else {
        out.push_back({map_[i], map_[i] + 1});
      }
    }
    return out;
  }

  // The source span from the first to the last character of [begin, end).
  Span span(size_t begin, size_t end) const {
    if (begin >= end) return {};
    return {source(begin), source(end - 1) + 1};
  }

 private:
  bool copied_ = false;
  std::u32string_view borrowed_;
  uint32_t base_ = 0;
  std::u32string owned_;
  std::vector<uint32_t> map_;
};

}  // namespace digestx
