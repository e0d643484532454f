"""The file system says no: an overzicht open in Excel, a full disk, a read-only archive.

Real conditions: ``chattr +i`` (immutable: not even root may replace or rename onto it, as
Windows refuses to replace a file Excel holds open) and a small tmpfs that fills up.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from klachtdocs.cache import Cache
from klachtdocs.processing import Resultaat, verwerk
from klachtdocs.rules.model import WAARSCHUWING, Melding
from klachtdocs.scaffold import init
from klachtdocs.storage.outputs import in_use
from klachtdocs.watcher import Watcher
from tests.conftest import NU
from tests.registers import klacht, schrijf
from tests.test_betrouwbaarheid import controleer_archief, vandaag_rijen
from tests.test_cli import _echt_adres

OPEN = in_use("overzicht.xlsx")


def adres_ingevuld(root: Path) -> Path:
    """Fill in the organisation's real address (no placeholder waarschuwing); return *root*."""
    config = root / "klachtdocs.toml"
    config.write_text(_echt_adres(config.read_text(encoding="utf-8")), encoding="utf-8")
    return root


@contextmanager
def onveranderlijk(*paden: Path):
    """Make *paden* immutable (chattr +i) for the block; skip the test where the file system refuses."""
    for pad in paden:
        r = subprocess.run(["chattr", "+i", str(pad)], capture_output=True, text=True)
        if r.returncode:
            pytest.skip(f"chattr +i is refused here ({r.stderr.strip()}); no file klachtdocs cannot replace")
    try:
        yield
    finally:
        for pad in paden:
            subprocess.run(["chattr", "-i", str(pad)], check=True)


@contextmanager
def vast(pad: Path, manier: str):
    """Make the file *pad* impossible to replace for the block, the *manier* way ("chattr" or "bind")."""
    if manier == "chattr":
        with onveranderlijk(pad):
            yield
        return
    r = subprocess.run(["mount", "--bind", "-o", "ro", str(pad), str(pad)], capture_output=True, text=True)
    if r.returncode:
        pytest.skip(f"no read-only bind mount here ({r.stderr.strip()})")
    try:
        yield
    finally:
        subprocess.run(["umount", str(pad)], check=True)


def klachtnummers_in_overzicht(root: Path) -> list[str]:
    wb = load_workbook(root / "overzicht.xlsx", read_only=True)
    try:
        return [r[0] for r in wb["Termijnen"].iter_rows(min_row=2, values_only=True)]
    finally:
        wb.close()


@pytest.mark.parametrize("manier", ["chattr", "bind"])
def test_overzicht_dat_niet_vervangen_kan_worden_telt_de_ronde_niet_als_klaar(werkmap, manier):
    """Excel holds overzicht.xlsx open: the pass warns, and every next pass tries again until it is written."""
    adres_ingevuld(werkmap)
    schrijf(werkmap, [klacht("K1")])
    verwerk(werkmap, nu=NU)
    voor = (werkmap / "overzicht.xlsx").read_bytes()
    schrijf(werkmap, [klacht("K1"), klacht("K2")])
    with vast(werkmap / "overzicht.xlsx", manier):
        r = verwerk(werkmap, nu=NU)
        assert r.stale == ["overzicht.xlsx"] and not r.overzicht_geschreven
        assert [m.tekst for m in r.meldingen] == [OPEN]
        assert r.waarschuwingen == 1 and r.fouten == 0
        assert len(r.gemaakt) == 3  # K2's documents are made all the same
        again = verwerk(werkmap, nu=NU)  # nothing else changed: still not skipped
        assert not again.ongewijzigd and again.stale == ["overzicht.xlsx"]
        assert (werkmap / "overzicht.xlsx").read_bytes() == voor
    assert sorted(p.name for p in werkmap.iterdir() if p.name.startswith("overzicht")) == ["overzicht.xlsx"]
    closed = verwerk(werkmap, nu=NU)
    assert closed.overzicht_geschreven and closed.stale == [] and closed.meldingen == []
    assert klachtnummers_in_overzicht(werkmap) == ["K1", "K2"]
    assert verwerk(werkmap, nu=NU).ongewijzigd  # now it counts as done


def test_de_bewaking_probeert_het_overzicht_binnen_een_minuut_opnieuw(werkmap, caplog):
    """The watcher writes a stale overzicht.xlsx within a minute of it being closed, without a new save."""
    klok = [0.0]
    geheugen = Cache()
    b = Watcher(
        werkmap,
        queue.Queue(),
        pass_fn=lambda root, **kw: verwerk(root, nu=NU, cache=geheugen, **kw),
        klok=lambda: klok[0],
        stilte=0.5,
    )
    schrijf(werkmap, [klacht("K1")])
    b.step(0)
    schrijf(werkmap, [klacht("K1"), klacht("K2")])
    with onveranderlijk(werkmap / "overzicht.xlsx"):
        b.wijzigingen.put(str(werkmap / "klachtenregister.xlsx"))
        klok[0] = 1.0
        b.step(0)
        klok[0] = 2.0
        b.step(0)
        assert b.rondes == 2 and klachtnummers_in_overzicht(werkmap) == ["K1"]
        assert OPEN in caplog.text
        klok[0] = 40.0
        b.step(0)  # still open: tried again, and again later
        assert b.rondes == 3
    klok[0] = 40.0 + 59
    b.step(0)
    assert b.rondes == 4 and klachtnummers_in_overzicht(werkmap) == ["K1", "K2"]
    klok[0] = 500.0
    b.step(0)
    assert b.rondes == 4  # written: no more retries


def test_maandanalyse_die_open_staat_wordt_binnen_een_minuut_opnieuw_geprobeerd(werkmap):
    from klachtdocs.watcher import monthly_analysis

    schrijf(werkmap, [klacht("K1", date(2026, 10, 5))])
    dag = date(2026, 11, 3)
    klok = [0.0]
    b = Watcher(
        werkmap,
        queue.Queue(),
        pass_fn=lambda root, **kw: verwerk(root, nu=NU, **kw),
        klok=lambda: klok[0],
        vandaag=lambda: dag,
        maandwerk=monthly_analysis,
    )
    (werkmap / "analyse").mkdir()
    with onveranderlijk(werkmap / "analyse"):  # as if a copy of last month's analysis were held open
        b.step(0)
        assert list((werkmap / "analyse").iterdir()) == []
    klok[0] = 59.0
    b.step(0)
    assert [p.name for p in (werkmap / "analyse").iterdir()] == ["klachtenanalyse-2026-10.xlsx"]


# -- refusals: exit 2 with one Dutch line ---------------------------------------------------------------


def verwerk_proces(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "klachtdocs", "verwerk", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_weigering(r: subprocess.CompletedProcess, begin: str) -> None:
    """Assert exit 2 and exactly one Dutch line 'Fout: ...' on stderr, no traceback."""
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert r.stdout == ""
    assert r.stderr.startswith(begin) and r.stderr.count("\n") == 1, r.stderr
    assert "Traceback" not in r.stderr and "Errno" not in r.stderr


def test_alleen_lezen_archief_geeft_exitcode_2_en_een_nederlandse_regel(werkmap):
    schrijf(werkmap, vandaag_rijen(3))
    with onveranderlijk(werkmap / "archief"):
        r = verwerk_proces(werkmap)
        assert_weigering(r, f"Fout: {werkmap / 'archief'}/K000")
        assert (
            "het bestand of de map is alleen-lezen, of het bestand is geopend in een ander programma"
            in r.stderr
        )
        assert list((werkmap / "archief").iterdir()) == []
    assert verwerk_proces(werkmap).returncode == 0
    journaal = controleer_archief(werkmap)
    assert {d.versie for d in journaal.all_documents()} == {1}


def test_de_bewaking_meldt_een_weigering_in_het_logboek_en_gaat_door(werkmap, caplog):
    klok = [0.0]
    b = Watcher(
        werkmap,
        queue.Queue(),
        pass_fn=lambda root, **kw: verwerk(root, nu=NU, **kw),
        klok=lambda: klok[0],
        stilte=0.5,
    )
    schrijf(werkmap, [klacht("K1")])
    with onveranderlijk(werkmap / "archief"):
        b.step(0)
        assert b.rondes == 0
        assert "Ronde niet gedaan: " in caplog.text and "alleen-lezen" in caplog.text
        assert "Traceback" not in caplog.text and "Onverwachte fout" not in caplog.text
    b.wijzigingen.put(str(werkmap / "klachtenregister.xlsx"))
    klok[0] = 1.0
    b.step(0)
    klok[0] = 2.0
    b.step(0)
    assert b.rondes == 1 and len(list((werkmap / "archief").rglob("*.docx"))) == 3


@pytest.fixture
def kleine_schijf(tmp_path: Path):
    """Return a folder on a tmpfs of 4 MB (mounted for the test, skipped where mounting is refused)."""
    mnt = tmp_path / "schijf"
    mnt.mkdir()
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)], capture_output=True, text=True
    )
    if r.returncode:
        pytest.skip(f"no small tmpfs to fill: mount refused ({r.stderr.strip()})")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=True)


def vul(schijf: Path, vrij: int) -> Path:
    """Fill the file system of *schijf* until about *vrij* bytes are left; return the filler file."""
    vulsel = schijf / "vulsel.bin"
    st = os.statvfs(schijf)
    extra = st.f_bavail * st.f_frsize - vrij
    with open(vulsel, "ab") as fh:
        try:
            fh.write(b"\0" * max(extra, 0))
        except OSError:
            pass  # full already
    return vulsel


def test_volle_schijf_laat_niets_half_en_de_ronde_daarna_maakt_alles_een_keer(tmp_path, kleine_schijf):
    rijen = vandaag_rijen(12)
    ruim = tmp_path / "ruim"  # the same register on a roomy disk: what the last pass must have made
    init(ruim, vandaag=date(2026, 1, 1))
    adres_ingevuld(ruim)
    schrijf(ruim, rijen)
    assert verwerk_proces(ruim).returncode == 0
    verwacht = sorted(p.relative_to(ruim).as_posix() for p in (ruim / "archief").rglob("*") if p.is_file())
    assert len(verwacht) > 30

    root = kleine_schijf / "w"
    init(root, vandaag=date(2026, 1, 1))
    adres_ingevuld(root)
    schrijf(root, rijen)
    vulsel = vul(kleine_schijf, 600_000)  # room for a third of the documents
    vol = verwerk_proces(root)
    assert_weigering(vol, "Fout: ")
    assert "de schijf is vol. Maak ruimte vrij en draai klachtdocs opnieuw" in vol.stderr
    half = [p for p in (root / "archief").rglob("*") if p.is_file()]
    assert 0 < len(half) < len(verwacht)
    assert not list(root.rglob(".~klachtdocs-*")), "temp files left behind"
    for regel in (root / ".klachtdocs/journaal.jsonl").read_bytes().splitlines():
        json.loads(regel)  # no line torn by the full disk
    for p in half:  # what is there is whole
        assert p.read_bytes()[-22:-18] == b"PK\x05\x06", p  # the zip's end record (no comment)

    vul(kleine_schijf, 0)
    nog_vol = verwerk_proces(root)
    assert_weigering(nog_vol, "Fout: ")
    assert "de schijf is vol" in nog_vol.stderr
    assert not list(root.rglob(".~klachtdocs-*"))
    assert not (root / ".klachtdocs/verwerking.lock").exists()

    vulsel.unlink()
    klaar = verwerk_proces(root)
    assert klaar.returncode == 0, klaar.stderr
    assert "Verlopen slot" not in klaar.stderr
    journaal = controleer_archief(root)
    assert (
        sorted(p.relative_to(root).as_posix() for p in (root / "archief").rglob("*") if p.is_file())
        == verwacht
    )
    assert {d.versie for d in journaal.all_documents()} == {1}
    assert not list(root.rglob("*(bewaard*")), "an output of klachtdocs itself was kept aside as edited"
    assert verwerk_proces(root).stdout == Resultaat(klachten=len(rijen)).samenvatting() + "\n"


def test_verwerk_zegt_op_de_console_dat_het_overzicht_open_staat(werkmap):
    adres_ingevuld(werkmap)
    schrijf(werkmap, [klacht("K1")])
    verwerk(werkmap, nu=NU)  # the letters; the command's pass below (today) has a new overzicht only
    with onveranderlijk(werkmap / "overzicht.xlsx"):
        r = verwerk_proces(werkmap)
    assert r.returncode == 0, r.stderr
    samenvatting = Resultaat(klachten=1, meldingen=[Melding(WAARSCHUWING, OPEN, blad="")]).samenvatting()
    assert r.stdout == f"WAARSCHUWING: {OPEN}\n{samenvatting}\n"
    assert r.stderr.endswith(f" WARNING {OPEN}\n")


@pytest.mark.traag
def test_echte_bewaking_schrijft_het_overzicht_binnen_een_minuut_nadat_het_gesloten_is(werkmap):
    from tests.test_bewaking import start_watch, wacht_op

    schrijf(werkmap, [klacht("K1", date.today())])
    proc = start_watch(werkmap)
    try:
        assert wacht_op(lambda: (werkmap / "overzicht.xlsx").exists()), "eerste ronde bij start"
        with onveranderlijk(werkmap / "overzicht.xlsx"):
            schrijf(werkmap, [klacht("K1", date.today()), klacht("K2", date.today())])
            log = werkmap / "logboek/klachtdocs.log"
            assert wacht_op(lambda: OPEN in log.read_text(encoding="utf-8")), "de waarschuwing in het logboek"
            assert (werkmap / "archief/K2/K2_ontvangstbevestiging_v1.docx").exists()
        gesloten = time.monotonic()  # no save after this: the watcher tries again on its own
        assert wacht_op(lambda: klachtnummers_in_overzicht(werkmap) == ["K1", "K2"], timeout=60)
        assert time.monotonic() - gesloten < 60
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "Traceback" not in out
