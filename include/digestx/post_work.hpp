// How a stage hands work to the threads of the run, where it has any (the batch's
// workers): one type for every stage that does (decode, structure, fill).
#pragma once

#include <cstddef>
#include <functional>

namespace digestx {

// Starts work(0..n-1) on other threads and returns at once the function that ends it:
// runs what no thread took yet, waits for the rest, rethrows the first exception.
using PostWork = std::function<std::function<void()>(size_t n, std::function<void(size_t)> work)>;

}  // namespace digestx
