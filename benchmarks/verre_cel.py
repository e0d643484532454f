"""A register of 10,000 klachten with one space far away (cell XFD1048576), against the same register without it.

Run: .venv/bin/python benchmarks/verre_cel.py [--klachten 10000]

Each pass runs as a separate `klachtdocs verwerk` process (brieven_vanaf today: the pass reads,
validates and writes overzicht.xlsx, no letters); its peak memory is the child's VmHWM
(getrusage of the children, Linux and macOS). Target: within 300 MB.
"""

from __future__ import annotations

import argparse
import io
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import grote_werkmap  # noqa: E402
from klachtdocs.scaffold import init  # noqa: E402

VER = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t xml:space="preserve"> </t></is></c></row>'


def met_verre_spatie(data: bytes) -> bytes:
    """Return the register *data* with a space in cell XFD1048576 of its first sheet."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for naam in zin.namelist():
            inhoud = zin.read(naam)
            if naam == "xl/worksheets/sheet1.xml":
                inhoud = inhoud.replace(b"</sheetData>", VER + b"</sheetData>")
            zout.writestr(naam, inhoud)
    return out.getvalue()


def pass_in_kind(root: Path) -> tuple[float, float]:
    """Return (seconds, peak MB) of one `klachtdocs verwerk` process over *root*."""
    code = "import sys; from klachtdocs.cli import main; sys.argv[0] = 'klachtdocs'; main()"
    begin = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", code, "verwerk", str(root)], capture_output=True, text=True)
    duur = time.perf_counter() - begin
    if r.returncode not in (0, 1):
        raise SystemExit(r.stderr)
    kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child so far
    return duur, kb / 1024 if sys.platform != "darwin" else kb / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--klachten", type=int, default=10_000)
    args = parser.parse_args()
    rows = grote_werkmap.rijen(args.klachten, date.today())
    for naam in ("zonder", "met"):  # the child peak is a running maximum: the smaller case first
        root = Path(tempfile.mkdtemp(prefix="klachtdocs-verre-cel-")) / "werkmap"
        init(root, vandaag=date.today())
        pad = root / "klachtenregister.xlsx"
        grote_werkmap.schrijf_register(pad, rows)
        if naam == "met":
            pad.write_bytes(met_verre_spatie(pad.read_bytes()))
        duur, mb = pass_in_kind(root)
        print(f"{args.klachten} klachten, {naam} verre spatie: {duur:.2f} s, piek {mb:.0f} MB")


if __name__ == "__main__":
    main()
