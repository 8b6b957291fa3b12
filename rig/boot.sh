#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rig/boot.sh CONFIG VARIANT SCENARIOS [NAME]: boot a built kernel under QEMU
# (TCG) with the rig's initramfs, run SCENARIOS (comma separated, from
# rig/scenarios/) and capture the serial log as $LOG_ROOT/NAME.log.
# Knobs: SMP, MEM, ICOUNT=1, TIMEOUT (s), LOOPS, THREADS, REPEAT, MASK,
# APPEND (more kernel command line).

. "$(dirname "$0")/common.sh"

config=${1:?usage: boot.sh CONFIG VARIANT SCENARIOS [NAME]}
variant=${2:?}
scenarios=${3:?}
name=${4:-$config-$variant-${scenarios//,/+}}
SMP=${SMP:-2}
MEM=${MEM:-2G}
TIMEOUT=${TIMEOUT:-900}

B=$BUILD_ROOT/$config-$variant
kernel=$B/arch/x86/boot/bzImage
[ -f "$kernel" ] || die "no kernel at $kernel: run rig/build.sh $config $variant"

# The initramfs: busybox, the rig's small static tools (rig/initramfs/*.c:
# the one-shot module loader, the /proc/kcore reader), init, scenarios,
# modules.
tools=$RIG_CACHE/tools
mkdir -p "$tools"
stage=$B/initramfs
rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,dev,proc,sys,tmp,rig,lib}
cp /bin/busybox "$stage/bin/busybox"
for src in "$RIG_DIR"/initramfs/*.c; do
	tool=$tools/$(basename "$src" .c)
	if [ ! -x "$tool" ] || [ "$src" -nt "$tool" ]; then
		gcc -static -O2 -Wall -o "$tool" "$src"
	fi
	cp "$tool" "$stage/bin/"
done
cp "$RIG_DIR/initramfs/init" "$stage/init"
cp "$RIG_DIR/initramfs/lib.sh" "$stage/rig/lib.sh"
cp -r "$RIG_DIR/scenarios" "$stage/rig/scenarios"
[ -d "$B/modroot/lib/modules" ] && cp -r "$B/modroot/lib/modules" "$stage/lib/"
chmod +x "$stage/init"
(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) >"$B/initramfs.cpio.gz"

cmdline="console=ttyS0 nokaslr panic=-1 oops=panic reboot=t printk.devkmsg=on"
cmdline+=" numa=fake=2 rig.scenario=$scenarios"
for knob in LOOPS THREADS REPEAT MASK; do
	val=${!knob:-}
	[ -n "$val" ] && cmdline+=" rig.${knob,,}=$val"
done
cmdline+=" ${APPEND:-}"

# microvm: no PCI, no ACPI, and a QEMU-made MP table that lists every vCPU
# (SeaBIOS's on the pc machine lists only the boot CPU).
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
step "booting $name ($config-$variant, smp $SMP, mem $MEM, $timing)"
t0=$(date +%s)
timeout "$TIMEOUT" qemu-system-x86_64 -nodefaults -machine microvm,acpi=off -cpu max,la57=off \
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
