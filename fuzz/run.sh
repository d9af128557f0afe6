#!/bin/sh
# Fuzzes one target for a while with one worker, ASan and UBSan on.
#   CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DDIGESTX_FUZZ=ON -DDIGESTX_BUILD_TESTS=OFF
#   cmake --build build-fuzz -j2
#   fuzz/run.sh pipeline 600        # or: numbers, rules, records, walk, outputs; SECONDS; [BUILD_DIR, default build-fuzz]
# The corpus grows in BUILD_DIR/fuzz-work/corpus/TARGET (kept between runs, never
# committed); crashing inputs land in BUILD_DIR/fuzz-work/crashes/TARGET/ — copy each
# one into tests/fuzz-corpus/TARGET/ with its fix. The log is fuzz-work/TARGET.log.
set -eu
target=$1
seconds=$2
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${3:-$root/build-fuzz}" && pwd)
work=$build/fuzz-work
case $target in
  pipeline) max_len=32768 ;;
  numbers) max_len=4096 ;;
  rules) max_len=16384 ;;
  records) max_len=8192 ;;
  walk|outputs) max_len=1024 ;;
  *) echo "fuzz/run.sh: unknown target $target (pipeline, numbers, rules, records, walk, outputs)" >&2; exit 2 ;;
esac
rm -rf "$work/seeds"
python3 "$root/fuzz/seeds.py" "$work/seeds"
mkdir -p "$work/corpus/$target" "$work/crashes/$target"
cd "$work"
# -jobs=1 -workers=1: one process on the shared machine; libFuzzer logs it to fuzz-0.log.
status=0
"$build/digestx_fuzz_$target" "$work/corpus/$target" "$work/seeds/$target" \
  -dict="$work/seeds/digestx.dict" -max_len=$max_len -timeout=10 -rss_limit_mb=2048 \
  -max_total_time="$seconds" -print_final_stats=1 -jobs=1 -workers=1 \
  -artifact_prefix="$work/crashes/$target/" >/dev/null 2>&1 || status=$?
mv fuzz-0.log "$target.log"
tail -n 25 "$target.log"
ls "$work/crashes/$target"
exit $status
