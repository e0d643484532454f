"""Latency of the watcher: from saving a register with one new row to that row's letter on disk.

Run: .venv/bin/python benchmarks/latentie_bewaking.py [--keer 10] [--rijen 10000] [--snel]
Prints the median and maximum for the native observer and for --poll 1 (target: at most 1 s),
and the watcher's peak memory after those saves (target: at most 300 MB). --snel: the native
observer only.
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


def piek_mb(pid: int) -> float | None:
    """Return the peak resident memory of process *pid* in MB (Linux), or None."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    regel = next((r for r in status.splitlines() if r.startswith("VmHWM:")), None)
    return int(regel.split()[1]) / 1024 if regel else None


def meet(poll: str | None, keer: int, n: int) -> tuple[list[float], float | None]:
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
            return tijden, piek_mb(proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keer", type=int, default=10, help="saves, each with one new row")
    ap.add_argument("--rijen", type=int, default=10_000, help="rows in the register")
    ap.add_argument("--snel", action="store_true", help="the native observer only")
    args = ap.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    wijzen = (("native observer", None),) if args.snel else (("native observer", None), ("--poll 1", "1"))
    for naam, poll in wijzen:
        t, piek = meet(poll, args.keer, args.rijen)
        geheugen = f"; piekgeheugen {piek:.0f} MB (doel: hoogstens 300 MB)" if piek is not None else ""
        print(
            f"{naam:16s} {args.rijen} rijen: mediaan {statistics.median(t):.2f} s, max {max(t):.2f} s "
            f"over {len(t)} opslagen (doel: hoogstens 1 s){geheugen}"
        )


if __name__ == "__main__":
    main()
