#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Configures (once) and compiles Gatehouse into ./build.
set -euo pipefail
cd "$(dirname "$0")/.."

builddir=${BUILDDIR:-build}
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$@"
fi
meson compile -C "$builddir"
