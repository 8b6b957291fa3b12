#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Turn series/*.txt into commits on top of the pristine base, then check the
# result out in the build tree. Each spec is one patch of the series:
#
#	mm: subject line
#
#	Why the change is made ...
#	---
#	owns: mm/some_file.c		(a file the series owns whole, copied)
#	patch: patches/some.diff	(a small edit of an upstream file)
#
# Commits are made in a scratch index, so the build tree only sees the files
# that really changed and incremental builds stay incremental. A patch that
# does not apply stops everything.

. "$(dirname "$0")/common.sh"

cd "$SRC"
git rev-parse -q --verify base >/dev/null || die "no base tree: run rig/base.sh"

me_name=$(git -C "$TOP" config user.name || echo "vmalloc rig")
me_mail=$(git -C "$TOP" config user.email || echo "rig@localhost")
idx=$(mktemp)
msg=$(mktemp)
trap 'rm -f "$idx" "$msg"' EXIT

tip=$(git rev-parse base)
n=0
for spec in "$TOP"/series/[0-9]*.txt; do
	[ -e "$spec" ] || break
	name=${spec#"$TOP"/}
	rm -f "$idx"
	GIT_INDEX_FILE=$idx git read-tree "$tip"

	awk '/^---$/ { exit } { print }' "$spec" >"$msg"
	grep -q '^Signed-off-by:' "$msg" ||
		printf '\nSigned-off-by: %s <%s>\n' "$me_name" "$me_mail" >>"$msg"

	while read -r key path; do
		case "$key" in
		owns:)
			[ -f "$TOP/$path" ] || die "$name: owned file $path is missing"
			mode=100644
			[ -x "$TOP/$path" ] && mode=100755
			blob=$(git hash-object -w "$TOP/$path")
			GIT_INDEX_FILE=$idx git update-index --add \
				--cacheinfo "$mode,$blob,$path"
			;;
		patch:)
			[ -f "$TOP/$path" ] || die "$name: patch $path is missing"
			GIT_INDEX_FILE=$idx git apply --cached --whitespace=error-all \
				"$TOP/$path" || die "$name: $path does not apply"
			;;
		"") ;;
		*) die "$name: unknown line '$key $path'" ;;
		esac
	done < <(awk 'found { print } /^---$/ { found = 1 }' "$spec")

	tree=$(GIT_INDEX_FILE=$idx git write-tree)
	[ "$tree" != "$(git rev-parse "$tip^{tree}")" ] || die "$name changes nothing"

	date=$(git -C "$TOP" log -1 --format=%aD -- "series/${spec##*/}" 2>/dev/null || true)
	[ -n "$date" ] || date=$(date -R)
	tip=$(GIT_AUTHOR_NAME=$me_name GIT_AUTHOR_EMAIL=$me_mail \
	      GIT_COMMITTER_NAME=$me_name GIT_COMMITTER_EMAIL=$me_mail \
	      GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date \
	      git commit-tree "$tree" -p "$tip" -F "$msg")
	n=$((n + 1))
done

git update-ref refs/heads/series "$tip"
# Only the files that differ from what is checked out are rewritten.
git checkout -q -f series
step "series: $n patch(es) on Linux $(base_version), tip $(git rev-parse --short HEAD)"
