#include <algorithm>
#include <optional>

#include "commands.hpp"
#include "digestx/decode.hpp"
#include "digestx/output.hpp"
#include "digestx/pipeline.hpp"
#include "digestx/rules.hpp"
#include "digestx/utf.hpp"
#include "color.hpp"
#include "io.hpp"

namespace digestx::cli {

namespace {

constexpr size_t kMaxLeftOutMessages = 100;

}  // namespace

int run_numbers(Options o, std::shared_ptr<const Rules> rules) {
  std::string input = o.inputs.empty() ? "-" : o.inputs[0];
  const std::string& encoding = o.encoding;
  bool explain = o.explain;
  size_t max_bytes = o.max_bytes;
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
  std::optional<JsonColor> color;
  if (use_color(o.color, sink.is_terminal())) color.emplace();
  auto put = [&](const std::string& data) {
    if (color) sink.write(color->paint(data));
    else sink.write(data);
  };
  OutputOptions oo;
  oo.explain = explain;
  size_t found = 0, line_number = 0, left_out = 0;
  size_t more_left_out = 0, more_withheld = 0;  // past kMaxLeftOutMessages: figures lost, subjects withheld
  std::string out;
  for_each_line(text, [&](std::u32string_view text_line) {
    LineAnalysis line = analyse_line(std::u32string(text_line), *rules, explain);
    ++line_number;
    found += line.numerals.size();
    // A figure too large (or too small) to represent, or whose digits are damaged
    // (2,3000名), is missing from the line's numbers: say where, and why, for the first
    // kMaxLeftOutMessages of them.
    for (const Refusal& r : line.left_out) {
      NumberRules::LeftOutReason why = left_out_reason(*rules, r.rule);
      if (++left_out > kMaxLeftOutMessages) ++(why.kept ? more_withheld : more_left_out);
      if (left_out > kMaxLeftOutMessages || o.quiet) continue;  // -q: errors only, as extract
      Span s = r.span;
      complain(input + ": line " + std::to_string(line_number) + ", characters [" + std::to_string(s.start) + ", " +
               std::to_string(s.end) + "): " + why.code + ": " + why.message);
    }
    write_line(out, line, oo);
    out += '\n';
    if (out.size() > (1 << 16)) {
      put(out);
      out.clear();
    }
  });
  put(out);
  sink.commit();
  // A figure of a list kept, its subject withheld (subject_unpaired), is no figure left out.
  if (more_left_out > 0 && !o.quiet)
    complain(input + ": " + std::to_string(more_left_out) + " more figures left out (unrepresentable or damaged)");
  if (more_withheld > 0 && !o.quiet)
    complain(input + ": " + std::to_string(more_withheld) + " more figures kept with their subject withheld (subject_unpaired)");
  return found > 0 ? 0 : 1;
}

}  // namespace digestx::cli
