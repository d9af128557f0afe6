// What is made from the options table: the usage text at the foot of --help, the man
// page and the bash, zsh and fish completions. The build runs `digestx __generate KIND
// FILE` for each (CMakeLists.txt), so none of them is a hand-written copy.
#include "generate.hpp"

#include <algorithm>
#include <sstream>
#include <vector>

#include "digestx/rules.hpp"
#include "io.hpp"
#include "options.hpp"

namespace digestx::cli {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string piece;
  std::istringstream in(s);
  while (std::getline(in, piece, sep)) out.push_back(piece);
  return out;
}

std::vector<std::pair<std::string, std::string>> pairs(const char* table) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& line : split(table, '\n')) {
    size_t tab = line.find('\t');
    if (tab != std::string::npos) out.emplace_back(line.substr(0, tab), line.substr(tab + 1));
  }
  return out;
}

std::vector<const OptionSpec*> options_of(Command c) {
  std::vector<const OptionSpec*> out;
  for (const OptionSpec& s : option_table())
    if (s.commands & c) out.push_back(&s);
  return out;
}

std::string command_list(const OptionSpec& s) {
  std::string out;
  for (const CommandSpec& c : command_table())
    if (s.commands & c.id) out += std::string(out.empty() ? "" : ", ") + c.name;
  return out;
}

// The short summary of the output format in the man page; docs/format.md says it all.
const char* const kFormatSummary[] = {
    "A document: format (\"digestx/1\"), digestx (version and the fingerprint of the rules that made it), "
    "source (path, encoding, bytes, bom, chars), title, subtitle, region, report_year, periods (last_year = "
    "the report year, this_year = the year after), sidebars, units, warnings.",
    "A unit (one official's report): index, heading, span, organization, role, name, headline, paragraphs "
    "(text, spans, sentences with their period and year) and facts.",
    "A fact: text, span, kind (count, money, percent, percentage_point, multiple, fraction, measure, duration, "
    "ordinal; date and name for numbers that are not quantities), value (exact), unit, qualifier, range, "
    "subject, aspect (amount, per_capita, rate, change, threshold, cumulative, rank, or null), period, year.",
    "Every span is [start, end) in code points of the decoded input: text[start:end] gives the field back.",
    "An input that cannot be read gives, among several, an error record {format, source, error: {code, "
    "message}} in its place.",
};

// roff: a backslash and a leading dot or quote are special; a minus in an option is \-.
std::string roff(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

std::string man_page() {
  std::ostringstream m;
  m << ".TH DIGESTX 1 \"\" \"digestx " << DIGESTX_VERSION << "\" \"User Commands\"\n";
  m << ".SH NAME\ndigestx \\- Chinese work\\-report digests to JSON facts\n";
  m << ".SH SYNOPSIS\n";
  for (const CommandSpec& c : command_table())
    m << ".B digestx\n" << (c.id == kExtract ? "[\\fBextract\\fR]" : std::string("\\fB") + c.name + "\\fR")
      << " [\\fIOPTIONS\\fR] \\fI" << roff(c.positional) << "\\fR\n.br\n";
  m << ".SH DESCRIPTION\ndigestx reads Chinese newspaper digests of officials' yearly work reports (述职报告摘登) and "
       "writes, "
       "for each, its units (organisation, role, name, headline), sentences tagged with their period and "
       "calendar year, and numeric facts with their kind, exact value, unit, qualifier, subject and the span of "
       "the text they were read from. Data goes to stdout, messages to stderr, each beginning with "
       "\"digestx:\". With no input and stdin not a terminal, it reads stdin.\n";
  m << ".SH COMMANDS\n";
  for (const CommandSpec& c : command_table())
    m << ".TP\n.B " << c.name << "\n" << roff(c.summary) << ". " << roff(c.positional_help) << ".\n";
  m << ".SH OPTIONS\n";
  std::string group;
  for (const OptionSpec& s : option_table()) {
    if (group != s.group) m << ".SS " << (group = s.group) << "\n";
    m << ".TP\n";
    std::vector<std::string> names = split(s.names, ',');
    for (size_t i = 0; i < names.size(); ++i) m << (i ? ", " : "") << "\\fB" << roff(names[i]) << "\\fR";
    if (s.value) m << " \\fI" << s.value << "\\fR";
    m << "\n" << roff(s.help) << ". Commands: " << command_list(s) << ".\n";
  }
  m << ".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nThe options of a command (digestx COMMAND \\-\\-help).\n";
  m << ".SH EXIT STATUS\n";
  for (const auto& [code, meaning] : pairs(kExitStatus)) m << ".TP\n.B " << code << "\n" << roff(meaning) << ".\n";
  m << ".SH ENVIRONMENT\n.TP\n.B NO_COLOR\nWhen set (to anything), \\-\\-color auto does not colour.\n";
  m << ".SH OUTPUT FORMAT\n";
  for (const char* p : kFormatSummary) m << ".PP\n" << roff(p) << "\n";
  m << ".PP\n" << roff(kFormatDoc) << ".\n";
  m << ".SH EXAMPLES\n";
  for (const auto& [command, what] : pairs(kExamples))
    m << ".PP\n" << roff(what) << ":\n.RS\n.nf\n" << roff(command) << "\n.fi\n.RE\n";
  m << ".SH SEE ALSO\n.BR jq (1)\n";
  return m.str();
}

// Shell words: the option names of a command, space separated.
std::string words_of(Command c) {
  std::string out;
  for (const std::string& n : option_names(c)) out += (out.empty() ? "" : " ") + n;
  return out;
}

std::string command_names() {
  std::string out;
  for (const CommandSpec& c : command_table()) out += (out.empty() ? "" : " ") + std::string(c.name);
  return out;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string bash_completion() {
  std::ostringstream b;
  b << "# bash completion for digestx (generated from its options table)\n_digestx() {\n"
       "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" cmd=extract i\n"
       "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
       "    case \"${COMP_WORDS[i]}\" in " << join(split(command_names(), ' '), "|") << ") cmd=\"${COMP_WORDS[i]}\"; break ;; esac\n"
       "  done\n  case \"$cmd:$prev\" in\n";
  for (const OptionSpec& s : option_table()) {
    if (!s.value) continue;
    std::vector<std::string> patterns;  // command:name, as an option's values may differ by command (--format)
    for (const CommandSpec& c : command_table())
      if (s.commands & c.id)
        for (const std::string& name : split(s.names, ',')) patterns.push_back(std::string(c.name) + ":" + name);
    b << "    " << join(patterns, "|") << ")\n";
    if (!s.choices.empty()) b << "      COMPREPLY=($(compgen -W \"" << join(s.choices, " ") << "\" -- \"$cur\"))\n";
    else if (s.complete && std::string(s.complete) == "dir") b << "      COMPREPLY=($(compgen -d -- \"$cur\"))\n";
    else if (s.complete) b << "      COMPREPLY=($(compgen -f -- \"$cur\"))\n";
    b << "      return ;;\n";
  }
  b << "  esac\n  local opts\n  case \"$cmd\" in\n";
  for (const CommandSpec& c : command_table()) b << "    " << c.name << ") opts=\"" << words_of(c.id) << "\" ;;\n";
  b << "  esac\n  if [[ \"$cur\" == -* ]]; then\n    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n    return\n  fi\n"
       "  COMPREPLY=($(compgen -f -- \"$cur\"))\n"
       "  if ((COMP_CWORD == 1)); then COMPREPLY+=($(compgen -W \"" << command_names() << "\" -- \"$cur\")); fi\n"
       "}\ncomplete -o filenames -F _digestx digestx\n";
  return b.str();
}

// zsh's _arguments spec: '--name[help]:VALUE:action'.
std::string zsh_quote(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else if (c == '[' || c == ']' || c == ':') out += std::string("\\") + c;
    else out += c;
  }
  return out;
}

// A help text made short for a completion menu: without its parentheses, up to its
// first ';' ("json (one document...), jsonl (...)" -> "json, jsonl").
std::string first_clause(const std::string& help) {
  std::string out;
  int depth = 0;
  for (char c : help) {
    if (c == '(') ++depth;
    else if (c == ')') depth = std::max(0, depth - 1);
    else if (depth == 0) out += c;
  }
  out = out.substr(0, out.find(';'));
  std::string squeezed;
  for (char c : out) {
    if (c == ',' && !squeezed.empty() && squeezed.back() == ' ') squeezed.pop_back();
    if (!(c == ' ' && (squeezed.empty() || squeezed.back() == ' '))) squeezed += c;
  }
  while (!squeezed.empty() && (squeezed.back() == ' ' || squeezed.back() == ',')) squeezed.pop_back();
  return squeezed;
}

std::string zsh_completion() {
  std::ostringstream z;
  z << "#compdef digestx\n# zsh completion for digestx (generated from its options table)\n_digestx() {\n"
       "  local -a commands\n  commands=(\n";
  for (const CommandSpec& c : command_table()) z << "    '" << c.name << ":" << zsh_quote(c.summary) << "'\n";
  z << "  )\n  local cmd=extract ret=1\n"
       "  if [[ ${words[2]} == (" << join(split(command_names(), ' '), "|") << ") ]]; then\n"
       "    cmd=${words[2]}; shift words; (( CURRENT-- ))\n"
       "  elif (( CURRENT == 2 )) && [[ $PREFIX != -* ]]; then\n"
       "    _describe -t commands 'digestx command' commands && ret=0\n  fi\n  case $cmd in\n";
  for (const CommandSpec& c : command_table()) {
    z << "    " << c.name << ")\n      _arguments -s -S \\\n        '(- *)'{-h,--help}'[show the options]' \\\n";
    for (const OptionSpec* s : options_of(c.id)) {
      for (const std::string& name : split(s->names, ',')) {
        z << "        '" << name << "[" << zsh_quote(first_clause(s->help)) << "]";
        if (s->value) {
          z << ":" << s->value << ":";
          if (!s->choices.empty()) z << "(" << join(s->choices, " ") << ")";
          else if (s->complete && std::string(s->complete) == "dir") z << "_files -/";
          else if (s->complete) z << "_files";
          else z << " ";
        }
        z << "' \\\n";
      }
    }
    z << "        '*:input:_files' && ret=0\n      ;;\n";
  }
  z << "  esac\n  return ret\n}\n_digestx \"$@\"\n";
  return z.str();
}

std::string fish_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("\\'") : std::string(1, c);
  return out + "'";
}

std::string fish_completion() {
  std::ostringstream f;
  f << "# fish completion for digestx (generated from its options table)\n"
       "function __digestx_command\n    for t in (commandline -opc)[2..-1]\n        switch $t\n"
       "            case " << command_names() << "\n                echo $t\n                return\n"
       "        end\n    end\n    echo extract\nend\n";
  for (const CommandSpec& c : command_table())
    f << "complete -c digestx -n '__fish_use_subcommand' -a " << c.name << " -d " << fish_quote(c.summary) << "\n";
  for (const OptionSpec& s : option_table()) {
    std::string condition;
    for (const CommandSpec& c : command_table())
      if (s.commands & c.id) condition += (condition.empty() ? "" : " ") + std::string(c.name);
    f << "complete -c digestx -n " << fish_quote("contains (__digestx_command) " + condition);
    for (const std::string& name : split(s.names, ','))
      f << (name.size() == 2 ? " -s " + name.substr(1) : " -l " + name.substr(2));
    if (s.value) {
      if (!s.choices.empty()) f << " -x -a " << fish_quote(join(s.choices, " "));
      else if (s.complete && std::string(s.complete) == "dir") f << " -x -a '(__fish_complete_directories)'";
      else if (s.complete) f << " -r -F";
      else f << " -x";
    }
    f << " -d " << fish_quote(first_clause(s.help)) << "\n";
  }
  return f.str();
}

}  // namespace

std::string usage_text() {
  std::ostringstream u;
  u << "Usage:\n";
  for (const CommandSpec& c : command_table()) {
    std::string line = std::string("  digestx ") + (c.id == kExtract ? "[extract]" : c.name) + " [OPTIONS] " +
                       c.positional;
    u << line << std::string(line.size() < 44 ? 44 - line.size() : 1, ' ') << c.summary << "\n";
  }
  std::string line = "  digestx COMMAND --help";
  u << line << std::string(44 - line.size(), ' ') << "options of a command\n\nExamples:\n";
  for (const auto& [command, what] : pairs(kExamples)) u << "  " << command << "\n";
  u << "\nExit status:\n";
  for (const auto& [code, meaning] : pairs(kExitStatus)) u << "  " << code << "  " << meaning << "\n";
  u << "\nOutput format: " << kFormatDoc << "; man digestx.\n";
  return u.str();
}

std::string version_text(const std::string& rules_fingerprint, bool precompiled) {
  return std::string("digestx ") + DIGESTX_VERSION + "\nrules " + rules_fingerprint + "\nbuilt-in rules " +
         (precompiled ? "precompiled" : "compiled at each start") + "\n";
}

int run_generate(const std::vector<std::string>& args) {
  if (args.size() != 2) {
    complain("__generate KIND FILE, with KIND man, bash, zsh or fish");
    return 2;
  }
  const std::string& kind = args[0];
  std::string text = kind == "man"    ? man_page()
                     : kind == "bash" ? bash_completion()
                     : kind == "zsh"  ? zsh_completion()
                     : kind == "fish" ? fish_completion()
                                      : std::string();
  if (text.empty()) {
    complain("__generate: unknown kind " + kind);
    return 2;
  }
  Sink out(args[1]);
  out.write(text);
  out.commit();
  return 0;
}

}  // namespace digestx::cli
