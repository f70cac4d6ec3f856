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
dbus-run-session -- meson test -C build --print-errorlogs --num-processes 2 "$@"
