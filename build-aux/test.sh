#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds Gatehouse and runs the whole test suite under Xvfb and a
# private session bus, both started here. Extra arguments go to `meson test`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash build-aux/deps.sh
bash build-aux/build.sh

xvfb_pid=
cleanup () {
  if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

if [ -z "${DISPLAY:-}" ] || [ "${CI:-}" = true ]; then
  for n in $(seq 90 120); do
    if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then
      Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
      xvfb_pid=$!
      export DISPLAY=":$n"
      break
    fi
  done
  for _ in $(seq 100); do
    [ -S "/tmp/.X11-unix/X${DISPLAY#:}" ] && break
    sleep 0.1
  done
fi

export GDK_BACKEND=x11
status=0
dbus-run-session -- meson test -C build --print-errorlogs --num-processes 2 "$@" || status=$?

# A short coverage-guided run of each protocol parser fuzzer (clang's libFuzzer, ASan, UBSan),
# only for a full run: extra arguments mean the caller chose a subset.
fuzz_failed=0
if [ $# -eq 0 ]; then
  bash tests/fuzz/run-short.sh "${GATEHOUSE_FUZZ_SECONDS:-15}" || fuzz_failed=1
fi

# One closing line that counts every test, from meson's own log.
python3 - "$fuzz_failed" <<'PY'
import json, sys
passed = failed = skipped = 0
with open('build/meson-logs/testlog.json') as log:
    for line in log:
        result = json.loads(line).get('result')
        if result in ('OK', 'EXPECTEDFAIL'):
            passed += 1
        elif result == 'SKIP':
            skipped += 1
        else:
            failed += 1
failed += int(sys.argv[1])
print(f'{passed} passed, {failed} failed, {skipped} skipped')
PY
[ "$fuzz_failed" -eq 0 ] || status=1
exit "$status"
