// SPDX-License-Identifier: GPL-2.0
/*
 * kcore: read the vmalloc range through /proc/kcore, as crash tools and
 * debuggers do, and check what vread_iter() gives back.
 *
 * Every area listed by /proc/vmallocinfo is read whole (up to a cap), then
 * the range between areas is sampled: the first and last page of each gap
 * between areas, and one page every (range / SAMPLES) bytes. The rules:
 *
 *   - every read returns what was asked (kcore zero-fills what vread_iter()
 *     does not copy);
 *   - a page where no area is reads as zeroes;
 *   - an ioremap area reads as zeroes (vread_iter() must not touch device
 *     memory);
 *   - the guard page at the end of a vmalloc area reads as zeroes.
 *
 * A non-zero page outside every area is rechecked against a fresh read of
 * /proc/vmallocinfo: a kernel thread may have allocated it in between.
 * Prints one line of counts and exits 1 if a rule was broken.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE		4096UL
#define AREA_CAP	(16UL << 20)
#define SAMPLES		8192UL
#define MAX_AREAS	65536

struct area {
	unsigned long start, end;
	int ioremap, guarded;
};

static Elf64_Phdr *phdrs;
static int nr_phdrs, kfd;
static unsigned char buf[1 << 16];

/*
 * Under tag-based KASAN (arm64) /proc/vmallocinfo shows vmalloc() areas
 * by the tagged address that vmalloc() returned, while kcore maps the
 * range by its untagged one: a kernel pointer's top byte is all ones.
 */
static unsigned long untag(unsigned long addr)
{
#ifdef __aarch64__
	addr |= 0xffUL << 56;
#endif
	return addr;
}

static int cmp_area(const void *a, const void *b)
{
	const struct area *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int load_areas(struct area *areas)
{
	char line[1024];
	FILE *f = fopen("/proc/vmallocinfo", "r");
	int n = 0;

	if (!f)
		return -1;
	while (n < MAX_AREAS && fgets(line, sizeof(line), f)) {
		struct area *a = &areas[n];

		if (sscanf(line, "0x%lx-0x%lx", &a->start, &a->end) != 2)
			continue;
		a->start = untag(a->start);
		a->end = untag(a->end);
		a->ioremap = strstr(line, " ioremap") != NULL;
		/*
		 * vmalloc() areas end with a guard page; percpu chunks and
		 * vm_map_ram blocks do not.
		 */
		a->guarded = strstr(line, " vmalloc") &&
			     !strstr(line, "pcpu_") && a->end - a->start > PAGE;
		n++;
	}
	fclose(f);
	qsort(areas, n, sizeof(*areas), cmp_area);
	return n;
}

static const Elf64_Phdr *segment(unsigned long addr)
{
	int i;

	for (i = 0; i < nr_phdrs; i++) {
		const Elf64_Phdr *p = &phdrs[i];

		if (p->p_type == PT_LOAD && addr >= p->p_vaddr &&
		    addr - p->p_vaddr < p->p_memsz)
			return p;
	}
	return NULL;
}

/* Read [addr, addr + len) into buf; 0 on a full read. */
static int kread(unsigned long addr, size_t len)
{
	const Elf64_Phdr *p = segment(addr);

	if (!p || len > sizeof(buf))
		return -1;
	return pread(kfd, buf, len, p->p_offset + (addr - p->p_vaddr)) ==
	       (ssize_t)len ? 0 : -1;
}

static int zero(size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i])
			return 0;
	return 1;
}

static int inside(const struct area *areas, int n, unsigned long addr)
{
	int lo = 0, hi = n;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (areas[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && areas[lo].start <= addr;
}

static struct area fresh[MAX_AREAS];
static unsigned long holes;
static int errors, hole_dirty, raced;

/* A page where no area was: zeroes, unless an area came since. */
static void check_hole(unsigned long addr)
{
	int m;

	if (kread(addr, PAGE)) {
		errors++;
		return;
	}
	holes++;
	if (zero(PAGE))
		return;
	m = load_areas(fresh);
	if (m > 0 && inside(fresh, m, addr))
		raced++;
	else
		hole_dirty++;
}

int main(void)
{
	static struct area areas[MAX_AREAS];
	unsigned long bytes = 0, base, span, addr, step;
	int n, i, io_dirty = 0, guard_dirty = 0;
	const Elf64_Phdr *range;
	Elf64_Ehdr eh;

	kfd = open("/proc/kcore", O_RDONLY);
	if (kfd < 0 || pread(kfd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG)) {
		printf("fail cannot read the ELF header of /proc/kcore\n");
		return 1;
	}
	nr_phdrs = eh.e_phnum;
	phdrs = calloc(nr_phdrs, sizeof(*phdrs));
	if (pread(kfd, phdrs, nr_phdrs * sizeof(*phdrs), eh.e_phoff) !=
	    (ssize_t)(nr_phdrs * sizeof(*phdrs))) {
		printf("fail cannot read the program headers\n");
		return 1;
	}
	n = load_areas(areas);
	if (n <= 0 || !(range = segment(areas[0].start))) {
		printf("fail no vmalloc area in /proc/vmallocinfo or kcore\n");
		return 1;
	}

	for (i = 0; i < n; i++) {
		struct area *a = &areas[i];
		unsigned long end = a->end, len;

		if (end - a->start > AREA_CAP)
			end = a->start + AREA_CAP;
		for (addr = a->start; addr < end; addr += len) {
			len = end - addr < sizeof(buf) ? end - addr : sizeof(buf);
			if (kread(addr, len)) {
				errors++;
				break;
			}
			bytes += len;
			if (a->ioremap && !zero(len))
				io_dirty++;
		}
		if (a->guarded && end == a->end && !kread(a->end - PAGE, PAGE) &&
		    !zero(PAGE))
			guard_dirty++;
	}

	base = range->p_vaddr;
	span = range->p_memsz;
	step = span / SAMPLES & ~(PAGE - 1);
	for (i = 0; i <= n; i++) {
		/* The gap before area i (or after the last one), then samples. */
		unsigned long probe[2] = {
			i ? areas[i - 1].end : base,
			(i < n ? areas[i].start : base + span) - PAGE,
		};
		int j;

		if (i && i < n && areas[i].start <= areas[i - 1].end)
			continue;
		for (j = 0; j < 2; j++) {
			if (probe[j] >= base && probe[j] - base < span)
				check_hole(probe[j]);
		}
	}
	for (addr = base; step && addr - base < span; addr += step) {
		if (!inside(areas, n, addr))
			check_hole(addr);
	}

	printf("%s areas=%d bytes=%lu holes=%lu errors=%d ioremap_nonzero=%d guard_nonzero=%d hole_nonzero=%d raced=%d\n",
	       errors || io_dirty || guard_dirty || hole_dirty ? "fail" : "ok",
	       n, bytes, holes, errors, io_dirty, guard_dirty, hole_dirty,
	       raced);
	return errors || io_dirty || guard_dirty || hole_dirty;
}
