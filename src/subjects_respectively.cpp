#include <algorithm>

#include "digestx/subjects.hpp"
#include "digestx/utf.hpp"

namespace digestx {

// 分别为 lists, a step of the subject finder of its own: the k-th figure of the list after
// the words gets the k-th noun of the list before them (一产、二产、三产增加值分别为8.08亿元、
// 2.08亿元、6.68亿元), reading the noun phrases as the finder reads them.
class RespectivelyLists {
 public:
  explicit RespectivelyLists(const SubjectFinder& finder) : f_(finder) {}
  void split(std::vector<SubjectFigure>& figures, const Lexicon& words, bool copulas_between,
             std::string_view rule) const;

 private:
  using Range = SubjectFinder::Range;
  std::optional<size_t> words_before(size_t figure, const Lexicon& words, bool copulas_between) const;
  std::optional<Range> after_paired_owners(size_t end, size_t floor, bool counting, size_t n) const;
  // `counting`: the list's figures count with a measure word (SubjectFinder::verb_pair_at).
  std::optional<Range> noun_after_de(size_t end, size_t floor, bool counting) const;
  std::optional<Range> one_measure(size_t end, size_t floor, bool counting) const;
  size_t clause_start_before(size_t end) const;
  std::vector<Range> list_before(size_t end, size_t floor, bool counting) const;
  bool pair_with_figures_before(std::vector<SubjectFigure>& figures, size_t k, size_t n, size_t end, size_t floor,
                                std::string_view rule) const;
  void pair_with_item(Subject& s, const std::vector<Range>* items, size_t i, std::string_view rule,
                      bool share_head) const;
  std::optional<size_t> head_word_in(const std::vector<Range>& items, size_t b, size_t e) const;
  size_t numerals_from(size_t b, size_t e) const;
  bool pair_ordinals(std::vector<SubjectFigure>& figures, size_t k, std::vector<Range> items) const;

  const SubjectFinder& f_;
};

void SubjectFinder::split_respectively(std::vector<SubjectFigure>& figures, const Lexicon& words,
                                       bool copulas_between, std::string_view rule) const {
  RespectivelyLists(*this).split(figures, words, copulas_between, rule);
}

void RespectivelyLists::split(std::vector<SubjectFigure>& figures, const Lexicon& words, bool copulas_between,
                              std::string_view rule) const {
  const auto& t = f_.in_.text;
  if (words.empty()) return;
  for (size_t k = 0; k < figures.size(); ++k) {
    auto words_start = words_before(figures[k].b, words, copulas_between);
    if (!words_start) continue;
    size_t last = k;  // the figures of the list: 8.08亿元、2.08亿元、6.68亿元
    while (last + 1 < figures.size() && figures[last + 1].b == figures[last].e + 1 &&
           f_.r_.list_separators.find(t[figures[last].e]) != std::u32string::npos)
      ++last;
    size_t end = clause_start_before(*words_start), floor = f_.sentence_begin(figures[k].b);
    // 困难群众、残疾人和退役军人中分别有…: the list ends before its localizer.
    if (auto loc = f_.r_.respectively_localizers.longest_ending_at(t, end); loc && end - loc.len > floor)
      end -= loc.len;
    size_t n = last - k + 1;
    // One noun after a 的 is every figure's (all items alike: no head to share); so is the
    // noun after a word of paired owners (城乡低保标准: 低保标准), and one measure alone
    // (党组织覆盖率分别达到81.2%和76.5%).
    bool counting = figures[k].counted;
    auto shared = noun_after_de(end, floor, counting);
    if (!shared) shared = after_paired_owners(end, floor, counting, n);
    if (!shared) shared = one_measure(end, floor, counting);
    auto items = shared ? std::vector<Range>(n, *shared) : list_before(end, floor, counting);
    if ((items.empty() && pair_with_figures_before(figures, k, n, end, floor, rule)) ||
        (!shared && items.size() == n && pair_ordinals(figures, k, items))) {
      k = last;
      continue;
    }
    // 接待游客和旅游收入分别为120万人次、8.6亿元: a count and a sum share no head (not 游客收入).
    bool alike = std::all_of(figures.begin() + long(k), figures.begin() + long(last) + 1,
                             [&](const SubjectFigure& f) { return f.counted == figures[k].counted; });
    for (size_t i = 0; i < n; ++i)
      pair_with_item(figures[k + i].subject, items.size() == n ? &items : nullptr, i, rule, alike);
    k = last;
  }
}

// Where the list's words start, when they end right before the figure or before a run of
// copulas that ends there (分别提高到每人每月780元: 提高到, 每人, 每月), the words nearest
// the figure first.
std::optional<size_t> RespectivelyLists::words_before(size_t figure, const Lexicon& words, bool copulas_between) const {
  const auto& t = f_.in_.text;
  for (size_t p = figure; p > 0;) {
    if (auto w = words.longest_ending_at(t, p)) return p - w.len;
    auto c = copulas_between ? f_.r_.copulas.longest_ending_at(t, p) : Lexicon::Match{};
    if (!c) break;
    p -= c.len;
  }
  return std::nullopt;
}

// A comparison word between a clause's start and the list words is no noun: ，同比分别增长
// 21.1%、17.4%和19.4% opens its clause as ，分别增长… would (the figures before pair).
size_t RespectivelyLists::clause_start_before(size_t end) const {
  const auto& t = f_.in_.text;
  auto c = f_.r_.copulas.longest_ending_at(t, end);
  if (c && end > c.len && f_.boundary(t[end - c.len - 1])) return end - c.len;
  return end;
}

// One noun phrase, no list, ending in a measure's suffix (覆盖率, 金额, 人数) before the
// words: what every figure of the list measures, for owners the text leaves unnamed.
// Not a list of nouns (党员、群众分别为…), nor a verb.
std::optional<RespectivelyLists::Range> RespectivelyLists::one_measure(size_t end, size_t floor, bool counting) const {
  const auto& t = f_.in_.text;
  if (end <= floor || f_.boundary(t[end - 1])) return std::nullopt;
  bool verb = false;
  auto noun = f_.before(end, floor, &verb, counting);
  if (verb || noun.second <= noun.first || noun.second != end) return std::nullopt;
  if (noun.first > floor && f_.r_.list_separators.find(t[noun.first - 1]) != std::u32string::npos) return std::nullopt;
  if (f_.r_.noun_suffixes.find(t[end - 1]) == std::u32string::npos) return std::nullopt;
  return noun;
}

// One noun phrase that starts with a word naming as many owners as the list has figures,
// one a character (城乡低保标准分别提高到每人每月860元和720元: 城 and 乡): each figure
// measures the noun after that word (低保标准); 城乡低保标准 before three figures is none.
std::optional<RespectivelyLists::Range> RespectivelyLists::after_paired_owners(size_t end, size_t floor, bool counting,
                                                                               size_t n) const {
  const auto& t = f_.in_.text;
  if (end <= floor || f_.boundary(t[end - 1])) return std::nullopt;
  bool verb = false;
  auto noun = f_.before(end, floor, &verb, counting);
  if (verb || noun.second != end) return std::nullopt;
  for (size_t q = noun.first; q < end; ++q)
    if (auto w = f_.r_.respectively_paired_owners.longest_at(t, q)) {
      if (w.len != n || q + w.len >= end) return std::nullopt;
      return Range{q + w.len, end};
    }
  return std::nullopt;
}

// 红枫、桂香、锦园3个社区的居民满意度分别为…: what comes before the last 的 names the
// owners, the noun after it is what every figure of the list measures (居民满意度).
std::optional<RespectivelyLists::Range> RespectivelyLists::noun_after_de(size_t end, size_t floor, bool counting) const {
  const auto& t = f_.in_.text;
  for (size_t q = end; q > floor && end - q < f_.r_.max_before; --q) {
    char32_t c = t[q - 1];
    if (f_.boundary(c)) break;
    if (c != f_.r_.head_marker) continue;
    bool verb = false;
    auto noun = f_.before(end, q, &verb, counting);
    if (noun.second > noun.first && noun.first == q) return noun;
    break;
  }
  return std::nullopt;
}

// The nouns of the list ending at `end` (一产、二产、三产增加值), left to right; the
// first one as the subject rules read it before its separator.
std::vector<RespectivelyLists::Range> RespectivelyLists::list_before(size_t end, size_t floor, bool counting) const {
  const auto& t = f_.in_.text;
  const auto& seps = f_.r_.list_separators;
  std::vector<Range> items;
  size_t e = end;
  for (size_t q = end; q > floor && end - q < 40; --q) {
    char32_t c = t[q - 1];
    if (seps.find(c) != std::u32string::npos) {
      if (q < e) items.insert(items.begin(), {q, e});
      e = q - 1;
      continue;
    }
    if (!is_han(c) && !is_ascii_alpha(c)) break;
  }
  if (items.empty()) return items;
  bool verb = false;
  auto first = f_.before(e, floor, &verb, counting);
  // Parallel nouns are alike: 东山镇一产 before 二产、三产… is 一产, where what is cut off
  // ends in a place that owns the list (困难群众 before 残疾人、… stays whole).
  if (items.size() >= 2) {
    size_t len = items.front().second - items.front().first;
    bool alike = true;
    for (size_t i = 0; i + 1 < items.size(); ++i) alike = alike && items[i].second - items[i].first == len;
    size_t cut = first.second - len;
    if (alike && first.second - first.first > len && f_.r_.respectively_owner_suffixes.longest_ending_at(t, cut))
      first.first = cut;
  }
  if (first.second > first.first) items.insert(items.begin(), first);
  return items;
}

// No noun list before the words, but a clause of figures with their own subjects:
// 城镇居民人均可支配收入42860元、农村居民人均可支配收入21530元，分别增长5.0%和6.8% (5.0% is
// the first income's change). Only when the words open a clause and the sentence holds
// exactly as many figures before them as after (接待游客820万人次，实现旅游综合收入68.4亿元，
// 分别增长11.2%、13.5%); three figures before two is no pairing: null beats a wrong one.
bool RespectivelyLists::pair_with_figures_before(std::vector<SubjectFigure>& figures, size_t k, size_t n, size_t end,
                                                 size_t floor, std::string_view rule) const {
  if (end == 0 || end <= floor || !f_.boundary(f_.in_.text[end - 1]) || k < n) return false;
  std::vector<size_t> before;  // the quantities before, nearest first (2018年，… is a date)
  for (size_t j = k; j-- > 0 && figures[j].b >= floor;)
    if (figures[j].quantity) before.push_back(j);
  if (before.size() != n) return false;
  for (size_t j : before)
    if (figures[j].subject.empty()) return false;
  for (size_t i = 0; i < n; ++i) {
    figures[k + i].subject = figures[before[n - 1 - i]].subject;
    figures[k + i].subject.rule = rule;
  }
  return true;
}

// The end of the run of ordinal numerals (subjects.json respectively_lists ordinal_lists)
// from b on, before e.
size_t RespectivelyLists::numerals_from(size_t b, size_t e) const {
  const auto& digits = f_.r_.respectively_ordinal_numerals;
  while (b < e && digits.find(f_.in_.text[b]) != std::u32string::npos) ++b;
  return b;
}

// 第一、二、三产业增加值分别增长5.1%、6.2%、7.3%: places led by an ordinal prefix before the
// first, each place alone between separators, the last one followed by the head every
// place takes (产业增加值): 第一产业增加值, 二产业增加值, 三产业增加值 (it gave 第一 and 二, the
// places of unequal length). The first noun is cut to its prefix (全县第一 -> 第一). Not
// 第一书记、驻村干部: a noun after the place.
bool RespectivelyLists::pair_ordinals(std::vector<SubjectFigure>& figures, size_t k, std::vector<Range> items) const {
  const auto& t = f_.in_.text;
  const std::string& rule = f_.r_.respectively_ordinal_rule;
  if (rule.empty() || items.size() < 2) return false;
  // The first: a prefix right before a run of numerals that ends the noun.
  size_t q = items[0].second;
  while (q > items[0].first && numerals_from(q - 1, items[0].second) == items[0].second) --q;
  auto prefix = f_.r_.respectively_ordinal_prefixes.longest_ending_at(t, q);
  if (q == items[0].second || !prefix || q - prefix.len < items[0].first) return false;
  items[0].first = q - prefix.len;
  for (size_t i = 1; i + 1 < items.size(); ++i)
    if (numerals_from(items[i].first, items[i].second) != items[i].second) return false;
  const Range& last = items.back();
  size_t head = numerals_from(last.first, last.second);
  if (head == last.first || head == last.second) return false;
  for (size_t i = 0; i < items.size(); ++i) {
    Subject& s = figures[k + i].subject;
    s.rule = rule;
    s.b = items[i].first;
    s.e = i + 1 < items.size() ? items[i].second : last.second;
    s.hb = s.he = 0;
    if (i + 1 < items.size()) s.hb = head, s.he = last.second;
  }
  return true;
}

// The i-th figure gets the i-th noun and the head of the last one (一产 + 增加值, 茶叶 +
// 种植面积), when share_head; with no pairing (items null) it gets no subject.
void RespectivelyLists::pair_with_item(Subject& s, const std::vector<Range>* items, size_t i, std::string_view rule,
                                       bool share_head) const {
  s.rule = rule;
  s.hb = s.he = 0;
  if (!items) {
    s.b = s.e = 0;
    return;
  }
  s.b = (*items)[i].first;
  s.e = (*items)[i].second;
  const auto& lastn = items->back();
  size_t mine = s.e - s.b, lastlen = lastn.second - lastn.first;
  size_t other = items->size() > 1 ? (*items)[items->size() - 2].second - (*items)[items->size() - 2].first : 0;
  // 农村党员、城市社区党员: the same last character; 低保户、特困户和残疾人家庭: a noun's own
  // suffix (户) ends a whole noun, it shares no head (not 低保户家庭).
  char32_t last = f_.in_.text[s.e - 1];
  bool complete = last == f_.in_.text[lastn.second - 1] || f_.r_.noun_suffixes.find(last) != std::u32string::npos;
  if (!share_head || i + 1 >= items->size() || complete || lastlen <= 1) return;
  // Where no head word tells where the last noun's head begins, the length of the others
  // does, when they are all as long and the last noun's modifier ends in the same character
  // (一产、二产、三产增加值; 男性和女性技术员): 茶叶、中药材种植 gave 茶叶材种植, 家庭农场、农民专业合作社
  // gave 家庭农场合作社; each figure keeps its own noun.
  bool uniform = std::all_of(items->begin(), items->end() - 1,
                             [&](const Range& r) { return r.second - r.first == other; });
  auto head = head_word_in(*items, s.b, s.e);
  if (!head && uniform && other > 0 && lastlen > other && mine == other &&
      f_.in_.text[lastn.first + other - 1] == last)
    head = lastn.first + other;
  if (head) {
    s.hb = *head;
    s.he = lastn.second;
  }
}

// Where the head that the nouns of a list share begins in the last noun, by the first word
// after its first character that begins one (subjects.json respectively_lists heads, and
// phrase_starts: 人均, 平均): 茶叶、中药材种植面积 -> 种植面积, where the length of 茶叶 cut 中药
// off and gave 茶叶材种植面积. None where the noun [b, e) holds a head word itself: 粮食播种面积、
// 总产量 is no 粮食播种面积产量.
std::optional<size_t> RespectivelyLists::head_word_in(const std::vector<Range>& items, size_t b, size_t e) const {
  const auto& t = f_.in_.text;
  auto starts = [&](size_t q) {
    return f_.r_.respectively_heads.longest_at(t, q) || f_.r_.phrase_starts.longest_at(t, q);
  };
  for (size_t q = b + 1; q < e; ++q)
    if (starts(q)) return std::nullopt;
  const Range& last = items.back();
  for (size_t q = last.first + 1; q < last.second; ++q)
    if (starts(q)) return q;
  return std::nullopt;
}

}  // namespace digestx
