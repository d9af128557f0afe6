// Build step: packs the two dumps of the built-in rules that `digestx __rules-snapshot`
// writes into the section .digestx.rules. The two compiles ran in one process, from the
// same zeroed stack, in arenas 4 GiB apart: a word that differs by the arena's move and
// pointed into the arena is a pointer to move with the arena at each start; a word the
// same in both that points into the image's read-only part (code, constants, vtables)
// moves with the image; every other word must be the same in both. A word that differs
// otherwise (a pointer to the heap), points into the image's writable data, or points
// at what the compile before the two left (state every compile shares, such as a
// function's static: the run that takes the snapshot would not have it) makes no
// snapshot: the binary then compiles the rules at each start, as before.
//
// Some bytes are copies of uninitialised temporaries, never read: the payload of an
// empty std::optional<Decimal>, the padding of a std::pair<char32_t, size_t>. They hold
// what the stack held, the same in both compiles but for leftovers of arena pointers
// (0x7f5b00003001 and then 0x7f5c00003001: a char32_t and the high half of a pointer).
// Such a word, which differs by the arena's move but does not point into it, is kept as
// the first compile left it; one that only looks like a pointer into the image is moved
// with it. Either is harmless, as nothing reads them. Format and why:
// src/rules_snapshot_format.hpp.
//
//   rules_snapshot_pack FIRST SECOND SECTION_OUT
// Exit 0: written. 1: no snapshot can be made (the reasons on stderr). 2: bad input.
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "../rules_snapshot_format.hpp"

namespace ss = digestx::snapshot;

namespace {

struct Dump {
  ss::Header header{};
  std::string bytes;
};

bool read_dump(const char* path, Dump& d) {
  std::ifstream in(path, std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.eof() && in.fail()) return false;
  if (all.size() < ss::kBytesAt) return false;
  std::memcpy(&d.header, all.data(), sizeof d.header);
  if (std::memcmp(d.header.magic, ss::kMagic, sizeof ss::kMagic) != 0 || d.header.version != ss::kVersion) return false;
  if (all.size() - ss::kBytesAt != d.header.bytes) return false;
  d.bytes = all.substr(ss::kBytesAt);
  return true;
}

bool same_binary(const ss::Header& a, const ss::Header& b) {
  return a.build_id_len == b.build_id_len && std::memcmp(a.build_id, b.build_id, sizeof a.build_id) == 0 &&
         a.image_end - a.image_base == b.image_end - b.image_base &&
         a.writable_begin - a.image_base == b.writable_begin - b.image_base && a.bytes == b.bytes && a.root == b.root;
}

uint64_t word_at(const std::string& bytes, size_t k) {
  uint64_t w;
  std::memcpy(&w, bytes.data() + 8 * k, 8);
  return w;
}

struct Fixups {
  std::vector<uint32_t> image, arena;
  size_t leftovers = 0;  // words that differ by the arena's move but point outside it
  size_t refused = 0;
};

// Sorts the words of the two dumps into the image's pointers, the arena's and the rest.
Fixups find_pointers(const Dump& a, const Dump& b) {
  const ss::Header& h = a.header;
  uint64_t arena_move = b.header.arena_base - h.arena_base;
  Fixups f;
  auto refuse = [&](size_t k, uint64_t x, uint64_t y, const char* why) {
    if (++f.refused <= 20)
      std::cerr << "rules_snapshot_pack: the word at +" << 8 * k << " is 0x" << std::hex << x << " and then 0x" << y
                << std::dec << " (" << why << ")\n";
  };
  for (size_t k = 0; k < h.bytes / 8; ++k) {
    uint64_t x = word_at(a.bytes, k), y = word_at(b.bytes, k);
    if (x == y) {
      if (x >= h.image_base && x < h.writable_begin) f.image.push_back(uint32_t(k));
      else if (x >= h.writable_begin && x <= h.image_end) refuse(k, x, y, "into the image's writable data");
      else if (x >= h.shared_begin && x < h.shared_end) refuse(k, x, y, "into what an earlier compile left");
    } else if (y - x == arena_move && x >= h.arena_base && x <= h.arena_base + h.bytes) {
      f.arena.push_back(uint32_t(k));
    } else if (y - x == arena_move) {
      ++f.leftovers;  // the high half of an arena pointer in a pair's padding: see above
    } else {
      refuse(k, x, y, "differs, and not by the arena's move");
    }
  }
  return f;
}

void put_words(std::string& out, const std::vector<uint32_t>& words) {
  out.append(reinterpret_cast<const char*>(words.data()), 4 * words.size());
}

// The runs of `bytes` to keep: (offset, length) pairs over its 8-byte words that are not
// zero, a run going on over fewer than kGapWords zero words (a copy each: about 2,700
// runs of 0.33 MB for the built-in rules, where word by word made 6,556 of 0.26 MB).
constexpr size_t kGapWords = 4;

std::vector<uint32_t> nonzero_runs(const std::string& bytes) {
  std::vector<uint32_t> runs;
  size_t words = bytes.size() / 8;
  for (size_t k = 0; k < words;) {
    if (word_at(bytes, k) == 0) {
      ++k;
      continue;
    }
    size_t end = k + 1, zeros = 0;
    for (size_t j = k + 1; j < words && zeros < kGapWords; ++j) {
      zeros = word_at(bytes, j) == 0 ? zeros + 1 : 0;
      if (!zeros) end = j + 1;
    }
    runs.push_back(uint32_t(8 * k));
    runs.push_back(uint32_t(8 * (end - k)));
    k = end;
  }
  return runs;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: rules_snapshot_pack FIRST SECOND SECTION_OUT\n";
    return 2;
  }
  Dump a, b;
  if (!read_dump(argv[1], a) || !read_dump(argv[2], b) || !same_binary(a.header, b.header) || a.header.bytes % 8) {
    std::cerr << "rules_snapshot_pack: the dumps are unreadable or not of one binary\n";
    return 2;
  }
  if (a.header.image_base != b.header.image_base || a.header.arena_base == b.header.arena_base) {
    std::cerr << "rules_snapshot_pack: the dumps are not of two arenas in one process\n";
    return 2;
  }
  Fixups f = find_pointers(a, b);
  if (f.refused) {
    std::cerr << "rules_snapshot_pack: " << f.refused << " words are neither the same nor pointers to move\n";
    return 1;
  }
  ss::Header h = a.header;
  h.shared_begin = h.shared_end = 0;
  std::vector<uint32_t> runs = nonzero_runs(a.bytes);
  std::string run_bytes;
  for (size_t k = 0; k < runs.size(); k += 2) run_bytes.append(a.bytes, runs[k], runs[k + 1]);
  h.runs = runs.size() / 2, h.run_bytes = run_bytes.size();
  h.image_fixups = f.image.size(), h.arena_fixups = f.arena.size();
  std::string out(ss::kBytesAt, '\0');
  std::memcpy(out.data(), &h, sizeof h);
  put_words(out, runs);
  out += run_bytes;
  put_words(out, f.image);
  put_words(out, f.arena);
  if (out.size() > ss::kSectionBytes) {
    std::cerr << "rules_snapshot_pack: " << out.size() << " bytes do not fit the section's " << ss::kSectionBytes << "\n";
    return 1;
  }
  out.resize(ss::kSectionBytes, '\0');
  std::ofstream o(argv[3], std::ios::binary | std::ios::trunc);
  o.write(out.data(), std::streamsize(out.size()));
  o.close();
  if (!o) {
    std::cerr << "rules_snapshot_pack: " << argv[3] << " cannot be written\n";
    return 2;
  }
  std::cout << "rules snapshot: " << h.bytes << " bytes, " << h.run_bytes << " in " << h.runs << " runs, " << f.image.size() << " pointers into the image, "
            << f.arena.size() << " into the arena, " << f.leftovers << " leftovers of copies\n";
  return 0;
}
