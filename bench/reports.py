"""Timing of the report exports (issue 17) against their budgets.

Usage (from the project root)::

    .venv/bin/python bench/reports.py            # median of 3 warm runs, plus the first (cold) run
    .venv/bin/python bench/reports.py --runs 5

Budgets: Word report with 5 indicators < 10 s; commune atlas of the 14 units of 2024 < 20 s;
one-page brief < 3 s. "cold" is the first report made in a fresh process after ``Atlas.load()``
(it also simplifies the web layer once); "warm" is what a staff member gets in the running app.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mutte_geo.exports.reports import report_bytes  # noqa: E402
from mutte_geo.model.atlas import Atlas  # noqa: E402

# Five indicators that all have commune values, so the report draws five 300 dpi maps (the slow case).
FIVE = ("population", "area", "poverty_rate", "ntm_candidate_2025", "attendance_priority")
BUDGETS_S = {"Word report, 5 indicators": 10.0, "commune atlas, 14 units (2024)": 20.0, "one-page brief": 3.0}


def timed(make: Callable[[], bytes], runs: int) -> tuple[float, float, float, int]:
    """(first run, median wall time and median CPU time of the next ``runs``) in seconds, and the file size.

    On a shared machine the wall time includes waiting for the CPU; the process's CPU time does not.
    """
    start = time.perf_counter()
    data = make()
    first = time.perf_counter() - start
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        make()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return first, statistics.median(wall), statistics.median(cpu), len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
    atlas = Atlas.load()
    cases: dict[str, Callable[[], bytes]] = {
        "Word report, 5 indicators": lambda: report_bytes("docx", atlas, user=None, indicators=FIVE),
        "commune atlas, 14 units (2024)": lambda: report_bytes("atlas", atlas, user=None, vintage=2024),
        "one-page brief": lambda: report_bytes("brief", atlas, user=None),
    }
    print(f"| export | first (cold) | warm, wall (median of {args.runs}) | warm, CPU | size | budget (wall) |")
    print("|---|---:|---:|---:|---:|---|")
    for name, make in cases.items():
        first, wall, cpu, size = timed(make, args.runs)
        budget = BUDGETS_S[name]
        verdict = "met" if wall < budget else "**NOT met**"
        print(f"| {name} | {first:.2f} s | {wall:.2f} s | {cpu:.2f} s | {size / 1e6:.2f} MB | < {budget:.0f} s: "
              f"{verdict} |", flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
