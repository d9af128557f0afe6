// The built-in rules from the snapshot in the section .digestx.rules, and the dump it
// is packed from (the format and why: src/rules_snapshot_format.hpp).
#include "rules_snapshot.hpp"

#include <elf.h>
#include <link.h>

#include <cstring>
#include <string_view>

#include "../lexicon_sequence.hpp"
#include "../rules_snapshot_format.hpp"
#include "io.hpp"
#include "rules_arena.hpp"

// The linker's: the ELF header at the image's start, and the end of its .bss.
extern "C" {
extern const ElfW(Ehdr) __ehdr_start __attribute__((visibility("hidden")));
extern char _end[] __attribute__((visibility("hidden")));
}

namespace digestx::cli {
namespace {

namespace ss = digestx::snapshot;

// The section, zeros when linked; the build writes the packed snapshot over them
// (objcopy --update-section). "used": nothing else names it in a build without one.
alignas(64) __attribute__((section(".digestx.rules"), used)) const unsigned char kSection[ss::kSectionBytes] = {};

// The section's bytes, hidden from the optimiser: it would read the zeros it was
// compiled with, and drop every branch that finds a snapshot.
const unsigned char* section_bytes() {
  const unsigned char* p = kSection;
  asm volatile("" : "+r"(p));
  return p;
}

// This binary as mapped: where it starts and ends, where its memory that stays
// writable after the start begins (past the part made read-only once relocated, which
// holds the vtables), and its GNU build ID.
struct Image {
  const char* base = nullptr;
  const char* end = nullptr;
  const char* writable_begin = nullptr;
  std::string_view build_id;
};

// The build ID in the notes [at, at + size).
std::string_view build_id_in(const char* at, size_t size) {
  size_t k = 0;
  while (k + sizeof(ElfW(Nhdr)) <= size) {
    ElfW(Nhdr) note;
    std::memcpy(&note, at + k, sizeof note);
    size_t name_at = k + sizeof note, desc_at = name_at + ((note.n_namesz + 3) & ~size_t(3));
    size_t next = desc_at + ((note.n_descsz + 3) & ~size_t(3));
    if (next > size) break;
    if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 && std::memcmp(at + name_at, "GNU", 4) == 0)
      return {at + desc_at, note.n_descsz};
    k = next;
  }
  return {};
}

Image this_image() {
  Image image;
  const char* ehdr = reinterpret_cast<const char*>(&__ehdr_start);
  const auto* phdrs = reinterpret_cast<const ElfW(Phdr)*>(ehdr + __ehdr_start.e_phoff);
  const char* bias = ehdr;  // the image's first load maps the file's start at its vaddr
  for (size_t k = 0; k < __ehdr_start.e_phnum; ++k)
    if (phdrs[k].p_type == PT_LOAD && phdrs[k].p_offset == 0) bias = ehdr - phdrs[k].p_vaddr;
  image.base = ehdr;
  image.end = _end;
  image.writable_begin = _end;
  const char* relro_end = nullptr;
  for (size_t k = 0; k < __ehdr_start.e_phnum; ++k)
    if (phdrs[k].p_type == PT_GNU_RELRO) relro_end = bias + phdrs[k].p_vaddr + phdrs[k].p_memsz;
  for (size_t k = 0; k < __ehdr_start.e_phnum; ++k) {
    const ElfW(Phdr)& p = phdrs[k];
    if (p.p_type == PT_NOTE && image.build_id.empty()) image.build_id = build_id_in(bias + p.p_vaddr, p.p_memsz);
    if (p.p_type != PT_LOAD || !(p.p_flags & PF_W)) continue;
    const char* from = bias + p.p_vaddr;
    if (relro_end && relro_end > from && relro_end <= from + p.p_memsz) from = relro_end;
    if (from < image.writable_begin) image.writable_begin = from;
  }
  return image;
}

uint64_t address(const void* p) { return uint64_t(reinterpret_cast<uintptr_t>(p)); }

uint32_t u32_at(const unsigned char* p, uint64_t k) {
  uint32_t v;
  std::memcpy(&v, p + 4 * k, 4);
  return v;
}

// Adds `delta` to the 8-byte words of `bytes` at the `count` word offsets at `offsets`.
void move_words(char* bytes, const unsigned char* offsets, uint64_t count, uint64_t delta) {
  for (uint64_t k = 0; k < count; ++k) {
    char* at = bytes + uint64_t(u32_at(offsets, k)) * 8;
    uint64_t value;
    std::memcpy(&value, at, 8);
    value += delta;
    std::memcpy(at, &value, 8);
  }
}

// The packed snapshot's parts (src/rules_snapshot_format.hpp).
struct Parts {
  const unsigned char* runs;  // (offset, length) pairs
  const unsigned char* run_bytes;
  const unsigned char* image_fixups;
  const unsigned char* arena_fixups;
};

Parts parts_of(const unsigned char* section, const ss::Header& h) {
  Parts p;
  p.runs = section + ss::kBytesAt;
  p.run_bytes = p.runs + 8 * h.runs;
  p.image_fixups = p.run_bytes + h.run_bytes;
  p.arena_fixups = p.image_fixups + 4 * h.image_fixups;
  return p;
}

// Whether the header describes a snapshot of this very binary that fits its section,
// every run and every word to move inside its bytes: checked before anything is
// copied, so that a damaged section only costs the compile it saves.
bool usable(const unsigned char* section, const ss::Header& h, const Image& me) {
  if (h.version != ss::kVersion || me.build_id.empty() || h.build_id_len != me.build_id.size() ||
      std::memcmp(h.build_id, me.build_id.data(), h.build_id_len) != 0)
    return false;
  if (h.image_end - h.image_base != address(me.end) - address(me.base)) return false;
  uint64_t room = ss::kSectionBytes - ss::kBytesAt;
  if (h.bytes > room * 8 || h.runs > room / 8 || h.run_bytes > room || h.image_fixups > room / 4 || h.arena_fixups > room / 4)
    return false;
  if (8 * h.runs + h.run_bytes + 4 * (h.image_fixups + h.arena_fixups) > room) return false;
  if (h.bytes % 8 != 0 || h.root % 8 != 0 || h.root + sizeof(std::shared_ptr<const Rules>) > h.bytes) return false;
  Parts p = parts_of(section, h);
  uint64_t total = 0;
  for (uint64_t k = 0; k < h.runs; ++k) {
    uint64_t at = u32_at(p.runs, 2 * k), length = u32_at(p.runs, 2 * k + 1);
    if (at + length > h.bytes) return false;
    total += length;
  }
  if (total != h.run_bytes) return false;
  for (uint64_t k = 0; k < h.image_fixups + h.arena_fixups; ++k)
    if (uint64_t(u32_at(p.image_fixups, k)) >= h.bytes / 8) return false;
  return true;
}

// The section's header, and whether it describes a usable snapshot of this binary.
bool usable_header(ss::Header& h, Image& me) {
  const unsigned char* section = section_bytes();
  std::memcpy(&h, section, sizeof h);
  if (std::memcmp(h.magic, ss::kMagic, sizeof h.magic) != 0) return false;  // a build without one
  me = this_image();
  return usable(section, h, me);
}

}  // namespace

bool snapshot_usable() {
  ss::Header h;
  Image me;
  return RulesArena::enabled() && usable_header(h, me);
}

std::shared_ptr<const Rules> rules_from_snapshot() {
  ss::Header h;
  Image me;
  if (!usable_header(h, me)) return nullptr;
  const unsigned char* section = section_bytes();
  char* arena = RulesArena::adopt(h.bytes);  // zeros: only the runs are copied
  if (!arena) return nullptr;
  Parts p = parts_of(section, h);
  const unsigned char* from = p.run_bytes;
  for (uint64_t k = 0; k < h.runs; ++k) {
    uint32_t at = u32_at(p.runs, 2 * k), length = u32_at(p.runs, 2 * k + 1);
    std::memcpy(arena + at, from, length);
    from += length;
  }
  move_words(arena, p.image_fixups, h.image_fixups, address(me.base) - h.image_base);
  move_words(arena, p.arena_fixups, h.arena_fixups, address(arena) - h.arena_base);
  return *reinterpret_cast<const std::shared_ptr<const Rules>*>(arena + h.root);
}

namespace {

// One compile of the built-in rules in the arena, as the header and bytes of a dump.
struct Capture {
  ss::Header header{};
  std::string bytes;
  std::string error;
};

// Compiles the built-in rules in a fresh arena and copies the arena's bytes out.
// noinline: both compiles run from the same depth of the stack, over the same zeros.
[[gnu::noinline]] Capture capture() {
  Capture c;
  ss::Header& h = c.header;
  {
    RulesArena arena;
    if (!arena.open() || RulesArena::used() != 0) {
      c.error = "the rules arena is not available in this build";
      return c;
    }
    RulesArena::record_allocations();
    LexiconSequence::number_next(LexiconSequence::kSnapshotId);
    auto* root = new std::shared_ptr<const Rules>(compile_default_rules());
    h.arena_base = address(RulesArena::begin());
    h.bytes = RulesArena::used();
    h.root = address(root) - h.arena_base;
  }
  Image me = this_image();
  if (me.build_id.empty() || me.build_id.size() > ss::kBuildIdMax) {
    c.error = "this binary has no GNU build ID (link with --build-id)";
    return c;
  }
  std::memcpy(h.magic, ss::kMagic, sizeof h.magic);
  h.version = ss::kVersion;
  h.build_id_len = uint32_t(me.build_id.size());
  std::memcpy(h.build_id, me.build_id.data(), me.build_id.size());
  h.image_base = address(me.base), h.image_end = address(me.end), h.writable_begin = address(me.writable_begin);
  c.bytes.assign(RulesArena::begin(), h.bytes);
  return c;
}

// Zeroes the stack below the caller's frame: what an object copied from an
// uninitialised temporary holds (the payload of an empty std::optional<Decimal>, a
// pair's padding) is then the same in both compiles.
[[gnu::noinline]] void scrub_stack() {
  unsigned char below[512 << 10];
  explicit_bzero(below, sizeof below);
  asm volatile("" : : "r"(below) : "memory");
}

// The dump of one compile: its header, then its bytes (written as __generate writes).
void write_dump(const std::string& path, const Capture& c) {
  std::string head(ss::kBytesAt, '\0');
  std::memcpy(head.data(), &c.header, sizeof c.header);
  Sink out(path);
  out.write(head);
  out.write(c.bytes);
  out.commit();
}

}  // namespace

int write_rules_snapshot(const std::string& first, const std::string& second) {
  // Three compiles, the first in the arena as first mapped, each other in an arena 4 GiB
  // on: the third's pointers into its arena differ from the second's by that much, and
  // their low halves do not. The first is not dumped: what the loader makes once a
  // process (its tables of loaders, function statics) is made there, and a word of the
  // other two pointing into its arena is state they share, not theirs (the packer
  // refuses it).
  Capture compiles[3];
  for (int k = 0; k < 3; ++k) {
    if (k > 0 && !RulesArena::move_for_snapshot(size_t(1) << 32)) {
      complain("__rules-snapshot: no fresh arena could be mapped");
      return 2;
    }
    scrub_stack();
    Capture captured = capture();  // one place in this frame for all, not compiles[k]
    compiles[k] = std::move(captured);
    if (!compiles[k].error.empty()) {
      complain("__rules-snapshot: " + compiles[k].error);
      return 2;
    }
  }
  const ss::Header& shared = compiles[0].header;
  for (Capture& c : compiles) c.header.shared_begin = shared.arena_base, c.header.shared_end = shared.arena_base + shared.bytes;
  write_dump(first, compiles[1]);
  write_dump(second, compiles[2]);
  return 0;
}

}  // namespace digestx::cli
