#!/bin/sh
# check-at.sh TRACE QEMU_OUT: every `at` record of TRACE (op, va, par), in order, equals
# the AT results the same guest printed on QEMU 7.2 ("at s12e1r va=0x... par=0x..." lines
# of guests/expected/IMAGE.out): the recorded PARs are QEMU's, not only el2emu's.
set -u
[ $# -eq 2 ] || { echo "usage: $0 TRACE QEMU_OUT" >&2; exit 2; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
gzip -dcf "$1" | awk '$1 == "at" { print tolower($2), $3, $4 }' >"$tmp/trace" || exit 2
sed -n -E 's/.*at ([a-z0-9]+) va=(0x[0-9a-f]+) par=(0x[0-9a-f]+).*/\1 \2 \3/p' "$2" \
	>"$tmp/qemu" || exit 2
n=$(wc -l <"$tmp/trace")
q=$(wc -l <"$tmp/qemu")
if ! cmp -s "$tmp/trace" "$tmp/qemu"; then
	echo "$1: $n at records differ from the $q AT results printed on QEMU ($2):"
	diff "$tmp/trace" "$tmp/qemu" | head -n 20
	exit 1
fi
echo "$1: $n at records equal to QEMU's"
