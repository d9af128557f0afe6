// SHA-256 (FIPS 180-4), for the fingerprint of the rules a document was made with.
#pragma once

#include <string>
#include <string_view>

namespace digestx {

// The digest of `data` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

}  // namespace digestx
