# SPDX-License-Identifier: GPL-2.0
# Shared settings and helpers of the rig's shell scripts. Sourced, never run.

set -euo pipefail

RIG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$RIG_DIR/.." && pwd)

# Everything that is built or unpacked lives outside the repository, so that a
# fresh clone reuses the trees, build directories and ccache of an earlier one.
RIG_CACHE=${RIG_CACHE:-${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}/.cache/vmalloc-rig}
SRC=$RIG_CACHE/linux			# git tree: pristine base, then the series
BUILD_ROOT=$RIG_CACHE/build		# O= directories, one per config and variant
LOG_ROOT=${LOG_ROOT:-$TOP/out/logs}	# serial logs and verdicts of this checkout
BASE_PKG=${BASE_PKG:-linux-source-6.12}
BASE_TARBALL=${BASE_TARBALL:-/usr/src/$BASE_PKG.tar.xz}

export CCACHE_DIR=${CCACHE_DIR:-$RIG_CACHE/ccache}
export CCACHE_BASEDIR=$RIG_CACHE
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
# A build that does not depend on when and where it ran keeps ccache warm.
export KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-rig}
export KBUILD_BUILD_USER=rig KBUILD_BUILD_HOST=rig

RIG_T0=${RIG_T0:-$(date +%s)}
export RIG_T0

# step MESSAGE: say what starts now, with the time spent so far.
step() {
	printf '[rig %4ss] %s\n' "$(($(date +%s) - RIG_T0))" "$*"
}

die() {
	printf 'rig: error: %s\n' "$*" >&2
	exit 1
}

# build_lock: hold the rig's build lock until the script exits. One kernel
# build at a time on this machine: two would fight over the CPUs and, in
# the same directory, over the objects.
build_lock() {
	exec 9>"$RIG_CACHE/build.lock"
	flock 9
}

# arch_setup: the architecture of the legs to build or boot, from ARCH
# (x86_64 by default, arm64, i386): its cross compiler (installed when
# missing), kernel image and QEMU.
arch_setup() {
	ARCH=${ARCH:-x86_64}
	case "$ARCH" in
	x86_64)
		CROSS_COMPILE=
		KIMAGE=arch/x86/boot/bzImage
		QEMU=qemu-system-x86_64
		;;
	i386)
		CROSS_COMPILE=i686-linux-gnu-
		KIMAGE=arch/x86/boot/bzImage
		QEMU=qemu-system-x86_64
		need_pkgs gcc-i686-linux-gnu libc6-dev-i386-cross
		;;
	arm64)
		CROSS_COMPILE=aarch64-linux-gnu-
		KIMAGE=arch/arm64/boot/Image
		QEMU=qemu-system-aarch64
		need_pkgs gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm
		;;
	*)
		die "unknown ARCH '$ARCH' (x86_64, arm64 or i386)"
		;;
	esac
	KIMAGE_TARGET=$(basename "$KIMAGE")
	export ARCH CROSS_COMPILE
}

# leg_name CONFIG VARIANT: perf-ours, or perf-ours-arm64 off x86_64.
leg_name() {
	local arch=${ARCH:-x86_64}

	if [ "$arch" = x86_64 ]; then
		echo "$1-$2"
	else
		echo "$1-$2-$arch"
	fi
}

# leg_dir CONFIG VARIANT: where that leg is built.
leg_dir() {
	echo "$BUILD_ROOT/$(leg_name "$1" "$2")"
}

# wanted_options FRAGMENT...: the final word of the fragments on each
# option, as "CONFIG_X=v" or "CONFIG_X=n" (asked to be off).
wanted_options() {
	sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1=\2/p' \
		-e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1=n/p' "$@" |
		awk -F= '{ v[$1] = $0; if (!($1 in o)) { o[$1] = n++; k[n - 1] = $1 } }
			END { for (i = 0; i < n; i++) print v[k[i]] }'
}

# check_options CONFIG < WANTED: complain about each wanted option that
# CONFIG does not have; fail if there was one.
check_options() {
	local line opt bad=0

	while read -r line; do
		opt=${line%%=*}
		if [ "${line#*=}" = n ]; then
			if grep -q "^$opt=" "$1"; then
				echo "rig: $opt should be off but is on" >&2
				bad=1
			fi
		elif ! grep -qxF "$line" "$1"; then
			echo "rig: asked for $line, got: $(grep "^$opt=" "$1" || echo unset)" >&2
			bad=1
		fi
	done
	return "$bad"
}

# reconfigure CMD...: run CMD, which writes $B/.config anew; when the
# result is what was there before, keep the old file and its time stamp,
# so that nothing is rebuilt. Returns CMD's status.
reconfigure() {
	local rc=0

	[ -f "$B/.config" ] && cp -p "$B/.config" "$B/.config.prev"
	"$@" || rc=$?
	if [ "$rc" -eq 0 ] && [ -f "$B/.config.prev" ] &&
	   cmp -s "$B/.config" "$B/.config.prev"; then
		mv "$B/.config.prev" "$B/.config"
	fi
	rm -f "$B/.config.prev"
	return "$rc"
}

# kmake ARGS...: make in the base tree, out of tree in $B, with ccache,
# for $ARCH (x86_64 when unset).
kmake() {
	make -C "$SRC" O="$B" ARCH="${ARCH:-x86_64}" \
		CC="ccache ${CROSS_COMPILE:-}gcc" HOSTCC="ccache gcc" \
		${CROSS_COMPILE:+CROSS_COMPILE=$CROSS_COMPILE} "$@"
}

# run_quiet LOGFILE CMD...: run CMD with its output in LOGFILE, printing a
# progress line every 30 s; on failure show the end of the log.
run_quiet() {
	local log=$1 pid rc t0 n=0
	shift
	t0=$(date +%s)
	"$@" >"$log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		n=$((n + 1))
		if [ $((n % 30)) -eq 0 ]; then
			step "  ... $(($(date +%s) - t0))s: $(tail -n 1 "$log" | cut -c1-70)"
		fi
	done
	rc=0
	wait "$pid" || rc=$?
	if [ "$rc" -ne 0 ]; then
		tail -n 40 "$log" >&2
		die "'$*' failed (exit $rc), log: $log"
	fi
}

need_root_for_apt() {
	[ "$(id -u)" -eq 0 ] || die "missing packages ($*); run as root or install them"
}

APT_UPDATED=$RIG_CACHE/.apt-updated

# need_pkgs PKG...: install the Debian packages that are missing.
need_pkgs() {
	local p missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	need_root_for_apt "${missing[@]}"
	mkdir -p "$RIG_CACHE"
	step "installing ${missing[*]}"
	if [ ! -f "$APT_UPDATED" ]; then
		apt-get update -qq >/dev/null && touch "$APT_UPDATED"
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed"
}

# The exact base version, as the base tree's Makefile states it.
base_version() {
	local v p s
	v=$(sed -n 's/^VERSION = //p' "$SRC/Makefile")
	p=$(sed -n 's/^PATCHLEVEL = //p' "$SRC/Makefile")
	s=$(sed -n 's/^SUBLEVEL = //p' "$SRC/Makefile")
	echo "$v.$p.$s"
}
