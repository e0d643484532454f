"""Latency of the watcher: from saving a register with one new row to that row's letter on disk.

Run: .venv/bin/python benchmarks/latentie_bewaking.py [--keer 5] [--rijen 1000]
Prints the median and maximum for the native observer and for --poll 1.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from klachtdocs.scaffold import init  # noqa: E402
from tests.registers import klacht, register  # noqa: E402


def rows(n: int) -> list[dict]:
    start = date.today() - timedelta(days=200)
    return [klacht(f"K{i:05d}", start + timedelta(days=i % 200)) for i in range(n)]


def sla_op(root: Path, data: bytes) -> None:
    tmp = root / "A1B2C3D4"
    tmp.write_bytes(data)
    tmp.replace(root / "klachtenregister.xlsx")


def meet(poll: str | None, keer: int, n: int) -> list[float]:
    with tempfile.TemporaryDirectory() as d:
        root = Path(d) / "w"
        init(root, vandaag=date.today() - timedelta(days=1))  # old rows get no letters
        basis = rows(n)
        sla_op(root, register(basis))
        proc = subprocess.Popen(
            [sys.executable, "-m", "klachtdocs", "watch", str(root), *(["--poll", poll] if poll else [])],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 120
            while not (root / ".klachtdocs" / "ronde.json").exists() and time.monotonic() < deadline:
                time.sleep(0.1)  # the watcher's first pass
            time.sleep(1.0)
            tijden = []
            for i in range(keer):
                nieuw = klacht(f"N{i}", date.today())
                data = register(basis + [nieuw])
                brief = root / f"archief/N{i}/N{i}_ontvangstbevestiging_v1.docx"
                t0 = time.perf_counter()
                sla_op(root, data)
                while not brief.exists():
                    time.sleep(0.01)
                tijden.append(time.perf_counter() - t0)
                basis.append(nieuw)
                time.sleep(1.0)
            return tijden
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keer", type=int, default=5)
    ap.add_argument("--rijen", type=int, default=1000, help="rows in the register")
    args = ap.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for naam, poll in (("native observer", None), ("--poll 1", "1")):
        t = meet(poll, args.keer, args.rijen)
        print(
            f"{naam:16s} {args.rijen} rijen: mediaan {statistics.median(t):.2f} s, max {max(t):.2f} s over {len(t)} opslagen"
        )


if __name__ == "__main__":
    main()
