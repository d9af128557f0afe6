#include "options.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iostream>
#include <stdexcept>
#include <string_view>

#include "io.hpp"

namespace digestx::cli {

namespace {

constexpr unsigned kFiles = kExtract | kRender | kPanel;  // commands that read whole documents
constexpr unsigned kAll = kExtract | kNumbers | kRender | kPanel;

// A row's binding: where the parsed value goes. Captureless, so the table stays plain data.
#define DIGESTX_BIND(...) \
  [](CLI::App & app, const OptionSpec& s, Options& o) -> CLI::Option* { return __VA_ARGS__; }

// A size option (512K, 1M, 256MiB, 1.5G; see parse_size) into the member `Field`.
template <size_t Options::*Field>
CLI::Option* bind_size(CLI::App& app, const OptionSpec& s, Options& o) {
  return app.add_option_function<std::string>(
      s.names,
      [&o, name = std::string(s.names)](const std::string& v) {
        try {
          o.*Field = parse_size(v);
        } catch (const std::invalid_argument& e) {
          throw CLI::ValidationError(name, e.what());
        }
      },
      s.help);
}

}  // namespace

const char* const kExamples =
    "digestx samples/sanya-2022.txt | jq '.units[].facts[] | {text, subject, period}'\tthe facts of one digest\n"
    "cat digest.txt | digestx --summary\tunits, facts by kind and aspect, money by period\n"
    "digestx archive/ --format facts-csv > facts.csv\tone row a fact, for pandas or a spreadsheet\n"
    "digestx archive/ --path-fields '{region}/{year}.txt' --format jsonl\tregion and year from archive/三亚市/2022.txt\n"
    "digestx archive/ --output-dir out/ --skip-existing\tone file per input, resumable\n"
    "digestx render samples/sanya-2022.txt -o sanya.html\ta page to review the facts in the text\n"
    "digestx panel archive/ > panel.json\tthe same organisations across the years of an archive\n"
    "digestx panel --format links-csv 2021.txt 2022.txt\tplans of one year against the outcomes of the next\n"
    "digestx panel --render -o panel.html archive/\ta page of the panel\n"
    "echo '发放慰问金39.6万元，惠及3500余名党员' | digestx numbers\tthe numerals and facts of each line\n";

const char* const kExitStatus =
    "0\tfacts were found (numbers: numerals were found)\n"
    "1\tthe inputs hold no fact (numbers: no numeral)\n"
    "2\tan error: a missing, unreadable, empty or binary input, undecodable bytes, bad rules or a bad command "
    "line; 2 wins over 1, and a batch goes on past a failed input\n";

const char* const kFormatDoc =
    "docs/format.md (installed as share/doc/digestx/format.md) describes the output; "
    "schema/digestx.schema.json (share/digestx/digestx.schema.json) is its JSON Schema";

const std::vector<CommandSpec>& command_table() {
  static const std::vector<CommandSpec> commands = {
      {"extract", kExtract, "documents as JSON or tables (the default command)", "[INPUT...]",
       "Digest files and directories; - reads stdin (the default when stdin is not a terminal)"},
      {"numbers", kNumbers, "numerals and facts of each line on its own", "[FILE]",
       "A text file; - (the default) reads stdin"},
      {"render", kRender, "an HTML page to review documents and their facts", "[INPUT...]",
       "Digest files and directories; - reads stdin (the default when stdin is not a terminal)"},
      {"panel", kPanel, "the same organisations across yearly digests (plans against outcomes)", "[INPUT...]",
       "Digest files and directories of several years; - reads stdin (the default when stdin is not a terminal)"},
  };
  return commands;
}

const CommandSpec* find_command(const std::string& name) {
  for (const CommandSpec& c : command_table())
    if (name == c.name) return &c;
  return nullptr;
}

const std::vector<OptionSpec>& option_table() {
  static const std::vector<OptionSpec> options = {
      // Input
      {"--input", "KIND", "text: files of digests (default); jsonl: records {\"id\", \"text\"} one a line",
       kExtract | kPanel,
       "Input", {"text", "jsonl"}, nullptr, DIGESTX_BIND(app.add_option(s.names, o.input, s.help))},
      {"--glob", "PATTERN",
       "File names to take in directories (default *.txt; case-insensitive); repeatable", kFiles, "Input", {},
       nullptr,
       DIGESTX_BIND(app.add_option(s.names, o.globs, s.help)
                        ->expected(1)
                        ->allow_extra_args(false)  // one pattern per --glob: what follows is an input
                        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll))},
      {"--encoding", "NAME", "Input encoding (GB18030, Big5, UTF-16LE, ...); default: detect", kAll, "Input", {},
       nullptr, DIGESTX_BIND(app.add_option(s.names, o.encoding, s.help))},
      {"--max-bytes", "SIZE",
       "Refuse inputs (or records) larger than SIZE: bytes, or 512K, 1M, 256MiB, 1.5G (default 256MiB)", kAll,
       "Input", {}, nullptr, bind_size<&Options::max_bytes>},
      {"--max-page-bytes", "SIZE",
       "Largest review page written (default 16MiB): with --output-dir a bigger page is split into parts of whole "
       "units, otherwise refused", kRender, "Output", {}, nullptr, bind_size<&Options::max_page_bytes>},
      {"--rules", "DIR", "Directory of rules/*.json that replace the built-in ones of the same name", kAll, "Input",
       {}, "dir", DIGESTX_BIND(app.add_option(s.names, o.rules_dir, s.help))},
      {"--year", "N", "Report year of every input (wins over the path and the text, with a warning if they differ)",
       kFiles, "Input", {}, nullptr,
       DIGESTX_BIND(app.add_option(s.names, o.year, s.help)->check(CLI::Range(1900, 2100)))},
      {"--region", "NAME", "Region of every input (wins over the path and the text, with a warning if they differ)",
       kFiles, "Input", {}, nullptr, DIGESTX_BIND(app.add_option(s.names, o.region, s.help))},
      {"--path-fields", "TEMPLATE",
       "Region and year of each input from its path: '{region}/{year}.txt' reads archive/三亚市/2022.txt; "
       "{_} matches any name",
       kFiles, "Input", {}, nullptr, DIGESTX_BIND(app.add_option(s.names, o.path_fields, s.help))},
      // Output
      {"--format", "FORMAT",
       "json (one document, an array for several; pretty on a terminal), jsonl (one document a line), "
       "facts-csv, facts-tsv (one row a fact), units-csv (one row a unit)",
       kExtract, "Output", {"json", "jsonl", "facts-csv", "facts-tsv", "units-csv"}, nullptr,
       DIGESTX_BIND(app.add_option(s.names, o.format, s.help))},
      {"--format", "FORMAT",
       "json (one digestx-panel/1 object), jsonl (one item a line, with \"type\"), panel-csv (one row per "
       "organisation and year), links-csv (one row per plan and outcome)",
       kPanel, "Output", {"json", "jsonl", "panel-csv", "links-csv"}, nullptr,
       DIGESTX_BIND(app.add_option(s.names, o.format, s.help))},
      {"--render", nullptr, "An HTML page of the panel (charts, plans against outcomes, secretaries)", kPanel,
       "Output", {}, nullptr, DIGESTX_BIND(app.add_flag(s.names, o.render, s.help))},
      {"-o,--output", "FILE", "Write to FILE (atomically) instead of stdout; render: one page for every input", kFiles,
       "Output", {}, "file", DIGESTX_BIND(app.add_option(s.names, o.output, s.help))},
      {"--output-dir", "DIR", "One file per input in DIR (NAME.json, NAME.facts.csv, NAME.html, ...)",
       kExtract | kRender, "Output", {}, "dir", DIGESTX_BIND(app.add_option(s.names, o.output_dir, s.help))},
      {"--skip-existing", nullptr, "With --output-dir: leave the inputs whose output exists", kExtract, "Output", {},
       nullptr, DIGESTX_BIND(app.add_flag(s.names, o.skip_existing, s.help))},
      {"--pretty", nullptr, "Indent the JSON whatever stdout is", kExtract | kPanel, "Output", {}, nullptr,
       DIGESTX_BIND(app.add_flag(s.names, o.pretty, s.help))},
      {"--compact", nullptr, "One line of JSON whatever stdout is", kExtract | kPanel, "Output", {}, nullptr,
       DIGESTX_BIND(app.add_flag(s.names, o.compact, s.help))},
      {"--strict", nullptr, "Any warning makes the document an error record (exit 2)", kExtract, "Output", {},
       nullptr, DIGESTX_BIND(app.add_flag(s.names, o.strict, s.help))},
      {"--csv-raw", nullptr, "Tables: cells as they are, even those a spreadsheet takes for a formula (=, +, -, @)",
       kExtract, "Output", {}, nullptr, DIGESTX_BIND(app.add_flag(s.names, o.csv_raw, s.help))},
      {"--color", "WHEN", "Colour the JSON: auto (when stdout is a terminal and NO_COLOR is unset), always, never",
       kExtract | kNumbers | kPanel, "Output", {"auto", "always", "never"}, nullptr,
       DIGESTX_BIND(app.add_option(s.names, o.color, s.help))},
      {"--summary", nullptr, "Instead of the documents: units, facts by kind and aspect, money by period", kExtract,
       "Output", {}, nullptr, DIGESTX_BIND(app.add_flag(s.names, o.summary, s.help))},
      {"--explain", nullptr, "Name the rule behind each item (unit, period, fact; panel: link, alias, secretary change)",
       kExtract | kNumbers | kPanel, "Output", {},
       nullptr, DIGESTX_BIND(app.add_flag(s.names, o.explain, s.help))},
      // Running
      {"-j,--jobs", "N", "Worker threads (default: the number of cores, and no more than the files when each is small)", kExtract | kPanel, "Running", {}, nullptr,
       DIGESTX_BIND(app.add_option(s.names, o.jobs, s.help)->check(CLI::Range(1, 1024)))},
      {"-q,--quiet", nullptr, "No progress line, closing count or warning lines on stderr (errors still)", kAll,
       "Running", {}, nullptr, DIGESTX_BIND(app.add_flag(s.names, o.quiet, s.help))},
      {"--progress", nullptr, "A progress line on stderr even when it is not a terminal", kExtract | kPanel, "Running",
       {}, nullptr, DIGESTX_BIND(app.add_flag(s.names, o.progress, s.help))},
      {"-V,--version", nullptr, "Print the version, the fingerprint of the rules and whether the built-in ones are precompiled, then exit", kAll, "Running", {},
       nullptr, DIGESTX_BIND(app.add_flag(s.names, o.version, s.help))},
  };
  return options;
}

namespace {

// The arguments that may name options: those before "--" (after it, all are inputs).
template <class Visit>
void for_each_option_word(const std::vector<std::string>& args, Visit visit) {
  for (const std::string& arg : args) {
    if (arg == "--") return;
    if (arg.size() >= 2 && arg[0] == '-') visit(arg);
  }
}

// Whether `args` name the option `name` ("--jobs" or "-j"): --jobs, --jobs=2; -j, -j2,
// or j anywhere in a cluster (-qj 2), so that nothing CLI11 could read as -j is missed
// (a letter of a value, -j4's 4, only declares one option more).
bool names_one(const std::vector<std::string>& args, std::string_view name) {
  bool named = false;
  for_each_option_word(args, [&](const std::string& arg) {
    if (name.size() > 2 && name[1] == '-')
      named = named || (arg.compare(0, name.size(), name) == 0 && (arg.size() == name.size() || arg[name.size()] == '='));
    else if (name.size() == 2 && arg[1] != '-')
      named = named || arg.find(name[1], 1) != std::string::npos;
  });
  return named;
}

// Whether `args` name any of the comma-separated names of a row ("-j,--jobs").
bool names_option(const std::vector<std::string>& args, std::string_view names) {
  for (size_t at = 0; at <= names.size();) {
    size_t comma = std::min(names.find(',', at), names.size());
    if (names_one(args, names.substr(at, comma - at))) return true;
    at = comma + 1;
  }
  return false;
}

}  // namespace

bool asks_for_help(const std::vector<std::string>& args) { return names_option(args, "-h,--help"); }

void declare_options(CLI::App& app, const CommandSpec& command, Options& o, const std::vector<std::string>& args) {
  if (command.id == kNumbers)
    app.add_option("inputs", o.inputs, command.positional_help)->expected(0, 1)->type_name("FILE");
  else
    app.add_option("inputs", o.inputs, command.positional_help)->type_name("INPUT");
  bool all = asks_for_help(args);
  for (const OptionSpec& spec : option_table()) {
    if (!(spec.commands & command.id)) continue;
    if (!all && !names_option(args, spec.names)) continue;
    CLI::Option* opt = spec.bind(app, spec, o);
    opt->group(spec.group);
    if (spec.value) opt->type_name(spec.value);
    if (!spec.choices.empty()) opt->check(CLI::IsMember(spec.choices));
  }
  // Last, under "Running", after the options of the table.
  app.set_help_flag();
  app.set_help_flag("-h,--help", "Print this help message and exit")->group("Running");
}

std::vector<std::string> option_names(Command command) {
  std::vector<std::string> names = {"-h", "--help"};
  for (const OptionSpec& spec : option_table()) {
    if (!(spec.commands & command)) continue;
    std::string all = spec.names;
    size_t at = 0;
    while (at <= all.size()) {
      size_t comma = all.find(',', at);
      if (comma == std::string::npos) comma = all.size();
      names.push_back(all.substr(at, comma - at));
      at = comma + 1;
    }
  }
  return names;
}

namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The first argument that looks like an option this command does not take.
std::string unknown_option(const std::vector<std::string>& args, const std::vector<std::string>& names) {
  for (const std::string& arg : args) {
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;
    if (std::isdigit(static_cast<unsigned char>(arg[1]))) continue;  // a negative number
    std::string name = arg[1] == '-' ? arg.substr(0, arg.find('=')) : arg.substr(0, 2);
    if (std::find(names.begin(), names.end(), name) == names.end()) return name;
  }
  return {};
}

}  // namespace

std::string closest_name(const std::string& given, const std::vector<std::string>& names) {
  std::string best;
  size_t best_distance = std::max<size_t>(2, given.size() / 3) + 1;
  for (const std::string& name : names) {
    size_t d = edit_distance(given, name);
    if (d < best_distance) {
      best_distance = d;
      best = name;
    }
  }
  return best;
}

std::optional<int> parse_command_line(CLI::App& app, const CommandSpec& command, std::vector<std::string> args) {
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    require_stdout();
    std::cout << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    std::vector<std::string> names = option_names(command.id);
    std::string unknown = unknown_option(args, names);
    if (!unknown.empty()) {
      message = "unknown option " + unknown;
      std::string near = closest_name(unknown, names);
      if (!near.empty()) message += " (did you mean " + near + "?)";
    }
    std::string help = std::string("digestx ") + (command.id == kExtract ? "" : std::string(command.name) + " ");
    complain(message + "; see " + help + "--help");
    return 2;
  }
  return std::nullopt;
}

size_t parse_size(const std::string& text) {
  size_t at = 0;
  while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
  if (at < text.size() && text[at] == '-') throw std::invalid_argument(text + " is negative");
  size_t digits = at;
  while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.'))
    ++digits;
  size_t unit_at = digits;
  while (unit_at < text.size() && std::isspace(static_cast<unsigned char>(text[unit_at]))) ++unit_at;
  std::string number = text.substr(at, digits - at), suffix = text.substr(unit_at);
  while (!suffix.empty() && std::isspace(static_cast<unsigned char>(suffix.back()))) suffix.pop_back();
  bool well_formed = !number.empty() && number.front() != '.' && number.back() != '.' &&
                     std::count(number.begin(), number.end(), '.') <= 1;
  if (!well_formed) throw std::invalid_argument(text + " is not a size (bytes, or 512K, 1M, 256MiB, 1.5G)");
  // As in GNU coreutils: K, KiB (and M, G, T) are powers of 1024, KB of 1000.
  static const std::vector<std::pair<std::string, double>> units = {
      {"", 1.0},          {"B", 1.0},           {"K", 1024.0},       {"KiB", 1024.0},     {"KB", 1e3},
      {"M", 1048576.0},   {"MiB", 1048576.0},   {"MB", 1e6},         {"G", 1073741824.0}, {"GiB", 1073741824.0},
      {"GB", 1e9},        {"T", 1099511627776.0}, {"TiB", 1099511627776.0}, {"TB", 1e12}};
  std::string upper = suffix;
  for (char& c : upper)
    if (c != 'i') c = char(std::toupper(static_cast<unsigned char>(c)));
  auto unit = std::find_if(units.begin(), units.end(), [&](const auto& u) { return u.first == upper; });
  if (unit == units.end()) throw std::invalid_argument(text + ": unknown unit " + suffix + " (K, M, G, T, KiB, MB, ...)");
  double bytes = std::floor(std::stod(number) * unit->second);
  if (bytes < 1) throw std::invalid_argument(text + " is less than one byte");
  if (bytes >= 18446744073709549568.0) throw std::invalid_argument(text + " is too large");
  return size_t(bytes);
}

}  // namespace digestx::cli
