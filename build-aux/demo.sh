#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds Gatehouse and starts it against its simulated demo community.
set -euo pipefail
cd "$(dirname "$0")/.."

bash build-aux/deps.sh
bash build-aux/build.sh
exec build/src/ui/gatehouse --demo "$@"
