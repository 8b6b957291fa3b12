# SPDX-License-Identifier: GPL-2.0
# test_vmalloc: the series' test_vmalloc module over all its cases:
# upstream's 11 and the new ones (vmap_pfn_test needs CONFIG_VMAP_PFN,
# which the KUnit suite selects in every rig kernel).
# Knobs: rig.loops, rig.threads, rig.repeat, rig.mask.
tvm_run test_vmalloc "${RIG_MASK:-1048575}"
