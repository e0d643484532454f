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
from watchdog import events as ev

from klachtdocs.exceptions import RegisterOnleesbaar
from klachtdocs.processing import Resultaat
from klachtdocs.watcher import ANALYSIS, PASS, Debouncer, Schedule, Watcher, is_change, is_relevant
from tests.registers import klacht, register, schrijf

ROOT = Path("/w")


def test_alleen_register_config_en_sjablonen_tellen():
    assert is_relevant("/w/klachtenregister.xlsx", ROOT)
    assert is_relevant("/w/KLACHTENREGISTER.XLSX", ROOT)
    assert is_relevant("/w/klachtdocs.toml", ROOT)
    assert is_relevant("/w/sjablonen/afwijzing.docx", ROOT)
    for genegeerd in [
        "/w/~$klachtenregister.xlsx",
        "/w/.~lock.klachtenregister.xlsx#",
        "/w/A1B2C3D4",
        "/w/klachtenregister.xlsx.tmp",
        "/w/lu12345.tmp",
        "/w/overzicht.xlsx",
        "/w/archief/K1/K1_afwijzing_v1.docx",
        "/w/.klachtdocs/journaal.jsonl",
        "/w/sjablonen/~$afwijzing.docx",
        "/w/.~klachtdocs-abc.tmp",
    ]:
        assert not is_relevant(genegeerd, ROOT), genegeerd


def test_alleen_gebeurtenissen_die_iets_kunnen_wijzigen_tellen():
    """Scripted watchdog events: reads (also klachtdocs' own) never count, saves always do."""
    reg, cfg, tpl, tmp = (
        "/w/klachtenregister.xlsx",
        "/w/klachtdocs.toml",
        "/w/sjablonen/afwijzing.docx",
        "/w/.~klachtdocs-ab12.tmp",
    )
    telt = [
        ev.FileModifiedEvent(reg),
        ev.FileClosedEvent(reg),
        ev.FileCreatedEvent(reg),
        ev.FileDeletedEvent(reg),
        ev.FileAttribEvent(reg),  # chmod: it may be readable now
        ev.FileMovedEvent("/w/A1B2C3D4", reg),  # Excel: its temp file renamed onto the register
        ev.FileMovedEvent(reg, "/w/A1B2C3D4.tmp"),  # Excel: the register moved aside first
        ev.FileMovedEvent("/w/lu1234.tmp", reg),
        ev.FileClosedEvent(cfg),
        ev.FileModifiedEvent(cfg),
        ev.FileCreatedEvent(tpl),
        ev.FileMovedEvent("/w/sjablonen/x", "/w/sjablonen/y"),
        ev.FileCreatedEvent("/w/sjablonen/klachtenreglement.pdf"),
        reg,
        b"/w/klachtenregister.xlsx",
    ]
    telt_niet = [
        ev.FileOpenedEvent(reg),
        ev.FileClosedNoWriteEvent(reg),
        ev.FileOpenedEvent(cfg),
        ev.FileClosedNoWriteEvent(cfg),
        ev.FileOpenedEvent(tpl),
        ev.FileClosedNoWriteEvent(tpl),
        # what a pass writes: overzicht.xlsx by a temp file and a rename, its own folders
        ev.FileCreatedEvent(tmp),
        ev.FileModifiedEvent(tmp),
        ev.FileClosedEvent(tmp),
        ev.FileMovedEvent(tmp, "/w/overzicht.xlsx"),
        ev.FileModifiedEvent("/w/overzicht.xlsx"),
        ev.DirModifiedEvent("/w"),
        ev.DirCreatedEvent("/w/logboek"),
        ev.DirCreatedEvent("/w/analyse"),
        ev.DirModifiedEvent("/w/.klachtdocs"),
        ev.FileModifiedEvent("/w/logboek/klachtdocs.log"),
        ev.FileModifiedEvent("/w/.klachtdocs/journaal.jsonl"),
        ev.FileCreatedEvent("/w/archief/sjablonen/sjablonen_ontvangstbevestiging_v1.docx"),
        ev.FileModifiedEvent("/w/archief/K1/klachtenregister.xlsx"),
        # Excel's and LibreOffice's own files
        ev.FileCreatedEvent("/w/~$klachtenregister.xlsx"),
        ev.FileModifiedEvent("/w/A1B2C3D4"),
        ev.FileDeletedEvent("/w/A1B2C3D4.tmp"),
        ev.FileCreatedEvent("/w/.~lock.klachtenregister.xlsx#"),
        ev.FileModifiedEvent("/w/sjablonen/~$afwijzing.docx"),
    ]
    for event in telt:
        assert is_change(event, ROOT), event
    for event in telt_niet:
        assert not is_change(event, ROOT), event
    # a workspace that is itself called "sjablonen": its overzicht.xlsx is not a template
    srv = Path("/srv/sjablonen")
    assert not is_change(ev.FileMovedEvent(f"{srv}/.~klachtdocs-1.tmp", f"{srv}/overzicht.xlsx"), srv)
    assert is_change(ev.FileModifiedEvent(f"{srv}/sjablonen/afwijzing.docx"), srv)


def test_de_eigen_leesacties_van_een_ronde_starten_geen_nieuwe_ronde(tmp_path):
    """What inotify reports while a pass reads register, config and templates starts nothing."""
    rondes = []

    def pass_fn(root, **kw):
        rondes.append(klok.t)
        for naam in ("klachtenregister.xlsx", "klachtdocs.toml", "sjablonen/ontvangstbevestiging.docx"):
            q.put(ev.FileOpenedEvent(str(root / naam)))
            q.put(ev.FileClosedNoWriteEvent(str(root / naam)))
        q.put(ev.FileMovedEvent(str(root / ".~klachtdocs-1.tmp"), str(root / "overzicht.xlsx")))
        return Resultaat()

    b, q, klok = bewaker(pass_fn)
    b.root = tmp_path
    (tmp_path / "klachtenregister.xlsx").write_bytes(b"x")
    for t in range(20):
        klok.t = t
        b.step(0)
    assert rondes == [0]
    q.put(ev.FileMovedEvent(str(tmp_path / "A1B2C3D4"), str(tmp_path / "klachtenregister.xlsx")))
    for t in range(20, 40):
        klok.t = t
        b.step(0)
    assert rondes == [0, 21]


def test_debouncer_een_ronde_per_uitbarsting():
    d = Debouncer(stilte=0.5)
    assert not d.is_ready(0.0)
    for t in (0.0, 0.1, 0.3, 0.6):
        d.event(t)
    assert not d.is_ready(1.0) and d.is_ready(1.1)
    d.reset()
    assert not d.is_ready(5.0)


def test_schedule_beslist_zonder_schijf_klok_of_wachtrij():
    """The decision alone, with scripted changes, times, dates and presence of the register."""
    s = Schedule(quiet=0.5, retry_at=0.0)
    dag = date(2026, 11, 24)
    assert s.decide(0.0, dag, True) == PASS  # the catch-up pass at start
    s.last_day = dag
    assert s.decide(1.0, dag, True) is None
    for t in (2.0, 2.1, 2.3):  # one burst of saves
        s.change(t)
    assert s.wait(2.3, 1.0) == pytest.approx(0.5)
    assert s.decide(2.7, dag, True) is None
    assert s.decide(2.8, dag, True) == PASS
    assert s.decide(3.0, dag, True) is None
    s.analysis_at = 10.0
    s.change(9.9)
    assert s.decide(10.0, dag, True) is None  # not while the office is still saving
    assert s.decide(10.4, dag, True) == PASS
    assert s.decide(10.5, dag, True) == ANALYSIS and s.decide(10.6, dag, True) is None
    assert s.decide(11.0, dag, False) is None  # register gone: wait
    s.change(11.5)
    assert s.decide(12.0, dag, False) is None
    assert s.decide(13.0, dag, True) is None  # back: its return counts as a save
    assert s.decide(13.5, dag, True) == PASS
    assert s.decide(14.0, date(2026, 11, 25), True) == PASS  # a new day


class Klok:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def bewaker(pass_fn, **kwargs):
    klok = Klok()
    q = queue.Queue()
    return Watcher(ROOT / "nergens", q, pass_fn=pass_fn, klok=klok, stilte=0.5, **kwargs), q, klok


def test_excel_opslag_geeft_precies_een_ronde(tmp_path):
    rondes = []
    b, q, klok = bewaker(lambda root, **kw: rondes.append(klok.t) or Resultaat())
    b.root = tmp_path
    (tmp_path / "klachtenregister.xlsx").write_bytes(b"x")
    b.step(0)  # the catch-up pass at start
    assert rondes == [0.0]
    # Excel: owner file, temp file written, register renamed away, temp renamed onto it.
    for path in [
        "~$klachtenregister.xlsx",
        "A1B2C3D4",
        "A1B2C3D4",
        "klachtenregister.xlsx",
        "A1B2C3D4.tmp",
        "A1B2C3D4",
        "klachtenregister.xlsx",
        "~$klachtenregister.xlsx",
    ]:
        q.put(str(tmp_path / path))
    klok.t = 10.0
    b.step(0)
    assert rondes == [0.0]  # still within the quiet period
    klok.t = 10.6
    b.step(0)
    assert rondes == [0.0, 10.6]
    klok.t = 20.0
    b.step(0)
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
        b.step(0)
    assert pogingen == [(0, False), (0.6, False), (1.7, False)]
    assert b.rondes == 1


class RustPaniek(BaseException):
    """What python-calamine raises on a Rust panic (pyo3's PanicException is a BaseException)."""


def test_een_fout_in_een_ronde_stopt_de_bewaking_niet(tmp_path, caplog):
    fouten = [ZeroDivisionError("boem"), RustPaniek("index out of bounds")]
    gelukt = []

    def pass_fn(root, meld_onleesbaar):
        if fouten:
            raise fouten.pop(0)
        gelukt.append(klok.t)
        return Resultaat()

    b, q, klok = bewaker(pass_fn)
    b.root = tmp_path
    (tmp_path / "klachtenregister.xlsx").write_bytes(b"x")
    b.step(0)
    assert "Onverwachte fout in een ronde" in caplog.text and "ZeroDivisionError" in caplog.text
    for t in (1.0, 2.0):  # a save after each failure: the next pass runs
        q.put(ev.FileMovedEvent(str(tmp_path / "A1B2C3D4"), str(tmp_path / "klachtenregister.xlsx")))
        klok.t = t
        b.step(0)
        klok.t = t + 0.6
        b.step(0)
    assert "RustPaniek" in caplog.text and gelukt == [2.6] and b.rondes == 1


def test_een_fout_buiten_de_ronde_stopt_de_bewaking_ook_niet(tmp_path, caplog):
    rondes, dagen = [], iter([OSError("netwerkpad niet gevonden")])

    def vandaag():
        fout = next(dagen, None)
        if fout is not None:
            raise fout
        return date(2026, 11, 24)

    b, q, klok = bewaker(lambda root, **kw: rondes.append(klok.t) or Resultaat(), vandaag=vandaag)
    b.root = tmp_path
    (tmp_path / "klachtenregister.xlsx").write_bytes(b"x")
    tikken = []

    def elke_stap():
        tikken.append(klok.t)
        klok.t += 1
        if len(tikken) == 2:
            b.stop.set()

    b.rust = 0
    b.run(elke_stap)
    assert "Onverwachte fout in de bewaking" in caplog.text and "netwerkpad niet gevonden" in caplog.text
    assert rondes == [0] and len(tikken) == 2


def test_een_onleesbaar_register_stopt_de_bewaking_niet_en_een_latere_ronde_lukt(werkmap, caplog):
    """A real pass on a register that cannot be read (a folder in its place), then a good one."""
    from klachtdocs.processing import verwerk

    register_pad = werkmap / "klachtenregister.xlsx"
    register_pad.unlink()
    register_pad.mkdir()  # exists, but reading it fails with an OSError
    b, q, klok = bewaker(lambda root, **kw: verwerk(root, **kw))
    b.root = werkmap
    for _ in range(8):  # the start-up pass and its retries, up to the last one that reports it
        klok.t += 20
        b.step(0)
    assert b.rondes == 0 and "Het register blijft onleesbaar" in caplog.text
    register_pad.rmdir()
    schrijf(werkmap, [klacht("K1", date.today())])
    q.put(ev.FileMovedEvent(str(werkmap / "~tmp1234.tmp"), str(register_pad)))
    klok.t += 1
    b.step(0)
    klok.t += 0.6
    b.step(0)
    assert b.rondes == 1
    assert (werkmap / "archief/K1/K1_ontvangstbevestiging_v1.docx").exists()


def test_verdwenen_register_wordt_afgewacht_en_een_nieuwe_dag_geeft_een_ronde(tmp_path):
    rondes = []
    dag = [date(2026, 11, 24)]
    b, q, klok = bewaker(lambda root, **kw: rondes.append(klok.t) or Resultaat(), vandaag=lambda: dag[0])
    b.root = tmp_path
    b.step(0)
    assert rondes == []  # no register yet: wait
    (tmp_path / "klachtenregister.xlsx").write_bytes(b"x")
    klok.t = 1
    b.step(0)
    klok.t = 2
    b.step(0)
    assert rondes == [1]
    dag[0] = date(2026, 11, 25)
    klok.t = 3
    b.step(0)
    assert rondes == [1, 3]


# -- real processes -----------------------------------------------------------------------


def start_watch(root: Path, *extra: str) -> subprocess.Popen:
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "klachtdocs", "watch", str(root), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


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


@pytest.mark.traag
def test_echte_bewaking_rust_zonder_wijziging_en_noemt_elk_document_een_keer(werkmap):
    """An idle watcher runs its start-up pass and nothing else; one save makes exactly one more pass."""
    log = werkmap / "logboek/klachtdocs.log"
    rondes = lambda: log.read_text(encoding="utf-8").count("Ronde klaar") if log.exists() else 0  # noqa: E731
    start = time.monotonic()
    proc = start_watch(werkmap)
    try:
        assert wacht_op(lambda: rondes() >= 1), "eerste ronde bij start"
        time.sleep(max(0.0, 15 - (time.monotonic() - start)))
        assert rondes() == 1, log.read_text(encoding="utf-8")
        schrijf(werkmap, [klacht("K1", date.today())])  # Excel's way: a temp file renamed onto the register
        assert wacht_op(lambda: rondes() >= 2), "de opslag"
        time.sleep(5)
        assert rondes() == 2, log.read_text(encoding="utf-8")
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    tekst = log.read_text(encoding="utf-8")
    gemaakt = [regel.split("Gemaakt: ", 1)[1] for regel in tekst.splitlines() if "Gemaakt: " in regel]
    assert gemaakt and len(gemaakt) == len(set(gemaakt)), gemaakt
    assert tekst.count("K1_ontvangstbevestiging_v1.docx") == 1
    docs = {p.name for p in (werkmap / "archief/K1").iterdir()}
    assert all(sum(naam in regel for regel in gemaakt) == 1 for naam in docs), (docs, gemaakt)


def test_na_de_maandwissel_schrijft_de_bewaking_de_analyse_een_keer(werkmap):
    from klachtdocs.processing import verwerk
    from klachtdocs.watcher import monthly_analysis
    from tests.registers import klacht, schrijf

    schrijf(werkmap, [klacht("K1", date(2026, 10, 5))])
    dag = [date(2026, 10, 31)]
    rondes = []

    def pass_fn(root, **kw):
        rondes.append(dag[0])
        return verwerk(root, nu=datetime.combine(dag[0], datetime.min.time()))

    b, q, klok = bewaker(pass_fn, vandaag=lambda: dag[0], maandwerk=monthly_analysis)
    b.root = werkmap
    b.step(0)
    analyses = werkmap / "analyse"
    assert sorted(p.name for p in analyses.iterdir()) == ["klachtenanalyse-2026-09.xlsx"]
    dag[0] = date(2026, 11, 1)
    klok.t = 1
    b.step(0)
    assert sorted(p.name for p in analyses.iterdir()) == [
        "klachtenanalyse-2026-09.xlsx",
        "klachtenanalyse-2026-10.xlsx",
    ]
    (analyses / "klachtenanalyse-2026-10.xlsx").unlink()
    dag[0] = date(2026, 11, 2)
    klok.t = 2
    b.step(0)
    assert rondes == [date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 2)]
    assert sorted(p.name for p in analyses.iterdir()) == ["klachtenanalyse-2026-09.xlsx"]  # once


def test_de_bewaking_werkt_de_analyse_van_vorige_maand_bij_na_een_late_invoer(werkmap):
    """Passes across a month boundary, then an entry typed late for October: the analysis follows."""
    from openpyxl import load_workbook

    from klachtdocs.processing import verwerk
    from klachtdocs.watcher import monthly_analysis
    from tests.test_analyse import samenvatting

    rijen = [klacht("K1", date(2026, 10, 5))]
    schrijf(werkmap, rijen)
    dag = [date(2026, 10, 31)]

    def pass_fn(root, **kw):
        return verwerk(root, nu=datetime.combine(dag[0], datetime.min.time()).replace(hour=9))

    b, q, klok = bewaker(pass_fn, vandaag=lambda: dag[0], maandwerk=monthly_analysis)
    b.root = werkmap
    oktober = werkmap / "analyse/klachtenanalyse-2026-10.xlsx"
    ontvangen = lambda: samenvatting(oktober)["Ontvangen"]["oktober 2026"]  # noqa: E731

    def opslaan(nieuwe_rijen: list[dict], rust: float = 61) -> None:
        """Save the register (Excel's way, with its events), then let the watcher rest *rust* seconds."""
        schrijf(werkmap, nieuwe_rijen)
        q.put(ev.FileMovedEvent(str(werkmap / "~tmp1234.tmp"), str(werkmap / "klachtenregister.xlsx")))
        for stap in (0.1, 0.6, rust):
            klok.t += stap
            b.step(0)

    b.step(0)
    assert sorted(p.name for p in (werkmap / "analyse").iterdir()) == ["klachtenanalyse-2026-09.xlsx"]
    dag[0] = date(2026, 11, 1)  # the new day's pass writes October
    klok.t += 1
    b.step(0)
    assert ontvangen() == 1
    geschreven = oktober.read_bytes()
    rijen.append(klacht("K2", date(2026, 11, 1)))
    opslaan(rijen)  # a November klacht: October's figures stay, the file is not touched
    assert oktober.read_bytes() == geschreven
    rijen.append(klacht("K3", date(2026, 10, 20)))  # typed late, in November
    opslaan(rijen, rust=10)
    assert ontvangen() == 1  # not while the office is still saving
    klok.t += 51
    b.step(0)
    assert ontvangen() == 2
    # the kwaliteitsfunctionaris makes notes in it: a later change keeps that copy aside
    wb = load_workbook(oktober)
    wb["Samenvatting"]["A1"] = "Aantekening"
    wb.save(oktober)
    rijen.append(klacht("K4", date(2026, 10, 21)))
    opslaan(rijen)
    assert ontvangen() == 3
    bewaard = [p for p in (werkmap / "analyse").iterdir() if "(bewaard" in p.name]
    assert len(bewaard) == 1 and load_workbook(bewaard[0])["Samenvatting"]["A1"].value == "Aantekening"
    # deleted: not made again for the same figures, but made again when they change
    oktober.unlink()
    rijen.append(klacht("K5", date(2026, 11, 2)))
    opslaan(rijen)
    assert not oktober.exists()
    rijen.append(klacht("K6", date(2026, 10, 22)))
    opslaan(rijen)
    assert ontvangen() == 4
    assert b.rondes == 7
