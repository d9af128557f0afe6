// rules/panel.json: the thresholds and names of the panel's matching rules. Loaded by
// `digestx panel` (and render) only; the extraction pipeline does not read it.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "digestx/panel.hpp"
#include "digestx/rules.hpp"
#include "digestx/utf.hpp"
#include "digestx/view.hpp"

namespace digestx {

namespace {

using json = nlohmann::json;

// A value of the rules file with its JSON pointer, for messages that say where.
struct At {
  const json& v;
  const std::string& file;
  std::string pointer;

  [[noreturn]] void fail(const std::string& message) const { throw RulesError(file, pointer, message); }
  At at(const std::string& key) const {
    if (!v.is_object()) fail("must be an object");
    auto it = v.find(key);
    if (it == v.end()) fail("missing key \"" + key + "\"");
    return At{*it, file, pointer + "/" + key};
  }
  bool has(const std::string& key) const { return v.is_object() && v.contains(key); }
  At item(size_t i) const { return At{v[i], file, pointer + "/" + std::to_string(i)}; }
  std::string text() const {
    if (!v.is_string() || v.get<std::string>().empty()) fail("must be a non-empty string");
    return v.get<std::string>();
  }
  double number(double low, double high) const {
    if (!v.is_number() || v.get<double>() < low || v.get<double>() > high)
      fail("must be a number from " + std::to_string(low) + " to " + std::to_string(high));
    return v.get<double>();
  }
  size_t count() const { return size_t(number(1, 64)); }
  size_t size() const {
    if (!v.is_array() || v.empty()) fail("must be a non-empty array");
    return v.size();
  }
};

SubjectRule::Method method_of(const At& a) {
  std::string m = a.text();
  if (m == "equal") return SubjectRule::Method::equal;
  if (m == "contained") return SubjectRule::Method::contained;
  if (m == "head_noun") return SubjectRule::Method::head_noun;
  if (m == "shared_chars") return SubjectRule::Method::shared_chars;
  a.fail("method must be equal, contained, head_noun or shared_chars");
}

SubjectRule subject_rule(const At& a) {
  SubjectRule r;
  r.name = a.at("name").text();
  r.method = method_of(a.at("method"));
  r.score = a.at("score").number(0, 1);
  if (a.has("min_chars")) r.min_chars = a.at("min_chars").count();
  if (r.method == SubjectRule::Method::head_noun) r.head_chars = a.at("head_chars").count();
  if (r.method == SubjectRule::Method::head_noun || r.method == SubjectRule::Method::shared_chars)
    r.min_shared = a.at("min_shared").number(0, 1);
  return r;
}

std::vector<std::string> strings(const At& a) {
  std::vector<std::string> out;
  if (!a.v.is_array()) a.fail("must be an array");
  for (size_t i = 0; i < a.v.size(); ++i) out.push_back(a.item(i).text());
  return out;
}

// Folded strings, longest first (街道 before 道, when both are listed).
std::vector<std::u32string> folded_longest_first(const At& a) {
  std::vector<std::u32string> out;
  for (const std::string& t : strings(a)) out.push_back(fold(from_utf8(t)));
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.size() > y.size(); });
  return out;
}

}  // namespace

PanelRules parse_panel_rules(const std::string& text, const std::string& file) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    throw RulesError(file, "", std::string("malformed JSON: ") + e.what());
  }
  At root{doc, file, ""};
  PanelRules r;
  r.ignore_chars = fold(from_utf8(root.at("ignore_chars").text()));
  At org = root.at("organization");
  r.same_spelling_rule = org.at("same").at("name").text();
  At variant = org.at("variant");
  r.variant_rule = variant.at("name").text();
  r.variant_min_ratio = variant.at("min_ratio").number(0, 1);
  r.variant_min_chars = variant.at("min_chars").count();
  r.variant_same_suffix = variant.at("same_suffix_chars").count();
  if (variant.has("place_suffixes")) r.place_suffixes = folded_longest_first(variant.at("place_suffixes"));
  At evidence = org.at("variant_by_plans");
  r.evidence_rule = evidence.at("name").text();
  r.evidence_min_ratio = evidence.at("min_ratio").number(0, 1);
  r.evidence_min_plans = evidence.at("min_plans").count();
  if (org.has("renamed")) {
    At renamed = org.at("renamed");
    r.renamed_rule = renamed.at("name").text();
    At groups = renamed.at("groups");
    for (size_t i = 0, n = groups.size(); i < n; ++i) {
      std::vector<std::u32string> names;
      for (const std::string& t : strings(groups.item(i))) names.push_back(panel_normal(t, r));
      // Longest first: 卫生和计划生育委员会 is replaced whole, not its 卫生 part.
      std::stable_sort(names.begin() + 1, names.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
      r.renamed_groups.push_back(std::move(names));
    }
  }
  if (org.has("upgraded")) {
    At upgraded = org.at("upgraded");
    r.upgraded_rule = upgraded.at("name").text();
    At levels = upgraded.at("levels");
    for (size_t i = 0, n = levels.size(); i < n; ++i)
      r.upgrades.emplace_back(panel_normal(levels.item(i).item(0).text(), r), panel_normal(levels.item(i).item(1).text(), r));
  }
  if (org.has("region_prefix")) {
    r.region_prefix_rule = org.at("region_prefix").at("name").text();
    if (org.at("region_prefix").has("places_below"))
      r.places_below_region = folded_longest_first(org.at("region_prefix").at("places_below"));
  }
  if (org.has("full_name")) {
    At full = org.at("full_name");
    r.full_name_rule = full.at("name").text();
    r.full_name_prefix = fold(from_utf8(full.at("prefix").text()));
    At endings = full.at("endings");
    for (size_t i = 0, n = endings.size(); i < n; ++i)
      r.full_name_endings.emplace_back(fold(from_utf8(endings.item(i).item(0).text())), fold(from_utf8(endings.item(i).item(1).text())));
  }
  r.same_name_rule = root.at("name").at("name").text();
  if (root.at("name").has("change")) r.change_rule = root.at("name").at("change").at("name").text();
  At subjects = root.at("subjects");
  for (size_t i = 0, n = subjects.size(); i < n; ++i) r.subject_rules.push_back(subject_rule(subjects.item(i)));
  if (root.has("generic_subjects")) {
    At generic = root.at("generic_subjects");
    r.generic_subject_rule = generic.at("name").text();
    for (const std::string& t : strings(generic.at("heads"))) r.generic_subjects.push_back(fold(from_utf8(t)));
    r.generic_context_chars = generic.at("context_chars").count();
    r.generic_rule.name = r.generic_subject_rule;
    r.generic_rule.score = generic.at("score").number(0, 1);
  }
  At links = root.at("links");
  r.linkable_kinds = strings(links.at("kinds"));
  r.unlinkable_aspects = strings(links.at("unlinkable_aspects"));
  if (links.has("unlinkable_statuses")) r.unlinkable_statuses = strings(links.at("unlinkable_statuses"));
  r.tie_rule = links.at("tie").at("name").text();
  return r;
}

PanelRules load_panel_rules(const std::string& rules_dir) {
  if (!rules_dir.empty()) {
    std::filesystem::path path = std::filesystem::path(rules_dir) / "panel.json";
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) {
      std::ifstream in(path, std::ios::binary);
      if (!in) throw RulesError(path.string(), "", "cannot be read");
      std::stringstream ss;
      ss << in.rdbuf();
      return parse_panel_rules(ss.str(), path.string());
    }
  }
  for (const RulesFile& f : embedded_rules_files())
    if (f.name == "panel.json") return parse_panel_rules(f.text, f.name);
  throw RulesError("panel.json", "", "missing rules file");
}

}  // namespace digestx
