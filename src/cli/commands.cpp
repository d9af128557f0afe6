#include "commands.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <iostream>
#include <sstream>

#include "digestx/panel.hpp"
#include "generate.hpp"
#include "io.hpp"
#include "rules_arena.hpp"
#include "rules_snapshot.hpp"

namespace digestx::cli {

namespace {

std::string footer(const CommandSpec& command) {
  if (command.id == kExtract) return usage_text();
  std::string out = "Examples:\n";
  std::string prefix = std::string("digestx ") + command.name;
  std::istringstream examples(kExamples);
  std::string line;
  while (std::getline(examples, line)) {
    std::string example = line.substr(0, line.find('\t'));
    if (example.find(prefix) != std::string::npos) out += "  " + example + "\n";
  }
  return out + "\nOutput format: " + kFormatDoc + "; man digestx.\n";
}

}  // namespace

int run_command(const CommandSpec& command, std::vector<std::string> args) {
  CLI::App app{std::string("digestx ") + command.name + ": " + command.summary + "."};
  app.name(command.id == kExtract ? "digestx" : std::string("digestx ") + command.name);
  // Only help shows the footer (usage_text alone was 46 K instructions of every start).
  if (asks_for_help(args)) app.footer(footer(command));
  Options o;
  declare_options(app, command, o, args);
  if (auto status = parse_command_line(app, command, args)) return *status;
  const CLI::Option* format = app.get_option_no_throw("--format");
  o.format_given = format && format->count() > 0;
  std::shared_ptr<const Rules> rules;
  try {
    // --version names the built-in rules by their fingerprint, known at build time:
    // compiling them would be most of its run. Rules given with --rules are compiled
    // (a broken file is an error there too).
    RulesArena arena;  // they live until the process ends: no page faults one at a time
    if (!o.version || !o.rules_dir.empty()) rules = o.rules_dir.empty() ? default_rules() : load_rules_dir(o.rules_dir);
    // A broken panel.json fails here, before any work, for the commands that read it.
    if (command.id == kRender || command.id == kPanel) load_panel_rules(o.rules_dir);
  } catch (const RulesError& e) {
    complain(std::string("rules: ") + e.what());
    return 2;
  }
  if (o.version) {
    require_stdout();
    std::cout << version_text(rules ? rules->fingerprint : std::string(embedded_rules_fingerprint()), snapshot_usable());
    return 0;
  }
  RulesArena::use_rest_of_page();
  // Like jq and ripgrep: no input but a pipe reads the pipe; on a terminal it would
  // wait for typing, so a short usage instead.
  bool records = command.id == kExtract && o.input == "jsonl";
  if (o.inputs.empty() && command.id != kNumbers && !records) {
    if (::isatty(0)) {
      complain("no input given: digestx " + std::string(command.id == kExtract ? "" : command.name) +
               (command.id == kExtract ? "" : " ") + "[OPTIONS] FILE|DIR|- ..., or text on a pipe; see --help");
      return 2;
    }
    o.inputs.push_back("-");
  }
  switch (command.id) {
    case kNumbers: return run_numbers(std::move(o), rules);
    case kRender: return run_render(std::move(o), rules);
    case kPanel: return run_panel(std::move(o), rules);
    default: return run_extract(std::move(o), rules);
  }
}

}  // namespace digestx::cli
