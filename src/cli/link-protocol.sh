#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: link-protocol.sh PROTOCOL.a STORE.a OUTPUT.o
#
# The store and the protocol layer each define some functions of the same name (a person as
# stored and a person as pushed to devices: gh_person_new, gh_card_free, gh_notice_new, …), so
# the two static libraries cannot both be linked into gatehousectl as they are. This turns the
# protocol library into one relocatable object and gives every function it shares with the
# store a `gh_protocol_` name inside it; the CLI only ever calls the store's. Once the two
# layers no longer share names the list is empty and the object is unchanged.
set -eu

protocol=$1
store=$2
output=$3

ld -r --whole-archive "$protocol" -o "$output.tmp"
nm -g --defined-only "$store" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u > "$output.store"
nm -g --defined-only "$output.tmp" | awk 'NF == 3 { print $3 }' | sort -u > "$output.protocol"
comm -12 "$output.store" "$output.protocol" | sed 's/^gh_\(.*\)$/gh_\1 gh_protocol_\1/' \
  > "$output.renames"
objcopy --redefine-syms="$output.renames" "$output.tmp" "$output"
rm -f "$output.tmp" "$output.store" "$output.protocol" "$output.renames"
