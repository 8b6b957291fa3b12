#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rig/matrix.sh [ROW...]: compile the series' C files with W=1 and sparse
# under the configurations users build: the defconfigs of x86_64, i386,
# arm64, riscv64, s390x and ppc64le, Debian's own amd64 and PREEMPT_RT
# configs, and arm64 with tag-based KASAN; each with the series' options
# on (rig/configs/matrix.config). Only "prepare" and our objects are built,
# out of tree in $BUILD_ROOT/matrix-ROW, with ccache.
#
# Writes $LOG_ROOT/compile-matrix.log: one RIG-COMPILE line per row, which
# rig/verdict.py turns into a table. A row fails on any error, on any
# warning in the series' files, or when Kconfig dropped an option that the
# row asks for. With no ROW, every row.

. "$(dirname "$0")/common.sh"

# name		ARCH	cross prefix		start from	extra options
# (ppc64le_defconfig has KUNIT=m; rig/configs/matrix.config turns it to y,
# as the suites are built in only.)
ROWS=(
	"x86_64-defconfig	x86_64	-			defconfig	-"
	"x86_64-debian		x86_64	-			debian:amd64_none_amd64	-"
	"x86_64-debian-rt	x86_64	-			debian:amd64_rt_amd64	CONFIG_PREEMPT_RT=y"
	"i386-defconfig		i386	i686-linux-gnu-		i386_defconfig	CONFIG_HIGHMEM4G=y"
	"arm64-defconfig	arm64	aarch64-linux-gnu-	defconfig	-"
	"arm64-kasan-sw-tags	arm64	aarch64-linux-gnu-	defconfig	CONFIG_KASAN=y,CONFIG_KASAN_SW_TAGS=y,CONFIG_KASAN_VMALLOC=y"
	"riscv64-defconfig	riscv	riscv64-linux-gnu-	defconfig	-"
	"s390x-defconfig	s390	s390x-linux-gnu-	defconfig	-"
	"ppc64le-defconfig	powerpc	powerpc64le-linux-gnu-	ppc64le_defconfig	-"
)

# Each cross compiler row needs its Debian package.
cross_pkg() {
	case "$1" in
	-) ;;
	*) echo "gcc-${1%-}" ;;
	esac
}

pkgs=(sparse linux-config-6.12)
for row in "${ROWS[@]}"; do
	read -r _ _ cross _ _ <<<"$row"
	p=$(cross_pkg "$cross")
	[ -n "$p" ] && pkgs+=("$p")
done
need_pkgs "${pkgs[@]}"

# The series' C files: what the patch series owns under mm/ and lib/.
ours=()
for f in "$TOP"/mm/*.c "$TOP"/lib/*.c; do
	ours+=("${f#"$TOP"/}")
done

# configure ROW: .config in $B for the row, with the series' options.
configure() {
	local start=$1 extra=$2 frag=$B/rig-matrix.config

	cp "$RIG_DIR/configs/matrix.config" "$frag"
	[ "$extra" = - ] || tr ',' '\n' <<<"$extra" >>"$frag"
	case "$start" in
	debian:*)
		# Debian's own config; its signing keys live in Debian's tree.
		xz -dc "/usr/src/linux-config-6.12/config.${start#debian:}.xz" >"$B/.config"
		cat >>"$frag" <<-'EOF'
		CONFIG_SYSTEM_TRUSTED_KEYS=""
		CONFIG_MODULE_SIG_KEY="certs/signing_key.pem"
		EOF
		;;
	*)
		kmake "$start"
		;;
	esac
	KCONFIG_CONFIG=$B/.config "$SRC/scripts/kconfig/merge_config.sh" -m \
		-O "$B" "$B/.config" "$frag"
	kmake olddefconfig
}

# missing_options FRAGMENT: the options FRAGMENT asks for (its last word
# on each) that .config lacks.
missing_options() {
	local line
	wanted_options "$1" | while read -r line; do
		grep -qxF "$line" "$B/.config" || echo "${line%%=*}"
	done
}

mkdir -p "$LOG_ROOT"
out=$LOG_ROOT/compile-matrix.log
want=("$@")
build_lock
echo "RIG-COMPILE-MATRIX base=$(base_version)" >"$out"
for row in "${ROWS[@]}"; do
	read -r name arch cross start extra <<<"$row"
	if [ ${#want[@]} -gt 0 ] && ! printf '%s\n' "${want[@]}" | grep -qx "$name"; then
		continue
	fi
	# kmake (common.sh) builds for $ARCH with $CROSS_COMPILE.
	ARCH=$arch
	CROSS_COMPILE=
	[ "$cross" = - ] || CROSS_COMPILE=$cross
	B=$BUILD_ROOT/matrix-$name
	mkdir -p "$B"
	log=$B/matrix.log
	t0=$(date +%s)
	step "matrix $name: configuring"
	if ! reconfigure configure "$start" "$extra" >"$log" 2>&1; then
		echo "RIG-COMPILE row=$name status=fail errors=1 warnings=0 objects=0 seconds=$(($(date +%s) - t0)) detail=configuration-failed" >>"$out"
		tail -n 20 "$log"
		continue
	fi
	missing=$(missing_options "$B/rig-matrix.config" | tr '\n' ' ')
	if [ -n "$missing" ]; then
		echo "RIG-COMPILE row=$name status=fail errors=0 warnings=0 objects=0 seconds=$(($(date +%s) - t0)) detail=Kconfig-dropped:${missing// /,}" >>"$out"
		echo "rig: $name: Kconfig dropped $missing" >&2
		continue
	fi
	step "matrix $name: prepare"
	if ! kmake -j"$(nproc)" prepare >>"$log" 2>&1; then
		echo "RIG-COMPILE row=$name status=fail errors=1 warnings=0 objects=0 seconds=$(($(date +%s) - t0)) detail=prepare-failed" >>"$out"
		tail -n 20 "$log"
		continue
	fi
	# matrix.config turns on everything that builds them: all of them.
	objs=()
	for f in "${ours[@]}"; do
		objs+=("${f%.c}.o")
	done
	step "matrix $name: W=1 and sparse over ${#objs[@]} object(s)"
	clog=$B/matrix-compile.log
	rc=0
	# The objects are removed first, so that they are compiled again and
	# C=1 runs sparse on them (and only them). Debian 12's sparse cannot
	# parse riscv's -march: that row is compiled without it.
	(cd "$B" && rm -f "${objs[@]}")
	check=1
	[ "$arch" = riscv ] && check=0
	kmake -k W=1 C=$check -j"$(nproc)" "${objs[@]}" >"$clog" 2>&1 || rc=$?
	ourpat='(^|/)(mm/(vmap[a-z_]*|vmalloc_kunit)|lib/test_vmalloc)\.[ch]:[0-9]+'
	errors=$(grep -c -E 'error:' "$clog" || true)
	warnings=$(grep -E "$ourpat" "$clog" | grep -c -E 'warning:' || true)
	[ "$rc" -ne 0 ] && [ "$errors" -eq 0 ] && errors=1
	status=ok
	[ "$errors" -eq 0 ] && [ "$warnings" -eq 0 ] || status=fail
	echo "RIG-COMPILE row=$name status=$status errors=$errors warnings=$warnings objects=${#objs[@]} seconds=$(($(date +%s) - t0)) detail=${clog#"$RIG_CACHE"/}" >>"$out"
	if [ "$status" = fail ]; then
		grep -E 'error:|warning:' "$clog" | head -n 20 || true
	fi
	step "matrix $name: $status (errors $errors, warnings $warnings, $(($(date +%s) - t0))s)"
done
cat "$out"
! grep -q 'status=fail' "$out"
