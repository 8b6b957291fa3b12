#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Export the assembled series as numbered patches with a cover letter into
# out/series, prove that they apply in turn onto the pristine base and
# give the same tree, and run checkpatch.pl --strict over them (an error
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

# What git am would do, without checking the whole base tree out: each
# patch applied in turn to an index of the pristine base.
step "applying the series, patch by patch, onto a pristine base"
# (Earlier rigs checked the base out in a worktree for git am.)
git worktree remove --force "$RIG_CACHE/am-check" >/dev/null 2>&1 || true
idx=$(mktemp)
trap 'rm -f "$idx"' EXIT
GIT_INDEX_FILE=$idx git read-tree base
for p in $(ls "$out"/*.patch | grep -v '/0000-'); do
	GIT_INDEX_FILE=$idx git apply --cached --whitespace=error-all "$p" ||
		die "${p##*/} does not apply onto the patches before it"
done
applied=$(GIT_INDEX_FILE=$idx git write-tree)
[ "$applied" = "$(git rev-parse 'series^{tree}')" ] ||
	die "the patches give a different tree than the assembled series"

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
