#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rig/build.sh CONFIG VARIANT: configure and build the assembled tree out of
# tree with ccache. CONFIG is perf, debug, profile (perf with the
# function profiler, for make profile) or scale (perf for 64 vCPUs with
# lock statistics, for make scale); VARIANT is ours or stock (the
# vmalloc implementation picked by the series' Kconfig switch). ARCH (from
# the environment: x86_64, the default, arm64 or i386) picks the
# architecture, cross-compiled with Debian's compilers.
# The result is $(leg_dir CONFIG VARIANT)/{IMAGE,modroot}: see common.sh.

. "$(dirname "$0")/common.sh"

config=${1:?usage: build.sh CONFIG VARIANT}
variant=${2:?usage: build.sh CONFIG VARIANT}

case "$config" in
perf|debug|profile|scale) ;;
*) die "unknown CONFIG '$config' (perf, debug, profile or scale)" ;;
esac
case "$variant" in
ours|stock) ;;
*) die "unknown VARIANT '$variant' (ours or stock)" ;;
esac
arch_setup
# Later fragments win: base, the architecture, perf, debug and its
# architecture's part, then the variant.
frags=()
names=(base "arch-$ARCH" perf)
[ "$config" = debug ] && names+=(debug "debug-$ARCH")
[ "$config" = profile ] && names+=(profile)
[ "$config" = scale ] && names+=(scale)
names+=("$variant" "$config-$variant")
for f in "${names[@]}"; do
	if [ -f "$RIG_DIR/configs/$f.config" ]; then
		frags+=("$RIG_DIR/configs/$f.config")
	fi
done

# EXTRA_CONFIG: one more fragment of the user's, merged last.
[ -n "${EXTRA_CONFIG:-}" ] && frags+=("$(realpath "$EXTRA_CONFIG")")

build_lock
B=$(leg_dir "$config" "$variant")
mkdir -p "$B"
JOBS=${JOBS:-$(nproc)}

# .config from the fragments, every time (reconfigure keeps the old file
# when nothing changed).
configure() {
	kmake tinyconfig
	KCONFIG_CONFIG=$B/.config "$SRC/scripts/kconfig/merge_config.sh" -m \
		-O "$B" "$B/.config" "${frags[@]}"
	kmake olddefconfig
}

step "configuring $config-$variant"
reconfigure configure >"$B/config.log" 2>&1 ||
	{ tail -n 20 "$B/config.log"; die "configuration failed"; }

# Every option a fragment asks for must be in the result: Kconfig drops
# what it cannot satisfy without a word. Where fragments disagree, the
# last one wins, as in merge_config.sh.
wanted_options "${frags[@]}" | check_options "$B/.config" ||
	die "the $config config does not have what its fragments ask for"

step "building $(leg_name "$config" "$variant") (-j$JOBS)"
run_quiet "$B/build.log" kmake -j"$JOBS" "$KIMAGE_TARGET" modules
# The base tree's own test_vmalloc, unmodified, as an external module named
# test_vmalloc_upstream: the series replaces lib/test_vmalloc.c, and both
# must run on every kernel.
ext=$B/upstream-tvm
mkdir -p "$ext"
git -C "$SRC" show base:lib/test_vmalloc.c >"$ext/new.c"
if cmp -s "$ext/new.c" "$ext/test_vmalloc_upstream.c"; then
	rm "$ext/new.c"
else
	mv "$ext/new.c" "$ext/test_vmalloc_upstream.c"
fi
echo 'obj-m := test_vmalloc_upstream.o' >"$ext/Kbuild"
run_quiet "$ext/build.log" kmake M="$ext" modules
# The rig's own modules (rig/modules/*.c), which never enter the tree: the
# deliberate leaks and use after free of the detectors scenario.
rigmod=$B/rig-modules
mkdir -p "$rigmod"
objs=
for src in "$RIG_DIR"/modules/*.c; do
	cmp -s "$src" "$rigmod/${src##*/}" || cp "$src" "$rigmod/"
	objs="$objs $(basename "$src" .c).o"
done
echo "obj-m :=$objs" >"$rigmod/Kbuild"
run_quiet "$rigmod/build.log" kmake M="$rigmod" modules

rm -rf "$B/modroot"
run_quiet "$B/modules_install.log" kmake INSTALL_MOD_PATH="$B/modroot" \
	INSTALL_MOD_STRIP=1 modules_install
kver=$(cat "$B/include/config/kernel.release")
mkdir -p "$B/modroot/lib/modules/$kver/extra"
cp "$ext/test_vmalloc_upstream.ko" "$rigmod"/*.ko \
	"$B/modroot/lib/modules/$kver/extra/"
step "built $B/$KIMAGE"
