#include "records.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "ordered_pool.hpp"

#include <nlohmann/json.hpp>

namespace digestx::cli {

namespace {

size_t skip_space(const std::string& s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  return i;
}

// End of the JSON string starting at s[i] == '"'.
size_t skip_string(const std::string& s, size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') ++i;
    else if (s[i] == '"') return i + 1;
  }
  return s.size();
}

// End of the JSON value starting at s[i], in a line already known to be valid JSON.
size_t skip_value(const std::string& s, size_t i) {
  int depth = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') {
      i = skip_string(s, i) - 1;
      if (depth == 0) return i + 1;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) return i;  // the end of the enclosing object
      if (--depth == 0) return i + 1;
    } else if (depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
      return i;
    }
  }
  return i;
}

// The raw text of the top-level member `id` of a valid JSON object, or "".
std::string raw_id(const std::string& s) {
  size_t i = skip_space(s, 0);
  if (i >= s.size() || s[i] != '{') return {};
  i = skip_space(s, i + 1);
  while (i < s.size() && s[i] == '"') {
    size_t key_end = skip_string(s, i);
    bool is_id = nlohmann::json::parse(s.begin() + long(i), s.begin() + long(key_end)) == "id";
    i = skip_space(s, key_end);
    i = skip_space(s, i + 1);  // past ':'
    size_t value_end = skip_value(s, i);
    if (is_id) return s.substr(i, value_end - i);
    i = skip_space(s, value_end);
    if (i < s.size() && s[i] == ',') i = skip_space(s, i + 1);
  }
  return {};
}

}  // namespace

Record parse_record(const std::string& raw_line) {
  Record r;
  // A UTF-8 BOM at the start of a file's first line is no part of the record.
  std::string_view bom = "\xEF\xBB\xBF";
  const std::string& line = raw_line.compare(0, bom.size(), bom) == 0 ? raw_line.substr(bom.size()) : raw_line;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception& e) {  // parse errors, and numbers out of range (1e400)
    r.error_code = "bad_record";
    r.error_message = std::string("is not JSON: ") + e.what();
    return r;
  }
  if (!j.is_object()) {
    r.error_code = "bad_record";
    r.error_message = "is not a JSON object";
    return r;
  }
  r.id = raw_id(line);
  auto text = j.find("text");
  if (text == j.end() || !text->is_string()) {
    r.error_code = "bad_record";
    r.error_message = "has no string member \"text\"";
    return r;
  }
  r.text = text->get<std::string>();
  return r;
}

std::optional<Line> read_line(std::FILE* in, size_t max_bytes) {
  Line line;
  bool any = false;
  int c;
  // One reader at a time holds the stream (the pool's claim lock), so no locking per byte.
  while ((c = getc_unlocked(in)) != EOF) {
    any = true;
    if (c == '\n') break;
    if (line.text.size() >= max_bytes) {
      line.too_long = true;
      line.text.clear();
      max_bytes = 0;  // keep reading to the end of the line, storing nothing
      continue;
    }
    line.text += char(c);
  }
  if (!any) return std::nullopt;
  if (!line.text.empty() && line.text.back() == '\r') line.text.pop_back();
  return line;
}

bool RecordReader::next(Task& task) {
  for (;;) {
    if (!file_) {
      if (at_ >= inputs_.size()) return false;
      open(inputs_[at_]);
    }
    std::optional<Line> line = read_line(file_, max_);
    if (!line) {
      close();
      ++at_;
      continue;
    }
    ++line_no_;
    if (!line->too_long && line->text.find_first_not_of(" \t\r") == std::string::npos) continue;
    task.text = std::move(line->text);
    task.too_long = line->too_long;
    task.source = inputs_[at_];
    task.line = line_no_;
    return true;
  }
}

void RecordReader::open(const std::string& path) {
  line_no_ = 0;
  file_ = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!file_) throw std::runtime_error(path + ": cannot be opened: " + std::strerror(errno));
}

void RecordReader::close() {
  if (file_ && file_ != stdin) std::fclose(file_);
  file_ = nullptr;
}

}  // namespace digestx::cli
