// Colour for JSON on a terminal, like jq: keys blue, strings green, null grey,
// brackets bold. A small state machine over the output as it is written, so that
// documents streamed in pieces are coloured alike.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace digestx::cli {

// --color auto|always|never; auto colours a terminal unless NO_COLOR is set (no-color.org).
bool use_color(const std::string& when, bool stdout_is_terminal);

class JsonColor {
 public:
  // The piece with colour codes; pieces may cut the JSON anywhere.
  std::string paint(std::string_view piece);

 private:
  enum class State { between, in_string, in_escape, in_literal };
  State state_ = State::between;
  std::vector<char> open_;  // '{' or '[' of each open container
  bool expect_key_ = false;
};

}  // namespace digestx::cli
