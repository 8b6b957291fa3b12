#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A/B benchmark of stock against ours: the perf config built twice from the
# same tree, VARIANT=stock and VARIANT=ours (the series' Kconfig switch
# between the two implementations, through rig/configs/{stock,ours}.config;
# until the switch exists both builds are the same, and the run measures
# the rig's own noise). Boots alternate stock/ours, RUNS of each, with the
# series' test_vmalloc at one worker and at two per vCPU.
#
# Knobs: MODE=icount (instruction time: the headline figures) or mttcg
# (wall time, a sanity check only), RUNS, LOOPS, MASK, QUICK=1, and
# MODULE=upstream for the base tree's own test_vmalloc, unmodified, with
# one worker over its ten timing cases (all but align_shift_alloc_test,
# which fails by design), 10000 loops by default.

. "$(dirname "$0")/common.sh"

need_pkgs gnuplot-nox

MODE=${MODE:-icount}
case "$MODE" in
icount) export ICOUNT=1; RUNS=${RUNS:-3} ;;
mttcg) export ICOUNT=0; RUNS=${RUNS:-5} ;;
*) die "MODE is icount or mttcg" ;;
esac
if [ "${QUICK:-0}" = 1 ]; then
	# fix_size, random_size, fix_align, long_busy_list, vm_map_ram
	LOOPS=${LOOPS:-2000}
	MASK=${MASK:-$((1 + 4 + 8 + 16 + 1024))}
	RUNS=1
fi
out=$TOP/out/bench/$MODE
if [ "${MODULE:-series}" = upstream ]; then
	export APPEND="${APPEND:-} rig.module=test_vmalloc_upstream"
	LOOPS=${LOOPS:-10000}
	MASK=${MASK:-$((2047 & ~64))}
	out=$out-upstream
fi
# Every case but full_fit (too long under icount), align_shift (not a
# timing case) and vmap_pfn (needs CONFIG_VMAP_PFN).
export LOOPS=${LOOPS:-5000}
export MASK=${MASK:-$((1048575 & ~2 & ~64))}
export THREADS=

rm -rf "$out"
export LOG_ROOT=$out/logs

"$RIG_DIR/build.sh" perf stock
"$RIG_DIR/build.sh" perf ours

stock_logs=()
ours_logs=()
for r in $(seq 1 "$RUNS"); do
	# Alternate which goes first, so that drift hits both alike.
	order="stock ours"
	[ $((r % 2)) -eq 0 ] && order="ours stock"
	for v in $order; do
		TIMEOUT=${TIMEOUT:-2400} "$RIG_DIR/boot.sh" perf "$v" bench "bench-$v-$r"
		if [ "$v" = stock ]; then
			stock_logs+=("$LOG_ROOT/bench-$v-$r.log")
		else
			ours_logs+=("$LOG_ROOT/bench-$v-$r.log")
		fi
	done
done

step "checking the bench boots"
"$RIG_DIR/verdict.py" "$LOG_ROOT"/*.log | tail -n 1
label="Linux $(base_version), project $(git -C "$TOP" rev-parse --short HEAD)"
label+=", module ${MODULE:-series}, mode $MODE, loops $LOOPS, mask $MASK"
label+=", $RUNS run(s) each"
"$RIG_DIR/bench.py" --out "$out" --label "$label" \
	--stock "${stock_logs[@]}" --ours "${ours_logs[@]}" | tee "$out/summary.txt"
