#!/usr/bin/env python3
"""Writes cmake/startup-order.ld: the code a start runs, placed first and together.

A run on a one-line file executes about 1 MB of the 5 MB of code, spread over all of it,
and the kernel maps the code 64 KiB around each page fault: nearly every 64 KiB of .text
was a fault. The linker script made here puts the input sections that run (functions,
with -ffunction-sections; whole objects of the C library and ICU, which are compiled
without it) in an output section of their own, .text.hot, before .text. It only places
sections: a name that no longer exists matches nothing, one that is missing stays in
.text; a stale list costs speed, never correctness.

Regenerate after large changes to what a start runs (needs valgrind):

  cmake -S . -B build-order -G Ninja -DCMAKE_BUILD_TYPE=Release -DDIGESTX_BUILD_TESTS=OFF \\
        -DCMAKE_EXE_LINKER_FLAGS=-Wl,-Map,/tmp/digestx.map
  cmake --build build-order --target digestx
  printf '去年完成投资5亿元。\\n' > /tmp/one.txt
  scripts/startup_order.py --map /tmp/digestx.map --binary build-order/digestx -- -q /tmp/one.txt

(a build directory of its own: the link map stays out of the others' caches). The run
traced may find nothing (exit 1) as well as something (exit 0).

The sections are listed in the order they first run (valgrind's lackey, which traces
every superblock; chasing into callees off, so that each function called is seen).
Valgrind hides AVX-512 from the program, so the C library's string functions chosen
there are the AVX2 ones; each such object is listed with its EVEX and AVX-512 siblings
(chosen where AVX-512 is present), which costs a few KiB. Valgrind gives no vDSO either:
the C library's objects that set it up are listed by hand.
"""
import argparse, bisect, os, re, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_map(path):
    """Input sections of the executable's code: (address, size, name, file), sorted."""
    sections = []
    in_memory_map = False
    pending = None
    one_line = re.compile(r'^ (\.text\S*)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$')
    continued = re.compile(r'^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$')
    with open(path, errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('Linker script and memory map'):
                in_memory_map = True
                continue
            if not in_memory_map:
                continue
            if pending is not None:
                m = continued.match(line)
                if m:
                    sections.append((int(m.group(1), 16), int(m.group(2), 16), pending, m.group(3)))
                pending = None
                continue
            m = one_line.match(line)
            if m:
                sections.append((int(m.group(2), 16), int(m.group(3), 16), m.group(1), m.group(4)))
            elif re.match(r'^ \.text\S*$', line):
                pending = line.strip()
    return sorted(s for s in sections if s[1] > 0)


def trace(binary, args):
    """Addresses of the superblocks run, in first-run order, as offsets in the binary."""
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, 'lackey.log')
        run = subprocess.run(['valgrind', '--tool=lackey', '--trace-superblocks=yes', '--vex-guest-chase=no',
                              '--log-file=' + log,
                              binary] + args, stdout=subprocess.DEVNULL, check=False)
        if run.returncode not in (0, 1):  # 1: nothing found, a run like any other
            sys.exit('the traced run failed: exit status %d' % run.returncode)
        header = subprocess.run(['readelf', '-h', binary], capture_output=True, text=True, check=True).stdout
        entry = int(re.search(r'Entry point address:\s+0x([0-9a-f]+)', header).group(1), 16)
        seen, order, base = set(), [], None
        with open(log) as f:
            for line in f:
                if not line.startswith('SB '):
                    continue
                a = int(line[3:], 16)
                if base is None:
                    base = a - entry  # a static PIE: the first superblock is _start
                    if base % 4096:
                        sys.exit('the first superblock is not the entry point: not a static PIE?')
                if a not in seen:
                    seen.add(a)
                    order.append(a - base)
        return order


def pattern(name, file, names_seen_twice):
    if name not in names_seen_twice and name != '.text':
        return '*(%s)' % name
    m = re.match(r'^(.*)\((.*)\)$', file)
    if m:  # an archive's member
        return '*%s:%s(%s)' % (os.path.basename(m.group(1)), m.group(2), name)
    tail = file.split('CMakeFiles/', 1)[1] if 'CMakeFiles/' in file else os.path.basename(file)
    return '*/%s(%s)' % (tail, name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--map', required=True, help='the link map of BINARY (-Wl,-Map,FILE)')
    ap.add_argument('--binary', required=True)
    ap.add_argument('--out', default=os.path.join(HERE, '..', 'cmake', 'startup-order.ld'))
    ap.add_argument('args', nargs='*', help='the arguments of the run to trace')
    opts = ap.parse_args()

    sections = parse_map(opts.map)
    starts = [s[0] for s in sections]
    count = {}
    for s in sections:
        count[s[2]] = count.get(s[2], 0) + 1
    twice = {n for n, c in count.items() if c > 1}

    patterns, seen, hot_bytes = [], set(), 0
    # Valgrind gives the program no vDSO: the C library's setup of it runs these too.
    patterns += ['*libc.a:%s(.text)' % o for o in ('dl-object.o', 'dl-lookup.o', 'dl-setup_hash.o', 'dl-vdso.o')]
    for offset in trace(opts.binary, opts.args):
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0 or offset >= sections[i][0] + sections[i][1]:
            continue
        addr, size, name, file = sections[i]
        if (addr, name) in seen:
            continue
        seen.add((addr, name))
        hot_bytes += size
        p = pattern(name, file, twice)
        extra = []
        if re.search(r'-avx2?[-.]', p) and '-rtm' not in p:  # the variants AVX-512 selects
            evex = re.sub(r'-avx2?(?=[-.])', '-evex', p, count=1).replace('(.text.avx)', '(.text.evex)')
            extra.append(evex)
            if '-unaligned-erms' in evex:  # memmove, memset
                extra.append(evex.replace('-evex-', '-avx512-').replace('(.text.evex)', '(.text.evex512)'))
        for q in [p] + extra:
            if q not in patterns:
                patterns.append(q)

    with open(opts.out, 'w') as f:
        f.write('/* Generated by scripts/startup_order.py (%d input sections, %d KiB when made):\n'
                '   the code a start on a one-line file runs, first and together. See there. */\n'
                % (len(patterns), hot_bytes // 1024))
        f.write('SECTIONS\n{\n  .text.hot :\n  {\n')
        for p in patterns:
            f.write('    %s\n' % p)
        f.write('  }\n}\nINSERT BEFORE .text;\n')
    print('%s: %d patterns, %d KiB of code' % (opts.out, len(patterns), hot_bytes // 1024))


if __name__ == '__main__':
    main()
