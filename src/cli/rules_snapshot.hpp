// The built-in rules taken from the snapshot the build wrote into the binary (see
// src/rules_snapshot_format.hpp), and the dump the build makes it from.
#pragma once

#include <memory>
#include <string>

#include "digestx/rules.hpp"

namespace digestx::cli {

// The built-in rules from this binary's snapshot, copied into the rules arena that
// this thread has open and nothing allocated in yet; null when there is none, it was
// made by another binary, or the arena cannot take it (then they are compiled).
std::shared_ptr<const Rules> rules_from_snapshot();
// Whether this binary holds a snapshot of its own that rules_from_snapshot would take
// (given a fresh arena), for --version.
bool snapshot_usable();

// `digestx __rules-snapshot FIRST SECOND`, run by the build on the linked binary:
// compiles the built-in rules three times, each time in a fresh arena at another
// address and from the same zeroed stack, and writes the last two arenas' bytes with
// where the image and the arenas were (src/gen/rules_snapshot_pack.cpp compares the
// two). Exit 0, or 2 (an output that cannot be written throws, as __generate's).
int write_rules_snapshot(const std::string& first, const std::string& second);

}  // namespace digestx::cli
