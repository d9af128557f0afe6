// Build-time generator of the built-in rules' regular expressions compiled for
// digestx's matcher (src/regex_programs.hpp): for every pattern of rules/*.json (a string
// under a key ending in "regex", as the prefilters' generator reads them), the program
// rx::compile makes of it with \p{Han} written out (with_han_ranges), exactly as
// LazyRegex compiles it on first use, written as constant data.
//   usage: regex_program_gen OUTPUT.cpp FILE.json...
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "digestx/regex_engine.hpp"
#include "digestx/utf.hpp"
#include "gen/gen_common.hpp"
#include "gen/rule_patterns.hpp"
#include "regex_han.hpp"
#include "regex_program.hpp"

namespace {

struct Tables {
  std::vector<std::string> code;  // initialisers of rx::Inst
  std::vector<std::string> sets;  // initialisers of ProgramSet
  std::vector<std::pair<char32_t, char32_t>> ranges;

  std::map<std::vector<std::pair<char32_t, char32_t>>, size_t> ranges_at;  // each list written once
  std::string sources;  // every pattern's source, end to end

  // Sets of the same ranges share them: \p{Han}, written out, is 100 ranges in every
  // pattern that holds it.
  size_t add(const digestx::rx::Set& s) {
    auto [it, added] = ranges_at.emplace(s.ranges, ranges.size());
    if (added) ranges.insert(ranges.end(), s.ranges.begin(), s.ranges.end());
    char buf[128];
    auto b = [](bool v) { return v ? "true" : "false"; };
    std::snprintf(buf, sizeof buf, "{%s, %s, %s, %s, %s, %s, %zu, %zu}", b(s.space), b(s.not_space), b(s.digit),
                  b(s.not_digit), b(s.line_end), b(s.negated), it->second, s.ranges.size());
    sets.push_back(buf);
    return sets.size() - 1;
  }
  void add(const digestx::rx::Inst& i) {
    char buf[160];
    auto b = [](bool v) { return v ? "true" : "false"; };
    std::snprintf(buf, sizeof buf, "{rx::Inst::Op(%u), %s, %s, %s, 0x%X, %u, %u, %u}", unsigned(i.op), b(i.flag),
                  b(i.behind), b(i.saves), unsigned(i.c), unsigned(i.x), unsigned(i.y), unsigned(i.z));
    code.push_back(buf);
  }
};

// The entry of one pattern, its program's code and sets added to `w`.
std::string entry(const std::string& source, Tables& w) {
  std::shared_ptr<const digestx::rx::Program> p =
      digestx::rx::compile(digestx::from_utf8(digestx::with_han_ranges(source)));
  size_t code_at = w.code.size(), sets_at = w.sets.size();
  long first = -1;
  if (p) {
    for (const digestx::rx::Inst& i : p->code) w.add(i);
    for (const digestx::rx::Set& s : p->sets) w.add(s);
    if (p->first) first = long(w.add(*p->first));
  }
  char buf[160];
  std::snprintf(buf, sizeof buf, ", %s, %zu, %zu, %zu, %zu, %zu, %s, %ld},\n", p ? "true" : "false", code_at,
                p ? p->code.size() : 0, sets_at, p ? p->sets.size() : 0, p ? p->groups : 0,
                p && p->anchored ? "true" : "false", first);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<digestx::gen::InputFile> inputs =
      digestx::gen::read_inputs(argc, argv, 2, "regex_program_gen OUTPUT.cpp FILE.json...");
  if (inputs.empty()) return 2;
  std::optional<std::set<std::string>> unique = digestx::gen::distinct_patterns(inputs, "regex_program_gen");
  if (!unique) return 2;
  std::FILE* out = digestx::gen::open_output(argv[1], "regex_program_gen.cpp", "rules/*.json");
  if (!out) return 2;
  std::fprintf(out, "#include \"regex_programs.hpp\"\n\nnamespace digestx::generated {\n\n");
  Tables w;
  std::fprintf(out, "extern const CompiledPattern kCompiledPatterns[] = {\n");
  for (const std::string& source : *unique) {
    std::string tail = entry(source, w);
    std::fprintf(out, "    {%zu, %zu%s", w.sources.size(), source.size(), tail.c_str());
    w.sources += source;
  }
  std::fprintf(out, "    {0, 0, false, 0, 0, 0, 0, 0, false, -1}};\n");
  // The sources as one string, found by offset: a pointer each would be relocated, a
  // page written, at every start.
  std::fprintf(out, "extern const char kPatternSources[] =\n    ");
  digestx::gen::write_literal(out, w.sources, 64);
  std::fprintf(out, ";\n");
  std::fprintf(out, "extern const size_t kCompiledPatternCount = %zu;\n\n", unique->size());
  std::fprintf(out, "extern const rx::Inst kProgramCode[] = {\n");
  for (const std::string& i : w.code) std::fprintf(out, "    %s,\n", i.c_str());
  std::fprintf(out, "    {rx::Inst::kMatch, false, false, false, 0, 0, 0, 0}};\n\n");
  std::fprintf(out, "extern const ProgramSet kProgramSets[] = {\n");
  for (const std::string& s : w.sets) std::fprintf(out, "    %s,\n", s.c_str());
  std::fprintf(out, "    {false, false, false, false, false, false, 0, 0}};\n\n");
  std::fprintf(out, "extern const char32_t kProgramRanges[][2] = {\n");
  for (const auto& [lo, hi] : w.ranges) std::fprintf(out, "    {0x%X, 0x%X},\n", unsigned(lo), unsigned(hi));
  std::fprintf(out, "    {0, 0}};\n\n}  // namespace digestx::generated\n");
  return digestx::gen::close_output(out);
}
