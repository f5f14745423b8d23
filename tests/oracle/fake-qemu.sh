#!/bin/sh
# Stands in for qemu-system-aarch64 in oragen's own tests (no QEMU needed): prints the
# broken oracle output that $ORAGEN_FAKE names, which oragen must reject.
if [ "$1" = "--version" ]; then
	echo "fake QEMU"
	exit 0
fi
case "$ORAGEN_FAKE" in
exception)	printf 'ORACLE 1\nS 0\nX 0000000096000010 0000000040000100 0000000000000000\n' ;;
register)	printf 'ORACLE 1\nS 0\nR 7 0000000080000001 0000000000000001\n' ;;
garbage)	printf 'ORACLE 1\nS 0\nP 123\n' ;;
truncated)	printf 'ORACLE 1\nS 0\n' ;;
noblob)		printf 'ORACLE 1\nERR no blob\n' ;;
wrongpar)	# well-formed output with PAR_EL1 = 1 for every query: walk the blob's records
		blob=$(printf '%s\n' "$@" | sed -n "s/^loader,file=\([^,]*\),.*/\1/p")
		u32() { od -A n -t u4 -j "$1" -N 4 "$blob" | tr -d ' '; }
		echo 'ORACLE 1'
		nscn=$(u32 4)
		off=8
		n=0
		while [ $n -lt "$nscn" ]; do
			echo "S $n"
			nregs=$(u32 $((off + 4)))
			nmem=$(u32 $((off + 8)))
			nq=$(u32 $((off + 12)))
			i=0
			while [ $i -lt "$nq" ]; do echo 'P 0000000000000001'; i=$((i + 1)); done
			off=$((off + 16 + 16 * (nregs + nmem + nq)))
			n=$((n + 1))
		done
		echo "DONE $nscn" ;;
status)		printf 'ORACLE 1\n'; exit 124 ;;
esac
exit 0
