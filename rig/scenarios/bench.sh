# SPDX-License-Identifier: GPL-2.0
# bench: a test_vmalloc module for timing. The series' module (the
# default) runs once with one worker and once with two workers per CPU;
# the base tree's own (rig.module=test_vmalloc_upstream) with one worker,
# the headline its figures are quoted at. No leak snapshots: nothing but
# the module should run while it is timed. A fixed case order (and, for
# the series' module, a fixed seed) gives every boot the same workload.
# Knobs: rig.loops, rig.mask, rig.module.
module=${RIG_MODULE:-test_vmalloc}
workers="1 $(($(nproc) * 2))"
seed=random_seed=1
if [ "$module" = test_vmalloc_upstream ]; then
	workers=1
	seed=
fi
for threads in $workers; do
	say "RIG-BENCH threads=$threads"
	load "$module" nr_threads="$threads" \
		test_loop_count="${RIG_LOOPS:-20000}" \
		run_test_mask="${RIG_MASK:-1048575}" \
		sequential_test_order=1 $seed
done
