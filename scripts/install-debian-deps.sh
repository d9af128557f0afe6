#!/bin/sh
# Installs, with apt-get, the Debian 12 packages digestx needs and that are missing.
#   scripts/install-debian-deps.sh          to build and run digestx
#   scripts/install-debian-deps.sh --test   also what the test suite uses
#   scripts/install-debian-deps.sh --fuzz   also clang and libFuzzer (fuzz/README.md)
set -eu
packages="g++ cmake ninja-build make pkg-config libicu-dev nlohmann-json3-dev libcli11-dev libgtest-dev python3"
# What the installed digestx is used with: `man digestx` and tab completion in bash.
packages="$packages man-db groff-base bash-completion"
if [ "${1:-}" = "--fuzz" ]; then
  packages="$packages clang-14 libclang-rt-14-dev"
fi
if [ "${1:-}" = "--test" ]; then
  packages="$packages python3-jsonschema python3-pandas parallel jq"
  # readelf, for the check of the hardening flags on the built binary.
  packages="$packages binutils"
  # The review page's browser test: Debian's chromium, and a font for its screenshots.
  packages="$packages chromium fonts-wqy-microhei"
  # The packaging check (scripts/check-install.sh): cpack's dpkg-shlibdeps; zsh and fish
  # to try the completions.
  packages="$packages dpkg-dev zsh fish"
fi
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "installing:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
