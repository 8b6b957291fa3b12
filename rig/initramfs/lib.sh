# SPDX-License-Identifier: GPL-2.0
# Helpers for the scenarios, sourced by the rig's init (busybox sh).

# say LINE: one line into the kernel log, next to the kernel's own messages.
say() {
	echo "$*" >/dev/kmsg
}

# vmalloc_used: VmallocUsed in kB, into $used. Builtins only, like all of
# snap: a forked helper's thread stack would be freed (after an RCU grace
# period) while the snapshot is being taken, and skew it.
vmalloc_used() {
	local key val unit

	while read -r key val unit; do
		[ "$key" = VmallocUsed: ] && used=$val
	done </proc/meminfo
}

# snap TAG: VmallocUsed and every /proc/vmallocinfo line, for the leak check.
# The two are read at different times: retry until VmallocUsed is the same
# before and after the read.
snap() {
	local used before try=0 line

	while :; do
		vmalloc_used
		before=$used
		while read -r line; do
			echo "$line"
		done </proc/vmallocinfo >/tmp/vmallocinfo
		vmalloc_used
		[ "$used" = "$before" ] && break
		try=$((try + 1))
		[ "$try" -ge 10 ] && break
	done
	say "RIG-MEM $1 VmallocUsed: $used kB"
	while read -r line; do
		say "RIG-VMI $1 $line"
	done </tmp/vmallocinfo
	say "RIG-SNAP-END $1"
}

# load MODULE [PARAM...]: load lib/MODULE.ko or mm/.../MODULE.ko once with
# finit_module(); prints the errno it returned (0 when it loaded).
load() {
	local mod=$1 ko
	shift
	ko=$(find /lib/modules -name "$mod.ko" | head -n 1)
	if [ -z "$ko" ]; then
		say "RIG-LOAD $mod rc=missing"
		return 1
	fi
	set -- $(/bin/finit "$ko" "$@")
	say "RIG-LOAD $mod rc=$1"
}

# expect KIND COUNT: tell the verdict how many results of a kind must appear.
expect() {
	say "RIG-EXPECT $1 $2"
}

have_kmemleak() {
	[ -w /sys/kernel/debug/kmemleak ]
}

# kmemleak_begin / kmemleak_end: forget what was allocated before, then scan
# for what the scenario leaked (objects must be older than 5 s to count).
kmemleak_begin() {
	have_kmemleak || return 0
	echo scan >/sys/kernel/debug/kmemleak
	echo clear >/sys/kernel/debug/kmemleak
}

# kmemleak turns itself off for good on an error of its own (no memory for
# its metadata, two objects that overlap): from then on it reports nothing,
# and "no leak" would mean nothing. Say why, as a report of kmemleak's,
# which the verdict counts against the scenario.
kmemleak_alive() {
	echo scan 2>/dev/null >/sys/kernel/debug/kmemleak && return 0
	local why

	why=$(dmesg | grep 'kmemleak: ' | grep -B 1 -m 1 'detector disabled' |
	      head -n 1)
	say "RIG-KMEMLEAK off: ${why:-scan refused}"
	return 1
}

kmemleak_end() {
	have_kmemleak || return 0
	sleep 6
	kmemleak_alive || { say "RIG-KMEMLEAK-END"; return 0; }
	echo scan >/sys/kernel/debug/kmemleak
	while read -r line; do
		say "RIG-KMEMLEAK $line"
	done </sys/kernel/debug/kmemleak
	say "RIG-KMEMLEAK-END"
}

# vmi_read [PATTERN]: one read of /proc/vmallocinfo. Sets $lines to its
# line count, adds the lines not shaped "0xSTART-0xEND SIZE ..." to $bad
# and those whose rest holds PATTERN to $seen. Sets $rams to the count of
# vm_map_ram areas (blocks, and requests too large for one).
vmi_read() {
	local range size rest

	lines=0
	rams=0
	while read -r range size rest; do
		lines=$((lines + 1))
		[ "$rest" = vm_map_ram ] && rams=$((rams + 1))
		case "$range" in
		0x*-0x*) ;;
		*) bad=$((bad + 1)) ;;
		esac
		case "$size" in
		'' | *[!0-9]*) bad=$((bad + 1)) ;;
		esac
		if [ -n "${1:-}" ]; then
			case "$rest" in
			*"$1"*) seen=$((seen + 1)) ;;
			esac
		fi
	done </proc/vmallocinfo
}

# tvm_run MODULE MASK: one run of a test_vmalloc module, between two leak
# snapshots. Knobs: RIG_LOOPS, RIG_THREADS (default: 2 per CPU), RIG_REPEAT.
tvm_run() {
	local mod=$1 mask=$2 m cases=0 total
	local threads=${RIG_THREADS:-$(($(nproc) * 2))}

	# Upstream's module is for 64-bit kernels: full_fit_alloc_test keeps
	# 32768 areas per worker and long_busy_list_alloc_test 15000, more
	# than a 32-bit vmalloc space (about 120 MiB on i386) holds, and with
	# several workers its other cases fill such a space too, where its
	# vm_map_ram_test oopses on the NULL that vm_map_ram() then returns,
	# with any vmalloc. There it runs with one worker, without those two.
	# The series' module sizes its cases to the space itself.
	total=$(awk '/^VmallocTotal:/ { print $2 }' /proc/meminfo)
	if [ "$mod" = test_vmalloc_upstream ] && [ "$total" -lt 1048576 ]; then
		say "RIG: $mod: VmallocTotal $total kB: one worker, full_fit_alloc_test and long_busy_list_alloc_test left out"
		mask=$((mask & ~6))
		threads=1
	fi
	m=$mask
	while [ "$m" -gt 0 ]; do
		cases=$((cases + (m & 1)))
		m=$((m >> 1))
	done
	expect tvm-cases "$cases"
	kmemleak_begin
	snap tvm-before
	load "$mod" nr_threads="$threads" \
		test_loop_count="${RIG_LOOPS:-20000}" \
		test_repeat_count="${RIG_REPEAT:-1}" run_test_mask="$mask"
	# The workers' stacks are freed after an RCU grace period: let that
	# settle.
	sleep 2
	snap tvm-after
	kmemleak_end
}

# torture_summary: the last summary line of lib/test_vmalloc_torture, from
# "seed=" on, or nothing.
torture_summary() {
	local line

	line=$(dmesg | grep 'vmalloc_torture: seed=.* result=' | tail -n 1)
	echo "${line#*vmalloc_torture: }"
}
