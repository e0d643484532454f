"""Time one month's analysis on a register of 10,000 klachten over ten years (target: at most 3 s).

Run: .venv/bin/python benchmarks/analyse_maand.py [--klachten 10000] [--keer 3]
Builds the workspace once (about a minute; kept in the temp folder for later runs), then
times `maak_analyse` end to end: read the register, read the journal, compute, write.
Python-calamine reading the same register is printed beside it as a yardstick.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import python_calamine  # noqa: E402

from benchmarks import grote_werkmap  # noqa: E402
from klachtdocs.monthly import make_analysis  # noqa: E402

TOT = date(2026, 10, 31)
NU = datetime(2026, 11, 24, 10, 0)


def werkmap(n: int) -> Path:
    root = Path(tempfile.gettempdir()) / f"klachtdocs-bench-{n}" / "werkmap"
    if not (root / ".klachtdocs" / "journaal.jsonl").exists():
        print(f"Werkmap met {n} klachten maken in {root} ...", flush=True)
        t0 = time.perf_counter()
        grote_werkmap.maak(root, n, TOT)
        print(f"  klaar in {time.perf_counter() - t0:.0f} s", flush=True)
    return root


def calamine(path: Path) -> float:
    t0 = time.perf_counter()
    data = path.read_bytes()
    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    wb.get_sheet_by_name("Klachten").to_python(skip_empty_area=False)
    return time.perf_counter() - t0


def analyse(root: Path) -> float:
    (root / "analyse" / "klachtenanalyse-2026-10.xlsx").unlink(missing_ok=True)
    t0 = time.perf_counter()
    make_analysis(root, (2026, 10), nu=NU)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--klachten", type=int, default=10_000)
    parser.add_argument("--keer", type=int, default=3)
    args = parser.parse_args()
    root = werkmap(args.klachten)
    register = root / "klachtenregister.xlsx"
    journaal = root / ".klachtdocs" / "journaal.jsonl"
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()}"
    )
    print(
        f"Register: {register.stat().st_size / 1e6:.1f} MB; journaal: {journaal.stat().st_size / 1e6:.0f} MB"
    )
    lezen = [calamine(register) for _ in range(args.keer)]
    warm = [analyse(root) for _ in range(args.keer)]
    print(f"python-calamine leest het register:     mediaan {statistics.median(lezen):.2f} s")
    print(
        f"analyse (doel: hoogstens 3 s):          mediaan {statistics.median(warm):.2f} s, "
        f"max {max(warm):.2f} s, {statistics.median(warm) / statistics.median(lezen):.1f}x calamine"
    )
    try:
        import resource

        print(f"Piekgeheugen: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    except ImportError:  # Windows
        pass


if __name__ == "__main__":
    main()
