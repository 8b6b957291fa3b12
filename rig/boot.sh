#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rig/boot.sh CONFIG VARIANT SCENARIOS [NAME]: boot a built kernel under QEMU
# (TCG) with the rig's initramfs, run SCENARIOS (comma separated, from
# rig/scenarios/) and capture the serial log as $LOG_ROOT/NAME.log.
# Knobs: SMP, MEM, ICOUNT=1, TIMEOUT (s), LOOPS, THREADS, REPEAT, MASK,
# DURATION and SEED (the torture test),
# APPEND (more kernel command line), ARCH (x86_64, arm64, i386), NUMA
# (fake NUMA nodes on x86_64, 2).

. "$(dirname "$0")/common.sh"

config=${1:?usage: boot.sh CONFIG VARIANT SCENARIOS [NAME]}
variant=${2:?}
scenarios=${3:?}
name=${4:-}
SMP=${SMP:-2}
MEM=${MEM:-2G}
TIMEOUT=${TIMEOUT:-900}

arch_setup
B=$(leg_dir "$config" "$variant")
kernel=$B/$KIMAGE
[ -n "$name" ] || name=$(leg_name "$config" "$variant")-${scenarios//,/+}
[ -f "$kernel" ] || die "no kernel at $kernel: run ARCH=$ARCH rig/build.sh $config $variant"

# busybox_for_arch: a static busybox that runs on $ARCH: the machine's own
# on x86_64 (which runs i386 binaries too, but Debian's i386 build is the
# one that is tested there), Debian's package of the other architecture
# otherwise, unpacked once into the cache.
busybox_for_arch() {
	local debarch dir tmp

	if [ "$ARCH" = x86_64 ]; then
		echo /bin/busybox
		return
	fi
	debarch=$ARCH
	dir=$RIG_CACHE/busybox-$debarch
	if [ ! -x "$dir/bin/busybox" ]; then
		need_root_for_apt "busybox-static:$debarch"
		if ! dpkg --print-foreign-architectures | grep -qx "$debarch"; then
			dpkg --add-architecture "$debarch"
			rm -f "$APT_UPDATED"
		fi
		if [ ! -f "$APT_UPDATED" ]; then
			apt-get update -qq >/dev/null && touch "$APT_UPDATED"
		fi
		tmp=$(mktemp -d)
		chmod 755 "$tmp"
		(cd "$tmp" && apt-get download -qq "busybox-static:$debarch" >/dev/null) ||
			die "cannot download busybox-static:$debarch"
		rm -rf "$dir"
		dpkg-deb -x "$tmp"/busybox-static_*.deb "$dir"
		rm -rf "$tmp"
	fi
	echo "$dir/bin/busybox"
}

# The initramfs: busybox, the rig's small static tools (rig/initramfs/*.c:
# the one-shot module loader, the /proc/kcore reader), init, scenarios,
# modules.
tools=$RIG_CACHE/tools-$ARCH
mkdir -p "$tools"
stage=$B/initramfs
rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,dev,proc,sys,tmp,rig,lib}
cp "$(busybox_for_arch)" "$stage/bin/busybox"
for src in "$RIG_DIR"/initramfs/*.c; do
	tool=$tools/$(basename "$src" .c)
	if [ ! -x "$tool" ] || [ "$src" -nt "$tool" ]; then
		"${CROSS_COMPILE}gcc" -static -O2 -Wall -o "$tool" "$src"
	fi
	cp "$tool" "$stage/bin/"
done
cp "$RIG_DIR/initramfs/init" "$stage/init"
cp "$RIG_DIR/initramfs/lib.sh" "$stage/rig/lib.sh"
cp -r "$RIG_DIR/scenarios" "$stage/rig/scenarios"
[ -d "$B/modroot/lib/modules" ] && cp -r "$B/modroot/lib/modules" "$stage/lib/"
# The selftest scenario runs tools/testing/selftests/mm/test_vmalloc.sh
# from the tree as a user would: under bash (this machine's, with the
# libraries it links), beside the kselftest helpers it sources.
if [ "$ARCH" = x86_64 ]; then
	mkdir -p "$stage/rig/selftests/mm" "$stage/rig/selftests/kselftest"
	cp "$SRC/tools/testing/selftests/mm/test_vmalloc.sh" "$stage/rig/selftests/mm/"
	cp "$SRC/tools/testing/selftests/kselftest/ktap_helpers.sh" \
		"$stage/rig/selftests/kselftest/"
	cp /bin/bash "$stage/bin/bash"
	for lib in $(ldd /bin/bash | grep -o '/[^ ]*'); do
		cp -L --parents "$lib" "$stage"
	done
fi
chmod +x "$stage/init"
(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) >"$B/initramfs.cpio.gz"

# x86 and i386 on QEMU's microvm machine: no PCI, no ACPI, and a
# QEMU-made MP table that lists every vCPU (SeaBIOS's on the pc machine
# lists only the boot CPU); x86_64 splits its memory into two fake NUMA
# nodes. arm64 on the virt machine, with the cheap pointer-authentication
# algorithm (QARMA is slow under TCG).
case "$ARCH" in
arm64)
	# earlycon: a panic before the PL011 driver probes is seen too.
	console="ttyAMA0 earlycon"
	machine=(-machine virt -cpu max,pauth-impdef=on)
	;;
*)
	console=ttyS0
	machine=(-machine microvm,acpi=off -cpu max,la57=off)
	;;
esac
cmdline="console=$console nokaslr panic=-1 oops=panic reboot=t printk.devkmsg=on"
[ "$ARCH" = x86_64 ] && cmdline+=" numa=fake=${NUMA:-2}"
cmdline+=" rig.scenario=$scenarios"
for knob in LOOPS THREADS REPEAT MASK DURATION SEED; do
	val=${!knob:-}
	[ -n "$val" ] && cmdline+=" rig.${knob,,}=$val"
done
cmdline+=" ${APPEND:-}"

accel=(-accel tcg,thread=multi)
timing="MTTCG"
if [ "${ICOUNT:-0}" = 1 ]; then
	timing="icount"
	# Instruction-counted time: deterministic, single-threaded TCG.
	accel=(-accel tcg,thread=single -icount shift=0,sleep=off)
fi

mkdir -p "$LOG_ROOT"
log=$LOG_ROOT/$name.log
rm -f "$log"
step "booting $name ($(leg_name "$config" "$variant"), smp $SMP, mem $MEM, $timing)"
t0=$(date +%s)
timeout "$TIMEOUT" "$QEMU" -nodefaults "${machine[@]}" \
	"${accel[@]}" -smp "$SMP" -m "$MEM" \
	-kernel "$kernel" -initrd "$B/initramfs.cpio.gz" -append "$cmdline" \
	-display none -serial "file:$log" -no-reboot &
pid=$!
n=0
while kill -0 "$pid" 2>/dev/null; do
	sleep 1
	n=$((n + 1))
	if [ $((n % 30)) -eq 0 ]; then
		step "  ... $(($(date +%s) - t0))s: $(grep -a -E 'RIG|Summary|# Subtest|ok [0-9]' "$log" |
			grep -v RIG-VMI | tail -n 1 | tr -d '\r' | cut -c1-70)"
	fi
done
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 124 ] && step "  timed out after ${TIMEOUT}s"
step "  $name: $(($(date +%s) - t0))s, log $log"
exit 0
