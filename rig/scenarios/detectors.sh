# SPDX-License-Identifier: GPL-2.0
# detectors: the debug tools still catch what they are there to catch, so
# that "no report" from them means something (debug kernels). The rig's
# module vmalloc_detect leaks a vmalloc() and a vzalloc() area: kmemleak
# must report both. Then it reads an area after vfree() and a purge: KASAN
# must report it. The verdict expects that report, in this scenario only,
# and fails on any other. It runs last in the debug boot: the report
# taints the kernel, which turns lockdep off; and not in the boot of
# KASAN's suite, whose bad frees turn kmemleak off.

expect checks 2
ko=$(find /lib/modules -name vmalloc_detect.ko | head -n 1)

# 1. Two leaks, found by a scan once they are older than kmemleak's 5 s.
found=0
if have_kmemleak && [ -n "$ko" ]; then
	kmemleak_begin
	set -- $(/bin/finit "$ko" leak=1)
	say "RIG: detectors: leak module rc=${1:-none}"
	# The module's init ran on finit's stack, which goes to a per-CPU
	# cache of thread stacks when finit is gone (after a grace period),
	# stale copies of the leaked addresses included: kmemleak scans it
	# and counts them as references. A fork that reuses a cached stack
	# clears it: cycle the caches of every CPU.
	sleep 1
	for i in 1 2 3 4 5 6 7 8; do
		cat /dev/null & cat /dev/null & cat /dev/null & wait
	done
	sleep 5
	: >/tmp/kmemleak
	if kmemleak_alive; then
		echo scan >/sys/kernel/debug/kmemleak
		cat /sys/kernel/debug/kmemleak >/tmp/kmemleak
	fi
	for addr in $(dmesg | sed -n "s/.*RIG-DETECT leak [a-z]* 0x\([0-9a-f]*\).*/\1/p"); do
		if grep -q "unreferenced object 0x$addr " /tmp/kmemleak; then
			found=$((found + 1))
		else
			# What kmemleak knows of it: its count of references
			# against the two that a vmalloc() area needs.
			echo "dump=0x$addr" 2>/dev/null >/sys/kernel/debug/kmemleak
			dmesg | sed -n "/kmemleak: .*0x$addr/,+5p" |
				while read -r line; do
					say "RIG: detectors: $line"
				done
		fi
	done
	while read -r line; do
		say "RIG-REPORT kmemleak $line"
	done </tmp/kmemleak
fi
if [ "$found" = 2 ]; then
	say "RIG-CHECK kmemleak ok 2 of 2 deliberate leaks reported"
else
	say "RIG-CHECK kmemleak fail $found of 2 deliberate leaks reported"
fi

# 2. A read after vfree() and a purge, which KASAN must report. The
# verdict takes splats for expected between the module's "RIG-DETECT uaf"
# line and RIG-DETECT-END, and nowhere else.
reports=0
mapped=
if [ -n "$ko" ]; then
	rmmod vmalloc_detect 2>/dev/null
	set -- $(/bin/finit "$ko" uaf=1)
	say "RIG-DETECT-END uaf rc=${1:-killed}"
	dmesg | sed -n '/RIG-DETECT uaf 0x/,$p' >/tmp/uaf
	reports=$(grep -c 'BUG: KASAN: ' /tmp/uaf)
	mapped=$(sed -n 's/.*RIG-DETECT uaf 0x[0-9a-f]* mapped=\([01]\).*/\1/p' /tmp/uaf)
fi
if [ "$reports" -ge 1 ] && [ "$mapped" = 0 ]; then
	say "RIG-CHECK kasan ok 1 of 1 reads after vfree() reported, range unmapped"
else
	say "RIG-CHECK kasan fail $reports KASAN reports of a read after vfree(), mapped=${mapped:-unknown}"
fi
