# SPDX-License-Identifier: GPL-2.0
# test_vmalloc_upstream: the base tree's own test_vmalloc module, unmodified
# (built by the rig as test_vmalloc_upstream.ko), over its 11 cases, with
# 2 workers per CPU, each case repeated 3 times by default.
# Knobs: rig.loops, rig.threads, rig.repeat, rig.mask.
RIG_REPEAT=${RIG_REPEAT:-3}
# rig.mask may name the series' cases 11 and up too: upstream has 11.
tvm_run test_vmalloc_upstream "$((${RIG_MASK:-2047} & 2047))"
