#include "digestx/regex_engine.hpp"

#include "regex_program.hpp"

#include <unicode/uchar.h>

#include <algorithm>
#include <climits>

namespace digestx::rx {

bool is_space(char32_t c) {
  if (c == ' ' || (c >= '\t' && c <= '\r')) return true;
  if (c < 0x80) return false;
  return u_isUWhiteSpace(UChar32(c));
}

bool is_digit(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  return u_charType(UChar32(c)) == U_DECIMAL_DIGIT_NUMBER;
}

bool is_line_end(char32_t c) { return (c >= 0x0A && c <= 0x0D) || c == 0x85 || c == 0x2028 || c == 0x2029; }

namespace {

// The least and greatest number of characters a match of `a` spans (greatest -1: no
// bound), for a lookbehind's tries and for loops whose body may match nothing.
std::pair<int, int> lengths(const Ast& a) {
  auto add = [](int x, int y) { return x < 0 || y < 0 ? -1 : std::min(x + y, 1 << 20); };
  switch (a.kind) {
    case Ast::kSet: return {1, 1};
    case Ast::kBol:
    case Ast::kEol:
    case Ast::kLook: return {0, 0};
    case Ast::kSeq: {
      std::pair<int, int> out{0, 0};
      for (const Ast& k : a.kids) {
        auto [lo, hi] = lengths(k);
        out = {add(out.first, lo), add(out.second, hi)};
      }
      return out;
    }
    case Ast::kAlt: {
      std::pair<int, int> out{1 << 20, 0};
      for (const Ast& k : a.kids) {
        auto [lo, hi] = lengths(k);
        out.first = std::min(out.first, lo);
        out.second = out.second < 0 || hi < 0 ? -1 : std::max(out.second, hi);
      }
      return out;
    }
    case Ast::kRepeat: {
      auto [lo, hi] = lengths(a.kids[0]);
      int max = a.max == kUnbounded || hi < 0 ? (hi == 0 ? 0 : -1) : std::min(hi * a.max, 1 << 20);
      return {std::min(lo * a.min, 1 << 20), max};
    }
    default: return lengths(a.kids[0]);
  }
}

// The characters a match may start with; nullopt where any may (a pattern that may
// match nothing, or starts with a negated class).
struct First {
  Set set;
  bool nullable = true;
  bool any = false;
};

First first_of(const Ast& a) {
  First out;
  switch (a.kind) {
    case Ast::kSet:
      out.nullable = false;
      if (a.set.negated)
        out.any = true;
      else
        out.set = a.set;
      return out;
    case Ast::kBol:
    case Ast::kEol:
    case Ast::kLook: return out;
    case Ast::kSeq:
      for (const Ast& k : a.kids) {
        First f = first_of(k);
        out.any = out.any || f.any;
        out.set.add(f.set);
        if (!f.nullable) {
          out.nullable = false;
          break;
        }
      }
      return out;
    case Ast::kAlt:
      out.nullable = false;
      for (const Ast& k : a.kids) {
        First f = first_of(k);
        out.any = out.any || f.any;
        out.set.add(f.set);
        out.nullable = out.nullable || f.nullable;
      }
      return out;
    case Ast::kRepeat:
      out = first_of(a.kids[0]);
      out.nullable = out.nullable || a.min == 0;
      return out;
    default: return first_of(a.kids[0]);
  }
}

// Whether a class may match a character beyond U+FFFF (\d may: there are such digits).
bool may_be_astral(const Set& s) {
  if (s.negated || s.not_space || s.not_digit || s.digit) return true;
  return std::any_of(s.ranges.begin(), s.ranges.end(), [](const auto& r) { return r.second > 0xFFFF; });
}

// Whether `a` repeats something that may match a character beyond U+FFFF. In a
// lookbehind ICU bounds such a body in UTF-16 units and misses where this matcher
// matches ((?<=(?:\p{Han}|、){2})海棠区 over 海𠮷海棠区): such a lookbehind is left to ICU.
bool repeats_astral(const Ast& a, bool in_repeat = false) {
  if (a.kind == Ast::kSet) return in_repeat && may_be_astral(a.set);
  bool repeated = in_repeat || a.kind == Ast::kRepeat;
  return std::any_of(a.kids.begin(), a.kids.end(), [&](const Ast& k) { return repeats_astral(k, repeated); });
}

class Compiler {
 public:
  explicit Compiler(Program& p) : p_(p) {}
  bool ok = true;

  void emit(const Ast& a) {
    if (!ok) return;
    if (p_.code.size() > kMaxCode) {
      ok = false;
      return;
    }
    switch (a.kind) {
      case Ast::kSeq:
        for (const Ast& k : a.kids) emit(k);
        return;
      case Ast::kAlt: return alternatives(a);
      case Ast::kSet: return one_set(a.set);
      case Ast::kBol: return push({Inst::kBol});
      case Ast::kEol: return push({Inst::kEol});
      case Ast::kCapture: return capture(a);
      case Ast::kAtomic: return sub(Inst::kAtomic, a.kids[0], false, false);
      case Ast::kLook: return sub(Inst::kLook, a.kids[0], a.behind, a.negated);
      case Ast::kRepeat: return repeat(a);
    }
  }

 private:
  static constexpr size_t kMaxCode = 1 << 16;
  Program& p_;

  uint32_t here() const { return uint32_t(p_.code.size()); }
  void push(Inst i) { p_.code.push_back(i); }

  void one_set(const Set& s) {
    if (!s.negated && !s.space && !s.not_space && !s.digit && !s.not_digit && s.ranges.size() == 1 &&
        s.ranges[0].first == s.ranges[0].second) {
      Inst i{Inst::kChar};
      i.c = s.ranges[0].first;
      return push(i);
    }
    Inst i{Inst::kSet};
    i.x = uint32_t(p_.sets.size());
    p_.sets.push_back(s);
    push(i);
  }

  void capture(const Ast& a) {
    Inst open{Inst::kSave};
    open.x = uint32_t(2 * a.capture);
    push(open);
    emit(a.kids[0]);
    Inst close{Inst::kSave};
    close.x = uint32_t(2 * a.capture + 1);
    push(close);
  }

  // a|b|c: each choice tries the next on failure; every branch jumps to the end.
  void alternatives(const Ast& a) {
    std::vector<uint32_t> jumps;
    for (size_t k = 0; k < a.kids.size(); ++k) {
      uint32_t split = here();
      bool last = k + 1 == a.kids.size();
      if (!last) push({Inst::kSplit});
      if (!last) p_.code[split].x = here();
      emit(a.kids[k]);
      if (!last) {
        jumps.push_back(here());
        push({Inst::kJmp});
        p_.code[split].y = here();
      }
    }
    for (uint32_t j : jumps) p_.code[j].x = here();
  }

  // An atomic group or a lookaround: its body follows inline and ends in kMatch; x is
  // where the program goes on after it.
  void sub(Inst::Op op, const Ast& body, bool behind, bool negated) {
    uint32_t at = here();
    Inst i{op};
    i.behind = behind;
    i.flag = negated;
    if (behind) {
      auto [lo, hi] = lengths(body);
      if (hi < 0 || repeats_astral(body)) {
        ok = false;  // ICU needs a bounded lookbehind too
        return;
      }
      i.y = uint32_t(lo);
      i.z = uint32_t(hi);
    }
    push(i);
    emit(body);
    push({Inst::kMatch});
    p_.code[at].x = here();
    for (uint32_t k = at + 1; k < here(); ++k) p_.code[at].saves = p_.code[at].saves || p_.code[k].op == Inst::kSave;
  }

  void repeat(const Ast& a) {
    const Ast& body = a.kids[0];
    if (a.greed == Ast::kPossessive) {
      Ast greedy = a;
      greedy.greed = Ast::kGreedy;
      Ast atomic{Ast::kAtomic};
      atomic.kids.push_back(std::move(greedy));
      return emit(atomic);
    }
    // A loop whose body may match nothing: ICU stops it at an empty turn; not taken.
    if (a.max != 1 && lengths(body).first == 0) {
      ok = false;
      return;
    }
    bool lazy = a.greed == Ast::kLazy;
    for (int k = 0; k < a.min; ++k) emit(body);
    if (a.max == kUnbounded && !lazy && body.kind == Ast::kSet) return star(body.set);
    if (a.max == kUnbounded) {
      uint32_t loop = here();
      push({Inst::kSplit});
      emit(body);
      Inst back{Inst::kJmp};
      back.x = loop;
      push(back);
      choose(loop, loop + 1, here(), lazy);
      return;
    }
    std::vector<uint32_t> splits;
    for (int k = a.min; k < a.max && ok; ++k) {
      splits.push_back(here());
      push({Inst::kSplit});
      emit(body);
    }
    for (size_t k = 0; k < splits.size(); ++k) choose(splits[k], splits[k] + 1, here(), lazy);
  }

  // A greedy loop of one class (.* \s* [^。]*): one choice for all its characters, given
  // back one at a time, as ICU does; a choice a character overflowed the stack of
  // choices on a line of 524,288 characters, where ICU matched.
  void star(const Set& s) {
    Inst i{Inst::kStar};
    i.x = uint32_t(p_.sets.size());
    p_.sets.push_back(s);
    push(i);
  }

  // A split that takes `more` first (greedy) or `done` first (lazy).
  void choose(uint32_t split, uint32_t more, uint32_t done, bool lazy) {
    p_.code[split].x = lazy ? done : more;
    p_.code[split].y = lazy ? more : done;
  }

};

// A backtracking run of a program: choices and the capture values they overwrote on
// one stack, popped back to the last choice at a failure.
class Machine {
 public:
  Machine(const Program& p, std::u32string_view text, uint64_t max_steps)
      : caps(2 * (p.groups + 1), -1), p_(p), text_(text), n_(int32_t(text.size())), limit_(int32_t(text.size())), max_steps_(max_steps) {}

  std::vector<int32_t> caps;
  bool out_of_steps = false, overflow = false;

  // Runs from instruction pc at pos: true at the first kMatch reached (at must_end,
  // where it is not -1), with `end` where it matched.
  bool exec(uint32_t pc, int32_t pos, int32_t must_end, int32_t& end) {
    size_t base = stack_.size();
    for (;;) {
      if (++steps_ > max_steps_) out_of_steps = true;
      if (out_of_steps || overflow) return abandon(base);
      const Inst& i = p_.code[pc];
      bool ok = true;
      switch (i.op) {
        case Inst::kChar: ok = pos < limit_ && text_[size_t(pos)] == i.c; pos += ok, pc += ok; break;
        case Inst::kSet: ok = pos < limit_ && p_.sets[i.x].has(text_[size_t(pos)]); pos += ok, pc += ok; break;
        case Inst::kStar: {
          int32_t from = pos;
          while (pos < limit_ && p_.sets[i.x].has(text_[size_t(pos)])) ++pos;
          steps_ += uint64_t(pos - from);
          if (pos > from) push({pc + 1, pos, kGiveBack, from});
          ++pc;
          break;
        }
        case Inst::kSplit:
          push({i.y, pos, -1});
          pc = i.x;
          break;
        case Inst::kJmp: pc = i.x; break;
        case Inst::kSave:
          push({0, caps[i.x], int32_t(i.x)});
          caps[i.x] = pos;
          ++pc;
          break;
        case Inst::kBol: ok = pos == 0; pc += ok; break;
        case Inst::kEol: ok = at_end(pos); pc += ok; break;
        case Inst::kLook:
        case Inst::kAtomic:
          ok = sub(i, pc, pos);
          if (out_of_steps || overflow) return abandon(base);
          if (ok) pc = i.x;
          break;
        case Inst::kMatch:
          ok = must_end < 0 || pos == must_end;
          if (ok) {
            end = pos;
            stack_.resize(base);
            return true;
          }
          break;
      }
      if (!ok && !back(base, pc, pos)) return false;
    }
  }

 private:
  struct Frame {
    uint32_t pc;
    int32_t pos;       // a choice: where to try again; an undo: the value to put back
    int32_t slot;      // -1: a choice; kGiveBack: a kStar's; else the capture slot to put `pos` back into
    int32_t from = 0;  // kGiveBack: where the loop started (it gives back down to there)
  };
  static constexpr int32_t kGiveBack = -2;
  static constexpr size_t kMaxFrames = size_t(1) << 19;  // 8 MiB, as ICU's stack limit

  const Program& p_;
  std::u32string_view text_;
  int32_t n_;
  int32_t limit_;  // characters at or after it are not read (see sub)
  uint64_t max_steps_, steps_ = 0;
  std::vector<Frame> stack_;

  void push(Frame f) {
    if (stack_.size() >= kMaxFrames) overflow = true;
    stack_.push_back(f);
  }

  bool abandon(size_t base) {
    stack_.resize(base);
    return false;
  }

  // Back to the last choice above `base`, putting captures back on the way.
  bool back(size_t base, uint32_t& pc, int32_t& pos) {
    while (stack_.size() > base) {
      Frame f = stack_.back();
      stack_.pop_back();
      if (f.slot >= 0) {
        caps[size_t(f.slot)] = f.pos;
        continue;
      }
      if (f.slot == kGiveBack) {
        if (++steps_ > max_steps_) out_of_steps = true;
        --f.pos;  // one character fewer for the loop
        if (f.pos > f.from) stack_.push_back(f);
      }
      pc = f.pc;
      pos = f.pos;
      return true;
    }
    return false;
  }

  // ICU's $ without multi-line: the text's end, or before a line end (\r\n as one) that
  // ends the text.
  bool at_end(int32_t pos) const {
    if (pos >= n_) return true;
    char32_t c = text_[size_t(pos)];
    if (pos + 1 == n_) return is_line_end(c) && !(c == '\n' && pos > 0 && text_[size_t(pos - 1)] == '\r');
    return pos + 2 == n_ && c == '\r' && text_[size_t(pos + 1)] == '\n';
  }

  // A lookaround or an atomic group at pc: its body runs on its own and keeps no
  // choices; the captures it set stay (undone on a later failure), but a negative
  // lookaround's.
  bool sub(const Inst& i, uint32_t pc, int32_t& pos) {
    std::vector<int32_t> saved;
    if (i.saves) {
      saved = caps;  // work that grows with the groups: counted, so the limit bounds the time
      steps_ += 2 * caps.size();
    }
    int32_t end = -1;
    bool hit = false;
    // As ICU: a lookbehind's body reads no character at or after where it looks back
    // from (an atomic part of it cannot take one and keep it: (?<!a?+) on "a"), and tries
    // its shortest length first (which decides its captures: (?<=(1)?)a on "1a" leaves
    // group 1 unset); a lookahead sees the whole text, inside a lookbehind too.
    int32_t saved_limit = limit_;
    if (!i.behind) {
      if (i.op == Inst::kLook) limit_ = n_;
      hit = exec(pc + 1, pos, -1, end);
    } else {
      limit_ = pos;
      for (int32_t len = int32_t(i.y); len <= std::min(int32_t(i.z), pos) && !hit; ++len)
        hit = exec(pc + 1, pos - len, pos, end);
    }
    limit_ = saved_limit;
    if (out_of_steps || overflow) return false;
    if (i.op == Inst::kLook && i.flag) {
      if (i.saves) caps = saved;
      return !hit;
    }
    if (!hit) return false;
    if (i.saves)
      for (size_t s = 0; s < caps.size(); ++s)
        if (caps[s] != saved[s]) push({0, saved[s], int32_t(s)});
    if (i.op == Inst::kAtomic) pos = end;
    return true;
  }
};

}  // namespace

std::shared_ptr<const Program> compile(std::u32string_view pattern) {
  size_t groups = 0;
  std::optional<Ast> tree = parse(pattern, groups);
  if (!tree) return nullptr;
  auto p = std::make_shared<Program>();
  p->groups = groups;
  Compiler c(*p);
  c.emit(*tree);
  if (!c.ok) return nullptr;
  p->code.push_back({Inst::kMatch});
  p->anchored = p->code[0].op == Inst::kBol;
  First f = first_of(*tree);
  if (!f.nullable && !f.any && !f.set.line_end) {
    f.set.normalise();
    p->first = f.set;
  }
  return p;
}

Outcome run(const Program& program, std::u32string_view text, Anchor anchor, uint64_t max_steps, Groups* groups) {
  if (text.size() > size_t(INT32_MAX)) return Outcome::miss;  // as ICU, whose offsets are 32 bits
  Machine m(program, text, max_steps);
  int32_t n = int32_t(text.size());
  for (int32_t start = 0; start <= n; ++start) {
    bool tried_here = anchor != Anchor::search || !program.first || (start < n && program.first->has(text[size_t(start)]));
    int32_t end = -1;
    if (tried_here && m.exec(0, start, anchor == Anchor::whole ? n : -1, end)) {
      if (groups) {
        groups->at = m.caps;
        groups->at[0] = start;
        groups->at[1] = end;
      }
      return Outcome::hit;
    }
    if (m.out_of_steps) return Outcome::out_of_steps;
    if (m.overflow || anchor != Anchor::search || program.anchored) break;
  }
  return Outcome::miss;
}

}  // namespace digestx::rx
