#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rig/lint.sh [CONFIG [VARIANT]]: compile the C files that the series adds
# under mm/ and lib/ again with W=1 and sparse (C=2 checks them whether or
# not they are rebuilt), in the build directory of CONFIG-VARIANT (default
# perf-ours, which must be built). Any compiler or sparse warning fails.

. "$(dirname "$0")/common.sh"

config=${1:-perf}
variant=${2:-ours}
B=$(leg_dir "$config" "$variant")
[ -f "$B/.config" ] || die "no $config-$variant build: run rig/build.sh $config $variant"
need_pkgs sparse

objs=()
for f in "$TOP"/mm/*.c "$TOP"/lib/*.c; do
	rel=${f#"$TOP"/}
	# Only what this configuration builds (built in or as a module).
	[ -f "$B/${rel%.c}.o" ] && objs+=("${rel%.c}.o")
done
[ ${#objs[@]} -gt 0 ] || die "none of the series' C files is built in $config-$variant"

build_lock
log=$B/lint.log
step "W=1 and sparse over ${#objs[@]} file(s) of $config-$variant"
kmake W=1 C=2 "${objs[@]}" >"$log" 2>&1 ||
	{ tail -n 40 "$log"; die "lint build failed, log: $log"; }
if grep -E "(warning|error):" "$log"; then
	die "W=1 or sparse warnings, log: $log"
fi
step "lint: ${objs[*]}: no warning"
# The files' shape, and the calls between their objects.
(cd "$TOP" && python3 "$RIG_DIR/house.py" --objs "$B" "${objs[@]/%.o/.c}") ||
	die "the series' files are out of shape (rig/house.py)"
