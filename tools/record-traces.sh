#!/bin/sh
# Boots every guest of traces/manifest on el2emu and records its trace.
#   tools/record-traces.sh [-q] EL2EMU GUEST_DIR OUT_DIR
# EL2EMU: the binary; GUEST_DIR: where IMAGE.elf are (build/guests); OUT_DIR: where the
# traces go (traces/ to regenerate the bundled ones). The UART output of each boot goes to
# stdout (-q: not shown) and must equal QEMU's (guests/expected/IMAGE.out).
# Exit status: 0 all booted and matched, 1 otherwise, 2 usage.
set -u
quiet=0
if [ "${1:-}" = "-q" ]; then
	quiet=1
	shift
fi
if [ $# -ne 3 ]; then
	echo "usage: $0 [-q] EL2EMU GUEST_DIR OUT_DIR" >&2
	exit 2
fi
el2emu=$1
guests=$2
out=$3
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out" || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
status=0
grep -v -e '^#' -e '^[[:space:]]*$' "$src/traces/manifest" | while read -r file image opts; do
	uart="$tmp/$file.uart"
	echo "== boot $image.elf $opts --trace-out $out/$file"
	# shellcheck disable=SC2086 # opts is a list of options
	"$el2emu" run "$guests/$image.elf" $opts --trace-out "$out/$file" >"$uart"
	rc=$?
	[ "$quiet" -eq 1 ] || cat "$uart"
	if [ "$rc" -ne 0 ]; then
		echo "boot $file: el2emu run exited $rc"
		exit 1
	fi
	if ! cmp -s "$uart" "$src/guests/expected/$image.out"; then
		echo "boot $file: UART output differs from QEMU's (guests/expected/$image.out)"
		exit 1
	fi
	echo "boot $file: UART output equal to QEMU's, trace $(wc -c <"$out/$file") bytes"
done || status=1
exit $status
