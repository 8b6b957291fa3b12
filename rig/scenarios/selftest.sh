# SPDX-License-Identifier: GPL-2.0
# selftest: tools/testing/selftests/mm/test_vmalloc.sh as a user runs it,
# under bash with the kselftest KTAP helpers it sources (x86_64 legs: the
# initramfs has the build machine's bash). The script loads the series'
# test_vmalloc with modprobe, reads the module's report back from the
# kernel log and prints it as KTAP. Its exit code, plan and totals are
# judged here; the module's own results as test_vmalloc's.
# Knobs: rig.loops (1000), rig.threads (one per CPU), rig.mask.

script=/rig/selftests/mm/test_vmalloc.sh
mask=${RIG_MASK:-1048575}
m=$mask
cases=0
while [ "$m" -gt 0 ]; do
	cases=$((cases + (m & 1)))
	m=$((m >> 1))
done
expect checks 1
expect tvm-cases "$cases"
snap selftest-before
if [ -x /bin/bash ] && [ -f "$script" ]; then
	bash "$script" nr_threads="${RIG_THREADS:-$(nproc)}" \
		test_loop_count="${RIG_LOOPS:-1000}" run_test_mask="$mask" \
		>/tmp/selftest.out 2>&1
	rc=$?
else
	echo "no bash or no $script in the initramfs" >/tmp/selftest.out
	rc=127
fi
while IFS= read -r line; do
	say "RIG-KSFT $line"
done </tmp/selftest.out
# "# Totals: pass:19 fail:0 xfail:0 xpass:0 skip:1 error:0"
totals=$(grep '^# Totals:' /tmp/selftest.out | tail -n 1)
plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' /tmp/selftest.out | head -n 1)
pass=$(echo "$totals" | sed -n 's/.* pass:\([0-9]*\).*/\1/p')
skip=$(echo "$totals" | sed -n 's/.* skip:\([0-9]*\).*/\1/p')
# Every case in the plan, each passed or skipped, and exit code 0.
got="rc=$rc plan=${plan:-none} done=$((${pass:-0} + ${skip:-0}))"
want="rc=0 plan=$cases done=$cases"
if [ "$got" = "$want" ]; then
	say "RIG-CHECK test_vmalloc.sh ok $got: ${totals#\# }"
else
	say "RIG-CHECK test_vmalloc.sh fail $got, want $want: ${totals:-no totals}"
fi
sleep 2
snap selftest-after
