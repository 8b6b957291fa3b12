# SPDX-License-Identifier: GPL-2.0
# profile: where the instructions of one vmalloc go. Each entry of
# RIG_PROFILE (LABEL:MASK:PAGES, comma separated) runs the series'
# test_vmalloc, one worker, three times: without the profiler, for the
# true mean per iteration; with the function profiler over every
# function that may mark one of vmalloc's phases, stock's or ours, to
# learn which this kernel calls; and with it over one function per
# phase. Each CPU's table of the last run is printed as RIG-PROF lines;
# rig/profile.py makes them one table.
# Knobs: rig.loops, rig.profile.
T=/sys/kernel/tracing
[ -f $T/function_profile_enabled ] || mount -t tracefs nodev $T
if [ ! -f $T/function_profile_enabled ]; then
	say "RIG-PROF-ERROR no function profiler in this kernel"
	return 1
fi

# The phases: entry points, the reservation of an area, the address
# search, the pages, the page tables, removal, lookup, unmapping, the
# page frees, the purge, the TLB flush, the slab allocations,
# vm_map_ram(). A group a|b|c names one phase in stock and in ours, at
# more than one level: only the first that the case calls is traced, as
# each traced call inside another adds the tracer's own instructions to
# the outer one.
groups="__vmalloc_node_range_noprof vfree vm_map_ram vm_unmap_ram
	__get_vm_area_node|vm_area_get_node alloc_vmap_area|vmap_area_alloc
	alloc_pages_bulk_noprof
	vmap_pages_range|vmap_pages_range_noflush|__vmap_pages_range_noflush
	remove_vm_area find_unlink_vmap_area|vmap_area_unindex
	vunmap_range_noflush|__vunmap_range_noflush __free_pages
	__purge_vmap_area_lazy|purge|purge_vmap_node
	flush_tlb_kernel_range kmem_cache_alloc_node_noprof
	__kmalloc_cache_node_noprof __kmalloc_node_noprof
	kmem_cache_free kfree"

# filter NAME...: trace only these, and their clones (NAME.isra.0 and
# the like) when the name is bare; a name this kernel lacks is skipped.
filter() {
	local f

	: >$T/set_ftrace_filter
	for f in "$@"; do
		echo "$f" >>$T/set_ftrace_filter 2>/dev/null
		case "$f" in
		*.*) ;;
		*) echo "$f.*" >>$T/set_ftrace_filter 2>/dev/null ;;
		esac
	done
}

# called: the functions of the last profile with hits, into /tmp/called.
called() {
	local fn hit rest

	cat $T/trace_stat/function* | while read -r fn hit rest; do
		case "$hit" in
		'' | *[!0-9]*) continue ;;
		esac
		[ "$hit" -gt 0 ] && echo "$fn"
	done >/tmp/called
}

# picked: of each group, the first function called, as the kernel names it.
picked() {
	local group f m

	for group in $groups; do
		for f in $(echo "$group" | tr '|' ' '); do
			m=$(grep -m 1 -E "^$f(\.|\$)" /tmp/called) &&
				{ echo "$m"; break; }
		done
	done
}

# CPU instructions only: a worker that sleeps (on the purge mutex, say)
# would count other CPUs' work.
echo 0 >$T/options/sleep-time 2>/dev/null
echo 1 >$T/options/graph-time 2>/dev/null

profile=${RIG_PROFILE:-fix_size_1:1:1,fix_size_3:1:3,long_busy_list:4:1,random_size:8:1,vm_map_ram:1024:1,vmalloc_huge:16384:1,floor:524288:1}
for entry in $(echo "$profile" | tr ',' ' '); do
	label=${entry%%:*}
	rest=${entry#*:}
	mask=${rest%%:*}
	pages=${rest#*:}
	for pass in plain probe traced; do
		case $pass in
		probe) filter $(echo "$groups" | tr '|' ' ') ;;
		traced)
			called
			fns=$(picked)
			filter $fns
			say "RIG-PROF-TRACED $label" $fns
			;;
		esac
		say "RIG-PROF-RUN $label $pass mask=$mask pages=$pages"
		[ $pass != plain ] && echo 1 >$T/function_profile_enabled
		load test_vmalloc nr_threads=1 test_loop_count="${RIG_LOOPS:-2000}" \
			run_test_mask="$mask" nr_pages="$pages" random_seed=1
		echo 0 >$T/function_profile_enabled
	done
	for stat in $T/trace_stat/function*; do
		while read -r line; do
			say "RIG-PROF $label ${stat##*/} $line"
		done <"$stat"
	done
	say "RIG-PROF-END $label"
done
