#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rig/steps.sh: every patch of the series compiles. For each commit of
# base..series, in a worktree of its own, compile the C files under mm/
# and lib/ that the series has added or changed by that commit, with W=1,
# in a build directory configured like perf-ours (which must be built):
# an error or a warning in those files fails. The new implementation's
# files are built by the kernel's Makefile only from the patch that adds
# the Kconfig choice on; before it, this is what shows that each layer
# compiles on its own, with only the layers before it.

. "$(dirname "$0")/common.sh"

ref=$(leg_dir perf ours)
[ -f "$ref/.config" ] || die "no perf-ours build: run rig/build.sh perf ours"
B=$BUILD_ROOT/series-steps
wt=$RIG_CACHE/steps
mkdir -p "$B"
log=$B/steps.log
: >"$log"

build_lock
cd "$SRC"
if ! git -C "$wt" rev-parse -q --verify HEAD >/dev/null 2>&1; then
	rm -rf "$wt"
	git worktree prune
	git worktree add -q --detach "$wt" base
fi

n=0
fails=0
for commit in $(git rev-list --reverse base..series); do
	n=$((n + 1))
	subject=$(git log -1 --format=%s "$commit")
	git -C "$wt" checkout -q -f --detach "$commit"
	mapfile -t files < <(git diff --name-only --diff-filter=AM base "$commit" \
		-- 'mm/*.c' 'lib/*.c')
	if [ ${#files[@]} -eq 0 ]; then
		step "patch $n: no C file yet: $subject"
		continue
	fi
	# The same configuration at every step: olddefconfig of an earlier
	# step dropped the options that its Kconfig did not have yet.
	cp "$ref/.config" "$B/.config"
	echo "== patch $n: $subject" >>"$log"
	if SRC=$wt B=$B kmake -s W=1 "${files[@]/%.c/.o}" >>"$log" 2>&1 &&
	   ! tail -n +"$(grep -n "^== patch $n:" "$log" | cut -d: -f1)" "$log" |
		grep -qE '(warning|error):'; then
		step "patch $n compiles: ${files[*]##*/}"
	else
		step "patch $n does not compile cleanly: $subject"
		fails=$((fails + 1))
	fi
done
[ "$fails" -eq 0 ] || { grep -E '(warning|error):' "$log" | head -n 20; \
	die "$fails of $n patch(es) do not compile cleanly, log: $log"; }
step "steps: each of $n patch(es) compiles"
