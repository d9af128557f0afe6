// The built-in rules as data in the binary: the layout of the snapshot that the build
// writes into the section .digestx.rules (cmake/embed_rules_snapshot.cmake), read by
// src/cli/rules_snapshot.cpp at every start instead of compiling the rules.
//
// Why: compiling the built-in rules was 2.10 M of the 2.61 M instructions of a run on a
// one-line file. The compiled rules are objects in the command line's rules arena
// (src/cli/rules_arena.cpp), and only there, so the arena's bytes are the rules. The
// build runs the linked binary once (`digestx __rules-snapshot FIRST SECOND`), which
// compiles them three times (the first only to make what every compile shares), the
// last two in arenas 4 GiB apart: a word that holds a pointer into the arena differs by
// the arena's move, and one that points into the image falls in it. The packer
// (src/gen/rules_snapshot_pack.cpp) keeps the bytes and the places of those pointers;
// a start copies the bytes into its fresh arena and adds its own moves to those places.
#pragma once

#include <cstddef>
#include <cstdint>

namespace digestx::snapshot {

inline constexpr char kMagic[8] = {'D', 'X', 'R', 'U', 'L', 'E', 'S', '1'};
inline constexpr uint32_t kVersion = 2;
// The section's size, fixed when the binary is linked (the packer pads to it): the
// built-in rules took 1.25 MB of arena, 0.32 MB of it other than zeros, and 9,300
// pointers (37 KB of their places): 0.36 MB, under half of it. Rules that outgrow it
// make no snapshot (the build says so, and .ci/run fails): raise it then.
inline constexpr size_t kSectionBytes = size_t(1) << 20;
inline constexpr size_t kBuildIdMax = 64;

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t build_id_len;               // the binary's GNU build ID: the snapshot is its own
  unsigned char build_id[kBuildIdMax];
  uint64_t image_base, image_end;      // the image when dumped: [__ehdr_start, _end)
  uint64_t writable_begin;             // image still writable after the start: [this, image_end)
  uint64_t arena_base;                 // the arena when dumped
  // The arena of the compile made before the two (a dump only): what it left lives on,
  // so a word pointing there is state shared by every compile, such as a function's
  // static, not the rules', and refuses the snapshot.
  uint64_t shared_begin, shared_end;
  uint64_t bytes;                      // the arena's bytes in use
  uint64_t root;                       // offset in them of the std::shared_ptr<const Rules>
  // A dump: the bytes follow at kBytesAt. Packed: most of them are zeros (cleared
  // temporaries, empty tables), as is a fresh arena, so only runs of the others are
  // kept. At kBytesAt: `runs` pairs of uint32 (offset, length) in the bytes, then the
  // runs' `run_bytes` bytes one after another, then the offsets (in 8-byte words,
  // uint32) of the `image_fixups` words to move with the image, then of the
  // `arena_fixups` to move with the arena. All 0 in a dump.
  uint64_t runs, run_bytes;
  uint64_t image_fixups, arena_fixups;
};

inline constexpr size_t kBytesAt = 256;  // where the bytes (or the runs) start
static_assert(sizeof(Header) <= kBytesAt, "the header overruns the bytes");

}  // namespace digestx::snapshot
