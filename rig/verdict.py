#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge the serial logs of rig boots.

verdict.py LOG... prints one row per check and a last line "N passed, N failed";
it exits 1 when any check failed. The checks of each log:

  boot        the init reached its end marker (no panic, no time-out)
  scenario    every scenario that ran returned 0
  kunit       each KTAP suite: no case failed and the suite finished
  test_vmalloc  each case: summed over workers, nothing failed; the module
              ended its init with -EAGAIN, as it does after a full run
  expect      the scenario's announced counts (suites, cases) were all seen
  leak        between the "before" and "after" snapshots of a scenario, no
              vmalloc area appeared that is not explained by the kernel's own
              caches (thread stacks, percpu chunks), and VmallocUsed grew by
              no more than those explain
  check       each RIG-CHECK line of a scenario (its own assertions: the
              callers scenario's module loads, forks, /proc/kcore reads)
  splats      no WARNING, BUG, Oops, KASAN, lockdep, kmemleak, UBSAN, hung
              task or RCU stall report (KASAN's own KUnit suite excepted;
              in vmalloc_warnings only vmalloc's own WARNINGs, which the
              cases of bad calls must raise)

A log of rig/matrix.sh (first line RIG-COMPILE-MATRIX) is a compile
matrix instead: one check per row (no error, no warning in the series'
files, every option the row asks for), printed as a table too.
"""

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
KTAP_RESULT = re.compile(r"^(\s*)(not ok|ok) (\d+) (\S+)(.*)$")
SUBTEST = re.compile(r"^(\s*)# Subtest: (\S+)")
TVM_SUMMARY = re.compile(r"Summary: (\S+) passed: (\d+) failed: (\d+) "
                         r"repeat: (\d+) loops: (\d+) avg: (\d+) usec")
SPLAT = re.compile(
    r"WARNING:|\bBUG:|\bOops\b|general protection fault|Kernel panic|"
    r"KASAN:|UBSAN:|Call [Tt]race:|possible circular locking|"
    r"possible recursive locking|inconsistent lock state|"
    r"INFO: task .* blocked for more than|detected stalls|"
    r"soft lockup|hard LOCKUP|new suspected memory leaks|"
    r"unreferenced object 0x|Unable to handle kernel|"
    r"list_add corruption|list_del corruption|bad page state|"
    r"Bad page state")
# KASAN's own suite provokes its reports on purpose: judged by its KTAP
# verdict alone.
SPLAT_EXEMPT_SUITES = re.compile(r"^kasan")
# The vmalloc cases of bad calls: there a WARNING raised in vmalloc's own
# files, and its call trace, are expected; any other splat is one. The
# cases below must warn (each of these calls warns on 6.12 as well), at
# least this many times: a bad call that went unnoticed fails the verdict.
WARN_SUITE = "vmalloc_warnings"
WARN_EXPECTED = re.compile(
    r"WARNING: CPU: \d+ PID: \d+ at \S*\bmm/(vmalloc|vmap_\w+)\.c:\d+ ")
WARN_REQUIRED = {
    "vrealloc of kmalloc memory": 1,
    "vfree of kmalloc memory": 1,
    "vfree twice": 1,
    "vunmap of kmalloc memory": 1,
    "vunmap twice": 1,
    "ioremap_page_range_refuses_other_ranges": 2,
    "sparse_map_refuses_bad_flags": 2,
}
# Upstream's test_vmalloc asks align_shift_alloc_test for every alignment up
# to 1 << 63, which no vmalloc range can meet: the case fails by design, and
# the allocation-failure report (warn_alloc) it causes is no splat.
TVM_XFAIL = {"align_shift_alloc_test"}
# The series' test_vmalloc opens a KTAP report with this line; its
# align_shift_alloc_test passes, skipped cases have no Summary line.
TVM_KTAP = re.compile(r"^# vmalloc_test: threads=")
ALLOC_FAILURE = re.compile(r"vmalloc_test/\d+: vmalloc error: size \d+")
# The faults scenario fails allocations on purpose: there the reports of
# failed allocations, with their call traces, are expected, and so are
# test_vmalloc's failed cases (the torture test's own checks judge it).
FAULT_SCENARIO = "faults"
FAULT_REPORT = re.compile(r"vmalloc error: size \d+|page allocation failure:|"
                          r"percpu: allocation failed")
# Two failures reported at once interleave: a trace may then come far from
# its header (after another report's memory dump). In the faults scenario
# such a trace is still expected when its frames are those of an
# allocation-failure report.
FAULT_FRAMES = re.compile(r"^\s*(warn_alloc|pcpu_alloc(_noprof)?)\+")
# The detectors scenario provokes a KASAN report on purpose: it is expected
# between the module's "RIG-DETECT uaf" line and the scenario's
# "RIG-DETECT-END", and the scenario's own check requires it. Its kmemleak
# scans find the deliberate leaks, and kmemleak says so.
DETECT_SCENARIO = "detectors"
DETECT_LEAKS = re.compile(r"kmemleak: \d+ new suspected memory leaks")
# Areas the kernel keeps for itself across a test: cached thread stacks,
# percpu chunks, lazily freed areas not yet purged, vm_map_ram blocks.
LEAK_ALLOWED = re.compile(
    r"alloc_thread_stack_node|dup_task_struct|kernel_clone|pcpu_get_vm_areas|"
    r"pcpu_create_chunk|pcpu_mem_zalloc|unpurged vm_area|vm_map_ram|"
    r"bpf_|kunit")


def clean(line):
    line = line.rstrip("\r\n").replace("\r", "")
    return TIMESTAMP.sub("", line)


class Log:
    """The facts of one serial log, gathered in one pass."""

    def __init__(self, name, lines):
        self.name = name
        self.kernel = None
        self.ended = False
        self.scenarios = []          # (name, rc)
        self.suites = {}             # suite -> dict(pass, fail, skip, done, ok)
        self.scenario = "boot"       # the scenario running now
        # (scenario, case) -> Summary totals; skipped cases of our module
        self.tvm = defaultdict(lambda: {"passed": 0, "failed": 0, "avg": []})
        self.tvm_skip = set()
        self.tvm_ktap = set()        # scenarios whose module reported KTAP
        self.loads = []              # (module, rc)
        self.expect = defaultdict(int)
        self.snaps = defaultdict(lambda: {"used_kb": None, "areas": []})
        self.splats = []
        self.kmemleak = []
        self.checks = []             # (scenario, name, ok, detail)
        self.uaf_open = False        # inside the detectors' report window
        self.warned = {}             # case of WARN_SUITE -> its warnings
        self._parse(lines)

    def _parse(self, lines):
        suite = None
        recent = []       # the last lines, to find the header of a trace
        # A Call Trace being read: [first line, frames, injected fault].
        trace = None
        # WARNINGs of WARN_SUITE since its last case result, and whether
        # the trace of the last one has yet to come.
        warn_pending = 0
        warn_trace = False
        for raw in lines:
            line = clean(raw)
            recent = (recent + [line])[-8:]
            # A trace ends at </TASK>, or where the rig or a test speaks
            # again: 32-bit x86 prints no <TASK> markers.
            if trace is not None and (
                    line.startswith("RIG") or TVM_SUMMARY.search(line) or
                    KTAP_RESULT.match(line) or SUBTEST.match(line)):
                self._end_trace(*trace)
                trace = None
            if trace is not None:
                trace[1].append(line)
                if "</TASK>" in line or len(trace[1]) > 60:
                    self._end_trace(*trace)
                    trace = None
                continue
            if self.kernel is None and line.startswith("Linux version "):
                self.kernel = line.split(" (")[0][len("Linux version "):]
            m = SUBTEST.match(line)
            if m and len(m.group(1)) == 4:
                suite = m.group(2)
                self.suites[suite] = dict(passed=0, failed=0, skipped=0,
                                          done=False, ok=False)
                continue
            m = KTAP_RESULT.match(line)
            if m and suite is not None:
                self._ktap(suite, m)
                if suite == WARN_SUITE and "# SKIP" not in m.group(5):
                    case = (m.group(4) + m.group(5)).split(" # ")[0]
                    self.warned[case] = warn_pending
                    warn_pending = 0
                if len(m.group(1)) == 0:
                    suite = None
                continue
            if m and self.scenario in self.tvm_ktap and "# SKIP" in m.group(5):
                self.tvm_skip.add((self.scenario, m.group(4)))
                continue
            if TVM_KTAP.match(line):
                self.tvm_ktap.add(self.scenario)
                continue
            if line.startswith("RIG"):
                self._rig(line)
                continue
            m = TVM_SUMMARY.search(line)
            if m:
                case = self.tvm[(self.scenario, m.group(1))]
                case["passed"] += int(m.group(2))
                case["failed"] += int(m.group(3))
                case["avg"].append(int(m.group(6)))
                continue
            if SPLAT.search(line):
                if suite is not None and SPLAT_EXEMPT_SUITES.match(suite):
                    continue
                if suite == WARN_SUITE and WARN_EXPECTED.search(line):
                    warn_pending += 1
                    warn_trace = True
                    continue
                if (suite == WARN_SUITE and warn_trace and
                        line.strip().lower() == "call trace:"):
                    warn_trace = False
                    continue
                if self.scenario == DETECT_SCENARIO and (
                        self.uaf_open or DETECT_LEAKS.search(line)):
                    continue
                if (self.scenario == FAULT_SCENARIO and
                        line.strip().lower() == "call trace:"):
                    header = any(FAULT_REPORT.search(r) for r in recent)
                    trace = [line.strip(), [], True if header else "frames"]
                    continue
                if line.strip().lower() == "call trace:" and any(
                        ALLOC_FAILURE.search(r) for r in recent):
                    trace = [line.strip(), [], False]
                    continue
                self.splats.append(line.strip())
        if trace is not None:
            self._end_trace(*trace)

    def _end_trace(self, first, frames, injected):
        """An allocation-failure report: expected only from an xfail case,
        or anywhere in the faults scenario."""
        if injected == "frames":
            injected = any(FAULT_FRAMES.match(f) for f in frames)
        if injected:
            return
        if not any(case in f for f in frames for case in TVM_XFAIL):
            self.splats.append(first)

    def _ktap(self, suite, m):
        indent, status, rest = len(m.group(1)), m.group(2), m.group(5)
        skip = "# SKIP" in rest
        s = self.suites[suite]
        if indent == 4:
            if skip:
                s["skipped"] += 1
            elif status == "ok":
                s["passed"] += 1
            else:
                s["failed"] += 1
        elif indent == 0:
            s["done"] = True
            s["ok"] = status == "ok"

    def _rig(self, line):
        words = line.split(" ", 2)
        tag = words[0]
        if line == "RIG: end":
            self.ended = True
        elif line.startswith("RIG: scenario ") and line.endswith(" start"):
            self.scenario = words[2].split(" ")[0]
            self.uaf_open = False
        elif line.startswith("RIG: scenario ") and " rc=" in line:
            name = words[2].split(" ")[0]
            rc = line.rsplit("rc=", 1)[1].split()[0]
            self.scenarios.append((name, rc))
        elif tag == "RIG-LOAD":
            self.loads.append((words[1], words[2].split("=", 1)[1]))
        elif tag == "RIG-EXPECT":
            self.expect[(self.scenario, words[1])] = int(words[2])
        elif tag == "RIG-MEM":
            m = re.search(r"VmallocUsed:\s*(\d+)", line)
            if m:
                self.snaps[(self.scenario, words[1])]["used_kb"] = int(m.group(1))
        elif tag == "RIG-VMI" and len(words) == 3:
            self.snaps[(self.scenario, words[1])]["areas"].append(words[2])
        elif tag == "RIG-DETECT" and words[1:2] == ["uaf"]:
            self.uaf_open = self.scenario == DETECT_SCENARIO
        elif tag == "RIG-DETECT-END":
            self.uaf_open = False
        elif tag == "RIG-KMEMLEAK" and len(words) > 1:
            self.kmemleak.append(line)
        elif tag == "RIG-CHECK" and len(words) == 3:
            status, _, detail = words[2].partition(" ")
            self.checks.append((self.scenario, words[1], status == "ok",
                                detail))


def area_pages(area):
    m = re.search(r"\bpages=(\d+)", area)
    return int(m.group(1)) if m else 0


def leak_check(before, after):
    """Return (ok, detail) for two snapshots of one scenario."""
    old = set(before["areas"])
    new = [a for a in after["areas"] if a not in old]
    gone = [a for a in before["areas"] if a not in set(after["areas"])]
    strange = [a for a in new if not LEAK_ALLOWED.search(a)]
    explained = (sum(area_pages(a) for a in new if LEAK_ALLOWED.search(a)) -
                 sum(area_pages(a) for a in gone if LEAK_ALLOWED.search(a)))
    if before["used_kb"] is None or after["used_kb"] is None:
        return False, "VmallocUsed missing from a snapshot"
    grown = (after["used_kb"] - before["used_kb"]) // 4 - explained
    detail = (f"VmallocUsed {before['used_kb']} -> {after['used_kb']} kB, "
              f"{len(new)} new areas, {len(strange)} unexplained")
    if strange:
        return False, detail + ": " + strange[0][:100]
    if grown > 0:
        return False, detail + f", {grown} pages not accounted for"
    return True, detail


def judge(log):
    """Yield (check, ok, detail) rows for one parsed log."""
    n = log.name
    yield (f"{n}: boot", log.ended,
           "reached the end" if log.ended else "no end marker (panic or time-out)")
    for name, rc in log.scenarios:
        yield (f"{n}: scenario {name}", rc == "0", f"rc={rc}")
    for suite, s in log.suites.items():
        ok = s["done"] and s["ok"] and s["failed"] == 0
        detail = f"pass {s['passed']} fail {s['failed']} skip {s['skipped']}"
        if not s["done"]:
            detail += ", did not finish"
        yield (f"{n}: kunit {suite}", ok, detail)
    if WARN_SUITE in log.suites:
        for case, need in WARN_REQUIRED.items():
            got = log.warned.get(case)
            if got is None:
                continue
            yield (f"{n}: kunit {WARN_SUITE} warns: {case}", got >= need,
                   f"{got} warnings, at least {need} expected")
    for mod, rc in log.loads:
        want = "11" if mod.startswith("test_vmalloc") else "0"
        yield (f"{n}: load {mod}", rc == want, f"rc={rc}, expected {want}")
    for (scen, case), t in sorted(log.tvm.items()):
        avg = sorted(t["avg"])
        med = avg[len(avg) // 2] if avg else 0
        if scen == FAULT_SCENARIO:
            yield (f"{n}: {scen} {case}", True,
                   f"passed {t['passed']} failed {t['failed']} "
                   f"(faults injected: not judged)")
            continue
        if case in TVM_XFAIL and scen not in log.tvm_ktap:
            ok = t["passed"] == 0 and t["failed"] > 0
            note = " (fails by design)"
        else:
            ok = t["failed"] == 0 and t["passed"] > 0
            note = ""
        yield (f"{n}: {scen} {case}", ok,
               f"passed {t['passed']} failed {t['failed']} avg {med} usec{note}")
    for scen, case in sorted(log.tvm_skip):
        yield (f"{n}: {scen} {case}", True, "skipped")
    for (scen, kind), count in log.expect.items():
        if kind == "kunit-suites":
            got = len(log.suites)
        elif kind == "checks":
            got = sum(1 for c in log.checks if c[0] == scen)
        else:
            got = (sum(1 for s, _ in log.tvm if s == scen) +
                   sum(1 for s, _ in log.tvm_skip if s == scen))
        yield (f"{n}: expect {scen} {kind}", got >= count, f"{got} of {count}")
    for scen, tag in sorted(log.snaps):
        if not tag.endswith("-before"):
            continue
        name = f"{n}: leak {scen} {tag[:-len('-before')]}"
        after = (scen, tag[:-len("-before")] + "-after")
        if after not in log.snaps:
            yield (name, False, "no after snapshot")
            continue
        ok, detail = leak_check(log.snaps[(scen, tag)], log.snaps[after])
        yield (name, ok, detail)
    for scen, name, ok, detail in log.checks:
        yield (f"{n}: check {scen} {name}", ok, detail)
    if log.kmemleak:
        yield (f"{n}: kmemleak", False, log.kmemleak[0][:100])
    yield (f"{n}: splats", not log.splats,
           f"{len(log.splats)}: {log.splats[0][:100]}" if log.splats else "none")


COMPILE_ROW = re.compile(r"^RIG-COMPILE (.*)$")


def compile_matrix(path):
    """Rows of a compile-matrix log, or None if it is not one."""
    with open(path, errors="replace") as f:
        lines = [line for line in f.read().splitlines()
                 if not line.startswith("#")]
    if not lines or not lines[0].startswith("RIG-COMPILE-MATRIX"):
        return None
    rows = []
    for line in lines[1:]:
        m = COMPILE_ROW.match(line)
        if m:
            rows.append(dict(kv.split("=", 1) for kv in m.group(1).split()))
    return rows


def judge_matrix(name, rows):
    """Print the matrix as a table; yield one check per row."""
    print(f"# {name}: {len(rows)} configuration(s)")
    print(f"#   {'row':<22} {'objects':>7} {'errors':>6} {'warnings':>8} {'s':>5}  status")
    for r in rows:
        print(f"#   {r['row']:<22} {r['objects']:>7} {r['errors']:>6} "
              f"{r['warnings']:>8} {r['seconds']:>5}  {r['status']}")
    if not rows:
        yield (f"{name}: rows", False, "no row was compiled")
    for r in rows:
        yield (f"{name}: {r['row']}", r["status"] == "ok",
               f"{r['objects']} objects, {r['errors']} errors, "
               f"{r['warnings']} warnings ({r['detail']})")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("logs", nargs="+", type=Path)
    ap.add_argument("--csv", type=Path, help="write test_vmalloc timings here")
    args = ap.parse_args(argv)

    rows, logs = [], []
    for path in args.logs:
        matrix = compile_matrix(path)
        if matrix is not None:
            rows.extend(judge_matrix(path.stem, matrix))
            continue
        with open(path, errors="replace") as f:
            log = Log(path.stem, f)
        logs.append(log)
        print(f"# {path.stem}: kernel {log.kernel or 'unknown'}")
        rows.extend(judge(log))

    width = max(len(r[0]) for r in rows)
    for check, ok, detail in rows:
        print(f"{check:<{width}}  {'PASS' if ok else 'FAIL'}  {detail}")
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["log", "kernel", "case", "passed", "failed", "avg_usec"])
            for log in logs:
                for (scen, case), t in sorted(log.tvm.items()):
                    for avg in t["avg"]:
                        w.writerow([log.name, log.kernel, f"{scen}:{case}", t["passed"],
                                    t["failed"], avg])
    passed = sum(1 for r in rows if r[1])
    failed = len(rows) - passed
    print(f"{passed} passed, {failed} failed")
    if failed:
        # Again, last: a CI log that keeps only its tail still names them.
        print("failed:")
        for check, ok, detail in rows:
            if not ok:
                print(f"  {check}  {detail}")
        for log in logs:
            for line in log.splats[:8]:
                print(f"  {log.name} splat: {line[:160]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
