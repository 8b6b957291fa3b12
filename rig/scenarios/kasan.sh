# SPDX-License-Identifier: GPL-2.0
# kasan: KASAN's own KUnit suite (debug kernels). It provokes reports on
# purpose, so it runs in a boot of its own and is judged by its KTAP verdict.
expect kunit-suites 1
load kasan_test
