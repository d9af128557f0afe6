// The characters every match of a rule's regular expression holds, in order (see
// regex_first.hpp): a text without them is never given to ICU. A one-line document
// reached the report-year and region rules with its only line, and compiling the
// first ICU pattern of a process builds ICU's regular-expression tables (7.8 M
// instructions, more than half of a run): 去年全县完成固定资产投资12.5亿元 holds no 年 after
// its figure, so no year rule (…\d{2})\s*年度) can match it.
#include "digestx/regex_first.hpp"

#include <algorithm>

namespace digestx {

namespace {

// The sets a piece of the pattern must hold, in order; `unknown` when the piece may
// match text the reader cannot tell (then it needs nothing).
struct Needs {
  std::vector<FirstChars> sets;
};

FirstChars none_set() {
  FirstChars s;
  s.any = false;
  return s;
}

FirstChars char_set(char32_t c) {
  FirstChars s = none_set();
  s.ranges.push_back({c, c});
  return s;
}

// How many characters a set admits, roughly: the smaller, the more lines it rules out.
size_t breadth(const FirstChars& s) {
  size_t n = (s.space ? 30 : 0) + (s.digit ? 700 : 0);
  for (const auto& [lo, hi] : s.ranges) n += size_t(hi - lo) + 1;
  return n;
}

bool is_ascii_alnum(char32_t c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

class NeedsReader {
 public:
  explicit NeedsReader(std::u32string_view p) : p_(p) {}

  std::vector<FirstChars> run() {
    Needs n = alternation();
    if (i_ != p_.size() || unknown_) return {};
    return n.sets;
  }

 private:
  std::u32string_view p_;
  size_t i_ = 0;
  bool unknown_ = false;

  bool at(char32_t c) const { return i_ < p_.size() && p_[i_] == c; }
  Needs give_up() {
    unknown_ = true;
    i_ = p_.size();
    return {};
  }

  // Each branch holds one of its sets: the union of each branch's narrowest set.
  Needs alternation() {
    std::vector<Needs> branches{sequence()};
    while (!unknown_ && at('|')) {
      ++i_;
      branches.push_back(sequence());
    }
    if (branches.size() == 1) return branches[0];
    FirstChars joined = none_set();
    for (const Needs& b : branches) {
      if (b.sets.empty()) return {};
      joined.add(*std::min_element(b.sets.begin(), b.sets.end(),
                                   [](const FirstChars& x, const FirstChars& y) { return breadth(x) < breadth(y); }));
    }
    return {{joined}};
  }

  Needs sequence() {
    Needs out;
    while (!unknown_ && i_ < p_.size() && !at('|') && !at(')')) {
      Needs item = quantified();
      out.sets.insert(out.sets.end(), item.sets.begin(), item.sets.end());
    }
    return out;
  }

  // A piece that may occur no time needs nothing; one that occurs at least once needs
  // what one occurrence needs.
  Needs quantified() {
    Needs n = item();
    if (unknown_) return n;
    bool optional = false;
    if (at('?') || at('*')) {
      optional = true;
      ++i_;
    } else if (at('+')) {
      ++i_;
    } else if (at('{')) {
      size_t close = p_.find('}', i_);
      if (close == std::u32string_view::npos || close == i_ + 1 || p_[i_ + 1] < '0' || p_[i_ + 1] > '9') return give_up();
      optional = p_[i_ + 1] == '0' && (p_[i_ + 2] == ',' || p_[i_ + 2] == '}');  // {0}, {0,n}
      i_ = close + 1;
    } else {
      return n;
    }
    if (at('?') || at('+')) ++i_;  // lazy or possessive: the same text
    return optional ? Needs{} : n;
  }

  Needs item() {
    char32_t c = p_[i_++];
    switch (c) {
      case '(': return group();
      case '[': return char_class();
      case '\\': return escape(false);
      case '^':
      case '$':
      case '.': return {};
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ']': return give_up();
      default: return {{char_set(c)}};
    }
  }

  Needs group() {
    if (at('?')) {
      if (i_ + 1 >= p_.size() || (p_[i_ + 1] != ':' && p_[i_ + 1] != '>')) return give_up();  // lookaround, flags
      i_ += 2;
    }
    Needs inner = alternation();
    if (!at(')')) return give_up();
    ++i_;
    return inner;
  }

  // Skips the {…} after \p, \P, \x, \N.
  bool skip_braced() {
    if (!at('{')) return false;
    size_t close = p_.find('}', i_);
    if (close == std::u32string_view::npos) return false;
    i_ = close + 1;
    return true;
  }

  // After a backslash: \s, \d or an escaped punctuation mark are sets; \p{…}, \w and
  // other classes of one character need nothing; anything else gives up.
  Needs escape(bool in_class) {
    if (i_ >= p_.size()) return give_up();
    char32_t c = p_[i_++];
    if (c == 's' || c == 'd') {
      FirstChars s = none_set();
      (c == 's' ? s.space : s.digit) = true;
      return {{s}};
    }
    if (c < 0x80 && !is_ascii_alnum(c)) return {{char_set(c)}};
    if ((c == 'p' || c == 'P') && skip_braced()) return {};
    if (std::u32string_view(U"wWSDhHvVRX").find(c) != std::u32string_view::npos) return {};
    if (!in_class && std::u32string_view(U"bBAzZG").find(c) != std::u32string_view::npos) return {};  // zero width
    return give_up();  // \x{…}, \Q…\E, back references, \t…: rare, left to ICU
  }

  // A class needs one of its characters, unless negated or holding a class of its own.
  Needs char_class() {
    bool negated = at('^');
    if (negated) ++i_;
    if (at(']')) return give_up();
    FirstChars out = none_set();
    bool unknown_member = false;
    while (!unknown_ && !at(']')) {
      if (i_ >= p_.size() || at('[') || (at('&') && i_ + 1 < p_.size() && p_[i_ + 1] == '&')) return give_up();
      if (at('\\')) {
        ++i_;
        Needs e = escape(true);
        if (e.sets.empty()) unknown_member = true;
        else out.add(e.sets[0]);
        continue;
      }
      char32_t lo = p_[i_++], hi = lo;
      if (at('-') && i_ + 1 < p_.size() && p_[i_ + 1] != ']') {
        hi = p_[i_ + 1];
        if (hi == '\\' || hi == '[' || hi == '-' || hi < lo) return give_up();
        i_ += 2;
      }
      out.ranges.push_back({lo, hi});
    }
    if (unknown_) return {};
    ++i_;
    if (negated || unknown_member) return {};
    std::sort(out.ranges.begin(), out.ranges.end());
    return {{out}};
  }
};

}  // namespace

std::vector<FirstChars> required_chars(std::u32string_view pattern) { return NeedsReader(pattern).run(); }

bool holds_in_order(const std::vector<FirstChars>& needs, std::u32string_view text) {
  size_t i = 0;
  for (const FirstChars& set : needs) {
    while (i < text.size() && !set.may_start(text[i])) ++i;
    if (i == text.size()) return false;
    ++i;
  }
  return true;
}

}  // namespace digestx
