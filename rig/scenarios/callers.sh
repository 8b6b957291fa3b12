# SPDX-License-Identifier: GPL-2.0
# callers: vmalloc as its other users see it. A module loaded and unloaded
# (execmem areas), forks in parallel (VMAP_STACK thread stacks), /proc/kcore
# read across the vmalloc range (vread_iter()), and /proc/vmallocinfo read
# while test_vmalloc runs. Each step reports a RIG-CHECK; the snapshots
# around the whole scenario catch what it leaked.
# Knobs: rig.modloops (200), rig.forks (2000).

# check NAME GOOD WANT WHAT: one RIG-CHECK, ok when GOOD equals WANT.
check() {
	if [ "$2" = "$3" ]; then
		say "RIG-CHECK $1 ok $2 of $3 $4"
	else
		say "RIG-CHECK $1 fail $2 of $3 $4"
	fi
}

expect checks 4
kmemleak_begin
snap callers-before

# 1. Module load and unload.
ko=$(find /lib/modules -name test_module.ko | head -n 1)
want=${RIG_MODLOOPS:-200}
good=0
i=0
while [ -n "$ko" ] && [ "$i" -lt "$want" ]; do
	set -- $(/bin/finit "$ko")
	[ "$1" = 0 ] && rmmod test_module && good=$((good + 1))
	i=$((i + 1))
done
check modules "$good" "$want" "loads and unloads of test_module"

# 2. Forks, 20 children alive at a time, so that thread stacks are
# allocated and freed rather than all served from the per-CPU stack cache.
want=${RIG_FORKS:-2000}
good=0
i=0
while [ "$i" -lt "$want" ]; do
	pids=
	j=0
	while [ "$j" -lt 20 ]; do
		(exit 0) &
		pids="$pids $!"
		j=$((j + 1))
	done
	for pid in $pids; do
		wait "$pid" && good=$((good + 1))
	done
	i=$((i + 20))
done
check forks "$good" "$i" "children exited 0"

# 3. /proc/kcore across the vmalloc range, with a module's areas in it.
[ -n "$ko" ] && /bin/finit "$ko" >/dev/null
out=$(/bin/kcore)
[ -n "$ko" ] && rmmod test_module
say "RIG: kcore $out"
case "$out" in
ok*) check kcore 1 1 "reads clean: ${out#ok }" ;;
*) check kcore 0 1 "reads clean: ${out#fail }" ;;
esac

# 4. /proc/vmallocinfo while test_vmalloc allocates and frees on every CPU:
# fix_size, random_size, pcpu_alloc and vm_map_ram.
bad=0
reads=0
load test_vmalloc_upstream nr_threads=$(($(nproc) * 2)) \
	test_loop_count="${RIG_LOOPS:-20000}" run_test_mask=1161 &
loader=$!
while kill -0 "$loader" 2>/dev/null; do
	vmi_read
	[ "$lines" -gt 0 ] || bad=$((bad + 1))
	reads=$((reads + 1))
done
wait "$loader"
if [ "$reads" -gt 0 ] && [ "$bad" = 0 ]; then
	say "RIG-CHECK vmallocinfo ok $reads reads under load, all well formed"
else
	say "RIG-CHECK vmallocinfo fail $reads reads, $bad malformed lines or empty reads"
fi

sleep 2
snap callers-after
kmemleak_end
