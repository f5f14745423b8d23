#!/bin/sh
# Runs `el2emu walk` and checks its output against an expectation file.
# usage: check.sh EL2EMU EXPECT_FILE EXIT_STATUS [walk arguments...]
# EXPECT_FILE lines (blank lines and lines starting with '#' are comments):
#   line: TEXT       an output line equal to TEXT (leading blanks ignored); the `line:`
#                    entries must appear in this order
#   count: N ERE     exactly N output lines match the extended regular expression ERE
#   absent: ERE      no output line matches ERE
set -u
el2emu=$1 expect=$2 status=$3
shift 3
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
"$el2emu" walk "$@" >"$out" 2>&1
rc=$?
cat "$out"
fail=0
if [ "$rc" != "$status" ]; then
	echo "check.sh: exit status $rc, expected $status"
	fail=1
fi
# Ordered exact lines.
awk -v ef="$expect" '
BEGIN {
	n = 0
	while ((getline l < ef) > 0)
		if (l ~ /^line: /) { want[n++] = substr(l, 7) }
	i = 0
}
{ sub(/^[ \t]+/, ""); if (i < n && $0 == want[i]) i++ }
END {
	if (i < n) { print "check.sh: missing or out of order: " want[i]; exit 1 }
}' "$out" || fail=1
# Counts and absences.
while IFS= read -r l; do
	case $l in
	count:*)
		set -- ${l#count: }
		n=$1
		re=${l#count: $n }
		got=$(grep -Ec -- "$re" "$out")
		if [ "$got" != "$n" ]; then
			echo "check.sh: $got lines match '$re', expected $n"
			fail=1
		fi ;;
	absent:*)
		re=${l#absent: }
		if grep -Eq -- "$re" "$out"; then
			echo "check.sh: a line matches '$re'"
			fail=1
		fi ;;
	esac
done <"$expect"
exit $fail
