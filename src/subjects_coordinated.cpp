#include <algorithm>

#include "digestx/subjects.hpp"
#include "digestx/utf.hpp"

namespace digestx {

// Coordinated modifiers sharing one head, a step of the subject finder of its own,
// reading phrases as the finder does: before a figure (中央和省级衔接资金1200万元) and
// after two counts (3个市级和8个区级美丽乡村示范村).
class CoordinatedHeads {
 public:
  explicit CoordinatedHeads(const SubjectFinder& finder) : f_(finder) {}
  void modifiers_before(Subject& s, size_t lo, bool count, bool figure_list) const;
  void head_after(Subject& s, size_t figure_end, size_t hi) const;
  void bodies_after(Subject& s, size_t figure_end, size_t hi) const;

 private:
  std::optional<size_t> item_before(size_t b, size_t lo, bool count, size_t phrase_end, bool figure_list) const;
  bool shared_noun(size_t b, size_t e, bool listed) const;
  bool listed_modifier_noun(size_t b, size_t e, size_t phrase_end) const;
  bool holds_verb(const Lexicon& verbs, size_t b, size_t e) const;
  size_t body_ending_at(size_t e) const;

  const SubjectFinder& f_;
};

void SubjectFinder::share_coordinated_bodies(Subject& s, size_t figure_end, size_t hi) const {
  CoordinatedHeads(*this).bodies_after(s, figure_end, hi);
}

void SubjectFinder::share_modifiers_before(Subject& s, Range sentence, bool count, size_t figure_end) const {
  const auto& t = in_.text;
  auto [lo, hi] = sentence;
  bool figure_list = figure_end + 1 < hi && r_.list_separators.find(t[figure_end]) != std::u32string::npos &&
                     figure_starts_at(figure_end + 1);
  CoordinatedHeads(*this).modifiers_before(s, lo, count, figure_list);
}

void SubjectFinder::share_coordinated_head(Subject& s, size_t figure_end, size_t hi) const {
  CoordinatedHeads(*this).head_after(s, figure_end, hi);
}

// 中央和省级衔接资金1200万元: modifiers coordinated before a noun share it, so the
// subject before the figure reaches back over the coordinator to the first modifier
// (中央) when that one is short and begins the phrase (a stop, a verb or a break before
// it). Not 以及 (a word of its own), nor the 与 of 参与, nor a figure before (厂房4栋和仓库2个).
// 新建中小学和幼儿园12所: before a count, nouns coordinated with the last one share the
// count as well (中小学和幼儿园; 第一书记和驻村工作队员326人次; 学校、卫生院、养老院12所).
void CoordinatedHeads::modifiers_before(Subject& s, size_t lo, bool count, bool figure_list) const {
  if (s.empty()) return;
  for (int guard = 0; guard < 4; ++guard) {
    auto b = item_before(s.b, lo, count, s.e, figure_list);
    if (!b) return;
    // Not when the last one is a clause (为合作社、家庭农场免费代理记账680余户次). Asked
    // only once a coordinated item is found (item_before reads and changes nothing):
    // most phrases have no coordinator before them, and this scan of the whole phrase
    // was 9.4 M of the 13.4 M instructions of this step on the 2 MB slice.
    if (guard == 0 && holds_verb(f_.r_.stops_after, s.b, s.e)) return;
    s.b = *b;
    s.rule = f_.r_.coordinated_rule;
  }
}

// Where the modifier (or, before a count, the noun) coordinated with the phrase that
// begins at b starts, or none (the sentence's first character is a start: 红枣、核桃…).
std::optional<size_t> CoordinatedHeads::item_before(size_t b, size_t lo, bool count, size_t phrase_end,
                                                     bool figure_list) const {
  const auto& t = f_.in_.text;
  if (b < lo + 3) return std::nullopt;
  size_t c = b - 1;
  bool listed = count && t[c] == U'、';  // a list of nouns (学校、卫生院), before a count only
  bool listed_modifier = !count && !figure_list && t[c] == U'、' && f_.r_.coordinated_max_listed > 0;  // 红枣、核桃…
  if ((f_.boundary(t[c]) && !listed && !listed_modifier) || f_.r_.coordinators.find(t[c]) == std::u32string::npos)
    return std::nullopt;
  for (const Lexicon* words : {&f_.r_.hard_stops, &f_.r_.stops_before, &f_.r_.verbs_before_figure, &f_.r_.nouns})
    if (auto w = words->longest_ending_at(t, b); w && w.len > 1) return std::nullopt;
  bool verb = false;
  auto mod = f_.before(c, lo, &verb, count);
  size_t len = mod.second - mod.first;
  if (verb || mod.second != c || len == 0) return std::nullopt;
  if (count) return shared_noun(mod.first, c, listed) ? std::optional<size_t>(mod.first) : std::nullopt;
  if (listed_modifier && listed_modifier_noun(mod.first, c, phrase_end)) return mod.first;
  if (len > f_.r_.coordinated_max_modifier) return std::nullopt;
  // Before a sum or a rate only a modifier (中央, 省级, 市县) shares the head; a noun
  // (提升组织力和群众满意度) is a measure apart.
  bool ending = len >= 2 && f_.r_.shared_modifier_endings.find(t[c - 1]) != std::u32string::npos;
  auto word = f_.r_.shared_modifiers.longest_ending_at(t, c);
  if (!ending && !(word && word.len == len)) return std::nullopt;
  return mod.first;
}

// A noun [b, e) before a coordinator that shares the count after the next noun: two
// characters at least (not the 涉 of 涉及), at most max_noun_chars (four in a 、 list:
// not 问题约谈施工、监理单位负责人), and no verb in it (not 立项支持党建与业务融合项目).
bool CoordinatedHeads::shared_noun(size_t b, size_t e, bool listed) const {
  const auto& r = f_.r_;
  if (e < b + 2 || e - b > (listed ? r.coordinated_max_modifier : r.coordinated_max_noun)) return false;
  for (const Lexicon* verbs : {&r.stops_before, &r.stops_after, &r.verbs_before_figure})
    if (holds_verb(*verbs, b, e)) return false;
  return true;
}

// 红枣、核桃线上销售额达到1.2亿元 -> 红枣、核桃线上销售额 (was 核桃线上销售额, the walnuts'
// alone): before a sum or a rate, a short noun [b, e) listed with 、 before the phrase
// modifies its head as the noun after the 、 does (max_listed_modifier_chars). Not a
// measure of its own (满意率、知晓率: a rate, or the last character of the phrase, ends
// it; 组织力 holds a verb), nor a verb (新增就业、城镇登记失业率: 就业 is the verb of a noun
// elsewhere).
bool CoordinatedHeads::listed_modifier_noun(size_t b, size_t e, size_t phrase_end) const {
  const auto& r = f_.r_;
  const auto& t = f_.in_.text;
  if (e < b + 2 || e - b > r.coordinated_max_listed) return false;
  if (t[e - 1] == t[phrase_end - 1] || r.inherited_rates.endings.longest_ending_at(t, e)) return false;
  for (const Lexicon* verbs : {&r.stops_before, &r.stops_after, &r.verbs_before_figure})
    if (holds_verb(*verbs, b, e)) return false;
  for (size_t k = b; k < e; ++k)  // 就业 is a noun too: no holds_verb, which reads over nouns
    if (r.verbs_after_noun.longest_at(t, k)) return false;
  return true;
}

// Whether a word of `verbs` two characters long or more lies in [b, e), outside the
// nouns (服务中心 holds no 服务).
bool CoordinatedHeads::holds_verb(const Lexicon& verbs, size_t b, size_t e) const {
  const auto& t = f_.in_.text;
  for (size_t k = b; k < e;) {
    if (auto noun = f_.r_.nouns.longest_at(t, k)) {
      k += noun.len;
      continue;
    }
    if (auto v = verbs.longest_at(t, k); v && v.len > 1 && k + v.len <= e) return true;
    ++k;
  }
  return false;
}

// 3个市级和8个区级美丽乡村示范村: the subject after a count that stops at a coordinator
// followed by another count takes the head of that one's phrase (市级 + 美丽乡村示范村)
// when both modifiers are alike (same length, same last character: 级).
void CoordinatedHeads::head_after(Subject& s, size_t figure_end, size_t hi) const {
  const auto& t = f_.in_.text;
  if (s.empty() || s.b < figure_end || s.e >= hi) return;
  if (f_.r_.coordinators.find(t[s.e]) == std::u32string::npos) return;
  size_t next_count = s.e + 1;
  if (!f_.counted_unit_end(next_count)) {
    // 镇海等8个: examples named before the count.
    for (size_t k = s.e + 2; k < hi && k < s.e + 10 && is_han(t[k - 1]); ++k) {
      auto ex = f_.r_.coordinated_examples.longest_ending_at(t, k);
      if (ex && f_.counted_unit_end(k)) {
        next_count = k;
        break;
      }
    }
  }
  size_t unit_end = f_.counted_unit_end(next_count);
  if (!unit_end) return;
  auto next = f_.phrase_after(unit_end, hi);
  // The other modifier ends like this one (市级 / 区级, 国家级 / 省级): the head follows it.
  // Modifiers are short and the head is a noun of its own: not 4个临时党总支和19个临时党支部.
  size_t mine = s.e - s.b, head = 0;
  if (mine > f_.r_.coordinated_max_modifier) return;
  for (size_t k = next.first; k < next.second && k <= next.first + mine + 1; ++k)
    if (t[k] == t[s.e - 1]) {
      head = k + 1;
      break;
    }
  if (!head || head + 2 > next.second) return;
  s.hb = head;
  s.he = next.second;
  s.rule = f_.r_.coordinated_rule;
}

// The length of a body (coordinated_heads.bodies or count_owners: 社会组织, 企业, 村) ending
// at e, or 0.
size_t CoordinatedHeads::body_ending_at(size_t e) const {
  const auto& t = f_.in_.text;
  auto body = f_.r_.coordinated_bodies.longest_ending_at(t, e);
  auto owner = f_.r_.count_owners.longest_ending_at(t, e);
  return std::max(body ? body.len : size_t(0), owner ? owner.len : size_t(0));
}

// 16名非公有制企业和社会组织党组织书记, 36名市属国有企业、高校和市直部门党组织书记: after a
// count, bodies joined by coordinators whose last one goes on to a head (党组织书记) share
// that head; the count counts it for all of them, so the subject runs to the end of the
// last phrase. Not a head with a verb in it, nor a list ending at 的 (走访5个村和社区的党员: 社区 has no head after it),
// nor nouns that are no bodies (慰问120名党员和群众), nor a count after the coordinator
// (head_after's 3个市级和8个区级…).
void CoordinatedHeads::bodies_after(Subject& s, size_t figure_end, size_t hi) const {
  const auto& t = f_.in_.text;
  const auto& r = f_.r_;
  if (r.coordinated_bodies_rule.empty() || s.empty() || s.he > s.hb || s.b < figure_end) return;
  size_t item = s.b, end = s.e;
  for (int guard = 0; guard < 4; ++guard) {
    if (end >= hi || r.coordinators.find(t[end]) == std::u32string::npos) return;
    if (!body_ending_at(end) || end - item > r.coordinated_max_noun) return;
    auto next = f_.phrase_after(end + 1, hi);
    if (next.first != end + 1 || next.second <= next.first) return;
    // The last body: one ends inside its phrase and a head of two characters follows.
    for (size_t k = next.first + 1; k + 2 <= next.second; ++k) {
      size_t len = body_ending_at(k);
      if (!len || k - len < next.first) continue;
      // The head is a noun: 58家驻区单位与社区签订共建协议 has a verb after 社区 (与 is "with").
      for (const Lexicon* verbs : {&r.stops_before, &r.stops_after, &r.verbs_before_figure})
        if (holds_verb(*verbs, k, next.second)) return;
      s.e = next.second;
      s.rule = r.coordinated_bodies_rule;
      return;
    }
    item = next.first;
    end = next.second;
  }
}

}  // namespace digestx
