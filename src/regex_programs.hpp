// The built-in rules' regular expressions compiled for digestx's matcher at build time
// (src/gen/regex_program_gen.cpp, by the very rx::compile the loader calls): compiling
// the three patterns a small digest reaches (the report year's, the region's) was 0.24 M
// of the 3.3 M instructions of a run on samples/haibin-2022-hant.txt, at every start.
// Looked up by the pattern's source text, as the prefilters are (regex_prefilter.hpp):
// a pattern that is not in the table (one of --rules) is compiled at run time as before.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "regex_program.hpp"

namespace digestx {

namespace generated {

struct ProgramSet {  // one rx::Set
  bool space, not_space, digit, not_digit, line_end, negated;
  uint32_t ranges_at, range_count;  // into kProgramRanges
};

struct CompiledPattern {
  uint32_t source_at, source_len;  // the pattern as the rules file writes it (UTF-8), in kPatternSources
  bool own;                        // false: the matcher does not take it (it runs on ICU)
  uint32_t code_at, code_count;    // Program::code: kProgramCode[code_at…]
  uint32_t sets_at, set_count;     // Program::sets: kProgramSets[sets_at…]
  uint32_t groups;
  bool anchored;
  int32_t first;                   // Program::first: a kProgramSets index, -1 for none
};

extern const rx::Inst kProgramCode[];
extern const ProgramSet kProgramSets[];
extern const char32_t kProgramRanges[][2];
extern const CompiledPattern kCompiledPatterns[];  // sorted by source, bytewise
extern const char kPatternSources[];
extern const size_t kCompiledPatternCount;

}  // namespace generated

// The program of a built-in pattern, written at build time: nullopt when `source` is not
// in the table (compile it), else what rx::compile gives for it (null where the matcher
// does not take it).
std::optional<std::shared_ptr<const rx::Program>> built_in_program(std::string_view source);

}  // namespace digestx
