#!/bin/sh
# What a user gets from the packages: builds the .debs of BUILD_DIR (cpack), unpacks
# them into a clean root (dpkg -x, as root or not), then checks the installed tool
# on a sample, `man digestx`, the bash completion, and a small C++ program built
# against the installed CMake package (find_package(digestx)) and against the
# sources (add_subdirectory). Run by .ci/run.
#   scripts/check-install.sh BUILD_DIR
set -eu
cd "$(dirname "$0")/.."
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
fail() { echo "check-install: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/debs" >/dev/null) || fail "cpack failed"
runtime=$(ls "$work"/debs/digestx_*.deb)
dev=$(ls "$work"/debs/digestx-dev_*.deb)
depends=$(dpkg-deb -f "$runtime" Depends)
# The tool links ICU and libstdc++ statically (-DDIGESTX_STATIC_ICU, on by default) and
# then needs no ICU package; linked with the shared ICU, its package must depend on it.
if readelf -d "$build/digestx" | grep -q 'NEEDED.*libicu'; then
  echo "$depends" | grep -q 'libicu[0-9]' || fail "the runtime package depends on no ICU: $depends"
else
  if echo "$depends" | grep -q 'libicu[0-9]'; then fail "the tool has ICU linked in, yet its package depends on ICU: $depends"; fi
fi
echo "digestx Depends: $depends"
echo "digestx-dev Depends: $(dpkg-deb -f "$dev" Depends)"
dpkg -x "$runtime" "$root"
dpkg -x "$dev" "$root"

# The installed tool, from another folder, on a sample.
out=$(cd "$work" && "$root/usr/bin/digestx" "$OLDPWD/samples/sanya-2022.txt" --format jsonl)
printf "%s\n" "$out" | python3 -c 'import json, sys; d = json.load(sys.stdin); assert d["units"] and d["digestx"]["rules"].startswith("sha256:")' \
  || fail "the installed digestx gave no document"
"$root/usr/bin/digestx" --version | grep -q '^rules sha256:' || fail "--version names no rules"
# The built-in rules' snapshot (written into the binary after the link) survives the
# packaging, when the build made one.
if grep -q '^embedded' "$build/digestx.rules-snapshot.txt" 2>/dev/null; then
  "$root/usr/bin/digestx" --version | grep -q '^built-in rules precompiled$' \
    || fail "the installed digestx compiles its rules at each start: the packages lost the snapshot"
fi
for f in usr/share/digestx/digestx.schema.json usr/share/doc/digestx/format.md \
         usr/share/bash-completion/completions/digestx usr/share/zsh/vendor-completions/_digestx \
         usr/share/fish/vendor_completions.d/digestx.fish usr/include/digestx/pipeline.hpp \
         usr/lib/cmake/digestx/digestxConfig.cmake; do
  [ -f "$root/$f" ] || fail "the packages do not install /$f"
done

# man digestx, rendered by man-db and groff.
page=$(MANPATH="$root/usr/share/man" MANPAGER=cat MANWIDTH=80 LC_ALL=C.UTF-8 man digestx 2>&1) || fail "man digestx: $page"
for section in SYNOPSIS OPTIONS "EXIT STATUS" EXAMPLES "OUTPUT FORMAT" "--path-fields"; do
  printf "%s\n" "$page" | grep -q -- "$section" || fail "man digestx has no $section"
done

# Tab after `digestx --fo` offers --format; after `--format ` the formats.
completes=$(bash -c '. "$1"; COMP_WORDS=(digestx --fo); COMP_CWORD=1; _digestx; echo "${COMPREPLY[*]}";
                     COMP_WORDS=(digestx --format j); COMP_CWORD=2; _digestx; echo "${COMPREPLY[*]}"' \
            _ "$root/usr/share/bash-completion/completions/digestx")
[ "$completes" = "--format
json jsonl" ] || fail "bash completion gave: $completes"
zsh -n "$root/usr/share/zsh/vendor-completions/_digestx" || fail "zsh completion: bad syntax"
formats=$(PATH="$root/usr/bin:$PATH" fish -c 'source $argv[1]; complete -C "digestx --format "' \
          "$root/usr/share/fish/vendor_completions.d/digestx.fish" | cut -f1 | tr '\n' ' ')
[ "$formats" = "facts-csv facts-tsv json jsonl units-csv " ] || fail "fish completion gave: $formats"

# A consumer of the installed package, and one that takes the sources as a subdirectory.
cmake -S tests/consumer -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$root/usr" >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/consumer" samples/sanya-2022.txt | grep -q '^money ' || fail "the find_package consumer found no money"
# (No build type: -O0 without debug information, the quickest build of the sources.)
cmake -S tests/consumer -B "$work/consumer-sub" -G Ninja -DDIGESTX_SOURCE_DIR="$PWD" >/dev/null
cmake --build "$work/consumer-sub" --target consumer >/dev/null
"$work/consumer-sub/consumer" samples/sanya-2022.txt | grep -q '^money ' || fail "the add_subdirectory consumer found no money"
echo "check-install: the packages install and work"
