// Fuzz entry points for the command line's own input and output code (src/cli):
// the records reader, the folder walk and the planning of output names. Shared by the
// libFuzzer targets (fuzz/{records,walk,outputs}_fuzz.cpp) and by the regression test
// that replays tests/fuzz-corpus/ in every build.
#pragma once

#include <string_view>

namespace digestx::fuzz {

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
