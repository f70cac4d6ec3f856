#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The demo community as a plain HTTP client sees it: curl --digest and `gatehouse-sim ctl`.
# Prints TAP.
set -u

sim=${GATEHOUSE_SIM:?GATEHOUSE_SIM must point at the gatehouse-sim binary}
work=$(mktemp -d)
out=$work/out
n=0
failed=0

ok () {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

cleanup () {
  [ -n "${pid:-}" ] && kill -TERM "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

echo "1..11"

"$sim" --demo > "$out" &
pid=$!
for _ in $(seq 1 100); do grep -q '^READY$' "$out" && break; sleep 0.05; done
grep -q '^READY$' "$out"; ok $? "READY printed"

field () { # field NAME KEY: read one field of a device line
  grep "\"name\":\"$1\"" "$out" | sed -E "s/.*\"$2\":\"([^\"]*)\".*/\1/"
}
http=$(field VTO-1-1 http)
user=$(field VTO-1-1 username)
pass=$(field VTO-1-1 password)
control=$(sed -nE 's/^\{"control":"([^"]*)"\}$/\1/p' "$out")

[ "$(grep -c '"kind":"vto"' "$out")" -ge 4 ] && grep -q '"kind":"fence"' "$out" \
  && grep -q '"kind":"vts"' "$out" && [ "$(grep -c '"kind":"vth"' "$out")" -ge 4 ]
ok $? "demo community has 4 VTOs, a fence station, a VTS and monitors"
field VTO-1-1 rtsp | grep -q '^rtsp://127.0.0.1:[0-9]*/cam/realmonitor?channel=1&subtype=0$'
ok $? "door station line carries its rtsp URL"

body=$(curl -s --digest -u "$user:$pass" "$http/cgi-bin/magicBox.cgi?action=getDeviceType")
[ "$body" = $'type=VTO2211G-WP\r' ] || [ "$body" = $'type=VTO2211G-WP\r\n' ]
ok $? "curl --digest getDeviceType"

code=$(curl -s -o /dev/null -w '%{http_code}' --digest -u "$user:wrong" \
  "$http/cgi-bin/magicBox.cgi?action=getSerialNo")
[ "$code" = 401 ]; ok $? "wrong password is 401"

curl -s -D - -o /dev/null "$http/cgi-bin/magicBox.cgi?action=getSerialNo" \
  | grep -q 'WWW-Authenticate: Digest realm="Login to '
ok $? "challenge names the serial in the realm"

curl -s -N --max-time 3 --digest -u "$user:$pass" \
  "$http/cgi-bin/eventManager.cgi?action=attach&codes=%5BAll%5D&heartbeat=1" > "$work/events" &
curl_pid=$!
sleep 0.7
"$sim" ctl --control "$control" ring VTO-1-1 --room 1101 > "$work/ring"
ok $? "gatehouse-sim ctl ring"
"$sim" ctl --control "$control" answer VTH-1101 > /dev/null
"$sim" ctl --control "$control" hangup VTH-1101 > /dev/null
wait "$curl_pid"
grep -q 'Code=Invite;action=Pulse' "$work/events" \
  && grep -q 'Code=CallNoAnswered;action=Start' "$work/events" \
  && grep -q 'Code=IgnoreInvite' "$work/events" && grep -q '^Heartbeat' "$work/events"
ok $? "event stream shows ring, answer and heartbeats"

curl -s --digest -u "$user:$pass" "$http/cgi-bin/recordFinder.cgi?action=find&name=VideoTalkLog" \
  | grep -q 'records\[0\].EndState=Received'
ok $? "the answered call is in the VideoTalkLog"

curl -s --digest -u "$user:$pass" "$http/cgi-bin/snapshot.cgi?channel=1" -o "$work/snap.jpg"
[ "$(head -c 2 "$work/snap.jpg" | od -An -tx1 | tr -d ' ')" = ffd8 ]
ok $? "snapshot is a JPEG"

kill -TERM "$pid"
wait "$pid"
ok $? "exits cleanly on SIGTERM"
pid=

exit $failed
