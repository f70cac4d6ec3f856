#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks po/POTFILES.in against the tree: every listed file exists, the list is sorted, and
# every file under src/ with translatable strings (_(), N_(), C_(), NC_(), ngettext or
# translatable="yes") is listed. Usage: check-potfiles.sh SOURCE_ROOT
set -u

cd "${1:-.}" || exit 2
potfiles=po/POTFILES.in
status=0

listed=$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$potfiles")

for f in $listed; do
  if [ ! -f "$f" ]; then
    echo "$potfiles lists $f, which does not exist"
    status=1
  fi
done

if ! printf '%s\n' "$listed" | LC_ALL=C sort -c 2>/dev/null; then
  echo "$potfiles is not sorted; sort it with: LC_ALL=C sort"
  status=1
fi

found=$(grep -rlE --include='*.c' --include='*.h' --include='*.ui' \
          '(^|[^A-Za-z0-9_])((N|C|NC)?_|(g_d?)?n?gettext)[[:space:]]*\(|translatable="yes"' src |
        LC_ALL=C sort)

for f in $found; do
  if ! printf '%s\n' "$listed" | grep -qxF "$f"; then
    echo "$f has translatable strings but is not listed in $potfiles"
    status=1
  fi
done

if [ "$status" -eq 0 ]; then
  echo "$potfiles lists all $(printf '%s\n' "$found" | grep -c .) source files with translatable strings"
fi
exit "$status"
