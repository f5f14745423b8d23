#!/bin/sh
# run-fuzz.sh EL2EMU IMAGE LAYOUT: the image (random instruction words) must end, with
# exit status 0 (it powered off) or 1 with el2emu's message (--max-insns or a stated
# limit), within the time limit, and without a sanitizer report or a crash.
set -u
err=$(mktemp)
trap 'rm -f "$err"' EXIT
timeout 60 "$1" run --host-s2 "$3" --max-insns 300000 "$2" >/dev/null 2>"$err"
rc=$?
if [ "$rc" -gt 1 ] || grep -q "Sanitizer\|runtime error\|Assertion" "$err"; then
	echo "$2 ($3): exit status $rc (124: timeout, >128: signal)"
	cat "$err"
	exit 1
fi
if [ "$rc" = 1 ] && ! grep -q "^el2emu: run: " "$err"; then
	echo "$2 ($3): exit status 1 without a message"
	exit 1
fi
echo "$2 ($3): exit $rc: $(cat "$err")"
exit 0
