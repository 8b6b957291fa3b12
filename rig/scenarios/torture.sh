# SPDX-License-Identifier: GPL-2.0
# torture: lib/test_vmalloc_torture for rig.duration seconds, while
# /proc/vmallocinfo and /proc/kcore are read in loops and test_module is
# loaded and unloaded (execmem areas, made read-only with set_memory_ro()
# and freed with VM_FLUSH_RESET_PERMS, which a module cannot reach).
#
# The module checks its own objects and prints one summary line ending in
# result=ok or result=FAIL; it fails its init with -EAGAIN (rc=11) after a
# clean run and -EINVAL (rc=22) otherwise, which the verdict's load row
# judges (it wants 11 of every test_vmalloc* module). The snapshots around
# the run catch what it leaked (VmallocUsed included: vmalloc_nr_pages()
# is not exported to modules).
#
# RIG-CHECK lines:
#   result       the module's summary line says result=ok
#   vmallocinfo  every read well formed, areas of the module seen
#   blocks       no more vm_map_ram areas than the module's mappings
#                explain, during the run and after it (see below)
#   kcore        every pass of the kcore reader read the vmalloc range
#                without an error and found no ioremap area non-zero; the
#                pages that its other rules flag are counted as races, as
#                areas come and go between its listing and its reads
#   modules      every load and unload of test_module succeeded
# kcore only where /proc/kcore is 64-bit ELF (not i386), modules only
# where test_module.ko was built.
#
# Knobs: rig.duration (seconds, 20), rig.seed (1), rig.threads (workers;
# default 2 per CPU).

torture_done=/tmp/torture-done

# tcheck NAME GOOD DETAIL: one RIG-CHECK, ok when GOOD is 1.
tcheck() {
	if [ "$2" = 1 ]; then
		say "RIG-CHECK $1 ok $3"
	else
		say "RIG-CHECK $1 fail $3"
	fi
}

running() {
	[ ! -e "$torture_done" ]
}

# vmi_loop: read /proc/vmallocinfo until the module is done; prints the
# reads, the malformed lines or empty reads, and the module's areas seen.
vmi_loop() {
	local reads=0 bad=0 seen=0 lines rams most=0

	while :; do
		vmi_read test_vmalloc_torture
		[ "$lines" -gt 0 ] || bad=$((bad + 1))
		[ "$rams" -gt "$most" ] && most=$rams
		reads=$((reads + 1))
		running || break
	done
	echo "$reads $bad $seen $most"
}

# kcore_loop: run the kcore reader until the module is done; prints the
# passes, the passes with errors, and the pages flagged by races.
kcore_loop() {
	local runs=0 bad=0 raced=0 out word

	while :; do
		out=$(/bin/kcore)
		runs=$((runs + 1))
		case "$out" in
		ok\ * | fail\ areas=*) ;;
		*) bad=$((bad + 1)) ;;
		esac
		for word in $out; do
			case "$word" in
			errors=0 | ioremap_nonzero=0) ;;
			errors=* | ioremap_nonzero=*) bad=$((bad + 1)) ;;
			guard_nonzero=* | hole_nonzero=* | raced=*)
				raced=$((raced + ${word#*=})) ;;
			esac
		done
		running || break
	done
	echo "$runs $bad $raced"
}

# mod_loop KO: load and unload test_module once a second, for all but the
# last 4 seconds of the run (or until the module is done); prints the
# loads and the good ones. Each load calls vm_unmap_aliases() (through
# set_memory_ro()), which frees idle vm_map_ram blocks: the blocks check
# wants the module's last uniform phase to run without one.
mod_loop() {
	local ko=$1 loads=0 good=0 now stop

	read -r now _ </proc/uptime
	stop=$((${now%.*} + ${RIG_DURATION:-20} - 4))
	while [ "${now%.*}" -lt "$stop" ]; do
		set -- $(/bin/finit "$ko")
		[ "$1" = 0 ] && rmmod test_module && good=$((good + 1))
		loads=$((loads + 1))
		running || break
		sleep 1
		read -r now _ </proc/uptime
	done
	echo "$loads $good"
}

# kcore_64: /proc/kcore is there and is 64-bit ELF, as the reader wants.
kcore_64() {
	[ -x /bin/kcore ] &&
		[ "$(head -c 5 /proc/kcore 2>/dev/null | tail -c 1)" = \
		  "$(printf '\002')" ]
}

rm -f "$torture_done" /tmp/torture-vmi /tmp/torture-kcore /tmp/torture-mod
ko=$(find /lib/modules -name test_module.ko | head -n 1)
checks=3
[ -n "$ko" ] && checks=$((checks + 1))
kcore_64 && checks=$((checks + 1))
expect checks "$checks"
kmemleak_begin
snap torture-before
vmi_read
rams_before=$rams

load test_vmalloc_torture duration_s="${RIG_DURATION:-20}" \
	seed="${RIG_SEED:-1}" nr_workers="${RIG_THREADS:-0}" &
loader=$!
vmi_loop >/tmp/torture-vmi &
pids=$!
if kcore_64; then
	kcore_loop >/tmp/torture-kcore &
	pids="$pids $!"
fi
if [ -n "$ko" ]; then
	mod_loop "$ko" >/tmp/torture-mod &
	pids="$pids $!"
fi
wait "$loader"
vmi_read
rams_after=$rams
: >"$torture_done"
for pid in $pids; do
	wait "$pid"
done

line=$(torture_summary)
case "$line" in
*result=ok*) tcheck result 1 "$line" ;;
*) tcheck result 0 "${line:-no summary line from the module}" ;;
esac

read -r reads bad seen most </tmp/torture-vmi
reads=${reads:-0} bad=${bad:-0} seen=${seen:-0} most=${most:-0}
if [ "$reads" -gt 0 ] && [ "$bad" = 0 ] && [ "$seen" -gt 0 ]; then
	tcheck vmallocinfo 1 "$reads reads under torture, all well formed, $seen lines of the module's areas, at most $most vm_map_ram areas"
else
	tcheck vmallocinfo 0 "$reads reads, $bad malformed lines or empty reads, $seen lines of the module's areas"
fi

if [ -e /tmp/torture-kcore ]; then
	read -r runs bad raced </tmp/torture-kcore
	runs=${runs:-0} bad=${bad:-0} raced=${raced:-0}
	if [ "$runs" -gt 0 ] && [ "$bad" = 0 ]; then
		tcheck kcore 1 "$runs passes over the vmalloc range, no errors, $raced pages raced"
	else
		tcheck kcore 0 "$runs passes, $bad with errors or a non-zero ioremap area"
	fi
fi

if [ -n "$ko" ]; then
	read -r loads good </tmp/torture-mod
	loads=${loads:-0} good=${good:-0}
	if [ "$loads" -gt 0 ] && [ "$good" = "$loads" ]; then
		tcheck modules 1 "$good of $loads loads and unloads of test_module"
	else
		tcheck modules 0 "$good of $loads loads and unloads of test_module"
	fi
fi

# Idle vm_map_ram blocks: each CPU may keep one with room (two, when two
# tasks on one CPU made one at once); a block left with a remainder too
# small for the requests must go with its last mapping. So every other
# vm_map_ram area holds a mapping: during the run, a read may see no more
# of them than the module's peak of mappings, the idle blocks, and as
# many again for the blocks that come and go while it reads.
idle=$((2 * $(nproc)))
mapped=$(dmesg | grep 'vmalloc_torture: vm_map_ram: at most' | tail -n 1)
mapped=${mapped#*at most }
mapped=${mapped%% *}
mapped=${mapped:-0}
after=$((rams_before + idle))
during=$((rams_before + mapped + 2 * idle))
detail="vm_map_ram areas: $rams_before before, at most $most in a read during the run (allowed $during: $mapped mapped at most), $rams_after after (allowed $after)"
if [ "$rams_after" -le "$after" ] && [ "$most" -le "$during" ]; then
	tcheck blocks 1 "$detail"
else
	tcheck blocks 0 "$detail"
fi

# The workers' stacks are freed after an RCU grace period: let that
# settle.
sleep 2
snap torture-after
kmemleak_end
