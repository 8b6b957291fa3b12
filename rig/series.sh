#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Export the assembled series as numbered patches with a cover letter into
# out/series, prove that "git am" applies them onto the pristine base and
# gives the same tree, and run checkpatch.pl --strict over them (an error
# fails; warnings are shown).

. "$(dirname "$0")/common.sh"

out=$TOP/out/series
rm -rf "$out"
mkdir -p "$out"
cd "$SRC"
n=$(git rev-list --count base..series)
[ "$n" -gt 0 ] || die "the series is empty"

step "exporting $n patch(es) onto Linux $(base_version)"
git format-patch -q --cover-letter -o "$out" base..series
cover=$(ls "$out"/0000-*.patch)
subject=$(sed -n '1p' "$TOP/series/cover.txt")
python3 - "$cover" "$TOP/series/cover.txt" "$(base_version)" <<'PY'
import sys
cover, text, version = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3]
subject, _, body = text.partition("\n")
body = body.strip("\n").replace("@BASE@", version)
s = open(cover).read()
s = s.replace("*** SUBJECT HERE ***", subject)
s = s.replace("*** BLURB HERE ***", body)
open(cover, "w").write(s)
PY

step "applying the series with git am onto a pristine base"
wt=$RIG_CACHE/am-check
git worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"
git worktree prune
git worktree add -q --detach "$wt" base
(
	cd "$wt"
	git -c user.name=rig -c user.email=rig@localhost am -q \
		$(ls "$out"/*.patch | grep -v '/0000-') 2>&1 ||
		{ git am --abort; exit 1; }
) || die "the series does not apply with git am"
applied=$(git -C "$wt" rev-parse 'HEAD^{tree}')
git worktree remove --force "$wt"
[ "$applied" = "$(git rev-parse 'series^{tree}')" ] ||
	die "git am gave a different tree than the assembled series"

step "checkpatch.pl --strict"
errors=0
for p in $(ls "$out"/*.patch | grep -v '/0000-'); do
	res=$(./scripts/checkpatch.pl --strict --no-tree --terse "$p" 2>&1 || true)
	summary=$(echo "$res" | tail -n 1)
	[ -n "$summary" ] || summary="clean"
	echo "  ${p##*/}: $summary"
	echo "$res" | grep -E '(ERROR|WARNING|CHECK):' | sed 's/^/    /' || true
	echo "$res" | grep -q ': ERROR:' && errors=$((errors + 1))
done
[ "$errors" -eq 0 ] || die "checkpatch found errors in $errors patch(es)"
step "series: $n patch(es) in out/series, applies to Linux $(base_version)"
