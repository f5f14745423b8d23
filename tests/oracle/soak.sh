#!/bin/sh
# Soak the oracle beyond the committed corpus: every family with seeds FIRST..LAST, each
# run on QEMU (oragen checks QEMU against its Arm ARM model) and replayed by el2emu.
# usage: tests/oracle/soak.sh BUILD_DIR [FIRST [LAST]]     (no output file is kept)
set -u
build=${1:?usage: soak.sh BUILD_DIR [FIRST [LAST]]}
first=${2:-2}
last=${3:-41}
oragen=$build/tests/oracle/oragen
elf=$build/tests/oracle/oracle.elf
qemu=$(command -v qemu-system-aarch64) || { echo "soak: qemu-system-aarch64 not found" >&2; exit 2; }
families=$("$oragen" 2>&1 | sed -n 's/^families: //p')
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 bad=0
seed=$first
while [ "$seed" -le "$last" ]; do
	for f in $families; do
		if ! "$oragen" "$f" "$seed" "$elf" "$qemu" "$tmp/t.trace" 2>"$tmp/err"; then
			echo "seed $seed $f: $(tail -n 1 "$tmp/err")"
			bad=$((bad + 1))
			continue
		fi
		line=$("$build/el2emu" replay "$tmp/t.trace" | tail -n 1)
		p=${line%% passed*}
		m=${line#*passed, }
		m=${m%% failed*}
		[ "$m" = 0 ] || echo "seed $seed $f: $line"
		pass=$((pass + p))
		fail=$((fail + m))
	done
	seed=$((seed + 1))
done
echo "soak seeds $first..$last: $pass passed, $fail failed, $bad generator failures"
[ "$fail" -eq 0 ] && [ "$bad" -eq 0 ]
