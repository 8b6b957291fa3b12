// SPDX-License-Identifier: GPL-2.0
/*
 * finit MODULE.ko [PARAM...]: load a module with one finit_module() call.
 *
 * busybox's insmod falls back to init_module() when finit_module() fails, so a
 * module whose init fails on purpose (test_vmalloc returns -EAGAIN) would run
 * twice. This loads it exactly once and reports the result on stdout.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char params[4096] = "";
	size_t len = 0;
	long ret;
	int fd, i;

	if (argc < 2) {
		fprintf(stderr, "usage: finit MODULE.ko [PARAM...]\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		int n = snprintf(params + len, sizeof(params) - len, "%s%s",
				 len ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(params) - len) {
			fprintf(stderr, "finit: parameters too long\n");
			return 2;
		}
		len += n;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	ret = syscall(SYS_finit_module, fd, params, 0);
	if (ret) {
		int err = errno;

		printf("%d %s\n", err, strerror(err));
		return 1;
	}
	printf("0 ok\n");
	return 0;
}
