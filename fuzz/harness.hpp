// The fuzz entry points, shared by the libFuzzer targets (fuzz/*_fuzz.cpp, built with
// -DDIGESTX_FUZZ=ON) and by the regression test that replays tests/fuzz-corpus/ in
// every build. Each runs one input the way the command line does and aborts, naming
// the broken promise, when the result is not what it claims to be. The pipeline's
// entry points are in harness.cpp; those of the command line's own input and output
// code (src/cli: the records reader, the folder walk, the planning of output names)
// in cli_harness.cpp.
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

// `--input jsonl`: the first byte sets --max-bytes (1 + 4 x its value), the rest is a
// stream of lines read by LineReader, each line that fits parsed by parse_record.
// Lines must be exactly the input's lines (\r\n and \n ends), over-long ones flagged
// and nothing else; a record must agree with a full JSON parser (nlohmann's DOM): the
// same text and id, refused exactly when the line is not an object with one string
// "text" (or when it has a duplicate "id" or "text").
void run_records(std::string_view bytes);

// The folder walk: the bytes are a script that builds a small tree in a fresh
// temporary folder (files, hidden files, folders, links to folders and to files,
// links up the tree), then collect_inputs walks it. Every input must be a regular
// *.txt file below the root reached without a link to a folder, listed once, in
// path order, with out_name its relative path without extension; the output plan
// gives no name twice.
void run_walk(std::string_view bytes);

// Output names: the bytes are out_names, one a line (any bytes but NUL), planned with
// plan_outputs. No name (document or error record) goes to two inputs, none climbs
// out of the folder (no "..", ".", empty or absolute part), the temporary of each
// fits in 255 bytes, and writing the first few through OutputDir into a fresh
// folder leaves nothing outside it.
void run_outputs(std::string_view bytes);

}  // namespace digestx::fuzz
