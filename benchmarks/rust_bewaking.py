"""Idle cost of the watcher: CPU seconds and passes of a real `klachtdocs watch` while nothing changes.

Run: .venv/bin/python benchmarks/rust_bewaking.py [--seconden 60] [--poll 2]

Makes the demo workspace, starts a watcher on it (native observer, and with --poll when
given), waits for its start-up pass, then measures the process's own CPU time (utime +
stime from /proc/PID/stat, Linux only) and the passes in its log over the idle period.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def cpu_seconden(pid: int) -> float:
    """Return the CPU time (user + system) the process *pid* has used, from /proc (Linux)."""
    velden = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(velden[11]) + int(velden[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def rondes(root: Path) -> int:
    """Return the number of passes in the watcher's log."""
    log = root / "logboek" / "klachtdocs.log"
    return log.read_text(encoding="utf-8").count("Ronde klaar") if log.exists() else 0


def meet(seconden: float, poll: str | None) -> tuple[float, int]:
    """Return (CPU seconds, passes) of an idle watcher over *seconden* seconds after its first pass."""
    with tempfile.TemporaryDirectory() as d:
        root = Path(d) / "demo"
        subprocess.run(
            [sys.executable, "-m", "klachtdocs", "demo", str(root)], check=True, stdout=subprocess.DEVNULL
        )
        proc = subprocess.Popen(
            [sys.executable, "-m", "klachtdocs", "watch", str(root), *(["--poll", poll] if poll else [])],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 120
            while rondes(root) < 1 and time.monotonic() < deadline:
                time.sleep(0.1)  # the start-up pass
            time.sleep(2.0)  # its monthly analysis and the garbage collection after it
            voor, rondes_voor = cpu_seconden(proc.pid), rondes(root)
            time.sleep(seconden)
            return cpu_seconden(proc.pid) - voor, rondes(root) - rondes_voor
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconden", type=float, default=60.0)
    ap.add_argument("--poll", default=None, help="also measure with --poll SECONDEN")
    args = ap.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for naam, poll in (
        ("native observer", None),
        *([(f"--poll {args.poll}", args.poll)] if args.poll else []),
    ):
        cpu, n = meet(args.seconden, poll)
        print(
            f"{naam:16s} {args.seconden:.0f} s idle: {cpu:.2f} CPU-seconden ({100 * cpu / args.seconden:.2f} %), "
            f"{n} rondes"
        )


if __name__ == "__main__":
    main()
