"""Input that used to stop a pass: far-away cells, extreme dates, odd config files, renamed
klachten, forgiving vocabularies, Dutch grammar. Each test reproduces a case of issue 10 with
a real register file (tests/registers.py) and real processes where the old code crashed one."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from benchmarks import grote_werkmap
from klachtdocs.inrichting import init
from tests.conftest import NU
from tests.registers import klacht, register

GOED = klacht("GOED", date(2026, 11, 23))
OP_LINUX = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="VmHWM is read from /proc")


def _met_cel(data: bytes, blad: str, cel: str, waarde) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    wb[blad][cel] = waarde
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _draai(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run klachtdocs as a real process with 2 GB of address space (a runaway read aborts, not the host)."""
    limiet = ("import resource; resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30)); "
              if os.name == "posix" else "")  # fmt: skip
    piek = ("import atexit; atexit.register(lambda: sys.stderr.write('VmHWM ' + open('/proc/self/status')"
            ".read().split('VmHWM:')[1].split()[0] + ' kB')); " if Path("/proc/self/status").exists() else "")
    code = limiet + "import sys; " + piek + "from klachtdocs.cli import main; sys.argv[0] = 'klachtdocs'; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout,
                          env=os.environ | {"PYTHONIOENCODING": "utf-8"})  # fmt: skip


# -- 1. a far-away cell ----------------------------------------------------------------------

@pytest.mark.parametrize("blad", ["Klachten", "Medewerkers", "Contactmomenten"])
@pytest.mark.parametrize("cel", ["XFD1048576", "A1048576"])
def test_een_spatie_ver_weg_wordt_genegeerd(werkmap, blad, cel):
    (werkmap / "klachtenregister.xlsx").write_bytes(_met_cel(register([GOED]), blad, cel, " "))
    r = _draai("verwerk", str(werkmap))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr and "panicked" not in r.stderr
    assert (werkmap / "archief/GOED/GOED_ontvangstbevestiging_v1.docx").exists()
    assert "1 klacht gelezen" in r.stdout
    if piek := re.search(r"VmHWM (\d+) kB", r.stderr):
        assert int(piek.group(1)) < 200 * 1024, f"{int(piek.group(1)) // 1024} MB"


@pytest.mark.parametrize("blad", ["Klachten", "Contactmomenten"])
def test_een_echte_waarde_ver_weg_wordt_geweigerd_met_uitleg(werkmap, blad):
    (werkmap / "klachtenregister.xlsx").write_bytes(_met_cel(register([GOED]), blad, "XFD1048576", "x"))
    opdrachten = [["verwerk", str(werkmap)], ["controleer", str(werkmap)]]
    if blad == "Klachten":  # the analysis reads only that sheet
        opdrachten.append(["analyse", str(werkmap)])
    for opdracht in opdrachten:
        r = _draai(*opdracht)
        assert r.returncode == 2, (opdracht, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr and "panicked" not in r.stderr
        assert (f"Maak cel XFD1048576 op blad {blad} leeg of verwijder de rijen/kolommen tussen uw gegevens en "
                "die cel") in r.stderr, r.stderr  # fmt: skip
    assert not (werkmap / "archief/GOED").exists()
    meldingen = [r[4] for r in load_workbook(werkmap / "overzicht.xlsx")["Meldingen"].values]
    assert any("cel XFD1048576" in (m or "") for m in meldingen)


def _met_xml(data: bytes, extra: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for naam in zin.namelist():
            inhoud = zin.read(naam)
            if naam == "xl/worksheets/sheet1.xml":
                inhoud = inhoud.replace(b"</sheetData>", extra + b"</sheetData>")
            zout.writestr(naam, inhoud)
    return out.getvalue()


@OP_LINUX
@pytest.mark.traag
def test_tienduizend_rijen_met_een_verre_spatie_binnen_300_mb(tmp_path):
    root = tmp_path / "werkmap"
    init(root, vandaag=date(2026, 11, 24))  # brieven_vanaf today: the pass reads, validates, writes overzicht
    pad = root / "klachtenregister.xlsx"
    grote_werkmap.schrijf_register(pad, grote_werkmap.rijen(10_000, date(2026, 11, 1)))
    ver = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t xml:space="preserve"> </t></is></c></row>'
    pad.write_bytes(_met_xml(pad.read_bytes(), ver))
    code = ("import sys, time; from klachtdocs.verwerking import verwerk; t = time.perf_counter(); "
            "r = verwerk(sys.argv[1]); print(r.klachten, time.perf_counter() - t); "
            "print(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])")  # fmt: skip
    r = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    (klachten, seconden), (kb,) = (regel.split() for regel in r.stdout.splitlines()[-2:])
    assert int(klachten) == 10_000
    assert int(kb) < 300 * 1024, f"{int(kb) // 1024} MB"
    assert float(seconden) < 30


@pytest.mark.traag
def test_de_bewaking_overleeft_een_verre_waarde(werkmap):
    from tests.test_bewaking import start_watch, wacht_op

    vandaag = date.today()
    (werkmap / "klachtenregister.xlsx").write_bytes(
        _met_cel(register([klacht("K1", vandaag)]), "Klachten", "XFD1048576", "x"))
    proc = start_watch(werkmap)
    try:
        log = werkmap / "logboek/klachtdocs.log"
        assert wacht_op(lambda: log.exists() and "cel XFD1048576" in log.read_text(encoding="utf-8"), 60)
        assert proc.poll() is None
        tmp = werkmap / "~tmp5678.tmp"
        tmp.write_bytes(register([klacht("K1", vandaag)]))
        tmp.replace(werkmap / "klachtenregister.xlsx")
        assert wacht_op(lambda: (werkmap / "archief/K1/K1_ontvangstbevestiging_v1.docx").exists(), 60)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert "panicked" not in out and "Traceback" not in out, out
