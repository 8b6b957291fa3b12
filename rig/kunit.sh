#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The usual KUnit flow on the assembled tree: kunit.py builds its own kernel
# (out of tree, with ccache) and runs it under QEMU. Extra arguments go to
# kunit.py, e.g. rig/kunit.sh --kunitconfig=lib/kunit.

. "$(dirname "$0")/common.sh"

need_pkgs qemu-system-x86
cd "$SRC"
step "kunit.py run --arch=x86_64 (mm/vmalloc.kunitconfig)"
exec python3 tools/testing/kunit/kunit.py run --arch=x86_64 \
	--build_dir="$BUILD_ROOT/kunit" --jobs="$(nproc)" \
	--make_options="CC=ccache gcc" \
	--kunitconfig="$SRC/mm/vmalloc.kunitconfig" "$@"
