# SPDX-License-Identifier: GPL-2.0
# test_vmalloc: the stress module over all its cases (or rig.mask=), once.
# Knobs from the command line: rig.loops, rig.threads, rig.repeat, rig.mask.
loops=${RIG_LOOPS:-20000}
threads=${RIG_THREADS:-$(($(nproc) * 2))}
repeat=${RIG_REPEAT:-1}
mask=${RIG_MASK:-2047}

cases=0
m=$mask
while [ "$m" -gt 0 ]; do
	cases=$((cases + (m & 1)))
	m=$((m >> 1))
done
expect tvm-cases "$cases"

kmemleak_begin
snap tvm-before
load test_vmalloc nr_threads="$threads" test_loop_count="$loops" \
	test_repeat_count="$repeat" run_test_mask="$mask"
# The workers' stacks are freed after an RCU grace period: let that settle.
sleep 2
snap tvm-after
kmemleak_end
