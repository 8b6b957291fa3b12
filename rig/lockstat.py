#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""rig/lockstat.py: locks taken per vmalloc()/vfree() pair, stock and ours.

    lockstat.py --out DIR --stock LOG --ours LOG

Reads the RIG-LOCKSTAT lines of the lockstat scenario (one per lock class
taken at least once per 100 pairs) and prints, per page count, each class
with its acquisitions and contentions per pair in both kernels. The
vmalloc locks of which each kernel has a single instance (the global
ones) are marked "global" and summed; their ratio is the figure issue 14
asks for. Writes DIR/lockstat.txt and DIR/lockstat.csv; exits 1 if a log
has no RIG-LOCKSTAT line for a page count the other has.
"""

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from verdict import clean  # noqa: E402

LINE = re.compile(r"^RIG-LOCKSTAT pages=(\d+) pairs=(\d+) (\S+) (\d+) (\d+)$")
# The vmalloc locks with one instance in the whole kernel.
GLOBAL = {
    "stock": {"free_vmap_area_lock", "vmap_purge_lock"},
    "ours": {"vmap_free_lock", "vmap_purge_mutex"},
}


def read_log(path):
    """{pages: (pairs, {class: (contentions, acquisitions)})}"""
    out = {}
    with open(path, errors="replace") as f:
        for raw in f:
            m = LINE.match(clean(raw))
            if not m:
                continue
            pages, pairs = int(m.group(1)), int(m.group(2))
            _, classes = out.setdefault(pages, (pairs, {}))
            classes[m.group(3)] = (int(m.group(4)), int(m.group(5)))
    return out


def per_pair(entry, pairs):
    return (entry[1] / pairs, entry[0] / pairs) if entry else (0.0, 0.0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--stock", required=True)
    ap.add_argument("--ours", required=True)
    args = ap.parse_args()
    logs = {"stock": read_log(args.stock), "ours": read_log(args.ours)}
    if not logs["stock"] or set(logs["stock"]) != set(logs["ours"]):
        sys.exit("lockstat.py: the two logs do not have the same runs")
    lines, rows = [], []
    for pages in sorted(logs["stock"]):
        pairs = {v: logs[v][pages][0] for v in logs}
        classes = sorted(set(logs["stock"][pages][1]) |
                         set(logs["ours"][pages][1]),
                         key=lambda c: -max(
                             per_pair(logs[v][pages][1].get(c), pairs[v])[0]
                             for v in logs))
        lines.append(f"fix_size_alloc_test, {pages} page(s): per "
                     f"vmalloc()/vfree() pair ({pairs['stock']} pairs)")
        lines.append(f"  {'lock class':42} {'stock acq':>10} {'con':>7} "
                     f"{'ours acq':>10} {'con':>7}")
        total = {"stock": 0.0, "ours": 0.0}
        for c in classes:
            s = per_pair(logs["stock"][pages][1].get(c), pairs["stock"])
            o = per_pair(logs["ours"][pages][1].get(c), pairs["ours"])
            mark = ""
            for v, acq in (("stock", s[0]), ("ours", o[0])):
                if c in GLOBAL[v]:
                    total[v] += acq
                    mark = " global"
            lines.append(f"  {c[:42]:42} {s[0]:10.3f} {s[1]:7.3f} "
                         f"{o[0]:10.3f} {o[1]:7.3f}{mark}")
            rows.append([pages, c, f"{s[0]:.4f}", f"{s[1]:.4f}",
                         f"{o[0]:.4f}", f"{o[1]:.4f}", bool(mark)])
        ratio = total["ours"] / total["stock"] if total["stock"] else 0.0
        lines.append(f"  global vmalloc locks: stock {total['stock']:.3f}, "
                     f"ours {total['ours']:.3f} per pair, ours/stock "
                     f"{ratio:.3f}")
        lines.append("")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "lockstat.txt").write_text("\n".join(lines) + "\n")
    with open(out / "lockstat.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["pages", "class", "stock_acq", "stock_con", "ours_acq",
                    "ours_con", "global"])
        w.writerows(rows)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
