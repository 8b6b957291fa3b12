# SPDX-License-Identifier: GPL-2.0
#
# The rig: from this repository to a booted Linux 6.12 kernel and a verdict.
# See README.md. Everything built lives in $(RIG_CACHE), outside git.

CONFIG   ?= perf
VARIANT  ?= ours
ARCH     ?= x86_64
SCENARIO ?= smoke,test_vmalloc,test_vmalloc_upstream
SMP      ?= 2
MEM      ?= 2G
ICOUNT   ?= 0
LOOPS    ?=
THREADS  ?=
REPEAT   ?=
MASK     ?=
# Debug kernels run test_vmalloc 20-50 times slower under TCG: fewer
# loops, upstream's cases once, fewer module loads and forks.
DEBUG_LOOPS ?= 200
DEBUG_APPEND ?= rig.modloops=100 rig.forks=1000
# One test_vmalloc worker per vCPU on debug kernels: the set-up of the
# busy-list and full-fit cases (thousands of areas) dominates there.
DEBUG_THREADS ?= 2
# The torture test: how long it runs on each kernel, in seconds.
TORTURE_SECONDS ?= 20
# make check adds the scenario of vmalloc's other callers.
CHECK_SCENARIO ?= $(SCENARIO),callers

export SMP MEM ICOUNT LOOPS THREADS REPEAT MASK ARCH DURATION SEED

SHELL := /bin/bash
RIG  := rig
LOGS := out/logs

.PHONY: all help setup assemble build boot verdict run quick check check-rig \
	check-harness check-arches check-i386 check-i386-leg kunit lint \
	matrix bench profile scale series steps clean distclean

all: help

help:
	@echo "make run      build the perf kernel, boot it, run test_vmalloc, print the verdict"
	@echo "make quick    the edit loop: harness, perf kernel, KUnit and a short test_vmalloc"
	@echo "make check    every test: parser, harness, series, perf and debug boots"
	@echo "make kunit    kunit.py run --arch=x86_64 with the vmalloc kunitconfig"
	@echo "make bench    stock against ours: MODE=icount|mttcg RUNS=n QUICK=1"
	@echo "make profile  per-phase instructions of vmalloc, stock against ours"
	@echo "make scale    locks per vmalloc/vfree at 8 vCPUs; 64 vCPUs in 8 nodes"
	@echo "make series   export the patch series and prove that it applies"
	@echo "make lint     W=1 and sparse over the series' C files (perf kernel)"
	@echo "make matrix   the series' C files under 9 real configs and 6 architectures"
	@echo "make boot     one leg: CONFIG=perf|debug VARIANT=ours|stock ARCH=x86_64|arm64|i386 SCENARIO=a,b"
	@echo "make clean    drop logs and build directories (keeps the base tree, ccache)"
	@echo "knobs: SMP MEM ICOUNT=1 LOOPS THREADS REPEAT MASK ARCH ROWS"

setup:
	@$(RIG)/base.sh

assemble: setup
	@$(RIG)/assemble.sh

build: assemble
	@$(RIG)/build.sh $(CONFIG) $(VARIANT)

LEG := $(CONFIG)-$(VARIANT)$(if $(filter-out x86_64,$(ARCH)),-$(ARCH))

boot: build
	@$(RIG)/boot.sh $(CONFIG) $(VARIANT) $(SCENARIO) $(LEG)-$(subst $(comma),+,$(SCENARIO))
	@$(RIG)/verdict.py $(LOGS)/$(LEG)-$(subst $(comma),+,$(SCENARIO)).log

comma := ,

verdict:
	@$(RIG)/verdict.py $(LOGS)/*.log

run: assemble
	@rm -rf $(LOGS)
	@$(RIG)/build.sh perf $(VARIANT)
	@$(RIG)/boot.sh perf $(VARIANT) $(SCENARIO) run
	@$(RIG)/verdict.py --csv out/run.csv $(LOGS)/run.log

# The edit loop: the parser's and the harness's tests (no fuzzer), the
# perf kernel rebuilt incrementally, one boot with the KUnit suites and a
# short run of the series' test_vmalloc, and its verdict.
QUICK_LOOPS ?= 2000
quick: check-rig assemble
	@. $(RIG)/common.sh && $(MAKE) -s -C tools/testing/vmalloc check BASE="$$SRC"
	@rm -f $(LOGS)/quick.log
	@$(RIG)/build.sh perf ours
	@LOOPS=$(QUICK_LOOPS) $(RIG)/boot.sh perf ours smoke,test_vmalloc quick
	@$(RIG)/verdict.py $(LOGS)/quick.log

check-rig: setup
	@echo "== rig: verdict parser tests"
	@python3 $(RIG)/tests/run.py

# The harness's tests, then its fuzzer for FUZZ_SECONDS from the committed
# seeds: a mismatch with the model, a checker complaint or a sanitizer
# report stops it with an error.
FUZZ_SECONDS ?= 90
check-harness: setup
	@if [ -f tools/testing/vmalloc/Makefile ]; then \
		echo "== userspace harness"; \
		. $(RIG)/common.sh && $(MAKE) -s -C tools/testing/vmalloc check BASE="$$SRC"; \
		echo "== userspace harness: fuzzer, $(FUZZ_SECONDS) s"; \
		mkdir -p out && . $(RIG)/common.sh && need_pkgs clang && \
		$(MAKE) -s -C tools/testing/vmalloc fuzz BASE="$$SRC" \
			SECONDS=$(FUZZ_SECONDS) >out/fuzz.log 2>&1 || \
			{ tail -n 30 out/fuzz.log; exit 1; }; \
		grep -E '^(Done|vmap_space_fuzz:)' out/fuzz.log; \
	fi

check: check-rig check-harness assemble series
	@rm -rf $(LOGS)
	@# Every row of the compile matrix, judged with the boots below.
	@$(RIG)/matrix.sh || true
	@$(RIG)/build.sh perf ours
	@$(RIG)/lint.sh perf ours
	@$(RIG)/steps.sh
	@# The torture test with 2 workers per vCPU (its default) here, and
	@# on the debug kernel with 4 vCPUs below.
	@DURATION=$(TORTURE_SECONDS) $(RIG)/boot.sh perf ours \
		$(CHECK_SCENARIO),selftest,torture perf
	@$(RIG)/build.sh debug ours
	@LOOPS=$(DEBUG_LOOPS) REPEAT=1 THREADS=$(DEBUG_THREADS) \
		APPEND="$(DEBUG_APPEND)" TIMEOUT=2400 \
		$(RIG)/boot.sh debug ours $(CHECK_SCENARIO),detectors debug
	@# Then vmalloc's error paths: failslab and fail_page_alloc at 10 %
	@# while test_vmalloc and the torture test run, the torture test again
	@# with faults off, nothing left behind.
	@SMP=4 DURATION=$(TORTURE_SECONDS) TIMEOUT=1500 \
		$(RIG)/boot.sh debug ours torture,faults debug-torture
	@# DEBUG_PAGEALLOC unmaps freed pages: the KASAN suite's use-after-free
	@# cases would fault for real instead of being reported.
	@APPEND=debug_pagealloc=off TIMEOUT=900 $(RIG)/boot.sh debug ours kasan debug-kasan
	@# Stock through the switch: it still builds, and the KUnit suites of
	@# the contract pass on it too.
	@$(RIG)/build.sh perf stock
	@$(RIG)/boot.sh perf stock smoke perf-stock
	@# kunit.py's own kernel: one CPU, KASLR, no NUMA, unlike the rig's.
	@$(RIG)/kunit.sh
	@$(MAKE) -s check-arches
	@echo "== verdict"
	@$(RIG)/verdict.py $(LOGS)/*.log

# The legs off x86_64: arm64 perf, and arm64 debug with tag-based KASAN.
# arm64 under TCG is slower again than x86_64, and with tags the set-up of
# full_fit and long_busy_list (tens of thousands of areas) takes over ten
# minutes: the debug leg runs the series' test_vmalloc without those two
# cases, few loops, and leaves upstream's module to the perf leg.
ARM64_DEBUG_LOOPS ?= 50
ARM64_DEBUG_MASK ?= 1048569
ARM64_DEBUG_SCENARIO ?= smoke,test_vmalloc,callers
ARM64_DEBUG_APPEND ?= rig.modloops=50 rig.forks=500
check-arches:
	@ARCH=arm64 $(RIG)/build.sh perf ours
	@ARCH=arm64 $(RIG)/boot.sh perf ours $(CHECK_SCENARIO) perf-arm64
	@ARCH=arm64 $(RIG)/build.sh debug ours
	@ARCH=arm64 LOOPS=$(ARM64_DEBUG_LOOPS) REPEAT=1 THREADS=$(DEBUG_THREADS) \
		MASK=$(ARM64_DEBUG_MASK) APPEND="$(ARM64_DEBUG_APPEND)" \
		TIMEOUT=2400 \
		$(RIG)/boot.sh debug ours $(ARM64_DEBUG_SCENARIO) debug-arm64
	@$(MAKE) -s check-i386-leg

# i386 perf: HIGHMEM4G and about 120 MiB of vmalloc space, where vmalloc
# runs out, purges and retries as it never does on 64-bit. The KUnit
# suites, both test_vmalloc modules (upstream's sized to the space) and
# the torture test, whose workers there hold a quarter of the space.
check-i386-leg:
	@ARCH=i386 $(RIG)/build.sh perf ours
	@ARCH=i386 DURATION=$(TORTURE_SECONDS) \
		$(RIG)/boot.sh perf ours $(SCENARIO),torture perf-i386

check-i386: assemble check-i386-leg
	@$(RIG)/verdict.py $(LOGS)/perf-i386.log

kunit: assemble
	@$(RIG)/kunit.sh

matrix: assemble
	@$(RIG)/matrix.sh $(ROWS)
	@$(RIG)/verdict.py $(LOGS)/compile-matrix.log

lint: assemble
	@$(RIG)/build.sh perf ours
	@$(RIG)/lint.sh perf ours

bench: assemble
	@$(RIG)/bench.sh

profile: assemble
	@$(RIG)/profile.sh

scale: assemble
	@$(RIG)/scale.sh

series: assemble
	@$(RIG)/series.sh

# Each patch of the series compiles (needs the perf kernel built).
steps: assemble
	@$(RIG)/build.sh perf ours
	@$(RIG)/steps.sh

clean:
	rm -rf out
	@. $(RIG)/common.sh && rm -rf "$$BUILD_ROOT"

distclean: clean
	@. $(RIG)/common.sh && rm -rf "$$RIG_CACHE"
