#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Short coverage-guided fuzzing of the protocol parsers with libFuzzer.
#
#   tests/fuzz/run-short.sh [SECONDS]      (default 20 s per target)
#
# Configures a separate clang build (build-fuzz, or $FUZZ_BUILD_DIR) with -Dfuzzing=true and
# ASan/UBSan, then runs every target for SECONDS. New interesting inputs go to a scratch
# corpus, not into the seed corpus in git. Exits 0 with a "skipped" line when clang is missing.
set -eu

SECONDS_PER_TARGET=${1:-20}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${FUZZ_BUILD_DIR:-$SRC/build-fuzz}
TARGETS="fuzz-event-data fuzz-event-stream fuzz-record-parser fuzz-rpc-reply"

if ! command -v clang >/dev/null 2>&1; then
  echo "fuzz: skipped (clang is not installed)"
  exit 0
fi

if [ ! -f "$BUILD/build.ninja" ]; then
  CC=clang CFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
    LDFLAGS="-fsanitize=address,undefined" \
    meson setup "$BUILD" "$SRC" -Dfuzzing=true -Dui=false -Dsim=false -Db_lundef=false \
      --buildtype=debugoptimized >/dev/null
fi
for t in $TARGETS; do
  ninja -C "$BUILD" -j2 "tests/fuzz/$t" >/dev/null
done

SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT INT TERM
status=0
for t in $TARGETS; do
  mkdir -p "$SCRATCH/$t"
  echo "fuzz: $t for ${SECONDS_PER_TARGET}s"
  if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      "$BUILD/tests/fuzz/$t" -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$SCRATCH/$t-" \
      "$SCRATCH/$t" "$SRC/tests/fuzz/corpus/$t" >"$SCRATCH/$t.log" 2>&1; then
    echo "fuzz: $t FAILED; last lines of its log:"
    tail -n 40 "$SCRATCH/$t.log"
    for a in "$SCRATCH/$t"-*; do
      [ -e "$a" ] && cp "$a" "$SRC/tests/fuzz/" && echo "fuzz: crashing input kept as tests/fuzz/$(basename "$a")"
    done
    status=1
  else
    grep -E "stat::number_of_executed_units|Done" "$SCRATCH/$t.log" | tail -n 2 | sed "s/^/fuzz: $t: /"
  fi
done
exit $status
