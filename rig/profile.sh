#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make profile: the per-phase table of vmalloc, stock against ours. The
# perf config with the function profiler (rig/configs/profile.config)
# built as both variants, one boot of each under -icount with the
# profile scenario, then rig/profile.py over the two logs.
# Knobs: LOOPS (iterations per case, 2000), PROFILE (the scenario's
# LABEL:MASK:PAGES list).

. "$(dirname "$0")/common.sh"

out=$TOP/out/profile
rm -rf "$out"
export LOG_ROOT=$out/logs ICOUNT=1 LOOPS=${LOOPS:-2000}
[ -n "${PROFILE:-}" ] && export APPEND="rig.profile=$PROFILE ${APPEND:-}"

"$RIG_DIR/build.sh" profile stock
"$RIG_DIR/build.sh" profile ours
for v in stock ours; do
	TIMEOUT=${TIMEOUT:-2400} "$RIG_DIR/boot.sh" profile "$v" profile \
		"profile-$v"
done
step "checking the profile boots"
"$RIG_DIR/verdict.py" "$LOG_ROOT"/*.log | tail -n 1
"$RIG_DIR/profile.py" --out "$out" --stock "$LOG_ROOT/profile-stock.log" \
	--ours "$LOG_ROOT/profile-ours.log"
