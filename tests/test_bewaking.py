"""The watcher: scripted events for the deciding, a few real processes for the wiring."""

import os
import queue
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from klachtdocs.bewaking import Bewaker, Debouncer, is_relevant
from klachtdocs.exceptions import RegisterOnleesbaar
from klachtdocs.verwerking import Resultaat
from tests.registers import klacht, register, schrijf

ROOT = Path("/w")


def test_alleen_register_config_en_sjablonen_tellen():
    assert is_relevant("/w/klachtenregister.xlsx", ROOT)
    assert is_relevant("/w/KLACHTENREGISTER.XLSX", ROOT)
    assert is_relevant("/w/klachtdocs.toml", ROOT)
    assert is_relevant("/w/sjablonen/afwijzing.docx", ROOT)
    for genegeerd in ["/w/~$klachtenregister.xlsx", "/w/.~lock.klachtenregister.xlsx#", "/w/A1B2C3D4",
                      "/w/klachtenregister.xlsx.tmp", "/w/lu12345.tmp", "/w/overzicht.xlsx",
                      "/w/archief/K1/K1_afwijzing_v1.docx", "/w/.klachtdocs/journaal.jsonl",
                      "/w/sjablonen/~$afwijzing.docx", "/w/.~klachtdocs-abc.tmp"]:  # fmt: skip
        assert not is_relevant(genegeerd, ROOT), genegeerd


def test_debouncer_een_ronde_per_uitbarsting():
    d = Debouncer(stilte=0.5)
    assert not d.is_klaar(0.0)
    for t in (0.0, 0.1, 0.3, 0.6):
        d.gebeurtenis(t)
    assert not d.is_klaar(1.0) and d.is_klaar(1.1)
    d.reset()
    assert not d.is_klaar(5.0)


class Klok:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def bewaker(pass_fn, **kwargs):
    klok = Klok()
    q = queue.Queue()
    return Bewaker(ROOT / "nergens", q, pass_fn=pass_fn, klok=klok, stilte=0.5, **kwargs), q, klok


def test_excel_opslag_geeft_precies_een_ronde(tmp_path):
    rondes = []
    b, q, klok = bewaker(lambda root, **kw: rondes.append(klok.t) or Resultaat())
    b.root = tmp_path
    (tmp_path / "klachtenregister.xlsx").write_bytes(b"x")
    b.stap(0)  # the catch-up pass at start
    assert rondes == [0.0]
    # Excel: owner file, temp file written, register renamed away, temp renamed onto it.
    for path in ["~$klachtenregister.xlsx", "A1B2C3D4", "A1B2C3D4", "klachtenregister.xlsx",
                 "A1B2C3D4.tmp", "A1B2C3D4", "klachtenregister.xlsx", "~$klachtenregister.xlsx"]:
        q.put(str(tmp_path / path))
    klok.t = 10.0
    b.stap(0)
    assert rondes == [0.0]  # still within the quiet period
    klok.t = 10.6
    b.stap(0)
    assert rondes == [0.0, 10.6]
    klok.t = 20.0
    b.stap(0)
    assert rondes == [0.0, 10.6]


def test_half_opgeslagen_register_wordt_opnieuw_geprobeerd_en_pas_dan_gemeld(tmp_path):
    pogingen = []

    def pass_fn(root, meld_onleesbaar):
        pogingen.append((klok.t, meld_onleesbaar))
        if len(pogingen) < 3:
            raise RegisterOnleesbaar("half")
        return Resultaat()

    b, q, klok = bewaker(pass_fn)
    b.root = tmp_path
    (tmp_path / "klachtenregister.xlsx").write_bytes(b"x")
    for t in (0, 0.2, 0.6, 1.0, 1.7):
        klok.t = t
        b.stap(0)
    assert pogingen == [(0, False), (0.6, False), (1.7, False)]
    assert b.rondes == 1


def test_een_fout_in_een_ronde_stopt_de_bewaking_niet(tmp_path, caplog):
    def pass_fn(root, meld_onleesbaar):
        raise ZeroDivisionError("boem")

    b, q, klok = bewaker(pass_fn)
    b.root = tmp_path
    (tmp_path / "klachtenregister.xlsx").write_bytes(b"x")
    b.stap(0)
    assert "Onverwachte fout in een ronde" in caplog.text and "ZeroDivisionError" in caplog.text


def test_verdwenen_register_wordt_afgewacht_en_een_nieuwe_dag_geeft_een_ronde(tmp_path):
    rondes = []
    dag = [date(2026, 11, 24)]
    b, q, klok = bewaker(lambda root, **kw: rondes.append(klok.t) or Resultaat(), vandaag=lambda: dag[0])
    b.root = tmp_path
    b.stap(0)
    assert rondes == []  # no register yet: wait
    (tmp_path / "klachtenregister.xlsx").write_bytes(b"x")
    klok.t = 1
    b.stap(0)
    klok.t = 2
    b.stap(0)
    assert rondes == [1]
    dag[0] = date(2026, 11, 25)
    klok.t = 3
    b.stap(0)
    assert rondes == [1, 3]


# -- real processes -----------------------------------------------------------------------

def start_watch(root: Path, *extra: str) -> subprocess.Popen:
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "klachtdocs", "watch", str(root), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)


def wacht_op(pred, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.traag
@pytest.mark.parametrize("poll", [None, "0.5"])
def test_echte_bewaking_excel_en_libreoffice_opslag(werkmap, poll):
    schrijf(werkmap, [klacht("K1", date.today())])
    proc = start_watch(werkmap, *(["--poll", poll] if poll else []))
    try:
        brief = lambda n: werkmap / f"archief/{n}/{n}_ontvangstbevestiging_v1.docx"  # noqa: E731
        assert wacht_op(lambda: brief("K1").exists()), "eerste ronde bij start"
        # Excel's way: write a temp file, replace the register with it.
        schrijf(werkmap, [klacht("K1", date.today()), klacht("K2", date.today())])
        assert wacht_op(lambda: brief("K2").exists()), "Excel-opslag"
        # A half-written register, then LibreOffice's way: lock file, temp file, rename.
        (werkmap / "klachtenregister.xlsx").write_bytes(b"PK\x03\x04 kapot")
        time.sleep(1.0)
        lock = werkmap / ".~lock.klachtenregister.xlsx#"
        lock.write_text("lock")
        tmp = werkmap / "lu1234.tmp"
        tmp.write_bytes(register([klacht(n, date.today()) for n in ("K1", "K2", "K3")]))
        tmp.replace(werkmap / "klachtenregister.xlsx")
        lock.unlink()
        assert wacht_op(lambda: brief("K3").exists()), "LibreOffice-opslag na een kapotte opslag"
        # A second watcher on the same workspace refuses and names the first.
        second = start_watch(werkmap)
        out, _ = second.communicate(timeout=30)
        assert second.returncode == 2
        assert f"er loopt al een bewaking (proces {proc.pid}" in out
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "Bewaking gestopt." in out
    log = (werkmap / "logboek/klachtdocs.log").read_text(encoding="utf-8")
    assert "Ronde klaar" in log and "K3_ontvangstbevestiging_v1.docx" in log
    assert not (werkmap / ".klachtdocs/bewaking.lock").exists()


def test_na_de_maandwissel_schrijft_de_bewaking_de_analyse_een_keer(werkmap):
    from klachtdocs.bewaking import maandelijkse_analyse
    from klachtdocs.verwerking import verwerk
    from tests.registers import klacht, schrijf

    schrijf(werkmap, [klacht("K1", date(2026, 10, 5))])
    dag = [date(2026, 10, 31)]
    rondes = []

    def pass_fn(root, **kw):
        rondes.append(dag[0])
        return verwerk(root, nu=datetime.combine(dag[0], datetime.min.time()))

    b, q, klok = bewaker(pass_fn, vandaag=lambda: dag[0], maandwerk=maandelijkse_analyse)
    b.root = werkmap
    b.stap(0)
    analyses = werkmap / "analyse"
    assert sorted(p.name for p in analyses.iterdir()) == ["klachtenanalyse-2026-09.xlsx"]
    dag[0] = date(2026, 11, 1)
    klok.t = 1
    b.stap(0)
    assert sorted(p.name for p in analyses.iterdir()) == ["klachtenanalyse-2026-09.xlsx",
                                                          "klachtenanalyse-2026-10.xlsx"]
    (analyses / "klachtenanalyse-2026-10.xlsx").unlink()
    dag[0] = date(2026, 11, 2)
    klok.t = 2
    b.stap(0)
    assert rondes == [date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 2)]
    assert sorted(p.name for p in analyses.iterdir()) == ["klachtenanalyse-2026-09.xlsx"]  # once
