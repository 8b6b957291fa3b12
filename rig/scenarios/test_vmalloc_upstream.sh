# SPDX-License-Identifier: GPL-2.0
# test_vmalloc_upstream: the base tree's own test_vmalloc module, unmodified
# (built by the rig as test_vmalloc_upstream.ko), over its 11 cases.
# Knobs: rig.loops, rig.threads, rig.repeat, rig.mask.
tvm_run test_vmalloc_upstream "${RIG_MASK:-2047}"
