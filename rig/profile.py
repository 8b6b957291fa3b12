#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Per-phase table of vmalloc, stock against ours, from "profile" boots.

profile.py --out DIR --stock LOG --ours LOG reads the RIG-PROF lines of
one boot of each (rig/scenarios/profile.sh under -icount, where a
nanosecond of guest time is one instruction) and prints, per case, the
instructions per iteration of each phase: the time of the phase's
function, callees included, summed over CPUs and divided by the case's
iterations, with its calls per iteration. A phase's function is the
first of its candidates that the kernel called (stock and ours name
their steps differently, and the compiler inlines some). The floor is
what no vmalloc avoids: the pages, their page table entries, unmapping
them and freeing them. Each traced call costs tracing instructions of
its own, counted in its callers' figures: the calls column says how
many, the untraced mean the true total, and the difference of the two
means over the traced calls what one traced call costs, part of which
falls inside the figure of the function traced and all of which falls
inside its traced callers'. Stock and ours pay it alike. Only one
function per phase is traced (rig/scenarios/profile.sh), so a phase
holds no tracing of its own level twice. Writes DIR/profile.csv and
DIR/profile.txt.
"""

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from verdict import clean  # noqa: E402

RUN = re.compile(r"^RIG-PROF-RUN (\S+) (plain|probe|traced) ")
ITERS = re.compile(r"^# (\S+): iters=(\d+) ")
MEAN = re.compile(r"^# (\S+): ns mean=(\d+) ")
STAT = re.compile(r"^RIG-PROF (\S+) \S+ (\S+)\s+(\d+)\s+([\d.]+) (ns|us|ms|s)\b")
SLAB = ("kmem_cache_alloc_node_noprof", "__kmalloc_cache_node_noprof",
        "__kmalloc_node_noprof", "kmem_cache_free", "kfree")
# (phase, candidate functions, part of the floor)
PHASES = [
    ("vmalloc()", ["__vmalloc_node_range_noprof"], False),
    ("  reserve: vm_struct, address, index",
     ["__get_vm_area_node", "vm_area_get_node"], False),
    ("    address search, busy index", ["alloc_vmap_area", "vmap_area_alloc"],
     False),
    ("  pages", ["alloc_pages_bulk_noprof"], True),
    ("  page tables", ["vmap_pages_range", "vmap_pages_range_noflush",
                       "__vmap_pages_range_noflush"], True),
    ("vfree()", ["vfree"], False),
    ("  remove: lookup, unmap, lazy free", ["remove_vm_area"], False),
    ("    lookup", ["find_unlink_vmap_area", "vmap_area_unindex"], False),
    ("    unmap", ["vunmap_range_noflush", "__vunmap_range_noflush"], True),
    ("  page frees", ["__free_pages"], True),
    ("purge, amortised", ["__purge_vmap_area_lazy", "purge"], False),
    ("  TLB flush", ["flush_tlb_kernel_range"], False),
    ("vm_map_ram()", ["vm_map_ram"], False),
    ("vm_unmap_ram()", ["vm_unmap_ram"], False),
]
UNIT_NS = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}


def ran_case(label, case):
    """A label names the case its mask picks: fix_size_3 runs fix_size_*."""
    stem = re.sub(r"_\d+$", "", label)
    if not case.startswith(stem + "_"):
        sys.exit(f"profile.py: {label} ran {case}: its mask picks another case")


def read_boot(path):
    """{label: {"plain": ns, "traced": ns, "iters": n, "funcs": {f: [hits, ns]}}}"""
    out = defaultdict(lambda: {"funcs": defaultdict(lambda: [0, 0.0])})
    label = run = None
    with open(path, errors="replace") as f:
        for raw in f:
            line = clean(raw)
            m = RUN.match(line)
            if m:
                label, run = m.group(1), m.group(2)
                continue
            m = MEAN.match(line)
            if m and label:
                ran_case(label, m.group(1))
                out[label][run] = int(m.group(2))
                continue
            m = ITERS.match(line)
            if m and label:
                out[label]["iters"] = int(m.group(2))
                continue
            m = STAT.match(line)
            if m:
                fn = m.group(2).split(".")[0]
                entry = out[m.group(1)]["funcs"][fn]
                entry[0] += int(m.group(3))
                entry[1] += float(m.group(4)) * UNIT_NS[m.group(5)]
    return out


def overhead(case):
    """What one traced call costs: untraced and traced means apart."""
    iters = case.get("iters") or 1
    calls = sum(hits for hits, _ in case["funcs"].values()) / iters
    if not calls:
        return 0.0, 0.0
    return max(case.get("traced", 0) - case.get("plain", 0), 0) / calls, calls


def phase(case, candidates):
    """(instructions, calls) per iteration of the first called candidate."""
    iters = case.get("iters") or 1
    for fn in candidates:
        hits, ns = case["funcs"].get(fn, (0, 0.0))
        if hits:
            return ns / iters, hits / iters
    return None


def slab(case):
    iters = case.get("iters") or 1
    hits = sum(case["funcs"].get(fn, (0, 0))[0] for fn in SLAB) / iters
    ns = sum(case["funcs"].get(fn, (0, 0.0))[1] for fn in SLAB) / iters
    return (ns, hits) if hits else None


def rows(case):
    """[(phase, (instructions, calls) or None)] of one case of one boot."""
    cost, calls = overhead(case)
    plain = case.get("plain", 0)
    out = [("untraced mean per iteration", (plain, None)),
           ("traced mean per iteration", (case.get("traced", 0), calls)),
           ("  tracing, per traced call", (cost, None))]
    floor = 0.0
    for name, cands, in_floor in PHASES:
        got = phase(case, cands)
        out.append((name, got))
        if got and in_floor:
            floor += got[0]
    out.append(("slab allocations and frees", slab(case)))
    out.append(("floor: pages, entries, unmap, frees", (floor, None)))
    return out


def fmt(cell):
    if cell is None:
        return "-", ""
    ins, calls = cell
    return f"{ins:.0f}", "" if calls is None else f"{calls:.2f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--stock", required=True)
    ap.add_argument("--ours", required=True)
    args = ap.parse_args()
    stock, ours = read_boot(args.stock), read_boot(args.ours)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    lines, table = [], []
    for label in [lb for lb in stock if lb in ours]:
        lines.append(f"{label} (instructions per iteration, calls per "
                     f"iteration; {stock[label].get('iters', 0)} iterations)")
        lines.append(f"  {'phase':38} {'stock':>9} {'calls':>6} "
                     f"{'ours':>9} {'calls':>6} {'ours/stock':>10}")
        for (name, s), (_, o) in zip(rows(stock[label]), rows(ours[label])):
            si, sc = fmt(s)
            oi, oc = fmt(o)
            ratio = ""
            if s and o and s[0]:
                ratio = f"{o[0] / s[0]:.2f}"
            lines.append(f"  {name:38} {si:>9} {sc:>6} {oi:>9} {oc:>6} "
                         f"{ratio:>10}")
            table.append([label, name.strip(), si, sc, oi, oc, ratio])
        lines.append("")
    if not table:
        print("profile.py: no case in both logs", file=sys.stderr)
        return 1
    with open(out / "profile.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["case", "phase", "stock_insns", "stock_calls",
                    "ours_insns", "ours_calls", "ours_over_stock"])
        w.writerows(table)
    text = "\n".join(lines)
    (out / "profile.txt").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
