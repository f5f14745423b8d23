#!/bin/sh
# Installs the Debian packages el2emu needs, and only those missing; idempotent.
# Build: cmake, a C compiler, pkg-config, Unicorn, Capstone, cmocka, zlib.
# Guests and the oracle: the AArch64 cross toolchain and QEMU.
set -eu
PACKAGES="cmake make gcc pkg-config libunicorn-dev libcapstone-dev libcmocka-dev
zlib1g-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-system-arm"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	echo "deps: all Debian packages present"
	exit 0
fi
echo "deps: installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "deps: these packages are missing and this is not root:$missing" >&2
		echo "deps: run 'apt-get install$missing' as root, then retry" >&2
		exit 1
	fi
else
	SUDO=""
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
