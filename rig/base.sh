#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make sure the machine has the tools and the pristine 6.12 base tree:
# Debian's linux-source-6.12 unpacked once into a git repository whose first
# commit (tag "base") is the untouched tree. Idempotent and cheap when done.

. "$(dirname "$0")/common.sh"

need_pkgs build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils \
	kmod ccache git python3 busybox-static qemu-system-x86 "$BASE_PKG"

pkgver=$(dpkg-query -W -f='${Version}' "$BASE_PKG")
stamp=$RIG_CACHE/base.pkgversion

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$pkgver" ] &&
   git -C "$SRC" rev-parse -q --verify base >/dev/null 2>&1; then
	exit 0
fi

step "unpacking $BASE_PKG $pkgver (once)"
rm -rf "$SRC" "$RIG_CACHE/unpack" "$stamp"
mkdir -p "$RIG_CACHE/unpack"
tar -xJf "$BASE_TARBALL" -C "$RIG_CACHE/unpack"
mv "$RIG_CACHE/unpack"/* "$SRC"
rmdir "$RIG_CACHE/unpack"

step "recording the base tree as a git commit"
cd "$SRC"
git init -q -b rig
git config user.name rig
git config user.email rig@localhost
git config gc.auto 0
# Debian's top-level .gitignore ignores everything: add by force.
git add -A -f . >/dev/null
# A fixed date gives every machine the same commit ids for the same base.
GIT_AUTHOR_DATE="@$(stat -c %Y "$BASE_TARBALL") +0000" \
GIT_COMMITTER_DATE="@$(stat -c %Y "$BASE_TARBALL") +0000" \
	git commit -q -m "Linux $(base_version) ($BASE_PKG $pkgver)"
git tag base
echo "$pkgver" >"$stamp"
step "base tree: Linux $(base_version) ($BASE_PKG $pkgver)"
