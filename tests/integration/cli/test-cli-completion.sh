#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The bash completion of gatehousectl: it parses, offers every command of `gatehousectl --help`,
# the actions of a command, and the options an action's --help lists. TAP output.
set -u

completion=$1
binary=$2
n=0
failed=0

ok () {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; failed=1; fi
}

bash -n "$completion"
ok $? "the completion script parses"

# bash-completion's helpers, reduced to what the script uses.
_init_completion () {
  words=("${COMP_WORDS[@]}")
  cword=$COMP_CWORD
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
}
_filedir () { COMPREPLY=(FILES); }
complete () { :; }
# shellcheck source=/dev/null
source "$completion"

complete_words () {
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMPREPLY=()
  _gatehousectl
  echo "${COMPREPLY[*]}"
}

for command in $("$binary" --help | awk '/^Commands:/ { on = 1; next } /^Global options:/ { exit } on && NF { print $1 }' | sort -u); do
  out=$(complete_words "$binary" "")
  case " $out " in *" $command "*) r=0 ;; *) r=1 ;; esac
  ok $r "command $command is offered"

  for action in $("$binary" --help | awk -v c="$command" '$1 == c { print $2 }'); do
    out=$(complete_words "$binary" "$command" "")
    case " $out " in *" $action "*) r=0 ;; *) r=1 ;; esac
    ok $r "action $command $action is offered"
  done
done

out=$(complete_words "$binary" --json person add --ca)
[ "$out" = "--card" ]
ok $? "options come from the action's --help"

out=$(complete_words "$binary" device add X --kind v)
[ "$out" = "vto vth vts villa" ]
ok $? "device kinds"

out=$(complete_words "$binary" -d /tmp person import "")
[ "$out" = "FILES" ]
ok $? "import takes a file"

echo "1..$n"
exit $failed
