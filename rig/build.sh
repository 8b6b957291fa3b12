#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rig/build.sh CONFIG VARIANT: configure and build the assembled tree out of
# tree with ccache. CONFIG is perf or debug; VARIANT is ours or stock (the
# vmalloc implementation picked by the series' Kconfig switch, when it has one).
# The result is $BUILD_ROOT/CONFIG-VARIANT/{arch/x86/boot/bzImage,modroot}.

. "$(dirname "$0")/common.sh"

config=${1:?usage: build.sh CONFIG VARIANT}
variant=${2:?usage: build.sh CONFIG VARIANT}

frags=("$RIG_DIR/configs/base.config" "$RIG_DIR/configs/perf.config")
case "$config" in
perf) ;;
debug) frags+=("$RIG_DIR/configs/debug.config") ;;
*) die "unknown CONFIG '$config' (perf or debug)" ;;
esac
case "$variant" in
ours|stock) ;;
*) die "unknown VARIANT '$variant' (ours or stock)" ;;
esac
for f in "$variant" "$config-$variant"; do
	if [ -f "$RIG_DIR/configs/$f.config" ]; then
		frags+=("$RIG_DIR/configs/$f.config")
	fi
done

build_lock
B=$BUILD_ROOT/$config-$variant
mkdir -p "$B"
JOBS=${JOBS:-$(nproc)}

# Regenerate .config from the fragments every time, but keep the old file
# (and its time stamp) when nothing changed, so that nothing is rebuilt.
step "configuring $config-$variant"
[ -f "$B/.config" ] && cp -p "$B/.config" "$B/.config.prev"
{
	kmake tinyconfig
	KCONFIG_CONFIG=$B/.config "$SRC/scripts/kconfig/merge_config.sh" -m \
		-O "$B" "$B/.config" "${frags[@]}"
	kmake olddefconfig
} >"$B/config.log" 2>&1 || { tail -n 20 "$B/config.log"; die "configuration failed"; }
if [ -f "$B/.config.prev" ] && cmp -s "$B/.config" "$B/.config.prev"; then
	mv "$B/.config.prev" "$B/.config"
fi
rm -f "$B/.config.prev"

# Every option a fragment asks for must be in the result: Kconfig drops
# what it cannot satisfy without a word.
bad=0
while read -r line; do
	case "$line" in
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		if grep -q "^$opt=" "$B/.config"; then
			echo "rig: $opt should be off but is on" >&2
			bad=1
		fi
		;;
	CONFIG_*)
		if ! grep -qx "$line" "$B/.config"; then
			echo "rig: asked for $line, got: $(grep "^${line%%=*}=" "$B/.config" || echo unset)" >&2
			bad=1
		fi
		;;
	esac
done < <(cat "${frags[@]}")
[ "$bad" -eq 0 ] || die "the $config config does not have what its fragments ask for"

step "building $config-$variant (-j$JOBS)"
run_quiet "$B/build.log" kmake -j"$JOBS" bzImage modules
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

rm -rf "$B/modroot"
run_quiet "$B/modules_install.log" kmake INSTALL_MOD_PATH="$B/modroot" \
	INSTALL_MOD_STRIP=1 modules_install
kver=$(cat "$B/include/config/kernel.release")
mkdir -p "$B/modroot/lib/modules/$kver/extra"
cp "$ext/test_vmalloc_upstream.ko" "$B/modroot/lib/modules/$kver/extra/"
step "built $B/arch/x86/boot/bzImage"
