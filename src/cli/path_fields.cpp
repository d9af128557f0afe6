#include "path_fields.hpp"

#include <regex>

namespace digestx::cli {

namespace {

std::vector<std::string> components(const std::string& path) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= path.size()) {
    size_t slash = path.find('/', at);
    if (slash == std::string::npos) slash = path.size();
    if (slash > at) out.push_back(path.substr(at, slash - at));
    at = slash + 1;
  }
  return out;
}

// One component of the template as a regular expression, and the fields in the
// order of its groups.
std::regex component_regex(const std::string& part, std::vector<std::string>& fields) {
  std::string re;
  for (size_t i = 0; i < part.size(); ++i) {
    size_t close = part[i] == '{' ? part.find('}', i) : std::string::npos;
    if (close != std::string::npos) {
      std::string name = part.substr(i + 1, close - i - 1);
      if (name == "year") re += "([0-9]{4})";
      else re += "(.+?)";
      fields.push_back(name);
      i = close;
    } else {
      if (std::string("\\^$.|?*+()[]{}").find(part[i]) != std::string::npos) re += '\\';
      re += part[i];
    }
  }
  return std::regex(re, std::regex::ECMAScript);
}

}  // namespace

std::string check_path_template(const std::string& tmpl) {
  bool useful = false;
  for (size_t i = tmpl.find('{'); i != std::string::npos; i = tmpl.find('{', i + 1)) {
    size_t close = tmpl.find('}', i);
    if (close == std::string::npos) return "a { without its }";
    std::string name = tmpl.substr(i + 1, close - i - 1);
    if (name != "region" && name != "year" && name != "_")
      return "unknown field {" + name + "} (the fields are {region}, {year} and {_})";
    useful |= name != "_";
  }
  if (!useful) return "names neither {region} nor {year}";
  return {};
}

std::optional<PathFields> match_path(const std::string& tmpl, const std::string& path) {
  std::vector<std::string> want = components(tmpl), have = components(path);
  if (want.empty() || want.size() > have.size()) return std::nullopt;
  PathFields out;
  for (size_t k = 0; k < want.size(); ++k) {
    const std::string& part = have[have.size() - want.size() + k];
    std::vector<std::string> fields;
    std::smatch m;
    if (!std::regex_match(part, m, component_regex(want[k], fields))) return std::nullopt;
    for (size_t g = 0; g < fields.size(); ++g) {
      if (fields[g] == "region") out.region = m[g + 1].str();
      if (fields[g] == "year") out.year = std::stoi(m[g + 1].str());
    }
  }
  return out;
}

std::vector<Warning> give_fields(ExtractOptions& eo, const Options& o, const std::string& path) {
  std::vector<Warning> notes;
  eo.year = o.year;
  eo.region = o.region;
  if (!o.path_fields || path == "-") return notes;
  std::optional<PathFields> from_path = match_path(*o.path_fields, path);
  if (!from_path) {
    notes.push_back({"path_fields_unmatched", "the path does not match --path-fields " + *o.path_fields, false, {}});
    return notes;
  }
  if (from_path->year && o.year && *from_path->year != *o.year)
    notes.push_back({"year_overridden", "the path states " + std::to_string(*from_path->year) + "; --year " +
                                            std::to_string(*o.year) + " used instead",
                     false, {}});
  if (from_path->region && o.region && *from_path->region != *o.region)
    notes.push_back({"region_overridden", "the path states " + *from_path->region + "; --region " + *o.region +
                                              " used instead",
                     false, {}});
  if (!o.year && from_path->year) {
    eo.year = from_path->year;
    eo.year_from = "the path's year";
  }
  if (!o.region && from_path->region) {
    eo.region = from_path->region;
    eo.region_from = "the path's region";
  }
  return notes;
}

}  // namespace digestx::cli
