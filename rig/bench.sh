#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A/B benchmark of stock against ours: the hook exists so that the Makefile
# and CI know where it goes. It needs the Kconfig switch between the two
# implementations, which arrives with the rewrite.

. "$(dirname "$0")/common.sh"

die "make bench: not implemented yet (needs the stock/ours Kconfig switch)"
