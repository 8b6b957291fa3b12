# SPDX-License-Identifier: GPL-2.0
# faults: vmalloc's error paths under fault injection (debug kernels).
# failslab and fail_page_alloc fail 10 % of the allocations of the tasks
# that volunteer (task-filter): the workers of test_vmalloc and of the
# torture test, loaded with fault_inject=1 and faults=1. Sleeping
# allocations and order-0 pages fail too, which is where vmalloc's are.
#
# While faults are on, nothing may crash and nothing may warn but the
# allocation-failure reports themselves (the verdict takes those, and only
# those, for expected in this scenario); test_vmalloc's cases fail where
# their allocations did, so its rows here are not judged, but the torture
# test must still find every object it allocated whole (result=ok, every
# failure counted as allowed). With faults off again, the torture test
# runs once more and must pass, and the snapshots around the scenario
# must show nothing left behind: areas or VmallocUsed.
#
# RIG-CHECK lines:
#   faulty    the torture run under faults: result=ok, and faults were
#             injected (failslab or fail_page_alloc counted some)
#   clean     the torture run after faults are off: result=ok
# Knobs: rig.duration (seconds, 20; each torture run gets half).

expect checks 2
fi_dir=/sys/kernel/debug
# Failures to allow each fault type: "times" counts them down.
fi_times=100000000

# faults_set PROBABILITY: configure both fault types.
faults_set() {
	local f

	for f in failslab fail_page_alloc; do
		[ -d "$fi_dir/$f" ] || continue
		echo "$1" >"$fi_dir/$f/probability"
		echo 1 >"$fi_dir/$f/interval"
		echo "$fi_times" >"$fi_dir/$f/times"
		echo 0 >"$fi_dir/$f/space"
		echo 0 >"$fi_dir/$f/verbose"
		echo Y >"$fi_dir/$f/task-filter"
		echo N >"$fi_dir/$f/ignore-gfp-wait"
	done
	if [ -d "$fi_dir/fail_page_alloc" ]; then
		echo N >"$fi_dir/fail_page_alloc/ignore-gfp-highmem"
		echo 0 >"$fi_dir/fail_page_alloc/min-order"
	fi
}

# injected: the failures both fault types injected since faults_set.
injected() {
	local f n=0

	for f in failslab fail_page_alloc; do
		[ -r "$fi_dir/$f/times" ] &&
			n=$((n + fi_times - $(cat "$fi_dir/$f/times")))
	done
	echo "$n"
}

half=$(( (${RIG_DURATION:-20} + 1) / 2 ))
kmemleak_begin
snap faults-before

faults_set 10
say "RIG: faults: on, 10 % of the volunteers' slab and page allocations"
# Every case but full_fit and long_busy_list, whose thousands of areas
# take minutes to set up on a debug kernel.
load test_vmalloc fault_inject=1 nr_threads="$(nproc)" \
	test_loop_count="${RIG_LOOPS:-200}" run_test_mask=1048569
load test_vmalloc_torture faults=1 duration_s="$half" seed="${RIG_SEED:-1}"
faulty=$(torture_summary)
n=$(injected)
faults_set 0
say "RIG: faults: off, $n failures injected"

case "$faulty" in
*result=ok*)
	if [ "$n" -gt 0 ]; then
		say "RIG-CHECK faulty ok $faulty, $n failures injected"
	else
		say "RIG-CHECK faulty fail no failure was injected"
	fi
	;;
*)
	say "RIG-CHECK faulty fail ${faulty:-no summary line}" ;;
esac

load test_vmalloc_torture duration_s="$half" seed="${RIG_SEED:-1}"
clean=$(torture_summary)
case "$clean" in
*result=ok*) say "RIG-CHECK clean ok $clean" ;;
*) say "RIG-CHECK clean fail ${clean:-no summary line}" ;;
esac

# The workers' stacks are freed after an RCU grace period, and what the
# faulty runs freed lazily waits for a purge: let both settle.
sleep 2
snap faults-after
kmemleak_end
