#!/bin/sh
# The main job: replay every bundled trace in traces/ and print one summary line per
# trace, then a total. Exit status: 0 all passed, 1 an expectation failed, 2 an error.
set -u
EL2EMU=${1:-build/el2emu}
status=0
total_pass=0
total_fail=0
n=0
for t in traces/*.trace traces/*.trace.gz; do
	[ -e "$t" ] || continue
	n=$((n + 1))
	out=$("$EL2EMU" replay "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -v -E '^[0-9]+ passed, [0-9]+ failed' || true
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	if [ -z "$line" ]; then
		echo "$t: error (exit $rc)"
		status=2
		continue
	fi
	echo "$t: $line"
	p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	[ "$rc" -ne 0 ] && [ "$status" -eq 0 ] && status=$rc
done
if [ "$n" -eq 0 ]; then
	echo "main job: no traces in traces/" >&2
	exit 2
fi
echo "total: $n traces, $total_pass passed, $total_fail failed"
exit $status
