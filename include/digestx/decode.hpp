// Stage 1, decode: raw bytes -> the decoded text every span points into.
// UTF-8 (with or without BOM), UTF-16/32 with BOM, UTF-16 without BOM by its shape,
// GB18030/GBK, Big5 and others through ICU's charset detector, or a forced encoding.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "digestx/span.hpp"

namespace digestx {

struct DecodeOptions {
  std::string encoding;  // empty or "auto": detect; otherwise an ICU converter name
};

struct Decoded {
  std::u32string text;  // BOM removed, line ends as they were
  std::string encoding;
  bool bom = false;
  size_t invalid = 0;  // undecodable byte sequences (each became U+FFFD)
  std::vector<Warning> warnings;
};

// An input that cannot become a document: its code is the contract's error code.
class InputError : public std::runtime_error {
 public:
  InputError(std::string code, const std::string& message) : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

// Throws InputError ("empty", "binary", "undecodable", "unknown_encoding").
Decoded decode(std::string_view bytes, const DecodeOptions& options = {});
// decode(), then the bytes freed: the text alone goes on (a large input held both).
Decoded decode_owned(std::string&& bytes, const DecodeOptions& options = {});

// Reads up to `n` bytes of the input from byte `offset` into `buf`: how many, 0 at its
// end. Throws InputError when it cannot.
using ReadAt = std::function<size_t(char* buf, size_t n, size_t offset)>;

// A regular file decoded as it is read, a chunk at a time, so that its bytes are never
// held whole beside its text: the text of clean UTF-8, or of UTF-8 after its BOM, the
// same as decode() gives; `bytes` takes the input's size. Anything else (another
// encoding, damaged UTF-8 without a BOM, a forced encoding, an input decode() refuses)
// gives nullopt: the caller reads the whole input and calls decode().
std::optional<Decoded> decode_chunked(const ReadAt& read_at, const DecodeOptions& options, size_t& bytes);

}  // namespace digestx
