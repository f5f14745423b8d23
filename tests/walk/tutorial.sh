#!/bin/sh
# Runs every command of docs/tutorial.md and compares its output with the text shown.
# usage: tutorial.sh [--update] EL2EMU SOURCE_DIR
# In a ```console block, a line "$ CMD" is a command (run from SOURCE_DIR, with
# "build/el2emu" standing for EL2EMU) and the lines up to the next command or the end of the
# block are its output. --update rewrites the page with the outputs instead of comparing.
set -u
update=0
if [ "${1:-}" = "--update" ]; then
	update=1
	shift
fi
el2emu=$1 src=$2
doc=$src/docs/tutorial.md
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$src" || exit 1
fail=0 ncmd=0 cmd= inblock=0
: >"$tmp/new"

finish() {
	[ -n "$cmd" ] || return 0
	ncmd=$((ncmd + 1))
	run=$(printf '%s\n' "$cmd" | sed "s#build/el2emu#$el2emu#g")
	sh -c "$run" >"$tmp/got" 2>&1
	cat "$tmp/got" >>"$tmp/new"
	if [ $update = 0 ] && ! cmp -s "$tmp/want" "$tmp/got"; then
		echo "tutorial.sh: the output of '$cmd' differs from docs/tutorial.md:"
		diff -u "$tmp/want" "$tmp/got" | sed 1,2d
		fail=1
	fi
	cmd=
}

while IFS= read -r line; do
	if [ $inblock = 0 ]; then
		printf '%s\n' "$line" >>"$tmp/new"
		[ "$line" = '```console' ] && inblock=1
		continue
	fi
	case $line in
	'```')
		finish
		inblock=0
		printf '%s\n' "$line" >>"$tmp/new" ;;
	'$ '*)
		finish
		cmd=${line#'$ '}
		: >"$tmp/want"
		printf '%s\n' "$line" >>"$tmp/new" ;;
	*)
		printf '%s\n' "$line" >>"$tmp/want" ;;
	esac
done <"$doc"

if [ $ncmd = 0 ]; then
	echo "tutorial.sh: no command found in $doc"
	exit 1
fi
if [ $update = 1 ]; then
	cp "$tmp/new" "$doc"
	echo "tutorial.sh: $ncmd commands, $doc rewritten"
	exit 0
fi
[ $fail = 0 ] && echo "tutorial.sh: $ncmd commands, every output as shown"
exit $fail
