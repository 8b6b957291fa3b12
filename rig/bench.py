#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare stock and ours from the serial logs of "bench" boots.

bench.py --out DIR --stock LOG... --ours LOG... reads the series'
test_vmalloc results of each boot (per worker count and case: the median
over workers of the mean time of one repetition, and the KTAP latency
percentiles), takes the median over boots, and prints per case the two
medians, the ratio ours/stock and the geometric mean of the ratios. It
writes DIR/bench.csv (every figure of every boot) and DIR/summary.csv,
and DIR/bench.png when gnuplot is there.
"""

import argparse
import csv
import math
import re
import shutil
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from verdict import TVM_SUMMARY, clean  # noqa: E402

THREADS = re.compile(r"^RIG-BENCH threads=(\d+)")
LATENCY = re.compile(r"^# (\S+): ns mean=(\d+) p50=(\d+) p99=(\d+) max=(\d+)")


def read_boot(path):
    """{(threads, case): {"avg": usec, "p50": ns, "p99": ns}} of one boot."""
    threads, avgs, out = None, defaultdict(list), {}
    with open(path, errors="replace") as f:
        for raw in f:
            line = clean(raw)
            m = THREADS.match(line)
            if m:
                threads = int(m.group(1))
                continue
            if threads is None:
                continue
            m = TVM_SUMMARY.search(line)
            if m and int(m.group(3)) == 0:
                avgs[(threads, m.group(1))].append(int(m.group(6)))
                continue
            m = LATENCY.match(line)
            if m:
                key = (threads, m.group(1))
                out.setdefault(key, {}).update(p50=int(m.group(3)),
                                               p99=int(m.group(4)))
    for key, values in avgs.items():
        out.setdefault(key, {})["avg"] = statistics.median(values)
    return {k: v for k, v in out.items() if "avg" in v}


def medians(boots):
    per = defaultdict(lambda: defaultdict(list))
    for boot in boots:
        for key, figs in boot.items():
            for name, value in figs.items():
                per[key][name].append(value)
    return {key: {n: statistics.median(v) for n, v in figs.items()}
            for key, figs in per.items()}


def chart(outdir, rows):
    if not shutil.which("gnuplot"):
        return False
    data = outdir / "ratios.dat"
    with open(data, "w") as f:
        for threads, case, _, _, ratio in rows:
            f.write(f"{case}/{threads}t {ratio:.4f}\n")
    script = f"""
set terminal pngcairo size 1200,600 noenhanced
set output '{outdir / "bench.png"}'
set title 'test_vmalloc: ours / stock (median time per repetition; below 1 is faster)'
set style data histograms
set style fill solid 0.7
set boxwidth 0.8
set xtics rotate by -60 font ',8'
set yrange [0:*]
set grid ytics
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2
plot '{data}' using 2:xtic(1) notitle
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    return True


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--label", default="")
    ap.add_argument("--stock", nargs="+", required=True)
    ap.add_argument("--ours", nargs="+", required=True)
    args = ap.parse_args(argv)
    stock_logs, ours_logs = args.stock, args.ours
    stock = [read_boot(p) for p in stock_logs]
    ours = [read_boot(p) for p in ours_logs]
    args.out.mkdir(parents=True, exist_ok=True)

    with open(args.out / "bench.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["variant", "log", "threads", "case", "avg_usec",
                    "p50_ns", "p99_ns"])
        for variant, logs, boots in (("stock", stock_logs, stock),
                                     ("ours", ours_logs, ours)):
            for path, boot in zip(logs, boots):
                for (threads, case), figs in sorted(boot.items()):
                    w.writerow([variant, Path(path).name, threads, case,
                                figs["avg"], figs.get("p50", ""),
                                figs.get("p99", "")])

    ms, mo = medians(stock), medians(ours)
    rows, spread = [], {}
    for key in sorted(set(ms) & set(mo)):
        a, b = ms[key]["avg"], mo[key]["avg"]
        if a > 0 and b > 0:
            rows.append((key[0], key[1], a, b, b / a))
            # How far stock's own boots lie apart: the noise floor.
            runs = [boot[key]["avg"] for boot in stock
                    if key in boot and boot[key]["avg"] > 0]
            spread[key] = max(runs) / min(runs) if runs else 1.0
    if not rows:
        print("bench: no case has figures for both variants")
        return 1

    print(f"# {args.label}")
    print(f"# {len(stock)} stock boot(s), {len(ours)} ours; median usec per "
          "repetition; ratio = ours/stock (below 1: ours is faster)")
    width = max(len(r[1]) for r in rows)
    print(f"{'threads':>7}  {'case':<{width}}  {'stock':>12}  {'ours':>12}  ratio"
          "  stock max/min")
    with open(args.out / "summary.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["threads", "case", "stock_usec", "ours_usec", "ratio"])
        for threads, case, a, b, ratio in rows:
            print(f"{threads:>7}  {case:<{width}}  {a:>12.0f}  {b:>12.0f}  {ratio:.3f}"
                  f"  {spread[(threads, case)]:.3f}")
            w.writerow([threads, case, a, b, f"{ratio:.4f}"])
    for threads in sorted({r[0] for r in rows}):
        some = [r[4] for r in rows if r[0] == threads]
        geo = math.exp(sum(math.log(x) for x in some) / len(some))
        print(f"geometric mean of ratios at {threads} thread(s): {geo:.3f} "
              f"over {len(some)} case(s)")
    geo = math.exp(sum(math.log(r[4]) for r in rows) / len(rows))
    print(f"geometric mean of ratios: {geo:.3f} over {len(rows)} case(s)")
    if chart(args.out, rows):
        print(f"chart: {args.out / 'bench.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
