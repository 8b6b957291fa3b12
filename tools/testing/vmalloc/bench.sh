#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the benchmarks of mm/vmap_space.c under callgrind and print the
# instructions per operation of every phase, then how the cost grows with
# the number of busy areas. Usage: bench.sh ./vmap_space_bench
# (VALGRIND and O, the build directory, come from the Makefile.)
set -e

bin=$1
out=${O:-build}/callgrind
rm -rf "$out"
mkdir -p "$out"
nice -n 19 "${VALGRIND:-valgrind}" --tool=callgrind --instr-atstart=no \
	--callgrind-out-file="$out/cg.out" "$bin" >"$out/log" 2>&1 ||
	{ cat "$out/log"; exit 1; }

# Every dump says "desc: Trigger: Client Request: NAME OPS" and
# "summary: INSTRUCTIONS"; the dumps are numbered in the order of the phases.
ls "$out"/cg.out.* | sort -t. -k3 -n | xargs awk '
/^desc: Trigger: Client Request:/ { name = $5; ops = $6 }
/^summary:/ { printf "%s %s %s\n", name, ops, $2 }
' >"$out/table"

awk '
BEGIN {
	printf "| %-28s | %7s | %12s |\n", "phase", "ops", "instr/op"
	printf "|%s|%s|%s|\n", "------------------------------", \
		"---------", "--------------"
}
{
	printf "| %-28s | %7d | %12.0f |\n", $1, $2, $3 / $2
	if ($1 ~ /^n=/) {
		split($1, part, "_")
		n = substr(part[1], 3)
		what = part[2] "_" part[3]
		cost[what, n] = $3 / $2
		if (!(n in seen)) { seen[n] = 1; ns[++nn] = n }
		if (!(what in seenw)) { seenw[what] = 1; ws[++nw] = what }
	}
}
END {
	if (!nn)
		exit
	printf "\nGrowth with the number n of busy areas (and as many free " \
		"holes):\n"
	printf "%-14s", "instr/op"
	for (i = 1; i <= nn; i++)
		printf " %9s", "n=" ns[i]
	printf "   %s\n", "per doubling of n"
	for (j = 1; j <= nw; j++) {
		w = ws[j]
		printf "%-14s", w
		for (i = 1; i <= nn; i++)
			printf " %9.0f", cost[w, ns[i]]
		lo = cost[w, ns[1]]; hi = cost[w, ns[nn]]
		doublings = log(ns[nn] / ns[1]) / log(2)
		printf "   %+6.1f\n", (hi - lo) / doublings
	}
	printf "(n grows %dx from first to last column; linear growth " \
		"would multiply the cost by as much)\n", ns[nn] / ns[1]
}
' "$out/table"
