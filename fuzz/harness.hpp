// The fuzz entry points, shared by the libFuzzer targets (fuzz/*_fuzz.cpp, built with
// -DDIGESTX_FUZZ=ON) and by the regression test that replays tests/fuzz-corpus/ in
// every build. Each runs one input the way the command line does and aborts, naming
// the broken promise, when the result is not what it claims to be.
#pragma once

#include <string_view>

namespace digestx::fuzz {

// `digestx extract`: bytes -> decode -> document -> JSON (compact, pretty with
// --explain), CSV rows and the review page. An InputError is a fine answer; any
// other exception, a span outside the text, a fact whose text is not the source
// slice or JSON that does not parse is a failure.
void run_pipeline(std::string_view bytes);

// `digestx numbers`: every line on its own -> numerals and facts -> JSON lines.
// Numerals must lie inside their line, in order and not overlapping; a range's low
// end is not above its high end.
void run_numbers(std::string_view bytes);

// A rules file (`--rules DIR`): the first byte picks which of the built-in files is
// replaced (its index among them sorted by name, modulo their number), the rest is its
// text. Refused rules (RulesError) are a fine answer; rules that are accepted must
// then run a digest and its lines through the pipeline with no crash and no broken
// promise.
void run_rules(std::string_view bytes);

}  // namespace digestx::fuzz
