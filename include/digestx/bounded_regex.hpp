// Rules' regular expressions (ICU) on the pipeline's UTF-32 text, each run under a
// time limit: a pattern that backtracks catastrophically (--rules with "(\\d+)+x" on
// a long line) must not hang the run.
#pragma once

#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <string_view>

namespace digestx {

inline icu::UnicodeString unicode_of(std::u32string_view s) {
  return icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(s.data()), int32_t(s.size()));
}

enum class RegexRun { hit, miss, timed_out };

// ICU counts the limit in steps of its engine (roughly milliseconds); a plain pattern
// takes about one step per ten thousand characters, so the limit grows with the text.
constexpr int32_t kRegexBaseSteps = 300;

// Runs `m` on the input it holds: a match of the whole input (`whole`) or a search
// from its start. What to do about a run out of time is the caller's (drop the rule
// for the document, warn once).
inline RegexRun run_bounded(icu::RegexMatcher& m, bool whole) {
  UErrorCode status = U_ZERO_ERROR;
  m.setTimeLimit(kRegexBaseSteps + m.input().length() / 100, status);
  bool hit = whole ? m.matches(status) : m.find(0, status);
  if (status == U_REGEX_TIME_OUT) return RegexRun::timed_out;
  return hit && U_SUCCESS(status) ? RegexRun::hit : RegexRun::miss;
}

}  // namespace digestx
