// \p{Han} in a rules pattern written as the explicit set of the same characters, which
// ICU compiles a thousand times faster (市|县 after \p{Han}{1,12}? in the region rules).
// One definition for the loader (LazyRegex, src/rules.cpp) and the build-time generator
// of the compiled patterns (src/gen/regex_program_gen.cpp), which must compile the very
// text the loader would.
#pragma once

#include <string>

namespace digestx {

namespace generated {
extern const char kHanSetPattern[];  // [\x{2E80}-\x{2E99}…]: ICU's \p{Han}, written at build time
}

// Escapes are copied as they are (\\p{Han} is a backslash and text), and so is what
// \Q…\E quotes.
inline std::string with_han_ranges(const std::string& pattern) {
  static const std::string han = "\\p{Han}";
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] != '\\' || i + 1 == pattern.size()) {
      out += pattern[i++];
    } else if (pattern.compare(i, han.size(), han) == 0) {
      out += generated::kHanSetPattern;
      i += han.size();
    } else if (pattern[i + 1] == 'Q') {
      size_t end = pattern.find("\\E", i + 2);
      end = end == std::string::npos ? pattern.size() : end + 2;
      out.append(pattern, i, end - i);
      i = end;
    } else {
      out.append(pattern, i, 2);
      i += 2;
    }
  }
  return out;
}

}  // namespace digestx
