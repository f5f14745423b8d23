#!/bin/sh
# The main job (`make run`): boot the bundled guests on el2emu, recording each boot, then
# replay every trace in traces/ with --audit, ending with one summary line per trace and a
# total. Usage: tools/run-main-job.sh [build/el2emu]. The guest images are taken from the
# build directory of that binary (build/guests); without them (no cross compiler) the boots
# are skipped with a message and the replays still run.
# Exit status: 0 all passed, 1 a boot or an expectation failed, 2 an error.
set -u
EL2EMU=${1:-build/el2emu}
case $EL2EMU in /*) ;; *) EL2EMU=$(pwd)/$EL2EMU ;; esac
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 2
guests=$(dirname "$EL2EMU")/guests
status=0

if [ -f "$guests/nvhe.elf" ]; then
	tmp=$(mktemp -d) || exit 2
	trap 'rm -rf "$tmp"' EXIT
	echo "== booting the bundled guests on el2emu (traces/manifest), recording each boot"
	if ! sh tools/record-traces.sh "$EL2EMU" "$guests" "$tmp"; then
		echo "main job: a boot failed or its UART output differs from QEMU's"
		status=1
	fi
	for f in "$tmp"/*; do
		[ -e "$f" ] || continue
		b=traces/$(basename "$f")
		if [ -e "$b" ] && [ "$(gzip -dcf "$f" | cksum)" = "$(gzip -dcf "$b" | cksum)" ]
		then
			echo "recorded $(basename "$f"): identical to $b"
		else
			echo "recorded $(basename "$f"): differs from $b (the guests changed?" \
			     "regenerate: tools/record-traces.sh $EL2EMU $guests traces)"
		fi
	done
else
	echo "== guest images not built ($guests/nvhe.elf missing: needs aarch64-linux-gnu-gcc);" \
	     "boots skipped, replaying the bundled traces"
fi

echo "== replaying every trace in traces/ (--audit: a stale shadow entry is a failure)"
total_pass=0
total_fail=0
n=0
summary=""
for t in traces/*.trace traces/*.trace.gz; do
	[ -e "$t" ] || continue
	n=$((n + 1))
	out=$("$EL2EMU" replay --audit "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -v -E '^[0-9]+ passed, [0-9]+ failed' || true
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	if [ -z "$line" ]; then
		summary="$summary$t: error (exit $rc)
"
		status=2
		continue
	fi
	summary="$summary$t: $line
"
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
printf '%s' "$summary"
echo "total: $n traces, $total_pass passed, $total_fail failed"
exit $status
