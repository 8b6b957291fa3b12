# SPDX-License-Identifier: GPL-2.0
# bench: the series' test_vmalloc module for timing, once with one worker
# and once with two workers per CPU. No leak snapshots: nothing but the
# module should run while it is timed. A fixed seed and a fixed case
# order give every boot the same workload. Knobs: rig.loops, rig.mask.
for threads in 1 $(($(nproc) * 2)); do
	say "RIG-BENCH threads=$threads"
	load test_vmalloc nr_threads="$threads" \
		test_loop_count="${RIG_LOOPS:-20000}" \
		run_test_mask="${RIG_MASK:-1048575}" \
		random_seed=1 sequential_test_order=1
done
