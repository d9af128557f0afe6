// libFuzzer target: the command line's records code. See harness.hpp.
#include <cstddef>
#include <cstdint>

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  digestx::fuzz::run_records({reinterpret_cast<const char*>(data), size});
  return 0;
}
