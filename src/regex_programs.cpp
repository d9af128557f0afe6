#include "regex_programs.hpp"

namespace digestx {

namespace {

const generated::CompiledPattern* find_compiled(std::string_view source) {
  size_t lo = 0, hi = generated::kCompiledPatternCount;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const generated::CompiledPattern& p = generated::kCompiledPatterns[mid];
    std::string_view s(generated::kPatternSources + p.source_at, p.source_len);
    if (s == source) return &p;
    if (s < source) lo = mid + 1;
    else hi = mid;
  }
  return nullptr;
}

rx::Set set_of(uint32_t k) {
  const generated::ProgramSet& w = generated::kProgramSets[k];
  rx::Set s;
  s.space = w.space, s.not_space = w.not_space, s.digit = w.digit, s.not_digit = w.not_digit;
  s.line_end = w.line_end, s.negated = w.negated;
  s.ranges.reserve(w.range_count);
  for (uint32_t r = w.ranges_at; r < w.ranges_at + w.range_count; ++r)
    s.ranges.emplace_back(generated::kProgramRanges[r][0], generated::kProgramRanges[r][1]);
  return s;
}

}  // namespace

std::optional<std::shared_ptr<const rx::Program>> built_in_program(std::string_view source) {
  const generated::CompiledPattern* p = find_compiled(source);
  if (!p) return std::nullopt;
  if (!p->own) return std::shared_ptr<const rx::Program>();
  auto program = std::make_shared<rx::Program>();
  program->code.assign(generated::kProgramCode + p->code_at, generated::kProgramCode + p->code_at + p->code_count);
  program->sets.reserve(p->set_count);
  for (uint32_t k = p->sets_at; k < p->sets_at + p->set_count; ++k) program->sets.push_back(set_of(k));
  program->groups = p->groups;
  program->anchored = p->anchored;
  if (p->first >= 0) program->first = set_of(uint32_t(p->first));
  return std::shared_ptr<const rx::Program>(std::move(program));
}

}  // namespace digestx
