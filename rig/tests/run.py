#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of the verdict parser: each sample log in logs/ starts with a line
"# expect: PASS" or "# expect: FAIL <check>", and the parser must agree: no
failed row for PASS; for FAIL, a failed row naming <check> and exit code 1.

Then the house checker: each C file in house/ starts with "// expect: N",
the findings rig/house.py must report in it when checked with the rest."""

import io
import sys
from contextlib import redirect_stdout
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import house  # noqa: E402
import verdict  # noqa: E402


def check(path):
    expect = path.open(newline="").readline().strip().removeprefix("# expect: ")
    out = io.StringIO()
    with redirect_stdout(out):
        rc = verdict.main([str(path)])
    failed = [line for line in out.getvalue().splitlines()
              if "  FAIL  " in line]
    if expect == "PASS":
        return rc == 0 and not failed, failed
    want = expect.removeprefix("FAIL ")
    hit = [line for line in failed
           if line.split(": ", 1)[1].startswith(want)]
    return rc == 1 and bool(hit), failed


def check_house():
    """Yield (name, ok, findings) for each file of house/."""
    paths = sorted((HERE / "house").glob("*.c"))
    findings = house.check_sources([str(p) for p in paths])
    for path in paths:
        want = int(path.open().readline().split("expect:")[1])
        got = [f for f in findings if path.name in f]
        yield path.name, len(got) == want, got


def results():
    """Yield (name, ok, rows) for every fixture."""
    for name, ok, rows in check_house():
        yield f"house/{name}", ok, rows
    for path in sorted((HERE / "logs").glob("*.log")):
        ok, rows = check(path)
        yield path.name, ok, rows


def main():
    passed = failed = 0
    for name, ok, rows in results():
        print(f"{'ok' if ok else 'not ok'} - {name}")
        if not ok:
            for row in rows:
                print(f"#   {row}")
        passed += ok
        failed += not ok
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
