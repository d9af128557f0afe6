// digestx's own matcher of the rules' regular expressions: ICU's syntax and meaning
// for the part of it the rules use, run on the pipeline's UTF-32 text.
//
// Why not ICU's engine for these: compiling a first pattern sets up ICU's shared regex
// data (the sets behind \w, \s and grapheme clusters), 7.5 M of the 11.6 M instructions
// of a run on one sample digest, and every pattern then compiles for about 0.2 M more;
// each run also copies the text to UTF-16 and its offsets back. A pattern outside this
// part (flags, \w, \b, \p{…} but Han, back references, set operations, a loop whose
// body may match nothing) is not compiled here: LazyRegex runs it on ICU as before.
// tests/regex_engine_test.cpp holds both engines to the same answers on every built-in
// pattern and a table of others.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace digestx::rx {

struct Program;

enum class Outcome { hit, miss, out_of_steps };

// search: the first match from the text's start (ICU find()); whole: a match of all
// the text (matches()); prefix: a match that starts at the text's start (lookingAt()).
enum class Anchor { search, whole, prefix };

// Where each capture group matched, in characters of the text; -1 where it did not.
struct Groups {
  std::vector<int32_t> at;  // start, end of group 0, then of group 1, …
  int32_t start(size_t g) const { return 2 * g < at.size() ? at[2 * g] : -1; }
  int32_t end(size_t g) const { return 2 * g + 1 < at.size() ? at[2 * g + 1] : -1; }
};

// The pattern compiled, or nullptr where it holds what this engine does not take.
std::shared_ptr<const Program> compile(std::u32string_view pattern);

// Runs `program` on `text`. Past `max_steps` steps of its backtracking the answer is
// out_of_steps, and past a bound on its stack of choices (a catastrophic pattern on a
// long line) a miss, as ICU's engine gives at its own limits.
Outcome run(const Program& program, std::u32string_view text, Anchor anchor, uint64_t max_steps, Groups* groups);

// ICU's \s, \d and a line's end (what . does not match), exactly.
bool is_space(char32_t c);
bool is_digit(char32_t c);
bool is_line_end(char32_t c);

}  // namespace digestx::rx
