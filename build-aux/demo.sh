#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds Gatehouse and starts it against its simulated demo community.
set -euo pipefail
cd "$(dirname "$0")/.."

bash build-aux/deps.sh
bash build-aux/build.sh
# Run from the build tree: the compiled settings schema is in build/data.
export GSETTINGS_SCHEMA_DIR="$PWD/build/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
exec build/src/ui/gatehouse --demo "$@"
