# SPDX-License-Identifier: GPL-2.0
# test_vmalloc: the series' test_vmalloc module over its cases: upstream's
# 11 and the new ones, but vmap_pfn_test (bit 13), which needs
# CONFIG_VMAP_PFN, a symbol only some drivers select.
# Knobs: rig.loops, rig.threads, rig.repeat, rig.mask.
tvm_run test_vmalloc "${RIG_MASK:-1040383}"
