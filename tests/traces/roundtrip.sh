#!/bin/sh
# roundtrip.sh EL2EMU GUEST_DIR WORK_DIR: records every boot of traces/manifest twice (the
# two recordings must be byte-identical: deterministic), replays each with --audit (0
# failures, no stale shadow entry), and does the same for the sampling modes and host
# remapping on other layouts.
set -u
[ $# -eq 3 ] || { echo "usage: $0 EL2EMU GUEST_DIR WORK_DIR" >&2; exit 2; }
el2emu=$1
guests=$2
work=$3
src=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$work" && mkdir -p "$work" || exit 2
"$src/tools/record-traces.sh" -q "$el2emu" "$guests" "$work/a" >/dev/null || {
	echo "recording failed"; exit 1; }
"$src/tools/record-traces.sh" -q "$el2emu" "$guests" "$work/b" >/dev/null || exit 1
status=0
replay() {
	out=$("$el2emu" replay --audit "$1" 2>&1)
	rc=$?
	last=$(printf '%s\n' "$out" | tail -n 1)
	case "$rc:$last" in
	"0:"[1-9]*" passed, 0 failed") echo "$1: $last" ;;
	"0:0 passed, 0 failed") [ "${2:-}" = any ] && echo "$1: $last" || {
		echo "$1: nothing checked"; status=1; } ;;
	*) printf '%s\n' "$out" | tail -n 5; echo "$1: replay exit $rc"; status=1 ;;
	esac
}
for t in "$work"/a/*; do
	f=$(basename "$t")
	if ! cmp -s "$t" "$work/b/$f"; then
		echo "$f: two recordings of the same boot differ (not deterministic)"
		status=1
	fi
	replay "$t"
done
# Sampling modes and remapping under the other layouts (UART output still QEMU's).
for v in "nvhe all identity 0" "nvhe none offset 0" "vhe first-per-page identity 1" \
	 "duo first-per-page offset 2" "fatal all offset 1"; do
	set -- $v
	t="$work/$1-$2-$3-$4.trace"
	"$el2emu" run "$guests/$1.elf" --trace-accesses "$2" --host-s2 "$3" \
		--host-remap-every "$4" --trace-out "$t" >"$t.uart" || {
		echo "$t: el2emu run failed"; status=1; continue; }
	cmp -s "$t.uart" "$src/guests/expected/$1.out" || {
		echo "$t: UART output differs from QEMU's"; status=1; }
	replay "$t"
done
# The e2e feature probes, when built (tests/e2e): every access of theirs recorded, a host
# remap after every data fill.
for p in feat s1 s1vhe smc fp; do
	img="$guests/../tests/e2e/feat/$p.elf"
	[ -f "$img" ] || continue
	t="$work/probe-$p.trace"
	"$el2emu" run "$img" --trace-accesses all --host-s2 offset --host-remap-every 1 \
		--trace-out "$t" >"$t.uart" || {
		echo "$t: el2emu run failed"; status=1; continue; }
	cmp -s "$t.uart" "$src/tests/e2e/feat/$p.out" || {
		echo "$t: UART output differs from QEMU's"; status=1; }
	replay "$t"
done
# The e2e bad guests (tests/e2e/bad), when built: recorded without a crash, replayed
# without a failure (bad/vttbr: a guest stage-2 table the host does not back is recorded
# as `fault=host:`, docs/replay.md "Recording").
for img in "$guests"/../tests/e2e/bad/*.elf; do
	[ -f "$img" ] || continue
	v=$(basename "$img" .elf)
	t="$work/bad-$v.trace"
	"$el2emu" run --max-insns 1000000 --host-s2 offset --trace-accesses all \
		--host-remap-every 1 --trace-out "$t" "$img" >/dev/null 2>"$t.err"
	rc=$?
	if [ "$rc" -gt 1 ] || [ ! -s "$t" ]; then
		echo "$t: el2emu run exited $rc"; cat "$t.err"; status=1; continue
	fi
	if [ "$v" = vttbr ] && ! grep -q "^access .* fault=host:" "$t"; then
		echo "$t: the unbacked guest stage-2 table is not recorded as fault=host:"
		status=1
	fi
	replay "$t" any
done
# The e2e fuzz images (random instruction words; tests/e2e/fuzz), when built: stopped at
# --max-insns, sampled accesses and a host remap after every data fill recorded; the
# trace must still replay without a failure.
for img in "$guests"/../tests/e2e/fuzz/*/*.elf; do
	[ -f "$img" ] || continue
	t="$work/fuzz-$(basename "$(dirname "$img")")-$(basename "$img" .elf).trace"
	"$el2emu" run --max-insns 300000 --host-s2 offset \
		--host-remap-every 1 --trace-out "$t" "$img" >/dev/null 2>"$t.err"
	rc=$?
	if [ "$rc" -gt 1 ] || [ ! -s "$t" ]; then
		echo "$t: el2emu run exited $rc"; cat "$t.err"; status=1; continue
	fi
	replay "$t" any
done
exit $status
