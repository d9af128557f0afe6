// One reading of a rule's regular expression (ICU syntax, the subset the rules use)
// as a small tree, folded two ways: the characters a match can start with
// (regex_first.cpp, the prefilter of page furniture) and the characters every match
// holds in order (regex_required.cpp, what keeps a one-line document from compiling
// ICU patterns). Both folds reading one tree cannot disagree on what the pattern says.
#pragma once

#include "digestx/regex_first.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace digestx::regex_tree {

struct Node;
using Sequence = std::vector<Node>;
using Alternatives = std::vector<Sequence>;

struct Node {
  enum class Kind {
    kChar,       // one character of `chars` (chars.any: one the reader cannot name, as \p{Han} or [^…])
    kZeroWidth,  // ^ $ \b \B \A \z \Z \G
    kGroup,      // ( … | … ), (?: … ), (?> … )
  };
  Kind kind = Kind::kChar;
  FirstChars chars;
  Alternatives branches;  // kGroup
  bool optional = false;  // ?, *, {0,n}: may occur no time
};

// The pattern's top-level alternatives; nullopt when it holds anything the reader does
// not know (lookaround, inline flags, \x{…}, \Q…\E, back references, set operations in
// a class, an unbalanced group): then neither fold may rule a text out.
std::optional<Alternatives> read(std::u32string_view pattern);

}  // namespace digestx::regex_tree
