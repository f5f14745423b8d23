#!/bin/sh
# One end-to-end check of `el2emu run` (tests/e2e/CMakeLists.txt registers the cases).
#   run-e2e.sh EL2EMU IMAGE LAYOUT EXPECTED MAX_INSNS WANT_RC [QEMU|-] [prefix]
# (IMAGE *.bin: a raw binary, run with --load-addr 0x40000000.)
# Runs IMAGE on el2emu with --host-s2 LAYOUT and requires exit status WANT_RC and UART
# output equal to EXPECTED byte for byte (with "prefix": EXPECTED must start the output;
# the runaway cases, stopped by --max-insns). With QEMU (not "-"), the image also boots
# on qemu-system-aarch64 -M virt,virtualization=on -cpu max and the two UART outputs must
# be identical. QEMU=- with a live test requested: exit 77 (skipped) with a message.
# E2E_RUN_OPTS (environment): more `el2emu run` options, e.g. --shadow-pool 1.
set -u
el2emu=$1 image=$2 layout=$3 expected=$4 max=$5 want_rc=$6 qemu=${7:--} mode=${8:-exact}
out=$(mktemp) err=$(mktemp) qout=$(mktemp)
# A raw binary (*.bin) is loaded at the start of RAM with --load-addr.
load=
case $image in *.bin) load="--load-addr 0x40000000" ;; esac
trap 'rm -f "$out" "$err" "$qout"' EXIT

# fail_diff MESSAGE A B: the message, the start of diff -u A B, el2emu's stderr; exit 1.
fail_diff() {
	echo "$1"
	diff -u "$2" "$3" | head -40
	cat "$err"
	exit 1
}

if [ "$layout" = qemu-live ]; then
	if [ "$qemu" = - ]; then
		echo "SKIPPED: qemu-system-aarch64 not found; el2emu is still checked against" \
		     "the recorded QEMU output (guests/expected) by the other e2e tests"
		exit 77
	fi
	timeout 60 "$qemu" -M virt,virtualization=on -cpu max -m 128M -nographic \
		-kernel "$image" </dev/null >"$qout" 2>/dev/null
	qrc=$?
	if [ "$qrc" != 0 ] || [ ! -s "$qout" ]; then
		echo "$image: QEMU exited $qrc with $(wc -c <"$qout") bytes of output" \
		     "(124: timeout): no reference to compare with"
		exit 1
	fi
	timeout 60 "$el2emu" run --max-insns "$max" "$image" >"$out" 2>"$err"
	cmp -s "$qout" "$out" ||
		fail_diff "$image: el2emu and live QEMU UART outputs differ:" "$qout" "$out"
	echo "$image: el2emu output equals live QEMU output ($(wc -c <"$out") bytes)"
	exit 0
fi

# shellcheck disable=SC2086
timeout 60 "$el2emu" run --host-s2 "$layout" --max-insns "$max" $load ${E2E_RUN_OPTS:-} \
	"$image" >"$out" 2>"$err"
rc=$?
if [ "$rc" != "$want_rc" ]; then
	echo "$image ($layout): exit status $rc, expected $want_rc (124: timeout)"
	cat "$err"
	exit 1
fi
if [ "$mode" = prefix ]; then
	n=$(wc -c <"$expected")
	if ! head -c "$n" "$out" | cmp -s - "$expected"; then
		echo "$image ($layout): output does not start with $expected"
		head -c 2000 "$out"
		exit 1
	fi
	if [ "$want_rc" != 0 ] && ! grep -q "stopped after [0-9]* instructions (--max-insns)" "$err"; then
		echo "$image ($layout): no --max-insns message on stderr:"
		cat "$err"
		exit 1
	fi
elif ! cmp -s "$out" "$expected"; then
	fail_diff "$image ($layout): UART output differs from $expected:" "$expected" "$out"
fi
echo "$image ($layout): ok, exit $rc, $(wc -c <"$out") bytes"
cat "$err"
exit 0
