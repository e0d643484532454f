"""Faults survived: a pass killed at random moments, two passes at once, a register replaced
while it is read, and generated registers checked against the invariants of a pass."""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachtdocs.processing import verwerk
from klachtdocs.rules import register as rf
from klachtdocs.rules.kalender import Kalender
from klachtdocs.rules.model import FOUT
from klachtdocs.rules.validatie import valideer
from klachtdocs.scaffold import init
from klachtdocs.storage.journal import Journal
from klachtdocs.storage.workbook import read_workbook
from tests.conftest import NU, bestanden, docx_tekst
from tests.registers import klacht, register, schrijf


def controleer_archief(root: Path) -> Journal:
    """Assert that the journal and the files on disk agree exactly; return the journal."""
    journaal = Journal.read(root / ".klachtdocs/journaal.jsonl")
    assert journaal.unfinished == {}, "a start without gemaakt survived a full pass"
    opgeschreven = {}
    for doc in journaal.all_documents():
        assert doc.bestand not in opgeschreven, f"{doc.bestand} recorded twice"
        opgeschreven[doc.bestand] = doc
    op_schijf = {p.relative_to(root).as_posix() for p in (root / "archief").rglob("*") if p.is_file()}
    assert op_schijf == set(opgeschreven), op_schijf ^ set(opgeschreven)
    for bestand, doc in opgeschreven.items():
        assert hashlib.sha256((root / bestand).read_bytes()).hexdigest() == doc.sha256, bestand
    assert not list(root.rglob(".~klachtdocs-*")), "temp files left behind"
    return journaal


def start_verwerk(root: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "klachtdocs", "verwerk", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def vandaag_rijen(n: int) -> list[dict]:
    """Return *n* klachten received recently (relative to the real clock: the CLI uses it)."""
    return [
        klacht(
            f"K{i:03d}",
            date.today() - timedelta(days=i % 5),
            Afschrift_aan_contactpersoon="ja" if i % 4 == 0 else None,
        )
        for i in range(n)
    ]


@pytest.mark.traag
def test_sigkill_op_willekeurige_momenten_en_dan_een_ronde(tmp_path):
    """Kill `klachtdocs verwerk` many times while it makes letters, then run one pass to the end.

    Before each attempt the register gets 60 more klachten, so every pass has work to do;
    it is killed at a random moment (during start-up, or after a random number of journal
    lines), with its worker processes.
    """
    root = tmp_path / "w"
    init(root, vandaag=date.today() - timedelta(days=30))
    journaal_pad = root / ".klachtdocs/journaal.jsonl"
    rnd = random.Random(20261124)
    gedood, n = 0, 0

    def regels() -> int:
        try:
            return journaal_pad.read_bytes().count(b"\n")
        except FileNotFoundError:
            return 0

    for poging in range(12):
        n += 60
        schrijf(root, vandaag_rijen(n))
        proc = subprocess.Popen(
            [sys.executable, "-m", "klachtdocs", "verwerk", str(root)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if poging % 3 == 0:
            time.sleep(rnd.uniform(0.05, 1.0))  # during start-up, lock or reading
        else:
            doel, deadline = regels() + rnd.randint(1, 200), time.monotonic() + 60
            while regels() < doel and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(rnd.uniform(0.0, 0.01))
        if proc.poll() is None:
            proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
            gedood += 1
        proc.wait()
    assert gedood >= 8, "the passes finished before they could be killed: give them more to do"
    if sys.platform.startswith("linux"):  # the workers of a killed pass must not live on
        deadline = time.monotonic() + 10
        while _wezen(root) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _wezen(root)
    laatste = subprocess.run(
        [sys.executable, "-m", "klachtdocs", "verwerk", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert laatste.returncode == 0, laatste.stdout + laatste.stderr
    journaal = controleer_archief(root)
    per_soort = {}
    for doc in journaal.all_documents():
        per_soort.setdefault((doc.klachtnummer, doc.soort), []).append(doc.bestand)
    verwacht = {"ontvangstbevestiging", "klachtenformulier", "bijlage"}
    for i in range(n):
        nummer = f"K{i:03d}"
        soorten = verwacht | ({"afschrift"} if i % 4 == 0 else set())
        assert {s for (k, s) in per_soort if k == nummer} == soorten, nummer
        for soort in soorten - {"klachtenformulier"}:  # letters exist exactly once
            assert (
                per_soort[(nummer, soort)] == [f"archief/{nummer}/{nummer}_{soort}_v1.docx"]
                or soort == "bijlage"
                and len(per_soort[(nummer, soort)]) == 1
            )
    for pad in (root / "archief").rglob("*.docx"):
        docx_tekst(pad)  # every .docx opens
    voor = bestanden(root / "archief")
    assert verwerk(root).gemaakt == [] and bestanden(root / "archief") == voor


def _wezen(root: Path) -> list[int]:
    """Return the pids of orphaned klachtdocs worker processes (parent gone) on Linux."""
    wezen = []
    for proc in Path("/proc").iterdir():
        try:
            cmd = (proc / "cmdline").read_bytes()
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if b"multiprocessing" in cmd and ppid == 1:
            wezen.append(int(proc.name))
    return wezen


@pytest.mark.traag
def test_twee_rondes_tegelijk_maken_niets_dubbel(tmp_path):
    root = tmp_path / "w"
    init(root, vandaag=date.today() - timedelta(days=30))
    schrijf(root, vandaag_rijen(15))
    procs = [start_verwerk(root) for _ in range(2)]
    uitvoer = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], uitvoer
    gemaakt = sorted(int(u.rsplit(" klachten gelezen, ", 1)[1].split(" ")[0]) for u in uitvoer)
    assert gemaakt == [0, 15 * 3 + 4]  # one made everything, the other waited and found it done
    controleer_archief(root)


def test_register_vervangen_tijdens_het_lezen(werkmap):
    a = register([klacht("K1")])
    b = register([klacht("K1"), klacht("K2")])
    stop = threading.Event()

    def sla_steeds_op():
        i = 0
        while not stop.is_set():
            tmp = werkmap / f"~tmp{i % 2}"
            tmp.write_bytes(a if i % 2 else b)
            os.replace(tmp, werkmap / rf.REGISTER_BESTAND)  # what Excel does: replace, never write in place
            i += 1

    schrijf(werkmap, [klacht("K1")])
    opslaan = threading.Thread(target=sla_steeds_op)
    opslaan.start()
    try:
        rondes = [verwerk(werkmap, nu=NU) for _ in range(15)]
    finally:
        stop.set()
        opslaan.join()
    assert all(r.klachten in (1, 2) and r.fouten == 0 for r in rondes)
    schrijf(werkmap, [klacht("K1"), klacht("K2")])
    verwerk(werkmap, nu=NU)
    journaal = controleer_archief(werkmap)
    assert len(journaal.versions("K1", "ontvangstbevestiging")) == 1
    assert len(journaal.versions("K2", "ontvangstbevestiging")) == 1


# -- generated registers ------------------------------------------------------------------

DAG = st.dates(min_value=date(2025, 6, 1), max_value=date(2026, 12, 31))
TEKST = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
WAARDE = st.one_of(st.none(), TEKST, DAG, st.integers(-5, 50_000), st.booleans())


@st.composite
def rij(draw) -> dict:
    """Return a register row: mostly sensible, sometimes anything at all."""
    row = klacht(
        draw(st.sampled_from(["K1", "K2", "k1", "K3", "../K4", "CON", "", "K5", "K6"])),
        draw(st.one_of(DAG, st.none(), TEKST)),
    )
    for kolom, opties in (
        ("Besluit", st.sampled_from([None, *rf.BESLUITEN, "misschien"])),
        ("Grond niet in behandeling", st.sampled_from([None, *rf.GRONDEN])),
        ("Klachtbehandelaar", st.sampled_from([None, "Anouk de Vries", "Onbekende Collega"])),
        ("Verdaagd tot", st.one_of(st.none(), DAG)),
        ("Reden verdaging", st.one_of(st.none(), TEKST)),
        ("Beslissing", st.one_of(st.none(), TEKST)),
        ("Datum afgehandeld", st.one_of(st.none(), DAG, TEKST)),
        ("Voortijdig gesloten op verzoek", st.sampled_from([None, "ja", "nee", "soms"])),
        ("Afschrift aan contactpersoon", st.sampled_from([None, "ja", "nee"])),
        ("Naam indiener", st.one_of(st.just("Jan Jansen"), TEKST)),
        ("Omschrijving", st.one_of(st.just("Iets ging mis."), st.none(), WAARDE)),
    ):
        if draw(st.booleans()):
            row[kolom] = draw(opties)
    return {k: v for k, v in row.items() if v is not None}


def _schoon(value):
    """Drop what openpyxl cannot store (Excel cannot hold it either): control characters."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
    return value


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rij(), min_size=1, max_size=6))
def test_gegenereerde_registers_houden_zich_aan_de_invarianten(rows):
    rows = [{k: _schoon(v) for k, v in r.items()} for r in rows]
    with tempfile.TemporaryDirectory() as d:
        root = Path(d) / "w"
        init(root, vandaag=date(2025, 1, 1))
        schrijf(root, rows)
        eerste = verwerk(root, nu=NU)  # no crash
        voor = bestanden(root)
        tweede = verwerk(root, nu=NU)
        assert tweede.gemaakt == [] and bestanden(root) == voor  # a second pass writes nothing
        data = (root / rf.REGISTER_BESTAND).read_bytes()
        reg = valideer(read_workbook(data), Kalender(), NU.date())
        fout_rijen = {m.rij for m in eerste.meldingen if m.niveau == FOUT}
        for k in reg.klachten:
            if k.heeft_fout:
                assert k.rij in fout_rijen  # every fout has a melding on its row
            elif k.klachtbehandelaar and k.datum_ontvangst and k.datum_ontvangst >= date(2025, 1, 1):
                journaal = Journal.read(root / ".klachtdocs/journaal.jsonl")
                # Its acknowledgement exists: the ontvangstbevestiging, or for a klacht closed when
                # first seen its afwijzing or afsluiting (procedure.afgesloten_bij_eerste_brief).
                assert any(
                    journaal.versions(k.klachtnummer, s)
                    for s in ("ontvangstbevestiging", "afwijzing", "afsluiting")
                ), k
        controleer_archief(root)
        json.loads((root / ".klachtdocs/uitvoer.json").read_text())


def _content(j: Journal) -> list:
    """Return everything *j* records, comparable between two Journaal objects."""
    return sorted(
        (d.klachtnummer, d.soort, d.versie, d.bestand, d.sha256, d.gemaakt_op, d.reden, dict(d.variabelen))
        for d in j.all_documents()
    )


def _uit_de_regels(pad: Path) -> list:
    """Return (klachtnummer, soort, versie) of every complete gemaakt line of the journal at *pad*."""
    regels = pad.read_bytes().split(b"\n")[:-1]  # the part after the last newline is torn
    gemaakt = []
    for regel in regels:
        try:
            r = json.loads(regel)
        except ValueError:
            continue
        if r.get("op") == "gemaakt":
            gemaakt.append((r["klachtnummer"], r["soort"], r["versie"]))
    return sorted(gemaakt)


def _map_stand(root: Path) -> dict:
    """Return every file under *root* with its size, mtime and contents."""
    return {
        p.relative_to(root).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_journaal_lezen_schrijft_niets(werkmap):
    """Reading the journal (also continuing one kept, and the first-made dates) writes no file.

    Files that earlier versions kept beside the journal are ignored, whatever they hold.
    """
    from klachtdocs.storage.journal import first_made_by_klacht

    schrijf(werkmap, [klacht(f"K{i}") for i in range(5)])
    verwerk(werkmap, nu=NU)
    pad = werkmap / ".klachtdocs/journaal.jsonl"
    for naam in ("journaal.index.json", "journaal.variabelen.jsonl", "eerst_gemaakt.json"):
        (pad.parent / naam).write_text('{"versie": 3, "lengte": 10, "staart": "x", "documenten": 0}\n')
    verwacht = _uit_de_regels(pad)
    voor = _map_stand(werkmap)
    journaal = Journal.read(pad)
    assert sorted((d.klachtnummer, d.soort, d.versie) for d in journaal.all_documents()) == verwacht
    assert Journal.read(pad, journaal) is journaal
    assert Journal.read(werkmap / ".klachtdocs/ontbreekt.jsonl").all_documents() == []
    assert set(first_made_by_klacht(pad, ("ontvangstbevestiging",))) == {f"K{i}" for i in range(5)}
    assert _map_stand(werkmap) == voor
    assert not (werkmap / ".klachtdocs/ontbreekt.jsonl").exists()


def test_journaal_gegroeid_ingekort_of_vervangen_geeft_dezelfde_documenten(werkmap):
    """A Journaal kept from before is continued only when the file grew; else the file is read anew.

    Either way it records exactly what the journal's complete lines say.
    """
    schrijf(werkmap, [klacht(f"K{i}") for i in range(5)])
    verwerk(werkmap, nu=NU)
    pad = werkmap / ".klachtdocs/journaal.jsonl"
    bewaard = Journal.read(pad)
    schrijf(werkmap, [klacht(f"K{i}", Naam_indiener="Piet" if i == 0 else "Jan Jansen") for i in range(7)])
    verwerk(werkmap, nu=NU)  # appends: new klachten, and a new version for K0

    gegroeid = Journal.read(pad, bewaard)
    assert gegroeid is bewaard and _content(gegroeid) == _content(Journal.read(pad))
    assert sorted((d.klachtnummer, d.soort, d.versie) for d in gegroeid.all_documents()) == _uit_de_regels(
        pad
    )
    assert [d.versie for d in gegroeid.versions("K0", "ontvangstbevestiging")] == [1, 2]

    with open(pad, "ab") as fh:
        fh.write(b'{"op": "gemaakt", "klachtn')  # a pass killed while it wrote
    torn = Journal.read(pad, gegroeid)
    assert torn is gegroeid and _content(torn) == _content(Journal.read(pad))

    regels = pad.read_bytes().splitlines(keepends=True)
    pad.write_bytes(b"".join(regels[:-1])[:1000])  # an older backup put back, cut mid-line
    ingekort = Journal.read(pad, torn)
    assert ingekort is not torn and _content(ingekort) == _content(Journal.read(pad))
    assert sorted((d.klachtnummer, d.soort, d.versie) for d in ingekort.all_documents()) == _uit_de_regels(
        pad
    )

    pad.write_bytes(b"".join(regels[-2::-1]))  # another journal of the same length: its lines reversed
    vervangen = Journal.read(pad, ingekort)
    assert vervangen is not ingekort and _content(vervangen) == _content(Journal.read(pad))
    assert sorted((d.klachtnummer, d.soort, d.versie) for d in vervangen.all_documents()) == _uit_de_regels(
        pad
    )
    assert all(  # versions stay in order, whatever the order of their lines
        [d.versie for d in vervangen.versions(*key)] == sorted(d.versie for d in vervangen.versions(*key))
        for key in vervangen.documenten
    )


@pytest.mark.traag
def test_werkers_maken_dezelfde_brieven(tmp_path, monkeypatch):
    import zipfile

    from klachtdocs.documents import workers as werkers

    monkeypatch.setattr(werkers, "MIN_FOR_WORKERS", 10)  # use the pool for these 60 klachten
    pools = []

    class Telpool(werkers.ProcessPoolExecutor):  # the real pool, counted: the test must use it
        def __init__(self, *args, **kwargs):
            pools.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(werkers, "ProcessPoolExecutor", Telpool)

    rijen = [klacht(f"K{i:03d}", Afschrift_aan_contactpersoon="ja") for i in range(60)]
    mappen = []
    for processen in (1, 2):
        root = tmp_path / f"p{processen}"
        init(root, vandaag=date(2026, 1, 1))
        schrijf(root, rijen)
        r = verwerk(root, nu=NU, processen=processen)
        assert len(r.gemaakt) == 60 * 4  # bijlage, ontvangstbevestiging, afschrift, klachtenformulier
        mappen.append(root)
    assert len(pools) == 2  # processen=2: both waves (letters, then forms) ran in worker processes
    a, b = (sorted(p.relative_to(m).as_posix() for p in (m / "archief").rglob("*.docx")) for m in mappen)
    assert a == b
    for naam in a:
        with zipfile.ZipFile(mappen[0] / naam) as za, zipfile.ZipFile(mappen[1] / naam) as zb:
            assert [(i.filename, za.read(i)) for i in za.infolist()] == [
                (i.filename, zb.read(i)) for i in zb.infolist()
            ], naam


def test_variabelen_van_elk_document_teruggelezen(tmp_path):
    """Every newest version's variable hashes read back exactly, also for odd klachtnummers and from another process."""
    from klachtdocs.rules.model import Document

    rnd = random.Random(7)
    pad = tmp_path / "journaal.jsonl"
    journaal = Journal.read(pad)
    nummers = [f"K{rnd.randrange(10**6)}" for _ in range(300)] + [
        'x"K1',
        "Zoë-9",
        "K1",
        "K10",
        "k1",
        "K\u20281",
    ]
    verwacht: dict[tuple[str, str, int], dict] = {}

    def maak(journaal: Journal, nummer: str, soort: str, versie: int, hashes: dict) -> None:
        journaal.gemaakt(
            f"id{len(verwacht)}",
            Document(nummer, soort, versie, f"archief/{len(verwacht)}.docx", hashes, "00" * 32, NU),
        )
        verwacht[(nummer, soort, versie)] = hashes

    for i, nummer in enumerate(nummers):
        for versie in rnd.sample(range(1, 13), rnd.choice((1, 1, 2, 11))):  # out of order now and then
            soort = rnd.choice(("ontvangstbevestiging", "afsluiting"))
            if (nummer, soort, versie) not in verwacht:
                maak(journaal, nummer, soort, versie, {"naam": f"{i:016x}", "versie": f"{versie:016x}"})

    def klopt(journaal: Journal) -> None:
        assert sorted((d.klachtnummer, d.soort, d.versie) for d in journaal.all_documents()) == sorted(
            verwacht
        )
        for nummer, soort, _ in verwacht:
            *ouder, laatste = journaal.versions(nummer, soort)
            assert [d.versie for d in ouder] == sorted(d.versie for d in ouder) and all(
                d.versie < laatste.versie for d in ouder
            )
            assert dict(laatste.variabelen) == verwacht[(nummer, soort, laatste.versie)]
            assert all(d.variabelen == {} for d in ouder)  # only the newest version's hashes are kept

    klopt(journaal)
    klopt(Journal.read(pad))
    # Another process appends: a journal kept from before is continued with its lines.
    bewaard = Journal.read(pad)
    ander = Journal.read(pad)
    for n, (nummer, soort, versie) in enumerate(sorted(verwacht)):
        if n % 3 == 0 and ander.latest(nummer, soort).versie == versie:
            maak(ander, nummer, soort, versie + 1, {"naam": f"{n:016x}", "nieuw": f"{n:016x}"})
    maak(ander, "N1", "afsluiting", 1, {"a": "0" * 16})
    assert Journal.read(pad, bewaard) is bewaard
    klopt(bewaard)
    klopt(Journal.read(pad))
