"""Start-up: `klachtdocs verwerk` with nothing changed, as a whole process, beside python-calamine.

Run: .venv/bin/python benchmarks/opstart.py [--klachten 10000] [--keer 7] [--met-brieven] [--snel]

Both figures are whole processes (interpreter start, imports, work), the median of --keer
runs taken in turn: `python -m klachtdocs verwerk W` on a workspace whose last pass saw
exactly these inputs (so it stops right after reading the register), and `python -c` that
imports python_calamine and reads every sheet of the same register. Target: at most 1.5x.
With --met-brieven every letter is made first (as in a workspace in use; takes a minute);
the steady pass does the same work either way. Also lists the heavy libraries the steady
process imports (from `python -X importtime`): none of them is needed to find that nothing
changed.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import grote_werkmap  # noqa: E402
from klachtdocs.rules import register as rf  # noqa: E402

TOT = date.today() - timedelta(days=1)
REPO = Path(__file__).resolve().parent.parent
ZWAAR = (
    "pandas",
    "numpy",
    "docxtpl",
    "docx",
    "openpyxl",
    "watchdog",
    "jinja2",
    "xlsxwriter",
    "lxml",
    "dateutil",
    "python_calamine",
    "click",
)
CALAMINE = """
import io, sys, python_calamine
wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(open(sys.argv[1], "rb").read()))
for naam in wb.sheet_names:
    wb.get_sheet_by_name(naam).to_python(skip_empty_area=False)
"""


def werkmap(n: int, met_brieven: bool) -> Path:
    """Return a workspace with *n* klachten over three years, after one pass (so the next is steady)."""
    root = Path(tempfile.mkdtemp(prefix="klachtdocs-opstart-")) / "werkmap"
    grote_werkmap.maak(root, n, TOT, jaren=3, journaal=False)
    if not met_brieven:  # no letter due: the first pass is quick, the steady pass the same
        cfg = root / "klachtdocs.toml"
        cfg.write_text(
            re.sub(r"brieven_vanaf = .*", f"brieven_vanaf = {date.today().isoformat()}", cfg.read_text())
        )
    eerste = verwerk(root)
    if eerste.returncode not in (0, 1):
        raise SystemExit(f"the first pass failed: {eerste.stderr}")
    return root


def verwerk(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "klachtdocs", "verwerk", str(root)], capture_output=True, text=True, cwd=REPO
    )


def duur(args: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(args, check=False, capture_output=True, cwd=REPO)
    return time.perf_counter() - t0


def zware_imports(root: Path) -> list[tuple[str, float]]:
    """Return the heavy top-level packages a steady `klachtdocs verwerk` imports, with their cumulative ms."""
    r = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "klachtdocs", "verwerk", str(root)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    gevonden = {}
    for regel in r.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", regel)
        if m and m.group(3).split(".")[0] in ZWAAR and "." not in m.group(3):
            gevonden[m.group(3)] = max(gevonden.get(m.group(3), 0.0), int(m.group(1)) / 1000)
    return sorted(gevonden.items(), key=lambda kv: -kv[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--klachten", type=int, default=10_000)
    parser.add_argument("--keer", type=int, default=7)
    parser.add_argument("--met-brieven", action="store_true", help="make every letter first (about a minute)")
    parser.add_argument("--snel", action="store_true", help="1,000 klachten, three runs")
    args = parser.parse_args()
    if args.snel:
        args.klachten, args.keer = 1000, 3
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()}"
    )
    root = werkmap(args.klachten, args.met_brieven)
    register = root / rf.REGISTER_BESTAND
    print(
        f"Register: {args.klachten} klachten, {register.stat().st_size / 1e6:.1f} MB"
        f"{', brieven gemaakt' if args.met_brieven else ''}"
    )
    stil = verwerk(root)
    if "0 documenten gemaakt" not in stil.stdout:
        raise SystemExit(f"the pass is not steady: {stil.stdout[-300:]}")
    pass_, lezen = [], []
    for _ in range(args.keer):  # in turn, so that a busy moment of the machine hits both alike
        pass_.append(duur([sys.executable, "-m", "klachtdocs", "verwerk", str(root)]))
        lezen.append(duur([sys.executable, "-c", CALAMINE, str(register)]))
    p, c = statistics.median(pass_), statistics.median(lezen)
    print(
        f"'klachtdocs verwerk' zonder wijziging (heel proces): mediaan {p:.3f} s "
        f"({', '.join(f'{t:.2f}' for t in pass_)})"
    )
    print(
        f"python-calamine leest het register (heel proces): mediaan {c:.3f} s "
        f"({', '.join(f'{t:.2f}' for t in lezen)})"
    )
    print(f"Verhouding: {p / c:.2f}x (doel: hoogstens 1.5x)")
    zwaar = zware_imports(root)
    print(
        "Zware bibliotheken die de ronde laadt: "
        + (", ".join(f"{n} {ms:.0f} ms" for n, ms in zwaar) or "geen")
    )
    shutil.rmtree(root.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
