#include "records.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "digestx/decode.hpp"
#include "io.hpp"
#include "ordered_pool.hpp"

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
std::string raw_id(const std::string& s, size_t i) {
  i = skip_space(s, i);
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

// Checks a whole line as JSON and keeps only what a record needs: whether it is an
// object, how many top-level "id" and "text" members it has, and the text if it is
// a string. Nothing else is stored, whatever the size of the line.
class RecordSax : public nlohmann::json_sax<nlohmann::json> {
 public:
  using json = nlohmann::json;
  bool is_object = false, text_is_string = false;
  int ids = 0, texts = 0;
  std::string text, error;

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(json::number_integer_t) override { return value(); }
  bool number_unsigned(json::number_unsigned_t) override { return value(); }
  bool number_float(json::number_float_t, const json::string_t&) override { return value(); }
  bool binary(json::binary_t&) override { return value(); }
  bool string(json::string_t& s) override {
    if (depth_ == 1 && key_is_text_) {
      text = std::move(s);
      text_is_string = true;
      return true;
    }
    return value();
  }
  bool start_object(std::size_t) override {
    if (depth_ == 0) is_object = true;
    value();
    ++depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    value();
    ++depth_;
    return true;
  }
  bool end_object() override { return --depth_, true; }
  bool end_array() override { return --depth_, true; }
  bool key(json::string_t& k) override {
    if (depth_ != 1) return true;
    key_is_text_ = k == "text";
    texts += key_is_text_;
    ids += k == "id";
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    error = e.what();
    return false;
  }

 private:
  // A value other than a string at the top level after "text": not a usable text.
  bool value() {
    if (depth_ == 1 && key_is_text_) text_is_string = false;
    return true;
  }
  int depth_ = 0;
  bool key_is_text_ = false;
};

Record bad(std::string message) {
  Record r;
  r.error_code = "bad_record";
  r.error_message = std::move(message);
  return r;
}

}  // namespace

Record parse_record(const std::string& line) {
  // A UTF-8 BOM at the start of a file's first line is no part of the record.
  size_t start = line.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  RecordSax sax;
  bool ok = false;
  try {
    ok = nlohmann::json::sax_parse(line.begin() + long(start), line.end(), &sax);
  } catch (const nlohmann::json::exception& e) {
    sax.error = e.what();
  }
  if (!ok) return bad("is not JSON: " + (sax.error.empty() ? std::string("parse error") : sax.error));
  if (!sax.is_object) return bad("is not a JSON object");
  if (sax.ids > 1) return bad("has two members \"id\"");
  Record r = sax.texts > 1 ? bad("has two members \"text\"")
             : sax.texts == 0 || !sax.text_is_string ? bad("has no string member \"text\"")
                                                     : Record();
  r.id = raw_id(line, start);
  if (!r.error_code.empty()) return r;
  r.text = std::move(sax.text);
  return r;
}

LineReader::LineReader(int fd, size_t max_bytes) : fd_(fd), max_(max_bytes), buf_(new char[1 << 16]) {}

bool LineReader::fill() {
  if (eof_) return false;
  for (;;) {
    ssize_t n = ::read(fd_, buf_.get(), 1 << 16);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      eof_ = true;
      if (err == EISDIR) throw InputError("is_directory", "is a directory");
      throw InputError("unreadable", std::string("cannot be read: ") + std::strerror(err));
    }
    pos_ = 0;
    end_ = size_t(n);
    eof_ = n == 0;
    return n > 0;
  }
}

std::optional<Line> LineReader::next() {
  if (pos_ == end_ && !fill()) return std::nullopt;
  Line line;
  char last = 0;  // the line's last byte, even when it is not stored
  for (;;) {
    if (pos_ == end_ && !fill()) break;  // a last line without \n
    const char* start = buf_.get() + pos_;
    size_t avail = end_ - pos_;
    auto* nl = static_cast<const char*>(std::memchr(start, '\n', avail));
    size_t take = nl ? size_t(nl - start) : avail;
    line.bytes += take;
    if (take > 0) last = start[take - 1];
    if (!line.too_long && line.text.size() + take > max_ + 1) {  // + 1: a \r before the \n
      line.too_long = true;
      std::string().swap(line.text);
    }
    if (!line.too_long) line.text.append(start, take);
    pos_ += take;
    if (nl) {
      ++pos_;
      break;
    }
    if (line.too_long && line.bytes > max_ + kSkipLimit) {
      line.unended = true;
      break;
    }
  }
  if (last == '\r' && !line.unended) {
    if (!line.text.empty()) line.text.pop_back();
    --line.bytes;
  }
  if (!line.too_long && line.text.size() > max_) {
    line.too_long = true;
    std::string().swap(line.text);
  }
  return line;
}

RecordReader::RecordReader(std::vector<std::string> inputs, size_t max_bytes)
    : inputs_(std::move(inputs)), max_(max_bytes) {}

RecordReader::~RecordReader() { close(); }

bool RecordReader::open(RecordLine& out) {
  const std::string& path = inputs_[at_];
  line_no_ = 0;
  out.source = path;
  auto fail = [&](const char* code, std::string message) {
    out.error_code = code;
    out.error_message = std::move(message);
    return false;
  };
  if (path == "-") {
    if (stdin_was_closed()) return fail("unreadable", "stdin is closed");
    fd_ = 0;
  } else {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      int err = errno;
      if (err == ENOENT || err == ENOTDIR) return fail("not_found", "no such file");
      return fail("unreadable", std::string("cannot be opened: ") + std::strerror(err));
    }
  }
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && S_ISDIR(st.st_mode)) {
    close();
    return fail("is_directory", "is a directory");
  }
  reader_.emplace(fd_, max_);
  return true;
}

void RecordReader::close() {
  if (fd_ > 0) ::close(fd_);
  fd_ = -1;
  reader_.reset();
}

bool RecordReader::next(RecordLine& out) {
  for (;;) {
    out = RecordLine();
    if (fd_ < 0) {
      if (at_ >= inputs_.size()) return false;
      if (!open(out)) {
        ++at_;
        return true;
      }
    }
    out.source = inputs_[at_];
    std::optional<Line> line;
    try {
      line = reader_->next();
    } catch (const InputError& e) {
      out.error_code = e.code();
      out.error_message = e.what();
      close();
      ++at_;
      return true;
    }
    if (!line) {
      close();
      ++at_;
      continue;
    }
    out.line = ++line_no_;
    out.bytes = line->bytes;
    if (line->too_long) {
      out.error_code = "too_large";
      out.error_message = "record is longer than --max-bytes (" + std::to_string(max_) + " bytes)";
      if (line->unended) {
        out.error_message += " and no line end follows within " + std::to_string(kSkipLimit >> 20) +
                             " MiB: the rest of this input is not read";
        close();
        ++at_;
      }
      return true;
    }
    if (line->text.find_first_not_of(" \t\r") == std::string::npos) continue;
    out.text = std::move(line->text);
    return true;
  }
}

bool next_task(RecordReader& reader, Task& task) {
  RecordLine line;
  if (!reader.next(line)) return false;
  task.text = std::move(line.text);
  task.source = std::move(line.source);
  task.line = line.line;
  task.bytes = line.bytes;
  task.error_code = std::move(line.error_code);
  task.error_message = std::move(line.error_message);
  return true;
}

}  // namespace digestx::cli
