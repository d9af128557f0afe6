// `digestx panel`: the same organisations across yearly digests. A join over the
// facts, not a second pass over the text: each document is reduced, as soon as it is
// extracted, to the compact per-unit facts below (PanelDigest); the panel is then
// built from those alone (rows, plan-against-outcome links, secretary changes).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "digestx/decimal.hpp"
#include "digestx/document.hpp"

namespace digestx {

// rules/panel.json: how spellings, names and subjects are compared; every rule named.
struct SubjectRule {
  enum class Method { equal, contained, head_noun, shared_chars };
  std::string name;
  Method method = Method::equal;
  size_t min_chars = 2;     // all but equal: the shorter subject has at least this many
  size_t head_chars = 2;    // head_noun: the last characters that must agree
  double min_shared = 0.0;  // head_noun, shared_chars: Dice coefficient of the characters
  double score = 1.0;       // the better score wins when a plan has several candidates
};

struct PanelRules {
  std::u32string ignore_chars;  // dropped before comparing (spaces, quotes, brackets)
  std::string same_spelling_rule, same_name_rule;
  // Learning a variant spelling of an organisation (市委两新工委 / 市委两新组织工委).
  std::string variant_rule;
  double variant_min_ratio = 0.7;  // the shorter spelling's share of the longer one
  size_t variant_min_chars = 4;
  size_t variant_same_suffix = 2;  // last characters that must agree (工委, 党委, 区委)
  // The place a spelling names runs to its first administrative-division suffix (镇, 乡,
  // 街道, …): a variant must name the very same place (石桥铺镇 is not 石桥镇). Empty: off.
  std::vector<std::u32string> place_suffixes;  // longest first
  // A shorter abbreviation (市住建局党组 / 市住房城乡建设局党组) joins only when the
  // plans of one are reported by the other a year later.
  std::string evidence_rule;
  double evidence_min_ratio = 0.5;
  size_t evidence_min_plans = 2;
  std::vector<SubjectRule> subject_rules;
  std::vector<std::string> linkable_kinds;      // kinds a plan can have (count, money, …)
  std::vector<std::string> unlinkable_aspects;  // threshold, rank, …: never plans
  std::vector<std::string> unlinkable_statuses;  // target, forecast: never plans nor outcomes
  std::string tie_rule;  // among equal subject scores, the outcome closest to the plan
  // A body renamed between two digests (organization renamed): the names of one body over
  // its reforms (卫生计生局, 卫生健康委员会, 卫健委), each group's first the canonical one, and
  // a township made a town (桃坪乡党委, then 桃坪镇党委: upgrades, the earlier level first).
  std::string renamed_rule, upgraded_rule;  // empty: off
  std::vector<std::vector<std::u32string>> renamed_groups;
  std::vector<std::pair<std::u32string, std::u32string>> upgrades;  // (乡, 镇)
  // One key for spellings of one body (org_key): a body named with its digest's region
  // (泸川县教育局党组 in 泸川县's digest) as with the region's level alone (县教育局党组), and
  // a party committee's full name (中共石桥镇委员会) as its short one (石桥镇党委).
  std::string region_prefix_rule;  // empty: off
  std::string full_name_rule;      // empty: off
  std::u32string full_name_prefix;  // 中共
  // Levels below the region's: a place of one of them after the region's name is the
  // body's own place (桐溪县城关镇党委 in 桐溪县's digest is 城关镇党委, not 县城关镇党委).
  std::vector<std::u32string> places_below_region;
  // Subjects too generic to link alone (资金, 经费, 项目): a plan or outcome whose whole
  // subject is one of them links only to the same head with the same characters right
  // before it (建设资金 / 建设资金: generic_rule), never by the subject rules. Empty name: off.
  std::string generic_subject_rule;
  std::vector<std::u32string> generic_subjects;
  size_t generic_context_chars = 2;
  SubjectRule generic_rule;
  std::string change_rule = "name.differs";  // a secretary change: the names differ
  std::vector<std::pair<std::u32string, std::u32string>> full_name_endings;  // 镇委员会 -> 镇党委
};

// Built-in rules/panel.json, or DIR/panel.json when it exists. Throws RulesError.
PanelRules load_panel_rules(const std::string& rules_dir = {});
PanelRules parse_panel_rules(const std::string& json_text, const std::string& file);

// Money that may be added up (contract, Totals): the one place that decides it.
bool is_summable_money(const Fact& f);
// What the figure is (amount, per_capita, …), empty while facts carry no aspect.
std::string_view fact_aspect(const Fact& f);

// Money of one period summed by is_summable_money.
struct MoneySum {
  Decimal yuan;
  size_t facts = 0;
  bool approximate = false;  // a summand had a qualifier or a range
  bool overflow = false;
};

// A fact kept by the panel: a plan (this_year) or an outcome (last_year).
struct PanelFact {
  std::string text, subject, unit;
  std::string_view kind, qualifier, aspect;
  std::string modifier;  // of a generic subject: the characters right before it (建设 of 安排建设资金)
  Decimal value;
  std::optional<Decimal> range_high;
  int year = 0;
  Span span;
};

struct PanelUnit {
  size_t index = 0;  // in the document's units
  std::string organization, role, name, headline;
  Span span;  // the heading
  size_t facts = 0;
  std::map<std::string, size_t> by_kind;
  MoneySum money_last_year, money_this_year;
  std::vector<PanelFact> plans, outcomes;
};

struct PanelDigest {
  std::string source, region;
  std::optional<int> year;  // report_year
  std::vector<PanelUnit> units;
};

// Keeps of a document what the panel needs; the document can go right after.
PanelDigest digest_for_panel(const Document& doc, const PanelRules& rules);

// ---------------------------------------------------------------- the panel

struct PanelOrg {
  std::string region, key;           // the key: the spelling used most (latest on a tie)
  std::vector<std::string> aliases;  // the other spellings seen
  std::vector<std::string> alias_rules;  // the rule that joined each alias
};

struct PanelRow {
  size_t org = 0, digest = 0, unit = 0;  // into Panel::orgs, digests, digests[].units
};

struct PanelRef {  // one side of a link
  size_t digest = 0, unit = 0, fact = 0;
};

struct PanelLink {
  size_t org = 0;
  PanelRef planned, achieved;
  std::optional<Decimal> ratio;  // achieved / planned, 4 decimals
  std::string rule;              // the subject rule that matched
  std::string tie_rule;          // set when several outcomes scored alike and the nearest value won
};

struct UnmatchedPlan {
  size_t org = 0;
  PanelRef planned;
  // no_digest (no digest of that year given), no_row, no_subject (the plan has none: it
  // can link to nothing), generic_subject (its subject is a bare generic head: 资金),
  // no_matching_outcome
  std::string reason;
};

struct SecretaryChange {
  size_t org = 0;
  size_t from_row = 0, to_row = 0;  // into Panel::rows
  std::string rule;
};

struct Panel {
  std::vector<PanelDigest> digests;
  std::vector<PanelOrg> orgs;
  std::vector<PanelRow> rows;  // by region, organisation key, year
  std::vector<PanelLink> links;
  std::vector<UnmatchedPlan> unmatched_plans;
  std::vector<SecretaryChange> secretary_changes;
  std::vector<std::string> warnings;  // for stderr
};

Panel build_panel(std::vector<PanelDigest> digests, const PanelRules& rules);

// ---------------------------------------------------------------- comparing (panel_match.cpp)

// Width folded, traditional -> simplified, ignore_chars dropped.
std::u32string panel_normal(std::string_view utf8, const PanelRules& rules);
// The key an organisation is compared by within its region (PanelRules: region prefix,
// full names), after panel_normal.
std::u32string org_key(std::string_view organization, std::string_view region, const PanelRules& rules);
// The subject rule that relates two subjects (nullptr: none), with its score.
const SubjectRule* match_subjects(std::u32string_view planned, std::u32string_view achieved,
                                  const PanelRules& rules);
// The shorter spelling's share of the longer when it runs through it in order and
// both start and end alike; 0 otherwise.
double variant_ratio(std::u32string_view a, std::u32string_view b, const PanelRules& rules);
// Two spellings of one organisation by their letters alone (variant_ratio >= min_ratio)?
bool variant_spellings(std::u32string_view a, std::u32string_view b, const PanelRules& rules);
// The place a spelling (normal form) names: up to its first administrative-division
// suffix and any run of them right after (新村镇党委: 新村镇); empty without one.
std::u32string_view place_of(std::u32string_view key, const std::vector<std::u32string>& suffixes);
// A subject (normal form) that is only a generic head (资金, 经费)?
bool generic_subject(std::u32string_view subject, const PanelRules& rules);
// A name without its spaces (陈　光 -> 陈光), as rows and changes give it.
std::string without_spaces(std::string_view utf8);
// Dice coefficient of the two strings' characters (as multisets).
double shared_chars(std::u32string_view a, std::u32string_view b);

// ---------------------------------------------------------------- output (panel_output.cpp)

struct PanelOutputOptions {
  bool pretty = false;
  bool explain = false;
};

void write_panel_json(std::string& out, const Panel& p, const PanelOutputOptions& o);
void write_panel_jsonl(std::string& out, const Panel& p, const PanelOutputOptions& o);
void write_panel_rows_csv(std::string& out, const Panel& p);
void write_panel_links_csv(std::string& out, const Panel& p);

// The review page's panel view (render): charts, links table, secretary timeline.
void write_panel_view(std::string& out, const Panel& p);

}  // namespace digestx
