#include "digestx/headings.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>

#include "digestx/joined.hpp"
#include "digestx/table_cells.hpp"
#include "digestx/utf.hpp"

namespace digestx {

namespace {

using Item = HeadingItem;
using Items = std::vector<HeadingItem>;

// What the items of a layout found so far, in positions of the joined line.
struct Found {
  size_t pos = 0;          // where the next item starts
  size_t heading_end = 0;  // the end of the last item of the heading proper (no space, separator, headline)
  size_t org_b = 0, org_e = 0, role_b = 0, role_e = 0, name_b = 0, name_e = 0;
  int role = -1, separator = -1;  // indices into the rules' roles and separators
  bool acting = false;            // the role word follows an acting prefix (代理书记)
  size_t head_b = 0, head_e = 0;  // the headline; empty when none
  bool body = false;              // the headline item read a sentence: the unit's first paragraph
};

// The rest of the pattern after an item, called with each of the item's candidates:
// a reference to a callable, never copied nor allocated (this runs on every line).
class Next {
 public:
  template <class F>
  Next(const F& f) : obj_(&f), call_([](const void* o, const Found& g) { return (*static_cast<const F*>(o))(g); }) {}  // NOLINT
  bool operator()(const Found& g) const { return call_(obj_, g); }

 private:
  const void* obj_;
  bool (*call_)(const void*, const Found&);
};

bool holds_any(std::u32string_view s, std::u32string_view chars) {
  for (char32_t c : s)
    for (char32_t o : chars)
      if (c == o) return true;
  return false;
}

// A role word at `b`, or one after an acting prefix (石门乡党委代理书记　吴　敏, 代镇长: a
// post held while the office is vacant, which was no heading, its unit merged into the
// one above without a word): the match's length covers the prefix, its value is the
// role word's; `acting` tells whether a prefix stood there.
Lexicon::Match role_word_at(std::u32string_view s, const StructureRules& r, size_t b, bool* acting = nullptr) {
  if (auto m = r.role_words.longest_at(s, b)) return m;
  auto pre = r.acting_role_prefixes.longest_at(s, b);
  if (!pre) return {};
  auto m = r.role_words.longest_at(s, b + pre.len);
  if (!m) return {};
  if (acting) *acting = true;
  m.len += pre.len;
  return m;
}

// The length of a post held together after 、: a role word (书记、局长, 书记、代镇长), or a
// role word after the short name of its own body (纪委书记、县监委主任: the commission of
// supervision shares the secretary's office); 0 when none stands there.
size_t held_post_at(std::u32string_view s, const StructureRules& r, size_t b, size_t end) {
  if (auto m = role_word_at(s, r, b); m && b + m.len <= end) return m.len;
  if (auto m = r.held_only_role_words.longest_at(s, b); m && b + m.len <= end) return m.len;
  // The longest body first: 乡人大主席团主席 is the presidium's chair (乡人大主席团 +
  // 主席), not 乡人大 + 主席 with 团主席 left for the name.
  size_t han = 0;
  while (han < r.organization_held_post_body_chars && b + han + 1 < end && is_han(s[b + han])) ++han;
  for (size_t k = han; k >= 2; --k) {
    if (!r.organization_suffixes.longest_ending_at(s, b + k)) continue;
    if (auto m = role_word_at(s, r, b + k); m && b + k + m.len <= end) return k + m.len;  // 管委会代理主任
  }
  return 0;
}

// The length of a calendar year in digits and the word after it (2024年度, 2024年) at
// `at`, 0 if none is there: 邓佳慧同志2024年度述职报告.
size_t year_at(std::u32string_view s, const Lexicon& words, size_t at, size_t end) {
  constexpr size_t kDigits = 4;
  if (at + kDigits > end || year_digits_at(s, at) < 0) return 0;
  auto m = words.longest_at(s, at + kDigits);
  return m && at + kDigits + m.len <= end ? kDigits + m.len : 0;
}

// Where markup split the joined line (【崖州区委书记樊木】探索…): such a break separates as
// white space does, and an organisation never runs across one (【述职人】南坪乡党委).
class MarkupBreaks {
 public:
  explicit MarkupBreaks(const Joined& j) {
    for (size_t i = 1; !j.contiguous() && i < j.size(); ++i)
      if (j.source(i) != j.source(i - 1) + 1) breaks_.push_back(i);
  }
  bool at(size_t e) const { return std::find(breaks_.begin(), breaks_.end(), e) != breaks_.end(); }
  bool none() const { return breaks_.empty(); }

 private:
  std::vector<size_t> breaks_;
};

// The organisations a line may name from a start, as the organization item tries them:
// each ends where an organisation suffix ends, nearest first; never across white space or
// a forbidden character (，。), nor past digits that count or date (12个乡镇党委,
// 2024年度): digits inside a name stay (渠阳市120急救指挥中心党支部). Apart from the
// matcher, which walks the layouts' items: this only reads the line and the suffixes.
class OrgCandidates {
 public:
  OrgCandidates(std::u32string_view s, const StructureRules& rules, const MarkupBreaks& breaks)
      : s_(s), r_(rules), breaks_(breaks) {}

  // Hands each candidate from `pos` to `take(start, end)` until it returns true (then true).
  template <class Take>
  bool each(size_t pos, size_t end, bool after_posts, const Take& take) {
    const OrgScan* scan = org_scan(pos, end, after_posts);
    if (!scan) return scan_organization(pos, end, after_posts, take);
    for (uint32_t k = 0; k < scan->count; ++k)
      if (take(scan->at[k][0], scan->at[k][1])) return true;
    return false;
  }

 private:
  // The candidates of one start, as organization() tries them. They depend on the line
  // and the start alone, and most layouts open with an organisation at the line's
  // start: found once for all of them, not once a layout (scanning them again for each
  // of the 14 layouts was a tenth of a run, most lines being text). Kept while the line
  // is matched, never replaced (organization() reads them while the rest of the
  // pattern may scan another start); nullptr when no room is left, to scan in place.
  struct OrgScan {
    size_t pos, end;
    bool after_posts;
    uint32_t count;
    uint32_t at[24][2];  // (start, end) of each candidate
  };
  const OrgScan* org_scan(size_t pos, size_t end, bool after_posts) {
    for (size_t k = 0; k < scans_used_; ++k)
      if (scans_[k].pos == pos && scans_[k].end == end && scans_[k].after_posts == after_posts) return &scans_[k];
    if (scans_used_ == std::size(scans_)) return nullptr;
    OrgScan& scan = scans_[scans_used_];
    scan.pos = pos, scan.end = end, scan.after_posts = after_posts, scan.count = 0;
    bool fits = true;
    scan_organization(pos, end, after_posts, [&](size_t b, size_t e) {
      if (scan.count == std::size(scan.at)) return !(fits = false);
      scan.at[scan.count][0] = uint32_t(b), scan.at[scan.count][1] = uint32_t(e), ++scan.count;
      return false;
    });
    if (!fits || end > UINT32_MAX) return nullptr;
    return &scans_[scans_used_++];
  }

  // Hands each candidate from `pos` to `take(start, end)`, nearest end first, until it
  // returns true (then true).
  template <class Take>
  bool scan_organization(size_t pos, size_t end, bool after_posts, const Take& take) const {
    size_t b = pos, limit = std::min(end, b + r_.organization_max_chars + 1);
    if (b < end && !may_start_organization(s_[b])) return false;
    for (size_t p = b + 1; p < limit; ++p) {
      if (after_posts && in_set(r_.organization_title_separators, s_[p - 1]) && p - b > 1 && held_post(b, p - 1)) {
        b = p;
        limit = std::min(end, b + r_.organization_max_chars + 1);
        continue;
      }
      if (ends_organization(s_[p - 1])) break;
      if (is_ascii_digit(s_[p - 1]) && (p >= end || in_set(r_.organization_digits_not_before, s_[p]))) break;
      if (p - 1 > b && breaks_.at(p - 1)) break;  // never across markup: 【述职人】南坪乡党委
      if (p == b || !r_.organization_suffixes.longest_ending_at(s_, p)) continue;
      if (names_no_body(b, p)) continue;  // 党委 alone (城关镇　党委书记), 全县乡镇党委: no one body
      if (take(b, p)) return true;
    }
    return false;
  }

  // Whether s[b, e), before a separator, is a post held besides (县委常委 of 县委常委、白石镇
  // 党委书记: it ends in a role word or a word of organization held_posts), not a body
  // that shares the post (白石镇、黄土镇党委书记, 县委办、县政府办主任: both are the organisation).
  bool held_post(size_t b, size_t e) const {
    if (r_.organization_held_posts.empty()) return true;
    auto role = r_.role_words.longest_ending_at(s_, e);
    auto post = r_.organization_held_posts.longest_ending_at(s_, e);
    return (role && role.len <= e - b) || (post && post.len <= e - b);
  }

  // s[b, e) names no one body: a bare party body (党委 of 城关镇　党委书记) or a group of
  // bodies (全县乡镇党委). A later start after 、 may still name one.
  // A post that opens with a body's name is no organisation either: 理事会 of 理事会主任, a
  // board's chair held after the party post (江州市供销合作总社 over 党组书记、理事会主任　钱戊
  // gave the organisation 理事会, the company's name the headline).
  bool names_no_body(size_t b, size_t e) const {
    auto m = r_.organization_not_whole.longest_at(s_, b);
    if (m && b + m.len == e) return true;
    if (r_.role_word_starts.may_start_at(s_, b))  // the pre-test first, as LineHolds asks it
      if (auto post = r_.role_words.longest_at(s_, b); post && b + post.len > e) return true;
    return bool(r_.organization_not_starting.longest_at(s_, b));
  }

  // A forbidden character (，。：…: a CharSet, most characters ruled out by one test) or
  // white space, which a Chinese ideograph, most characters of a scan, is not.
  bool ends_organization(char32_t c) const {
    return in_set(r_.organization_forbidden, c) || (!is_han(c) && is_space(c));
  }

  bool may_start_organization(char32_t c) const {
    const auto& extra = r_.organization_start_chars;
    return extra.empty() || is_han(c) || is_ascii_alpha(c) || extra.find(c) != std::u32string::npos;
  }

  std::u32string_view s_;
  const StructureRules& r_;
  const MarkupBreaks& breaks_;
  OrgScan scans_[4];  // see org_scan; the first scans_used_ are filled
  size_t scans_used_ = 0;
};

// One line matched against the layouts: each item tries its candidates in order and
// hands each to the rest of the pattern (`next`); the first way the whole pattern
// covers the line wins. Optional items are tried with, then without.
class HeadingMatcher {
 public:
  HeadingMatcher(std::u32string_view view, const Joined& j, const StructureRules& rules)
      : view_(view), j_(j), s_(j.chars()), r_(rules), breaks_(j), orgs_(s_, rules, breaks_) {}

  // A layout with a gap where markup split the line (【桃源乡】赵丽：…) is not tried on a
  // line that markup did not split, as most are: the items before the gap were matched
  // on each line, every candidate organisation of the line handed on to fail at the gap.
  // Asked before the words the layout needs (place_marked_label_headline's 23 labels).
  bool lacks_markup_break(const HeadingLayout& layout) const { return layout.needs_markup_break && breaks_.none(); }

  std::optional<HeadingParse> parse(const HeadingLayout& layout) {
    if (!layout.pattern.empty() && layout.pattern[0].type == Item::Type::headline && !may_hold(layout)) return std::nullopt;
    Found found;
    auto at_end = [&](const Found& f) {
      if (f.pos != s_.size()) return false;
      found = f;
      return true;
    };
    bool hit = items(layout.pattern, 0, s_.size(), Found{}, at_end);
    if (!hit) return std::nullopt;
    // A row among other rows is a roster's or a table's, not a heading set in cells
    // (looked at after the pattern, which most lines fail at their first character).
    if (layout.lone_table_row && !lone_table_row(view_, j_.source(0))) return std::nullopt;
    return produce_unit(layout, found);
  }

 private:
  // A layout that starts with a headline (tried at every length) and needs a bracket or
  // a literal is not tried on a line without it: most lines are text, and this runs
  // on every line.
  bool may_hold(const HeadingLayout& layout) const {
    for (const Item& it : layout.pattern) {
      if (it.optional) continue;
      if (it.type == Item::Type::bracket && !holds_any(s_, it.open)) return false;
      if (it.type == Item::Type::literal && it.words.empty() && s_.find(it.text) == std::u32string_view::npos) return false;
      // ——, — or -- of a dashed headline-first heading
      if (it.type == Item::Type::literal && !it.words.empty() && !it.words.occurs_within(s_, 0, s_.size())) return false;
    }
    return true;
  }

  bool items(const Items& list, size_t k, size_t end, const Found& f, const Next& then) {
    if (k == list.size()) return then(f);
    auto rest = [&](const Found& g) { return items(list, k + 1, end, g, then); };
    Next next(rest);
    if (item(list, k, end, f, next)) return true;
    return list[k].optional && next(f);
  }

  bool item(const Items& list, size_t k, size_t end, const Found& f, const Next& next) {
    const Item& it = list[k];
    switch (it.type) {
      case Item::Type::organization: return organization(it, end, f, next);
      case Item::Type::role: return role(it, end, f, next);
      case Item::Type::name: return name(it, list, k, end, f, next);
      case Item::Type::space: return space(it, end, f, next);
      case Item::Type::separator: return separator(end, f, next);
      case Item::Type::literal: return literal(it, end, f, next);
      case Item::Type::bracket: return bracket(it, end, f, next);
      case Item::Type::headline: return headline(it, list, k, end, f, next);
      case Item::Type::group: return it.co_official ? co_official(it, end, f, next) : items(it.items, 0, end, f, next);
      case Item::Type::year: return year(it, end, f, next);
    }
    return false;
  }

  // A second official after the first, in one heading (滨江街道党工委书记　陈立新　办事处主任
  // 刘　洋 over its headline: the second post and name were glued onto the headline). The
  // unit is the first one's: what the group's items find is matched, then left out of the
  // unit's fields; only where it ends goes on.
  bool co_official(const Item& it, size_t end, const Found& f, const Next& next) {
    auto first_kept = [&](const Found& g) {
      Found kept = f;
      kept.pos = kept.heading_end = g.pos;
      return next(kept);
    };
    return items(it.items, 0, end, f, Next(first_kept));
  }

  // Candidates end where an organisation suffix ends (the role item checks what follows),
  // nearest first (OrgCandidates). After other posts and 、 (县委常委、嘉积镇党委书记) the
  // organisation starts after the 、.
  bool organization(const Item& it, size_t end, const Found& f, const Next& next) {
    auto hand_on = [&](size_t b, size_t e) {
      Found g = f;
      g.org_b = b, g.org_e = g.pos = g.heading_end = e;
      return next(g);
    };
    return orgs_.each(f.pos, end, it.after_posts, hand_on);
  }

  // A role word, with the posts held together with it (党组书记、局长, 书记、主任). Where
  // the item names bodies, one may open the role (城关镇　党委书记　李明: the place stands
  // apart, the party body goes with the post), tried before the role word alone.
  bool role(const Item& it, size_t end, const Found& f, const Next& next) {
    if (auto body = it.bodies.longest_at(s_, f.pos)) {
      Found after_body = f;
      after_body.pos += body.len;
      if (role_from(f.pos + body.len, end, it.drop_body ? after_body : f, next)) return true;
    }
    return role_from(f.pos, end, f, next);
  }

  bool role_from(size_t at, size_t end, const Found& f, const Next& next) {
    bool acting = false;
    auto m = role_word_at(s_, r_, at, &acting);
    if (!m || at + m.len > end) return false;
    size_t e = at + m.len;
    while (e + 1 < end && in_set(r_.organization_title_separators, s_[e])) {
      size_t more = held_post_at(s_, r_, e + 1, end);
      if (!more) break;
      e += 1 + more;
    }
    Found g = f;
    g.role_b = f.pos, g.role_e = g.pos = g.heading_end = e, g.role = m.value, g.acting = acting;
    return next(g);
  }

  bool is_name_char(char32_t c) const { return is_han(c) || in_set(r_.name_extra_chars, c); }
  // A transliterated name joins its parts with a dot inside it (阿依古丽·买买提), never
  // at either end: only such a name may be longer than name_max.
  bool dotted(size_t b, size_t e) const {
    for (size_t p = b + 1; p + 1 < e; ++p)
      if (in_set(r_.name_extra_chars, s_[p])) return true;
    return false;
  }
  bool is_break(size_t e) const { return breaks_.at(e); }

  // What may follow a name: white space, a separator, a markup break, the end, or
  // the next item of the pattern that is no white space (a bracket: 王大力（…）).
  bool name_boundary(size_t e, const Items& list, size_t k, size_t end) const {
    if (e >= end || is_space(s_[e]) || r_.separator_words.longest_at(s_, e) || is_break(e)) return true;
    return next_word_at(e, list, k + 1, end);
  }

  // Whether the items from list[n] on begin at `e` with a bracket, a literal or a year
  // (optional white space and absent optional words passed over), as a name may end right
  // before them. A second official's group is looked into: 王海燕、镇长　李　强 (its 、).
  bool next_word_at(size_t e, const Items& list, size_t n, size_t end) const {
    for (; n < list.size(); ++n) {
      const Item& it = list[n];
      if (it.co_official) return next_word_at(e, it.items, 0, end);
      if (it.type == Item::Type::space && it.optional) continue;
      if (it.type == Item::Type::bracket) return in_set(it.open, s_[e]);
      // An optional word that is not there hands on to the item after it: 何秀兰述职报告
      // (no 同志 nor year between the name and the genre's name).
      bool word = it.type == Item::Type::literal ? literal_at(it, e, end) > 0 : it.type == Item::Type::year && year_at(s_, it.words, e, end) > 0;
      if ((it.type == Item::Type::literal || it.type == Item::Type::year) && !word && it.optional) continue;
      if (it.type == Item::Type::literal || it.type == Item::Type::year) return word;
      return false;
    }
    return false;
  }

  // A name spaced out (李　明) ends before a separator, a markup break or the end; or, in a
  // heading of two officials, before the second one's post (李　明　办事处主任　刘　洋).
  bool spaced_name_end(size_t q, const Items& list, size_t k, size_t end) const {
    if (q >= end || r_.separator_words.longest_at(s_, q) || is_break(q)) return true;
    return k + 1 < list.size() && list[k + 1].co_official && starts_post(list[k + 1].items, q, end);
  }

  // A second official's post may start at `q`: after the group's words (、，) and white
  // space, its role item's body or role word is there.
  bool starts_post(const Items& group, size_t q, size_t end) const {
    for (const Item& it : group) {
      if (it.type == Item::Type::literal) {
        q += literal_at(it, q, end);
      } else if (it.type == Item::Type::space) {
        while (q < end && is_space(s_[q])) ++q;
      } else {
        auto body = it.type == Item::Type::role ? it.bodies.longest_at(s_, q) : Lexicon::Match{};
        return it.type == Item::Type::role && q < end && role_word_at(s_, r_, body ? q + body.len : q);
      }
    }
    return false;
  }

  bool take_name(size_t b, size_t e, const Found& f, const Next& next) {
    if (r_.name_not_words.occurs_within(s_, b, e)) return false;  // 述职, 摘登: a word, not a name
    // 城关镇, 县教育局: a place or a body, not a name (王镇, two characters, stays one)
    if (e - b >= 3 && r_.name_not_endings.longest_ending_at(s_, e)) return false;
    Found g = f;
    g.name_b = b, g.name_e = g.pos = g.heading_end = e;
    return next(g);
  }

  // A name: name_min to name_max Han characters, the longest first; then, where the
  // item allows it, a name the typesetter spaced out (樊　木) before a separator or the end.
  bool name(const Item& it, const Items& list, size_t k, size_t end, const Found& f, const Next& next) {
    size_t i = f.pos, run = 0;
    if (i >= end || !is_han(s_[i])) return false;
    // Where no post stands before the name, a surname leads it: 【桃源乡】赵丽：把支部… is a
    // heading, 【青山镇】亮点：党建+电商 a label and its text.
    const Lexicon& surnames = r_.name_line_surnames;
    if (it.surnamed && !surnames.empty() && !surnames.longest_at(s_, i)) return false;
    // The item may hold fewer: a name after a colon (城关镇党委书记：李明) is at most three
    // characters, where four are a headline more often (城关镇党委书记：强基固本).
    size_t most = it.max ? std::min(it.max, r_.name_max) : r_.name_max;
    size_t cap = it.max ? most : std::max(r_.name_max, r_.name_max_dotted);
    while (i + run < end && run < cap && is_name_char(s_[i + run])) ++run;
    for (size_t len = run; len >= r_.name_min && len > 0; --len) {
      if (len > most && !dotted(i, i + len)) continue;
      if (name_boundary(i + len, list, k, end) && take_name(i, i + len, f, next)) return true;
    }
    return it.spaced && spaced_name(most, list, k, end, f, next);
  }

  bool spaced_name(size_t most, const Items& list, size_t k, size_t end, const Found& f, const Next& next) {
    size_t i = f.pos, p = i, chars = 0, inner = 0;
    while (p < end && chars < most) {
      if (is_name_char(s_[p])) {
        ++chars, ++p;
      } else if (is_space(s_[p]) && inner < r_.name_max_spaces && p + 1 < end && is_name_char(s_[p + 1]) && chars > 0) {
        ++inner, ++p;
      } else {
        break;
      }
      if (chars < r_.name_min || inner == 0) continue;
      size_t q = p;
      while (q < end && is_space(s_[q])) ++q;
      if (spaced_name_end(q, list, k, end) && take_name(i, p, f, next)) return true;
    }
    return false;
  }

  // White space; or, where the item names marks, one of them with white space around it:
  // the bar between two cells (| 城北镇党委 | 书记 | 王强 |).
  bool space(const Item& it, size_t end, const Found& f, const Next& next) {
    size_t p = f.pos;
    auto blank = [&] {
      while (p < end && is_space(s_[p]) && (it.max == 0 || p - f.pos < it.max)) ++p;
    };
    // 【城关镇】党委书记 李明: the place set apart by markup, not by white space.
    if (it.markup_break) {
      if (f.pos >= end || !is_break(f.pos)) return false;
      blank();
      Found g = f;
      g.pos = p;
      return next(g);
    }
    blank();
    if (!it.marks.empty()) {
      if (p >= end || !in_set(it.marks, s_[p])) return false;
      ++p;
      blank();
    }
    if (p == f.pos) return false;
    Found g = f;
    g.pos = p;
    return next(g);
  }

  // A separator word (：, ——, |); white space is the space item's.
  bool separator(size_t end, const Found& f, const Next& next) {
    if (f.pos >= end || is_space(s_[f.pos])) return false;
    auto m = r_.separator_words.longest_at(s_, f.pos);
    if (!m || f.pos + m.len > end) return false;
    Found g = f;
    g.pos += m.len, g.separator = m.value;
    return next(g);
  }

  // The length of the literal's text (or of its longest word) at `at`, 0 if none is there.
  size_t literal_at(const Item& it, size_t at, size_t end) const {
    if (it.ending) {  // inside a bracket, whose closing one is at `end`
      auto m = it.words.longest_ending_at(s_, end);
      if (at >= end || !m || m.len > end - at) return 0;
      for (size_t k = at; k < end; ++k)
        if (in_set(it.not_holding, s_[k])) return 0;
      return end - at;
    }
    if (!it.words.empty()) {
      auto m = it.words.longest_at(s_, at);
      return m && at + m.len <= end ? m.len : 0;
    }
    return at + it.text.size() <= end && s_.substr(at, it.text.size()) == it.text ? it.text.size() : 0;
  }

  bool year(const Item& it, size_t end, const Found& f, const Next& next) {
    size_t len = year_at(s_, it.words, f.pos, end);
    if (len == 0) return false;
    Found g = f;
    g.pos = g.heading_end = f.pos + len;
    return next(g);
  }

  bool literal(const Item& it, size_t end, const Found& f, const Next& next) {
    size_t len = literal_at(it, f.pos, end);
    if (len == 0) return false;
    Found g = f;
    g.pos = g.heading_end = f.pos + len;
    return next(g);
  }

  // An opening bracket of the item, the items inside covering it exactly, and its
  // closing bracket (the first one after it).
  bool bracket(const Item& it, size_t end, const Found& f, const Next& next) {
    if (f.pos >= end) return false;
    size_t kind = it.open.find(s_[f.pos]);
    if (kind == std::u32string::npos) return false;
    size_t close = s_.substr(0, end).find(it.close[kind], f.pos + 1);
    if (close == std::u32string_view::npos || (it.max_chars > 0 && close - f.pos - 1 > it.max_chars)) return false;
    Found inside = f;
    inside.pos = f.pos + 1;
    auto after_close = [&](const Found& g) {
      if (g.pos != close) return false;
      Found after = g;
      after.pos = after.heading_end = close + 1;
      return next(after);
    };
    return items(it.items, 0, close, inside, after_close);
  }

  static bool is_stop(char32_t c) { return c == U'。' || c == '!' || c == '?'; }

  // A headline: at the end of its list, the rest (a sentence there is the unit's first
  // paragraph, or refuses the line); elsewhere, text of at most headline.max_chars,
  // shortest first, up to where the rest of the pattern goes on. A headline reads as a
  // sentence when it is longer than headline.max_chars or holds 。!?.
  bool headline(const Item& it, const Items& list, size_t k, size_t end, const Found& f, const Next& next) {
    size_t hb = f.pos;
    while (hb < end && is_space(s_[hb])) ++hb;
    if (hb >= end) return false;
    bool last = k + 1 == list.size();
    if (last) {
      size_t he = end;
      while (he > hb && is_space(s_[he - 1])) --he;
      bool sentence = he - hb > r_.headline_max_chars || std::any_of(s_.begin() + long(hb), s_.begin() + long(he), is_stop);
      return (!sentence || it.sentence_is_paragraph) && take_headline(f, hb, he, end, sentence, next);
    }
    size_t stop = std::min(end, hb + r_.headline_max_chars);
    for (size_t e = hb + 1; e <= stop; ++e) {
      if (is_stop(s_[e - 1])) return false;  // and so are all longer ones
      if (!is_space(s_[e - 1]) && may_start_at(list, k + 1, e, end) && take_headline(f, hb, e, e, false, next)) return true;
    }
    return false;
  }

  // Whether the items from list[n] on may start at `e`, by their first character: a
  // headline inside a pattern is handed on only where what follows it can begin.
  bool may_start_at(const Items& list, size_t n, size_t e, size_t end) const {
    for (; n < list.size(); ++n) {
      const Item& it = list[n];
      bool space_here = e < end && (is_space(s_[e]) || in_set(it.marks, s_[e]));
      if (it.type == Item::Type::space && (space_here || !it.optional)) return space_here;
      if (it.type == Item::Type::space) continue;
      if (e >= end) return false;
      if (it.type == Item::Type::bracket) return in_set(it.open, s_[e]);
      if (it.type == Item::Type::literal) return literal_at(it, e, end) > 0;
      if (it.type == Item::Type::year) return year_at(s_, it.words, e, end) > 0;
      if (it.type == Item::Type::separator) return bool(r_.separator_words.longest_at(s_, e));
      return true;
    }
    return true;
  }

  bool take_headline(const Found& f, size_t hb, size_t he, size_t pos, bool sentence, const Next& next) {
    Found g = f;
    g.pos = pos, g.head_b = hb, g.head_e = he, g.body = sentence;
    return next(g);
  }

  // The production "unit": organisation, role, name and headline (or the first
  // paragraph) from what the items found; the rules behind them for --explain.
  HeadingParse produce_unit(const HeadingLayout& layout, const Found& f) const {
    HeadingParse out;
    out.layout = &layout;
    UnitHeading& h = out.heading;
    h.organization = j_.span(f.org_b, f.org_e);
    h.role = j_.span(f.role_b, f.role_e);
    h.name = j_.span(f.name_b, f.name_e);
    h.rules.reserve(6);  // all the rules named below at once: pushed one by one, it grew twice
    h.rules = {layout.name, r_.organization_rule};
    // An optional role, absent (城关镇 李明), names no rule: roles[-1] was read (ASan).
    if (f.acting) h.rules.push_back(r_.acting_role_rule);
    if (f.role >= 0) h.rules.push_back(r_.roles[size_t(f.role)].name);
    if (f.name_e > f.name_b) h.rules.push_back(r_.person_name_rule);  // a post without a name: name null
    if (f.separator >= 0) h.rules.push_back(r_.separators[size_t(f.separator)].name);
    if (f.body) {
      out.body = j_.pieces(f.head_b, f.head_e);
      h.heading = j_.pieces(0, f.heading_end);
    } else {
      h.headline = j_.pieces(f.head_b, f.head_e);
      h.heading = j_.pieces(0, s_.size());
    }
    return out;
  }

  std::u32string_view view_;  // the whole text: the lines around a table row
  const Joined& j_;
  std::u32string_view s_;
  const StructureRules& r_;
  MarkupBreaks breaks_;
  OrgCandidates orgs_;  // after breaks_, which it reads
};

// What a line holds that layouts need (HeadingLayout::role_words_needed, words_needed),
// looked at once for all of them: a layout is tried only on a line that may hold what
// each of its matches holds. Most lines are text, and most of them hold a role word
// somewhere (书记 of 支部书记): each was tried on every layout, 述职人 or 同志 looked for
// after every organisation the line may start with.
class LineHolds {
 public:
  // One pass over the line for both: its characters' bits and its role words, counted
  // up to the most a layout needs (StructureRules::layout_role_words_most). Counted in
  // a second pass on demand, the role words walked the line's characters again: a
  // tenth of the heading layouts' cost, most lines being text.
  LineHolds(std::u32string_view s, const StructureRules& rules) {
    size_t most = rules.layout_role_words_most;
    for (size_t p = 0; p < s.size(); ++p) {
      char32_t c = s[p];
      bits_[(c >> 6) & 15] |= uint64_t(1) << (c & 63);
      if (role_words_ < most && rules.role_word_starts.may_start_at(s, p) && rules.role_words.longest_at(s, p))
        ++role_words_;  // most positions of a line start no role word
    }
  }

  bool may_match(const HeadingLayout& layout) const {
    if (layout.role_words_needed > role_words_) return false;
    // A heading set in cells is not tried on a line with no bar, as most lines are.
    if (layout.lone_table_row && !has(U'|') && !has(U'｜')) return false;
    std::u32string_view lists = layout.words_needed;  // laid out as HeadingLayout says
    for (size_t p = 0; p < lists.size();) {
      size_t end = p + 1 + 2 * lists[p];
      bool held = false;
      for (p += 1; p < end && !held; p += 2) held = has(lists[p]) && has(lists[p + 1]);
      if (!held) return false;
      p = end;
    }
    return true;
  }

 private:
  // Whether the line may hold c: by its value modulo 1024 (another character may stand
  // for it: then the layout is tried).
  bool has(char32_t c) const { return (bits_[(c >> 6) & 15] >> (c & 63)) & 1; }

  uint64_t bits_[16] = {};
  // The role words (书记, 局长…) at distinct starts of the line: a role item matches one
  // or nothing, and the second official's post of a heading of two starts after the first's.
  size_t role_words_ = 0;
};

std::optional<HeadingParse> parse_joined(std::u32string_view view, const Joined& j, const StructureRules& rules) {
  LineHolds holds(j.chars(), rules);
  HeadingMatcher matcher(view, j, rules);
  for (const HeadingLayout& layout : rules.layouts) {
    if (matcher.lacks_markup_break(layout) || !holds.may_match(layout)) continue;
    if (auto h = matcher.parse(layout)) return h;
  }
  return std::nullopt;
}

}  // namespace

std::optional<HeadingParse> parse_heading_line(std::u32string_view view, const Pieces& content,
                                               const StructureRules& rules) {
  return parse_joined(view, Joined::of(view, content), rules);
}

std::optional<HeadingParse> parse_heading_line(std::u32string_view view, const ShortPieces& content,
                                               const StructureRules& rules) {
  return parse_joined(view, Joined::of(view, content), rules);
}

}  // namespace digestx
