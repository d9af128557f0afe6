#include <CLI/CLI.hpp>

#include <algorithm>

#include "commands.hpp"
#include "digestx/decode.hpp"
#include "digestx/output.hpp"
#include "digestx/pipeline.hpp"
#include "digestx/rules.hpp"
#include "digestx/utf.hpp"
#include "io.hpp"

namespace digestx::cli {

namespace {

constexpr size_t kMaxLeftOutMessages = 100;

}  // namespace

int run_numbers(std::vector<std::string> args) {
  CLI::App app{"Numerals and facts of every input line, each line on its own: one JSON object per line."};
  app.name("digestx numbers");
  std::string input = "-", rules_dir, encoding;
  bool explain = false;
  size_t max_bytes = kDefaultMaxBytes;
  app.add_option("input", input, "A text file; - (default) reads stdin");
  app.add_option("--rules", rules_dir, "Directory of rules/*.json that replace the built-in ones");
  app.add_option("--encoding", encoding, "Input encoding; default: detect");
  app.add_flag("--explain", explain, "Name the rules behind each numeral and fact");
  app.add_option("--max-bytes", max_bytes, "Refuse inputs larger than this many bytes");
  std::reverse(args.begin(), args.end());
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  std::shared_ptr<const Rules> rules;
  try {
    rules = rules_dir.empty() ? default_rules() : load_rules_dir(rules_dir);
  } catch (const RulesError& e) {
    complain(std::string("rules: ") + e.what());
    return 2;
  }
  std::u32string text;
  try {
    std::string bytes = read_input(input, max_bytes);
    if (!bytes.empty()) {
      DecodeOptions d;
      d.encoding = encoding;
      text = decode(bytes, d).text;
    }
  } catch (const InputError& e) {
    // Blank input has no lines and so no numbers; anything else is an error.
    if (e.code() != "empty") {
      complain(input + ": " + e.what());
      return 2;
    }
  }
  if (text.size() > kMaxChars) {  // before any output: never half a stream
    complain(input + ": holds more than " + std::to_string(kMaxChars) + " characters, more than spans can index");
    return 2;
  }
  Sink sink("");
  OutputOptions oo;
  oo.explain = explain;
  size_t found = 0, line_number = 0, left_out = 0;
  std::string out;
  for_each_line(text, [&](std::u32string_view text_line) {
    LineAnalysis line = analyse_line(std::u32string(text_line), *rules, explain);
    ++line_number;
    found += line.numerals.size();
    // A figure too large (or too small) to represent is missing from the line's
    // numbers: say where, for the first kMaxLeftOutMessages of them.
    for (Span s : line.unrepresentable)
      if (++left_out <= kMaxLeftOutMessages)
        complain(input + ": line " + std::to_string(line_number) + ", characters [" + std::to_string(s.start) + ", " +
                 std::to_string(s.end) + "): figure_unrepresentable: left out, its value cannot be represented exactly");
    write_line(out, line, oo);
    out += '\n';
    if (out.size() > (1 << 16)) {
      sink.write(out);
      out.clear();
    }
  });
  sink.write(out);
  sink.commit();
  if (left_out > kMaxLeftOutMessages)
    complain(input + ": " + std::to_string(left_out - kMaxLeftOutMessages) + " more figures left out for the same reason");
  return found > 0 ? 0 : 1;
}

}  // namespace digestx::cli
