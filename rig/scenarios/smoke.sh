# SPDX-License-Identifier: GPL-2.0
# smoke: the kernel boots, its built-in KUnit suites ran, the system is sane.
suites=$(ls /sys/kernel/debug/kunit 2>/dev/null | grep -vc '^results$')
expect kunit-suites "$suites"
snap smoke-before
cat /proc/vmallocinfo /proc/meminfo >/dev/null
snap smoke-after
