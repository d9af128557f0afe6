#include "regex_program.hpp"

#include "digestx/regex_first.hpp"

#include <algorithm>
#include <optional>

namespace digestx::rx {

namespace {

bool is_ascii_alnum(char32_t c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

int hex_value(char32_t h) {
  return h >= '0' && h <= '9' ? int(h - '0') : h >= 'a' && h <= 'f' ? int(h - 'a' + 10) : h >= 'A' && h <= 'F' ? int(h - 'A' + 10) : -1;
}


// Reads a pattern into its tree, exactly or not at all: anything it does not know
// makes the whole pattern unknown (LazyRegex then gives it to ICU).
class Parser {
 public:
  explicit Parser(std::u32string_view p) : p_(p) {}

  std::optional<Ast> run() {
    Ast top = alternation();
    if (unknown_ || i_ != p_.size()) return std::nullopt;
    return top;
  }
  size_t groups() const { return groups_; }

 private:
  std::u32string_view p_;
  size_t i_ = 0, groups_ = 0;
  bool unknown_ = false;

  bool at(char32_t c) const { return i_ < p_.size() && p_[i_] == c; }
  Ast give_up() {
    unknown_ = true;
    i_ = p_.size();
    return Ast{};
  }

  Ast alternation() {
    Ast alt;
    alt.kind = Ast::kAlt;
    alt.kids.push_back(sequence());
    while (!unknown_ && at('|')) {
      ++i_;
      alt.kids.push_back(sequence());
    }
    return alt.kids.size() == 1 ? std::move(alt.kids[0]) : alt;
  }

  Ast sequence() {
    Ast seq;
    seq.kind = Ast::kSeq;
    while (!unknown_ && i_ < p_.size() && !at('|') && !at(')')) seq.kids.push_back(quantified());
    return seq;
  }

  // A number of a {m,n}; nullopt where there is none or it is too large to expand.
  std::optional<int> number() {
    size_t start = i_;
    int n = 0;
    while (i_ < p_.size() && p_[i_] >= '0' && p_[i_] <= '9') {
      n = n * 10 + int(p_[i_++] - '0');
      if (n > kMaxCount) return std::nullopt;
    }
    if (i_ == start) return std::nullopt;
    return n;
  }

  Ast quantified() {
    Ast body = item();
    if (unknown_) return body;
    int min = 0, max = 0;
    if (at('?')) {
      max = 1;
    } else if (at('*')) {
      max = kUnbounded;
    } else if (at('+')) {
      min = 1, max = kUnbounded;
    } else if (at('{')) {
      ++i_;
      auto m = number();
      if (!m) return give_up();
      min = max = *m;
      if (at(',')) {
        ++i_;
        if (at('}')) {
          max = kUnbounded;
        } else {
          auto n = number();
          if (!n || *n < min) return give_up();
          max = *n;
        }
      }
      if (!at('}')) return give_up();
    } else {
      return body;
    }
    ++i_;
    if (body.kind == Ast::kBol || body.kind == Ast::kEol || body.kind == Ast::kLook) return give_up();
    Ast rep;
    rep.kind = Ast::kRepeat;
    rep.min = min;
    rep.max = max;
    if (at('?')) {
      rep.greed = Ast::kLazy;
      ++i_;
    } else if (at('+')) {
      rep.greed = Ast::kPossessive;
      ++i_;
    }
    rep.kids.push_back(std::move(body));
    return rep;
  }

  Ast item() {
    char32_t c = p_[i_++];
    switch (c) {
      case '(': return group();
      case '[': return char_class();
      case '\\': return escape();
      case '^': return Ast{Ast::kBol};
      case '$': return Ast{Ast::kEol};
      case '.': {
        Ast dot = set_of(Set{});
        dot.set.line_end = true;
        dot.set.negated = true;
        return dot;
      }
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ']':
      case '#': return give_up();
      default: return char_of(c);
    }
  }

  static Ast set_of(Set s) {
    Ast a{Ast::kSet};
    a.set = std::move(s);
    return a;
  }
  static Ast char_of(char32_t c) {
    Set s;
    s.ranges.push_back({c, c});
    return set_of(std::move(s));
  }

  Ast group() {
    Ast g;
    if (at('?')) {
      std::u32string_view rest = p_.substr(i_);
      auto starts = [&](std::u32string_view h) { return rest.substr(0, h.size()) == h; };
      if (starts(U"?:")) {
        g.kind = Ast::kSeq;
        i_ += 2;
      } else if (starts(U"?>")) {
        g.kind = Ast::kAtomic;
        i_ += 2;
      } else if (starts(U"?=") || starts(U"?!")) {
        g.kind = Ast::kLook;
        g.negated = rest[1] == '!';
        i_ += 2;
      } else if (starts(U"?<=") || starts(U"?<!")) {
        g.kind = Ast::kLook;
        g.behind = true;
        g.negated = rest[2] == '!';
        i_ += 3;
      } else {
        return give_up();  // flags, named groups, comments
      }
    } else {
      g.kind = Ast::kCapture;
      g.capture = int(++groups_);
    }
    g.kids.push_back(alternation());
    if (unknown_ || !at(')')) return give_up();
    ++i_;
    return g;
  }

  // \uhhhh: the character, or nullopt.
  std::optional<char32_t> hex4() {
    if (i_ + 4 > p_.size()) return std::nullopt;
    char32_t c = 0;
    for (size_t k = 0; k < 4; ++k) {
      int v = hex_value(p_[i_ + k]);
      if (v < 0) return std::nullopt;
      c = c * 16 + char32_t(v);
    }
    i_ += 4;
    return c;
  }

  // \x{h…} (the built-in \p{Han} is written with them: kHanSetPattern): the character,
  // or nullopt (also for \xhh, left to ICU).
  std::optional<char32_t> hex_braced() {
    if (!at('{')) return std::nullopt;
    size_t close = p_.find('}', i_);
    if (close == std::u32string_view::npos || close == i_ + 1 || close > i_ + 8) return std::nullopt;
    char32_t c = 0;
    for (size_t k = i_ + 1; k < close; ++k) {
      int v = hex_value(p_[k]);
      if (v < 0) return std::nullopt;
      c = c * 16 + char32_t(v);
    }
    if (c > 0x10FFFF) return std::nullopt;
    i_ = close + 1;
    return c;
  }

  // After a backslash, in a class or not: the characters it names, or unknown.
  std::optional<Set> escaped_set() {
    if (i_ >= p_.size()) return std::nullopt;
    char32_t c = p_[i_++];
    Set s;
    switch (c) {
      case 's': s.space = true; return s;
      case 'S': s.not_space = true; return s;
      case 'd': s.digit = true; return s;
      case 'D': s.not_digit = true; return s;
      default: break;
    }
    if (c < 0x80 && !is_ascii_alnum(c)) {
      s.ranges.push_back({c, c});
      return s;
    }
    std::optional<char32_t> named = control_escape(c);
    if (!named && c == 'u') named = hex4();
    if (!named && c == 'x') named = hex_braced();
    // ICU joins \uD83D\uDE00 into one character, and a lone half matches half of one
    // in its UTF-16 text: left to ICU.
    if (!named || (*named >= 0xD800 && *named <= 0xDFFF)) return std::nullopt;
    s.ranges.push_back({*named, *named});
    return s;
  }

  Ast escape() {
    std::optional<Set> s = escaped_set();
    return s ? set_of(std::move(*s)) : give_up();
  }

  // One character named by an escape (\x{2E80}, \-), which may end a range; nullopt for
  // a class (\s).
  static std::optional<char32_t> single(const Set& s) {
    if (s.space || s.not_space || s.digit || s.not_digit || s.ranges.size() != 1 || s.ranges[0].first != s.ranges[0].second)
      return std::nullopt;
    return s.ranges[0].first;
  }

  // [...]: characters, ranges (of characters or escapes: \x{2E80}-\x{2E99}), \s \d \S
  // \D and classes inside, joined ([[\x{2E80}-…]、], the built-in [\p{Han}、]); a negated
  // class inside and set operations are unknown.
  Ast char_class() {
    Set out;
    out.negated = at('^');
    if (out.negated) ++i_;
    if (at(']')) return give_up();
    while (!unknown_ && !at(']')) {
      // & is intersection in ICU ([[ab]&[b]c]), -- and -[ difference: all left to ICU.
      if (i_ >= p_.size() || at('&') || (at('-') && i_ + 1 < p_.size() && (p_[i_ + 1] == '-' || p_[i_ + 1] == '['))) return give_up();
      if (at('[')) {
        ++i_;
        if (at('^')) return give_up();
        Ast inner = char_class();
        if (unknown_) return Ast{};
        out.add(inner.set);
        continue;
      }
      std::optional<char32_t> lo = endpoint(out);
      if (unknown_) return Ast{};
      if (!lo) continue;  // a class such as \s, added
      char32_t hi = *lo;
      if (at('-') && i_ + 1 < p_.size() && p_[i_ + 1] != ']') {
        ++i_;
        Set none;
        std::optional<char32_t> end = at('[') || at('-') ? std::nullopt : endpoint(none);
        if (!end || *end < *lo) return give_up();
        hi = *end;
      }
      out.ranges.push_back({*lo, hi});
    }
    if (unknown_) return Ast{};
    ++i_;
    out.normalise();
    return set_of(std::move(out));
  }

  // A character of a class, or an escaped class added to `out` (nullopt).
  std::optional<char32_t> endpoint(Set& out) {
    if (!at('\\')) return p_[i_++];
    ++i_;
    std::optional<Set> s = escaped_set();
    if (!s) {
      give_up();
      return std::nullopt;
    }
    if (auto c = single(*s)) return c;
    out.add(*s);
    return std::nullopt;
  }
};

}  // namespace

void Set::add(const Set& other) {
  ranges.insert(ranges.end(), other.ranges.begin(), other.ranges.end());
  space = space || other.space;
  not_space = not_space || other.not_space;
  digit = digit || other.digit;
  not_digit = not_digit || other.not_digit;
}

void Set::normalise() {
  std::sort(ranges.begin(), ranges.end());
  join_sorted_ranges(ranges);
}

std::optional<Ast> parse(std::u32string_view pattern, size_t& groups) {
  Parser p(pattern);
  std::optional<Ast> out = p.run();
  groups = p.groups();
  return out;
}

}  // namespace digestx::rx
