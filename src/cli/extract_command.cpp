#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>

#include "commands.hpp"
#include "digestx/output.hpp"
#include "digestx/pipeline.hpp"
#include "digestx/rules.hpp"
#include "io.hpp"

namespace digestx::cli {

namespace {

struct ExtractArgs {
  std::vector<std::string> inputs;
  std::string format = "json";
  bool pretty = false, compact = false, explain = false;
  std::string output, rules_dir, encoding;
  std::optional<int> year;
  size_t max_bytes = kDefaultMaxBytes;
};

std::shared_ptr<const Rules> load_rules(const std::string& dir) {
  return dir.empty() ? default_rules() : load_rules_dir(dir);
}

}  // namespace

int run_extract(std::vector<std::string> args, const char* usage) {
  CLI::App app{"Extract documents: units, sentences with their periods, and numeric facts."};
  app.footer(usage);
  ExtractArgs a;
  app.add_option("inputs", a.inputs, "Digest files; - reads stdin")->required();
  app.add_option("--format", a.format, "json (pretty on a terminal, compact otherwise) or jsonl")
      ->check(CLI::IsMember({"json", "jsonl"}));
  app.add_flag("--pretty", a.pretty, "Indent the JSON whatever stdout is");
  app.add_flag("--compact", a.compact, "One line of JSON whatever stdout is");
  app.add_option("-o,--output", a.output, "Write to FILE (atomically) instead of stdout");
  app.add_option("--rules", a.rules_dir, "Directory of rules/*.json that replace the built-in ones of the same name");
  app.add_option("--year", a.year, "Report year, when the digest does not state it (overrides the text)")
      ->check(CLI::Range(1900, 2100));
  app.add_option("--encoding", a.encoding, "Input encoding (e.g. GB18030); default: detect");
  app.add_flag("--explain", a.explain, "Name the rule behind each unit, period and fact");
  app.add_option("--max-bytes", a.max_bytes, "Refuse inputs larger than this many bytes (default 256 MiB)");
  app.set_version_flag("-V,--version", std::string("digestx ") + DIGESTX_VERSION);
  std::reverse(args.begin(), args.end());
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  std::shared_ptr<const Rules> rules;
  try {
    rules = load_rules(a.rules_dir);
  } catch (const RulesError& e) {
    complain(std::string("rules: ") + e.what());
    return 2;
  }

  Sink sink(a.output);
  OutputOptions oo;
  oo.explain = a.explain;
  oo.pretty = a.pretty || (!a.compact && a.format == "json" && sink.is_terminal());
  ExtractOptions eo;
  eo.decode.encoding = a.encoding;
  eo.year = a.year;

  bool several = a.inputs.size() > 1;
  bool any_error = false;
  size_t facts = 0;
  std::string out;
  if (several && a.format == "json") out += oo.pretty ? "[\n" : "[";
  for (size_t i = 0; i < a.inputs.size(); ++i) {
    const std::string& path = a.inputs[i];
    SourceInfo source;
    source.path = path;
    std::string record;
    try {
      std::string bytes = read_input(path, a.max_bytes);
      source.bytes = bytes.size();
      Document doc = extract(bytes, source, *rules, eo);
      facts += count_facts(doc);
      write_document(record, doc, oo);
    } catch (const InputError& e) {
      any_error = true;
      complain(path + ": " + e.what());
      if (!several) continue;
      write_error(record, source, e.code(), e.what(), oo);
    }
    if (several && a.format == "json" && i > 0) out += oo.pretty ? ",\n" : ",";
    out += record;
    if (a.format == "jsonl" || !several) out += '\n';
    sink.write(out);
    out.clear();
  }
  if (several && a.format == "json") out += oo.pretty ? "\n]\n" : "]\n";
  sink.write(out);
  sink.commit();
  if (any_error) return 2;
  return facts > 0 ? 0 : 1;
}

}  // namespace digestx::cli
