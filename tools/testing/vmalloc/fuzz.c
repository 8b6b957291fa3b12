// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: every input is a set-up and a sequence of operations
 * (world_run() in world.c says how bytes are read), played against
 * mm/vmap_space.c and the page model at once. Any disagreement, checker
 * complaint, leak or sanitizer report is a crash.
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

static unsigned long runs;
static unsigned long ops;

static void fuzz_stats(void)
{
	fprintf(stderr, "vmap_space_fuzz: %lu runs, %lu operations\n", runs,
		ops);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	atexit(fuzz_stats);
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	char why[256];

	runs++;
	if (!world_run(data, size, false, why, sizeof(why))) {
		fprintf(stderr, "vmap_space_fuzz: mismatch: %s\n", why);
		abort();
	}
	ops += world_ops;
	return 0;
}
