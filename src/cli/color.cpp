#include "color.hpp"

#include <cstdlib>

namespace digestx::cli {

namespace {

// jq's defaults (jq 1.7): null 1;30, strings 0;32, keys 34;1, containers 1;39.
constexpr const char* kNull = "\x1b[1;30m";
constexpr const char* kPlain = "\x1b[0;39m";
constexpr const char* kString = "\x1b[0;32m";
constexpr const char* kKey = "\x1b[34;1m";
constexpr const char* kBracket = "\x1b[1;39m";
constexpr const char* kReset = "\x1b[0m";

bool ends_literal(char c) { return c == ',' || c == ']' || c == '}' || c == ':' || c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

}  // namespace

bool use_color(const std::string& when, bool stdout_is_terminal) {
  if (when == "always") return true;
  if (when == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  return stdout_is_terminal && !(no_color && *no_color);
}

std::string JsonColor::paint(std::string_view piece) {
  std::string out;
  out.reserve(piece.size() + piece.size() / 2);
  for (char c : piece) {
    switch (state_) {
      case State::in_escape: state_ = State::in_string; out += c; continue;
      case State::in_string:
        out += c;
        if (c == '\\') state_ = State::in_escape;
        else if (c == '"') {
          out += kReset;
          state_ = State::between;
        }
        continue;
      case State::in_literal:
        if (!ends_literal(c)) {
          out += c;
          continue;
        }
        out += kReset;
        state_ = State::between;
        break;
      case State::between: break;
    }
    if (c == '"') {
      bool key = !open_.empty() && open_.back() == '{' && expect_key_;
      out += key ? kKey : kString;
      out += c;
      state_ = State::in_string;
    } else if (c == '{' || c == '[') {
      open_.push_back(c);
      expect_key_ = c == '{';
      (out += kBracket) += c;
      out += kReset;
    } else if (c == '}' || c == ']' || c == ',' || c == ':') {
      if ((c == '}' || c == ']') && !open_.empty()) open_.pop_back();
      expect_key_ = c == ',' && !open_.empty() && open_.back() == '{';
      (out += kBracket) += c;
      out += kReset;
    } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      out += c;
    } else {
      out += c == 'n' ? kNull : kPlain;
      out += c;
      state_ = State::in_literal;
    }
  }
  return out;
}

}  // namespace digestx::cli
