#include <algorithm>

#include "digestx/subjects.hpp"
#include "digestx/utf.hpp"

namespace digestx {

// Where a subject begins and ends, a step of the subject finder of its own: the words at
// the edges of a phrase that belong to the clause rather than to the noun (有党员36名,
// 吸纳群众就业620人, 完成5G基站建设46座), the owner a count counts when the next figure
// measures an attribute of it (2个社区党群服务中心面积不足200平方米), and the purpose a
// sum is put into (投入3.6亿元实施农村饮水安全巩固提升工程). The words: subjects.json "edges".
class SubjectEdges {
 public:
  explicit SubjectEdges(const SubjectFinder& finder) : f_(finder), t_(finder.in_.text), r_(finder.r_) {}
  void finish(Subject& s, size_t b, size_t e, SubjectFinder::Range sentence, bool from_back, bool classifier) const;
  std::optional<SubjectFinder::Range> purpose(size_t b, size_t e, size_t hi) const;

 private:
  void drop_unit_place(Subject& s) const;
  void drop_own_kind(Subject& s) const;
  void drop_level_span(Subject& s) const;
  void drop_divisor(Subject& s) const;
  void drop_comparand(Subject& s) const;
  void drop_bare_comparand(Subject& s) const;
  void keep_verb_before_after(Subject& s) const;
  void trim_start(Subject& s, bool from_back) const;
  bool noun_covers(size_t b, size_t e, size_t floor) const;
  void trim_end(Subject& s, size_t b, size_t e, bool from_back, bool classifier) const;
  bool figure_follows(size_t q, size_t hi) const;
  void count_owner(Subject& s, size_t b, size_t figure_end, size_t hi) const;
  const SubjectRules::OwnersOfWork::Group* owners_counted(size_t b, size_t e) const;
  size_t last_owner_end(const SubjectRules::OwnersOfWork::Group& owners, const Subject& s) const;
  void owner_of_work(Subject& s, size_t b, size_t e, size_t phrase_end, bool from_back) const;
  void attribute_after_count(Subject& s) const;
  void share_after_bound(Subject& s, size_t figure_end, size_t hi) const;

  const SubjectFinder& f_;
  std::u32string_view t_;
  const SubjectRules& r_;
};

void SubjectFinder::trim_edges(Subject& s, size_t b, size_t e, Range sentence, bool from_back, bool classifier) const {
  SubjectEdges(*this).finish(s, b, e, sentence, from_back, classifier);
}

std::optional<SubjectFinder::Range> SubjectFinder::purpose_after(size_t b, size_t e, size_t hi) const {
  return SubjectEdges(*this).purpose(b, e, hi);
}

bool verb_as_modifier(const SubjectRules& r, std::u32string_view text, size_t q) {
  auto v = r.edges.modifier_verbs.longest_ending_at(text, q);
  if (!v || !r.edges.modifier_heads.longest_at(text, q)) return false;
  size_t p = q - v.len;
  // After examples closed by 等 too: 开展“春风行动”等招聘活动210场 -> 招聘活动 (it was 活动).
  return bool(r.stops_before.longest_ending_at(text, p)) || bool(r.verbs_before_figure.longest_ending_at(text, p)) ||
         bool(r.coordinated_examples.longest_ending_at(text, p));
}

void SubjectEdges::finish(Subject& s, size_t b, size_t e, SubjectFinder::Range sentence, bool from_back,
                          bool classifier) const {
  size_t hi = sentence.second, phrase_end = s.e;
  drop_unit_place(s);
  drop_level_span(s);
  if (from_back) f_.drop_trailing_slogan(s, b);
  if (from_back) drop_divisor(s);
  if (from_back) drop_comparand(s);
  if (from_back) drop_bare_comparand(s);
  if (from_back) keep_verb_before_after(s);
  if (from_back) f_.drop_recipient(s);
  trim_start(s, from_back);
  trim_end(s, b, e, from_back, classifier);
  if (classifier) owner_of_work(s, b, e, phrase_end, from_back);
  if (!from_back) f_.drop_bound_body(s, e);
  if (from_back) f_.share_modifiers_before(s, sentence, classifier, e);
  if (classifier) {
    f_.share_coordinated_head(s, e, hi);
    f_.share_coordinated_bodies(s, e, hi);
    count_owner(s, b, e, hi);
  } else if (from_back) {
    attribute_after_count(s);
  } else {
    share_after_bound(s, e, hi);
  }
}

// 临河县命案发案数由上年的5起下降到2起 in 临河县委政法委's report -> 命案发案数: the unit's
// own place is who reports, not what is counted; a body of it after the place goes too
// (溪口市纪委监委立案218件 -> 立案, 清源市检察院…). Kept when little would be left.
void SubjectEdges::drop_unit_place(Subject& s) const {
  std::u32string_view place = f_.in_.unit_place;
  drop_own_kind(s);
  if (s.empty() || place.empty() || s.e - s.b <= place.size() || t_.compare(s.b, place.size(), place) != 0) return;
  size_t b = s.b + place.size();
  while (b < s.e) {
    auto body = r_.unit_places.bodies.longest_at(t_, b);
    if (!body || b + body.len > s.e) break;
    b += body.len;
  }
  if (s.e - b < r_.unit_places.min_chars) return;
  s.b = b;
  s.rule = r_.unit_places.rule;
}

// 医院门急诊量达到156.3万人次 in 渠阳市第一人民医院党委's report -> 门急诊量: the word a body
// calls itself by (医院, 全院, 学校, 集团) is who reports, as its place is.
void SubjectEdges::drop_own_kind(Subject& s) const {
  int kind = f_.in_.unit_kind;
  if (s.empty() || kind < 0) return;
  auto own = r_.unit_places.own_kinds[size_t(kind)].words.longest_at(t_, s.b);
  if (!own || s.b + own.len + r_.unit_places.min_chars > s.e) return;
  s.b += own.len;
  s.rule = r_.unit_places.rule;
}

// 建成县乡村三级矛盾纠纷调解组织182个 -> 矛盾纠纷调解组织, 设立县、乡、村三级河长326名 ->
// 河长: places and the number of levels they make are no part of the noun; 三级医院 and
// 非公企业二级党组织 keep theirs (no places before, or not places alone).
void SubjectEdges::drop_level_span(Subject& s) const {
  if (s.empty() || r_.level_span_rule.empty()) return;
  for (size_t k = s.b + 1; k < s.e; ++k) {
    if (r_.levels.find(t_[k - 1]) == std::u32string::npos) return;
    auto span = r_.level_spans.longest_at(t_, k);
    if (!span || k + span.len >= s.e) continue;
    s.b = k + span.len;
    s.rule = r_.level_span_rule;
    return;
  }
}

// 扶持村集体经济项目35个，每个项目补助资金20至50万元 -> 补助资金: after a per-unit word
// (每个, 每家) the noun that names again what a figure before counted (项目, the end of
// 村集体经济项目) divides the figure; what it measures is the rest. 新建社区党群服务中心3个，
// 每个中心面积不少于300平方米 -> 面积. A noun named nowhere before stays (每个村集体经济
// 收入突破30万元 alone: 村集体经济收入), and so does a phrase that would keep less than two
// characters.
void SubjectEdges::drop_divisor(Subject& s) const {
  if (s.empty() || r_.edges.divisor_rule.empty() || !r_.edges.divisor_words.longest_ending_at(t_, s.b)) return;
  if (s.e - s.b < 3) return;
  size_t best = 0;
  for (const auto& seen : f_.seen_) {
    if (seen.se <= seen.sb || seen.se > s.b) continue;
    size_t end = seen.se;  // “枫桥式人民法庭”: the name inside its quotes
    while (end > seen.sb + 1 && !is_han(t_[end - 1]) && !is_ascii_alpha(t_[end - 1])) --end;
    size_t len = end - seen.sb;
    for (size_t n = std::min(len, s.e - s.b - 2); n > best; --n)
      if ((n >= 2 || n == len) && t_.compare(s.b, n, t_.substr(end - n, n)) == 0) {
        best = n;
        break;
      }
  }
  if (best == 0) return;
  s.b += best;
  s.rule = r_.edges.divisor_rule;
}

// Whether a noun that begins before b (not before floor) runs to e or past it.
bool SubjectEdges::noun_covers(size_t b, size_t e, size_t floor) const {
  for (size_t j = b; j-- > floor && b - j <= 4;)
    if (auto noun = r_.nouns.longest_at(t_, j); noun && j + noun.len >= e) return true;
  return false;
}

// 脱贫户人均纯收入 -> 人均纯收入, 群众诉求按期办结率 -> 按期办结率: the subject begins at
// the last phrase start inside it; “双带头人”型党支部书记 -> 党支部书记. 有党员36名, 河湾镇
// 有党员1260名: it begins after a verb of having (党员); not the 有 of 有机肥 or 国有.
//
// After a count the phrase ends at the first phrase start instead: 带动两千三百多户群众户均
// 增收4500元 -> 群众 (户均增收 is the money's; it gave 户均).
void SubjectEdges::trim_start(Subject& s, bool from_back) const {
  if (s.e <= s.b) return;  // no phrase: nothing to trim (s.e - 1 below would wrap at 0)
  for (size_t k = s.b + 1; !from_back && k < s.e; ++k) {
    if (!r_.phrase_starts.longest_at(t_, k)) continue;
    s.e = k;
    s.rule = r_.phrase_start_rule;
    break;
  }
  for (size_t k = s.e; k-- > s.b + 1;) {
    auto start = r_.phrase_starts.longest_at(t_, k);
    if (!start) continue;
    s.rule = r_.phrase_start_rule;
    // A per-unit word with nothing after it modifies the verb, not a noun (verb_modifiers):
    // 村级集体经济收入平均达到15万元 -> 村级集体经济收入 (it gave 平均).
    if (k + start.len >= s.e && r_.phrase_start_verb_modifiers.longest_at(t_, k).len == start.len) {
      s.e = k;
      continue;
    }
    s.b = k;
    break;
  }
  while (s.e > s.b + 1 && r_.never_first.has(t_[s.b])) {
    ++s.b;
    s.rule = r_.phrase_start_rule;
  }
  for (size_t k = s.e - 1; k-- > s.b;) {
    auto v = r_.edges.leading_verbs.longest_at(t_, k);
    if (!v || k + v.len >= s.e || r_.edges.not_leading_verbs.longest_at(t_, k)) continue;
    if (auto noun = r_.nouns.longest_ending_at(t_, k + v.len); noun && noun.len > v.len) continue;  // 国有
    if (noun_covers(k, k + v.len, s.b)) continue;  // 辖区实有人口: the 有 inside the noun 实有人口
    s.b = k + v.len;
    s.rule = r_.edges.leading_rule;
    break;
  }
}

// 增速高于城镇居民2.1个百分点 -> 增速: a comparative inside the phrase before a figure
// (edges.comparands) is followed by what the subject is compared with; the figure is the
// gap, and the subject is the words before the comparative. Kept whole when fewer than
// two characters stand before it (一年来高于… leaves nothing to name).
void SubjectEdges::drop_comparand(Subject& s) const {
  if (s.empty() || r_.edges.comparand_rule.empty()) return;
  for (size_t k = s.b + 2; k + 1 < s.e; ++k) {
    auto c = r_.edges.comparatives.longest_at(t_, k);
    if (!c || k + c.len >= s.e) continue;
    if (auto noun = r_.nouns.longest_ending_at(t_, k + c.len); noun && noun.len > c.len) continue;
    s.e = k;
    s.rule = r_.edges.comparand_rule;
    return;
  }
}

// 养护资金仅为3200元，低于全省平均水平约1000元 -> null, not 平均水平: a phrase that starts right
// after a comparative (edges.comparands), a scope word such as 全省 aside, names what the
// figure is compared with, never what it measures; a wrong subject is worse than none.
void SubjectEdges::drop_bare_comparand(Subject& s) const {
  if (s.empty() || r_.edges.comparand_rule.empty()) return;
  size_t p = s.b;
  if (auto scope = r_.hard_stops.longest_ending_at(t_, p)) p -= scope.len;
  if (!r_.edges.comparatives.longest_ending_at(t_, p)) return;
  s.e = s.b;
  s.rule = r_.edges.comparand_rule;
}

// 培训后就业率只有六成左右 -> 培训后就业率: a verb (stops_before) stopped the phrase
// before the figure right before 后 (edges.after_verb), and "after training" is part of
// the noun; the phrase is not 后就业率. Not before a noun that begins with 后 (选派后备干部).
void SubjectEdges::keep_verb_before_after(Subject& s) const {
  if (s.empty() || r_.edges.after_verb_rule.empty() || s.e - s.b < 3) return;
  auto w = r_.edges.after_verb_words.longest_at(t_, s.b);
  if (!w || r_.edges.not_after_verb_words.longest_at(t_, s.b)) return;
  auto verb = r_.stops_before.longest_ending_at(t_, s.b);
  if (!verb || f_.boundary(t_[s.b - 1])) return;
  s.b -= verb.len;
  s.rule = r_.edges.after_verb_rule;
}

// 吸纳群众就业620人 -> 群众: a verb after a noun (verbs_after_noun) ends the phrase before
// the figure too, unless it is part of a longer noun (城镇新增就业). 完成5G基站建设46座 ->
// 5G基站: a count of things is no count of the work on them (works); a count of events
// (开展村庄环境整治12次) is.
void SubjectEdges::trim_end(Subject& s, size_t b, size_t e, bool from_back, bool classifier) const {
  if (s.empty() || s.he > s.hb) return;
  if (from_back) {
    auto v = r_.verbs_after_noun.longest_ending_at(t_, s.e);
    // The noun is looked up only after a verb: most phrases end in a noun, which the
    // filter passes, and the lookup was most of this step's cost.
    auto noun = v && s.e - v.len >= s.b + 2 ? r_.nouns.longest_ending_at(t_, s.e) : Lexicon::Match{};
    if (v && s.e - v.len >= s.b + 2 && !(noun && noun.len > v.len)) {
      s.e -= v.len;
      s.rule = r_.edges.trailing_rule;
      return;
    }
  }
  if (!classifier) return;
  for (size_t k = b; k < e; ++k)
    if (r_.edges.event_units.find(t_[k]) != std::u32string::npos) return;
  auto w = r_.edges.works.longest_ending_at(t_, s.e);
  if (w && s.e - w.len >= s.b + 2 && t_[s.e - w.len - 1] != r_.head_marker) {
    // 隐患排查整治46处 -> 隐患: the verb paired with the work goes with it (picks.verb_pair).
    bool pair = f_.ends_in_verb_pair({s.b, s.e}, classifier);
    s.e -= w.len;
    s.rule = r_.edges.work_rule;
    auto first = r_.stops_before.longest_ending_at(t_, s.e);
    if (pair && first && s.e - first.len >= s.b + 2) s.e -= first.len;
  }
}

// A figure starts at q, past the copulas between (收入超过20万元, 面积不足200平方米).
bool SubjectEdges::figure_follows(size_t q, size_t hi) const {
  size_t start = q;
  for (int guard = 0; guard < 4 && q < hi; ++guard) {
    auto c = r_.copulas.longest_at(t_, q);
    if (!c) break;
    q += c.len;
  }
  return q > start && q < hi && f_.figure_starts_at(q);
}

// 12个村集体经济收入超过20万元, 4个村集体经济收入仍低于10万元: the phrase after the
// count is what the next figure measures (copulas and qualifiers between), so the count
// counts the owner it begins with (村). 2个社区党群服务中心面积不足200平方米: or the phrase
// without the attribute it ends with (社区党群服务中心; the next figure measures 面积).
// 仍有5户脱贫户年收入不足1万元: or the last owner inside it that the count's measure word
// counts (owners_of_work: 户 counts 脱贫户), when none begins it.
void SubjectEdges::count_owner(Subject& s, size_t b, size_t figure_end, size_t hi) const {
  if (s.empty() || s.b < figure_end || s.he > s.hb || !figure_follows(s.e, hi)) return;
  auto attribute = r_.edges.attributes.longest_ending_at(t_, s.e);
  if (attribute && s.e - attribute.len >= s.b + 2) {
    s.e -= attribute.len;
    s.rule = r_.edges.attribute_rule;
    return;
  }
  auto owner = r_.count_owners.longest_at(t_, s.b);
  size_t end = owner ? s.b + owner.len : 0;
  if (!owner)
    if (const auto* owners = owners_counted(b, figure_end)) end = last_owner_end(*owners, s);
  if (!end && !r_.count_owner_unnamed_rule.empty() && r_.inherited_rates.endings.longest_ending_at(t_, s.e)) {
    // 12个县区优良天数比例达到90%: the rate is the next figure's, and no owner the count
    // could count is known (县区): null beats the rate.
    s.e = s.b;
    s.rule = r_.count_owner_unnamed_rule;
    return;
  }
  if (!end || end >= s.e) return;
  s.e = end;
  s.rule = r_.count_owner_rule;
}

// The owners the count [b, e)'s measure word counts (家: 企业, 户: 农户), or none.
const SubjectRules::OwnersOfWork::Group* SubjectEdges::owners_counted(size_t b, size_t e) const {
  for (const auto& group : r_.owners_of_work.groups)
    for (size_t k = b; k < e; ++k)
      if (group.measure_words.has(t_[k])) return &group;
  return nullptr;
}

// Where the last of `owners` inside the subject ends, two characters at least from its
// start (not the 户 of 1500户户用光伏建设), with more of the phrase after it and not inside a
// longer noun, or 0; 0 too when the phrase ends in one of them (40所清廉学校示范校, 31所中小学
// 幼儿园: the whole is what is counted).
size_t SubjectEdges::last_owner_end(const SubjectRules::OwnersOfWork::Group& owners, const Subject& s) const {
  if (owners.words.longest_ending_at(t_, s.e)) return 0;
  for (size_t o = s.e - 1; o > s.b + 1; --o) {
    auto owner = owners.words.longest_ending_at(t_, o);
    if (owner && o - owner.len >= s.b && !noun_covers(o, o + 1, s.b)) return o;
  }
  return 0;
}

// 完成320家重点企业排污许可证核查 -> 重点企业, 开展1200户农户危房改造鉴定 -> 农户, 完成重点企业
// 清洁化改造93家 -> 重点企业: a count whose measure word counts an owner before the object of
// a work (edges.works, ending the phrase or, before the count, at the figure) counts the
// owner; 对56所学校食堂开展检查 -> 学校: a measure word that counts its owners only (所)
// needs no work, but two characters after the owner. A count of events keeps the work.
void SubjectEdges::owner_of_work(Subject& s, size_t b, size_t e, size_t phrase_end, bool from_back) const {
  if (s.empty() || s.he > s.hb || r_.owners_of_work.rule.empty()) return;
  const auto* owners = owners_counted(b, e);
  if (!owners) return;
  bool work = r_.edges.works.longest_ending_at(t_, phrase_end) || (from_back && r_.edges.works.longest_ending_at(t_, b));
  for (size_t k = b; k < e && work; ++k)
    if (r_.edges.event_units.find(t_[k]) != std::u32string::npos) work = false;
  if (!work && !owners->only_these) return;
  size_t end = last_owner_end(*owners, s);
  if (!end || (!work && end + 2 > s.e)) return;
  s.e = end;
  s.rule = r_.owners_of_work.rule;
}

// The figure after such a count (面积不足200平方米) measures the attribute alone: its
// phrase begins right after the count and goes on past the count's subject by an
// attribute word.
void SubjectEdges::attribute_after_count(Subject& s) const {
  if (s.empty()) return;
  for (auto it = f_.seen_.rbegin(); it != f_.seen_.rend() && it->e >= s.b; ++it) {
    if (it->e != s.b || it->sb != s.b || it->se <= it->sb || it->se >= s.e) continue;
    auto attribute = r_.edges.attributes.longest_at(t_, it->se);
    if (attribute && it->se + attribute.len == s.e) {
      s.b = it->se;
      s.rule = r_.edges.attribute_rule;
    }
    return;
  }
}

// 60岁以上的村医占比超过四成 -> 村医: a figure with no measure word (a bound: 岁, 万元)
// read forward to a share (edges.bound_shares) that the next figure of the clause
// measures bounds the noun the share is of, not the share (35岁以下村干部占比仅为28%).
void SubjectEdges::share_after_bound(Subject& s, size_t figure_end, size_t hi) const {
  if (s.empty() || r_.edges.bound_share_rule.empty() || s.b < figure_end || s.he > s.hb) return;
  auto share = r_.edges.bound_shares.longest_ending_at(t_, s.e);
  if (!share || s.e - share.len < s.b + 1 || !figure_follows(s.e, hi)) return;
  s.e -= share.len;
  s.rule = r_.edges.bound_share_rule;
}

// 投入3.6亿元实施农村饮水安全巩固提升工程, 投入8000万元至1亿元用于村级活动场所提质: a sum
// put in by a verb of spending right before it (投入, 争取, 投资: 南湖镇投资1.6亿元推进…)
// measures the purpose after it, the words from a purpose verb to the end of
// the clause when they are a short name: no 的, no verb taking an object, no stop. A
// figure ends the name when it counts it (投入1000万元建设美丽乡村示范村3个: 美丽乡村示范村,
// was 建设美丽乡村示范村); one right after the verb leaves no name (投入500万元建设2个示范村:
// null, was the verb 建设). Not after a verb of
// giving (给予10-50万元改造补助: the noun after is the sum's).
std::optional<SubjectFinder::Range> SubjectEdges::purpose(size_t figure_b, size_t e, size_t hi) const {
  auto v = r_.edges.purpose_verbs.longest_at(t_, e);
  if (!v || !r_.edges.spend_verbs.longest_ending_at(t_, figure_b)) return std::nullopt;
  size_t b = e + v.len, k = b;
  while (k < hi && !f_.boundary(t_[k])) {
    if (f_.figure_starts_at(k)) {
      if (k == b) return SubjectFinder::Range{b, b};  // no name, and never the verb (建设)
      if (k < b + 2) return std::nullopt;
      break;
    }
    if (k - b >= r_.edges.purpose_max || t_[k] == r_.head_marker) return std::nullopt;
    if (auto noun = r_.nouns.longest_at(t_, k)) {  // 中 of 中医院 is no stop
      k += noun.len;
      continue;
    }
    if (r_.verbs_before_figure.longest_at(t_, k)) return std::nullopt;
    auto stop = r_.hard_stops.longest_at(t_, k);
    if (stop && !(stop.len == 1 && r_.coordinators.find(t_[k]) != std::u32string::npos)) return std::nullopt;
    bool quote = false;
    for (const auto& [open, close] : r_.quote_pairs) quote = quote || t_[k] == open || t_[k] == close;
    if (!is_han(t_[k]) && !is_ascii_alpha(t_[k]) && !quote) return std::nullopt;
    ++k;
  }
  // A list goes on past a 、 (实施道路硬化、路灯安装等工程): no whole name.
  if (k - b > r_.edges.purpose_max || (k < hi && r_.coordinators.find(t_[k]) != std::u32string::npos))
    return std::nullopt;
  if (k < b + 2) return std::nullopt;
  return SubjectFinder::Range{b, k};
}

}  // namespace digestx
