#include "regex_tree.hpp"

#include <algorithm>

namespace digestx::regex_tree {

namespace {

bool is_ascii_alnum(char32_t c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

Node char_node(FirstChars chars) {
  Node n;
  n.chars = std::move(chars);
  return n;
}

FirstChars none_set() {
  FirstChars s;
  s.any = false;
  return s;
}

FirstChars one_of(char32_t c) {
  FirstChars s = none_set();
  s.ranges.push_back({c, c});
  return s;
}

Node zero_width() {
  Node n;
  n.kind = Node::Kind::kZeroWidth;
  return n;
}

class Reader {
 public:
  explicit Reader(std::u32string_view p) : p_(p) {}

  std::optional<Alternatives> run() {
    Alternatives top = alternation();
    if (unknown_ || i_ != p_.size()) return std::nullopt;
    return top;
  }

 private:
  std::u32string_view p_;
  size_t i_ = 0;
  bool unknown_ = false;

  bool at(char32_t c) const { return i_ < p_.size() && p_[i_] == c; }
  Node give_up() {
    unknown_ = true;
    i_ = p_.size();
    return zero_width();
  }

  Alternatives alternation() {
    Alternatives out{sequence()};
    while (!unknown_ && at('|')) {
      ++i_;
      out.push_back(sequence());
    }
    return out;
  }

  Sequence sequence() {
    Sequence out;
    while (!unknown_ && i_ < p_.size() && !at('|') && !at(')')) out.push_back(quantified());
    return out;
  }

  // ? * + {m,n}, lazy or possessive (the same characters either way).
  Node quantified() {
    Node n = item();
    if (unknown_) return n;
    if (at('?') || at('*')) {
      n.optional = true;
      ++i_;
    } else if (at('+')) {
      ++i_;
    } else if (at('{')) {
      size_t close = p_.find('}', i_);
      if (close == std::u32string_view::npos || close == i_ + 1 || p_[i_ + 1] < '0' || p_[i_ + 1] > '9') return give_up();
      size_t min_end = i_ + 1;
      while (min_end < close && p_[min_end] == '0') ++min_end;
      n.optional = min_end == close || p_[min_end] == ',';  // {0}, {0,n}, {00,n}
      i_ = close + 1;
    } else {
      return n;
    }
    if (at('?') || at('+')) ++i_;
    return n;
  }

  Node item() {
    char32_t c = p_[i_++];
    switch (c) {
      case '(': return group();
      case '[': return char_class();
      case '\\': return escape(false);
      case '^':
      case '$': return zero_width();
      case '.': return char_node(FirstChars{});
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ']': return give_up();
      default: return char_node(one_of(c));
    }
  }

  Node group() {
    if (at('?')) {
      if (size_t head = lookaround_head(); head != 0) return lookaround(head);
      if (i_ + 1 >= p_.size() || (p_[i_ + 1] != ':' && p_[i_ + 1] != '>')) return give_up();  // flags
      i_ += 2;
    }
    Node n;
    n.kind = Node::Kind::kGroup;
    n.branches = alternation();
    if (!at(')')) return give_up();
    ++i_;
    return n;
  }

  // (?= (?! (?<= (?<!: the length of the head after the '(', or 0.
  size_t lookaround_head() const {
    std::u32string_view rest = p_.substr(i_);
    for (std::u32string_view h : {U"?=", U"?!", U"?<=", U"?<!"})
      if (rest.substr(0, h.size()) == h) return h.size();
    return 0;
  }

  // A lookaround matches no character: read for its end, it adds no need and no first
  // character (the region rules' (?!全(?:省|市|县|区…)) keeps 全区 from being a region and
  // the rule's need of 年 or 市直).
  Node lookaround(size_t head) {
    i_ += head;
    alternation();
    if (unknown_ || !at(')')) return give_up();
    ++i_;
    return zero_width();
  }

  // Skips the {…} after \p or \P.
  bool skip_braced() {
    if (!at('{')) return false;
    size_t close = p_.find('}', i_);
    if (close == std::u32string_view::npos) return false;
    i_ = close + 1;
    return true;
  }

  // After a backslash: \s, \d, \t and escaped punctuation name their characters;
  // \p{…}, \w and the like one character the reader cannot name; \b and the like no
  // character (outside a class); anything else is unknown.
  Node escape(bool in_class) {
    if (i_ >= p_.size()) return give_up();
    char32_t c = p_[i_++];
    if (c == 's' || c == 'd') {
      FirstChars s = none_set();
      (c == 's' ? s.space : s.digit) = true;
      return char_node(s);
    }
    if (c < 0x80 && !is_ascii_alnum(c)) return char_node(one_of(c));
    if (auto control = control_escape(c)) return char_node(one_of(*control));
    if ((c == 'p' || c == 'P') && skip_braced()) return char_node(FirstChars{});
    if (std::u32string_view(U"wWSDhHvVRX").find(c) != std::u32string_view::npos) return char_node(FirstChars{});
    if (!in_class && std::u32string_view(U"bBAzZG").find(c) != std::u32string_view::npos) return zero_width();
    return give_up();
  }

  // One character of the class; one the reader cannot name when it is negated or holds
  // a class of its own ([\p{Han}、]).
  Node char_class() {
    bool negated = at('^');
    if (negated) ++i_;
    if (at(']')) return give_up();
    FirstChars out = none_set();
    while (!unknown_ && !at(']')) {
      if (i_ >= p_.size() || at('[') || (at('&') && i_ + 1 < p_.size() && p_[i_ + 1] == '&')) return give_up();
      if (at('\\')) {
        ++i_;
        out.add(escape(true).chars);
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
    if (unknown_) return zero_width();
    ++i_;
    if (negated || out.any) return char_node(FirstChars{});
    std::sort(out.ranges.begin(), out.ranges.end());
    return char_node(out);
  }
};

}  // namespace

std::optional<Alternatives> read(std::u32string_view pattern) { return Reader(pattern).run(); }

}  // namespace digestx::regex_tree
