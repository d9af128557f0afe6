// Build-time generator of the prefilters of the built-in rules' regular expressions
// (src/regex_prefilter.hpp): for every pattern of rules/*.json (a string under a key
// ending in "regex") and for the alternation of all page-furniture patterns that the
// loader builds, first_chars of its matching view and required_chars of its text, by
// the very functions the loader would call at every start.
//   usage: regex_prefilter_gen OUTPUT.cpp FILE.json...
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "digestx/regex_first.hpp"
#include "digestx/utf.hpp"
#include "digestx/view.hpp"
#include "gen/gen_common.hpp"
#include "gen/rule_patterns.hpp"

namespace {

struct Tables {
  std::vector<std::pair<char32_t, char32_t>> ranges;
  std::vector<std::string> sets;  // initialisers of PrefilterSet
  size_t add(const digestx::FirstChars& f) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "{%s, %s, %s, %zu, %zu}", f.any ? "true" : "false", f.space ? "true" : "false",
                  f.digit ? "true" : "false", ranges.size(), f.ranges.size());
    ranges.insert(ranges.end(), f.ranges.begin(), f.ranges.end());
    sets.push_back(buf);
    return sets.size() - 1;
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<digestx::gen::InputFile> inputs =
      digestx::gen::read_inputs(argc, argv, 2, "regex_prefilter_gen OUTPUT.cpp FILE.json...");
  if (inputs.empty()) return 2;
  std::optional<std::set<std::string>> unique = digestx::gen::distinct_patterns(inputs, "regex_prefilter_gen");
  if (!unique) return 2;
  std::FILE* out = digestx::gen::open_output(argv[1], "regex_prefilter_gen.cpp", "rules/*.json");
  if (!out) return 2;
  std::fprintf(out, "#include \"regex_prefilter.hpp\"\n\nnamespace digestx::generated {\n\n");
  // The sets and ranges in the order of the entries, written after them.
  Tables w;
  std::fprintf(out, "extern const Prefilter kPrefilters[] = {\n");
  for (const std::string& source : *unique) {
    std::u32string text = digestx::from_utf8(source);
    size_t first = w.add(digestx::first_chars(digestx::fold(text)));
    std::vector<digestx::FirstChars> needs = digestx::required_chars(text);
    size_t needs_at = w.sets.size();
    for (const digestx::FirstChars& f : needs) w.add(f);
    std::fprintf(out, "    {");
    digestx::gen::write_literal(out, source);
    std::fprintf(out, ", %zu, %zu, %zu, %zu},\n", source.size(), first, needs_at, needs.size());
  }
  std::fprintf(out, "    {\"\", 0, 0, 0, 0}};\nextern const size_t kPrefilterCount = %zu;\n\n", unique->size());
  std::fprintf(out, "extern const PrefilterSet kPrefilterSets[] = {\n");
  for (const std::string& s : w.sets) std::fprintf(out, "    %s,\n", s.c_str());
  std::fprintf(out, "    {true, false, false, 0, 0}};\n\nextern const char32_t kPrefilterRanges[][2] = {\n");
  for (const auto& [lo, hi] : w.ranges) std::fprintf(out, "    {0x%X, 0x%X},\n", unsigned(lo), unsigned(hi));
  std::fprintf(out, "    {0, 0}};\n\n}  // namespace digestx::generated\n");
  return digestx::gen::close_output(out);
}
