# SPDX-License-Identifier: GPL-2.0
# lockstat: how often each lock is taken per vmalloc()/vfree() pair, from
# /proc/lock_stat (a kernel with CONFIG_LOCK_STAT: make scale). The
# series' fix_size_alloc_test runs with one worker per CPU at 1 and at 16
# pages; the statistics are cleared before each run, and every lock class
# taken at least once per 100 pairs is printed after it as
#   RIG-LOCKSTAT pages=<n> pairs=<n> <class> <contentions> <acquisitions>
# Knob: rig.loops (iterations per worker, 2000).
workers=$(nproc)
loops=${RIG_LOOPS:-2000}
pairs=$((workers * loops))
if [ ! -w /proc/lock_stat ]; then
	say "RIG-CHECK lockstat fail no /proc/lock_stat: not a make scale kernel"
	return 0 2>/dev/null || exit 0
fi
for pages in 1 16; do
	echo 0 >/proc/lock_stat
	load test_vmalloc nr_threads="$workers" test_loop_count="$loops" \
		run_test_mask=1 nr_pages="$pages" random_seed=1
	# A class line: "name: con-bounces contentions wait-min wait-max
	# wait-total wait-avg acq-bounces acquisitions hold-...". The name
	# may hold spaces ("(console_sem).lock"): the numbers are counted
	# from the end.
	awk -v pages="$pages" -v pairs="$pairs" '
		/^ *[^ -].*: +[0-9]/ && NF >= 13 {
			acq = $(NF - 4); con = $(NF - 10)
			name = $0; sub(/: +[0-9].*$/, "", name); sub(/^ +/, "", name)
			gsub(/ /, "_", name)
			if (acq * 100 >= pairs)
				printf "RIG-LOCKSTAT pages=%d pairs=%d %s %d %d\n", \
					pages, pairs, name, con, acq
		}' /proc/lock_stat >/tmp/lockstat
	while read -r line; do
		say "$line"
	done </tmp/lockstat
	n=$(wc -l </tmp/lockstat)
	if [ "$n" -gt 0 ]; then
		say "RIG-CHECK lockstat ok pages=$pages: $n lock classes"
	else
		say "RIG-CHECK lockstat fail pages=$pages: no lock class read"
	fi
done
