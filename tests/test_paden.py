"""Nothing read or written outside the workspace: paths from the config and the journal, symbolic
links where klachtdocs reads and where it writes, and never overwriting, also on a file system
without hard links (a real FAT image, mounted with fusefat)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from klachtdocs.check import controleer
from klachtdocs.cli import main
from klachtdocs.exceptions import BestandFout, ConfigFout
from klachtdocs.processing import verwerk
from klachtdocs.scaffold import init
from klachtdocs.storage.files import TEMP_PREFIX, write_new
from klachtdocs.storage.journal import Journal
from tests.conftest import NU
from tests.registers import klacht, schrijf

BRIEVEN = [
    "K1_bijlage_klachtenreglement_v1.docx",
    "K1_klachtenformulier_v1.docx",
    "K1_ontvangstbevestiging_v1.docx",
]


def namen(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def fouten(resultaat) -> list:
    """Return the fouten of a pass (the waarschuwingen about the example address are not ours)."""
    return [m for m in resultaat.meldingen if m.niveau == "fout"]


def zet_bijlage(root: Path, waarde: str) -> None:
    pad = root / "klachtdocs.toml"
    tekst = pad.read_text(encoding="utf-8")
    regel = 'bijlage_ontvangstbevestiging = "klachtenreglement.docx"'
    assert regel in tekst
    pad.write_text(
        tekst.replace(regel, f"bijlage_ontvangstbevestiging = {json.dumps(waarde)}"), encoding="utf-8"
    )


@pytest.fixture
def buiten(tmp_path: Path) -> Path:
    """Return a folder outside the workspace, with a file of its own and a file named like klachtdocs' temps."""
    folder = tmp_path / "buiten"
    folder.mkdir()
    (folder / "geheim.txt").write_text("niet van klachtdocs")
    (folder / f"{TEMP_PREFIX}van-iemand.tmp").write_text("ook niet")
    return folder


def ongemoeid(folder: Path) -> None:
    """Assert that *folder* holds exactly what the fixture put there, unchanged."""
    assert namen(folder) == sorted(["geheim.txt", f"{TEMP_PREFIX}van-iemand.tmp"])
    assert (folder / "geheim.txt").read_text() == "niet van klachtdocs"


# -- paths in the config ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "waarde",
    [
        "../../../../etc/hostname",
        "../../buiten/geheim.txt",
        "/etc/hostname",
        "C:\\Windows\\win.ini",
        "C:win.ini",
        "\\\\server\\share\\reglement.docx",
        "..\\..\\reglement.docx",
        "sub/../../klachtenreglement.docx",
        "reglementen/klachtenreglement.docx",
        "klachtenreglement.docx:stroom",
        "",
    ],
)
def test_bijlage_buiten_de_map_sjablonen_is_een_configfout(werkmap, buiten, waarde):
    """The enclosure's path in klachtdocs.toml names a file in sjablonen/, nothing else."""
    zet_bijlage(werkmap, waarde)
    schrijf(werkmap, [klacht("K1", date(2026, 11, 23))])
    with pytest.raises(
        ConfigFout,
        match=r"\[brieven\]: bijlage_ontvangstbevestiging = .* klachtdocs leest alleen "
        r"bestanden in de werkmap.*bijlage_ontvangstbevestiging = "
        r'"klachtenreglement.docx"',
    ):
        verwerk(werkmap, nu=NU)
    assert namen(werkmap / "archief") == []
    ongemoeid(buiten)
    for opdracht in ("verwerk", "controleer"):
        r = CliRunner().invoke(main, [opdracht, str(werkmap)])
        assert r.exit_code == 2 and r.output.startswith("Fout: klachtdocs.toml, [brieven]: "), r.output
        assert "Traceback" not in r.output


def test_bijlage_gewoon_in_sjablonen_werkt_nog(werkmap):
    shutil.copy(werkmap / "sjablonen/klachtenreglement.docx", werkmap / "sjablonen/reglement 2026.docx")
    zet_bijlage(werkmap, "./reglement 2026.docx")
    schrijf(werkmap, [klacht("K1", date(2026, 11, 23))])
    assert verwerk(werkmap, nu=NU).fouten == 0
    assert "K1_bijlage_reglement_2026~" in " ".join(namen(werkmap / "archief/K1"))


# -- links where klachtdocs reads --------------------------------------------------------------
def test_koppeling_in_sjablonen_naar_buiten_wordt_niet_gelezen(werkmap, buiten):
    """A template or the enclosure that is a link out of sjablonen/: a melding, the letters that need it
    wait, the rest go on; a link that stays inside sjablonen/ is fine."""
    shutil.copy(werkmap / "sjablonen/klachtenreglement.docx", buiten / "reglement.docx")
    shutil.copy(werkmap / "sjablonen/afschrift.docx", buiten / "afschrift.docx")
    (werkmap / "sjablonen/klachtenreglement.docx").unlink()
    (werkmap / "sjablonen/klachtenreglement.docx").symlink_to(buiten / "reglement.docx")
    (werkmap / "sjablonen/afschrift.docx").unlink()
    (werkmap / "sjablonen/afschrift.docx").symlink_to(buiten / "afschrift.docx")
    # A link that stays inside sjablonen/ is fine.
    (werkmap / "sjablonen/afwijzing.docx").rename(werkmap / "sjablonen/afwijzing-echt.docx")
    (werkmap / "sjablonen/afwijzing.docx").symlink_to("afwijzing-echt.docx")
    schrijf(
        werkmap,
        [
            klacht("K1", date(2026, 11, 23), Afschrift_aan_contactpersoon="ja"),
            klacht(
                "K2",
                date(2026, 11, 23),
                Besluit="niet in behandeling",
                Grond_niet_in_behandeling="geen directe relatie (art. 1)",
            ),
        ],
    )
    resultaat = verwerk(werkmap, nu=NU)
    teksten = {m.tekst for m in resultaat.meldingen if m.niveau == "fout"}
    assert len(teksten) == 2, teksten
    assert any(
        "klachtenreglement.docx in de map sjablonen is een koppeling" in t
        and "buiten die map" in t
        and "bijlage_ontvangstbevestiging" in t
        for t in teksten
    ), teksten
    assert any(
        t.startswith("Sjabloon afschrift.docx in de map sjablonen is een koppeling") for t in teksten
    ), teksten
    gemaakt = sorted(Path(d.bestand).name for d in resultaat.gemaakt)
    assert not any("bijlage" in n or "afschrift" in n for n in gemaakt), gemaakt
    meldingen, _ = controleer(werkmap, date(2026, 11, 24))
    assert sum("buiten" in m.tekst for m in meldingen if m.niveau == "fout") == 2, meldingen
    # The enclosure back as a real file: the letters that waited for it are made, the afwijzing
    # through its link inside sjablonen/ too; the afschrift still waits.
    (werkmap / "sjablonen/klachtenreglement.docx").unlink()
    shutil.copy(buiten / "reglement.docx", werkmap / "sjablonen/klachtenreglement.docx")
    resultaat = verwerk(werkmap, nu=NU)
    assert {m.tekst[:40] for m in resultaat.meldingen if m.niveau == "fout"} == {
        "Sjabloon afschrift.docx in de map sjablo"
    }
    gemaakt = sorted(Path(d.bestand).name for d in resultaat.gemaakt)
    assert {"K1_ontvangstbevestiging_v1.docx", "K2_afwijzing_v1.docx"} <= set(gemaakt), gemaakt
    assert not any("afschrift" in n for n in gemaakt), gemaakt


# -- links where klachtdocs writes, per klacht -------------------------------------------------
def test_map_in_archief_die_een_koppeling_is_krijgt_geen_brieven(werkmap, buiten):
    """archief/K1 linked elsewhere: nothing is written there, a melding for K1, K2 goes on; once the
    link is gone the next pass makes K1's letters (a pass with a link is never skipped as unchanged)."""
    (werkmap / "archief/K1").symlink_to(buiten, target_is_directory=True)
    schrijf(werkmap, [klacht("K1", date(2026, 11, 23)), klacht("K2", date(2026, 11, 23))])
    for _ in range(2):
        resultaat = verwerk(werkmap, nu=NU)
        ongemoeid(buiten)
        assert [(m.klachtnummer, m.blad) for m in fouten(resultaat)] == [("K1", "archief")]
        tekst = fouten(resultaat)[0].tekst
        assert "De map archief/K1 is een koppeling" in tekst and "Verwijder de koppeling" in tekst, tekst
    assert not resultaat.ongewijzigd
    assert namen(werkmap / "archief/K2") == [n.replace("K1", "K2") for n in BRIEVEN]
    (werkmap / "archief/K1").unlink()
    resultaat = verwerk(werkmap, nu=NU)
    assert fouten(resultaat) == [] and namen(werkmap / "archief/K1") == BRIEVEN
    assert not (werkmap / "archief/K1").is_symlink()


@pytest.mark.parametrize("doel", ["nergens.docx", "buiten/geheim.txt"])
def test_koppeling_op_de_naam_van_een_brief(werkmap, buiten, doel):
    """A link (dangling or not) at a letter's file name: a melding for that klacht, never an aborted pass."""
    (werkmap / "archief/K1").mkdir()
    link = werkmap / "archief/K1/K1_ontvangstbevestiging_v1.docx"
    link.symlink_to(werkmap.parent / doel)
    schrijf(werkmap, [klacht("K1", date(2026, 11, 23)), klacht("K2", date(2026, 11, 23))])
    resultaat = verwerk(werkmap, nu=NU)
    assert [m.klachtnummer for m in fouten(resultaat)] == ["K1"]
    assert (
        "Op de plaats van K1_ontvangstbevestiging_v1.docx in archief/K1 staat een koppeling"
        in fouten(resultaat)[0].tekst
    )
    assert link.is_symlink() and namen(werkmap / "archief/K1") == ["K1_ontvangstbevestiging_v1.docx"]
    assert namen(werkmap / "archief/K2") == [n.replace("K1", "K2") for n in BRIEVEN]
    ongemoeid(buiten)
    link.unlink()
    assert fouten(verwerk(werkmap, nu=NU)) == []
    assert namen(werkmap / "archief/K1") == BRIEVEN


@pytest.mark.parametrize("wat", ["bestand", "koppeling"])
def test_bestand_of_koppeling_die_tijdens_de_ronde_verschijnt(werkmap, buiten, wat):
    """Another program puts a file at a letter's name, or links the klacht's folder elsewhere, after the
    pass planned it and before it writes it: a melding for that klacht, the others go on, nothing replaced."""
    nummers = [f"K{i:02d}" for i in range(30)]
    schrijf(werkmap, [klacht(n, date(2026, 11, 23)) for n in nummers])
    journaal = werkmap / ".klachtdocs/journaal.jsonl"
    laatste = werkmap / "archief/K29"
    klaar = threading.Event()

    def ander() -> None:
        while not klaar.is_set():
            try:
                if b'"archief/K29/K29_ontvangstbevestiging_v1.docx"' in journaal.read_bytes():
                    break
            except FileNotFoundError:
                pass
        else:
            return
        if wat == "koppeling":
            laatste.symlink_to(buiten, target_is_directory=True)
        else:
            laatste.mkdir(exist_ok=True)
            (laatste / "K29_ontvangstbevestiging_v1.docx").write_bytes(b"van een ander programma")

    t = threading.Thread(target=ander)
    t.start()
    try:
        resultaat = verwerk(werkmap, nu=NU)
    finally:
        klaar.set()
        t.join()
    assert [(m.klachtnummer, m.blad) for m in fouten(resultaat)] == [("K29", "archief")]
    tekst = fouten(resultaat)[0].tekst
    ongemoeid(buiten)
    if wat == "koppeling":
        assert "De map archief/K29 is een koppeling" in tekst, tekst
        laatste.unlink()
    else:
        assert (
            "K29_ontvangstbevestiging_v1.docx in archief/K29 is tijdens deze ronde door een ander programma "
            "gemaakt" in tekst
        ), tekst
        assert (laatste / "K29_ontvangstbevestiging_v1.docx").read_bytes() == b"van een ander programma"
    assert all(namen(werkmap / f"archief/{n}") == [b.replace("K1", n) for b in BRIEVEN] for n in nummers[:-1])
    assert Journal.read(journaal).unfinished == {}
    assert fouten(verwerk(werkmap, nu=NU)) == []
    brief = "K29_ontvangstbevestiging_v2.docx" if wat == "bestand" else "K29_ontvangstbevestiging_v1.docx"
    assert brief in namen(laatste) and "K29_klachtenformulier_v1.docx" in namen(laatste)


def test_bestand_waar_de_map_van_een_klacht_hoort(werkmap):
    (werkmap / "archief/K1").write_text("een notitie")
    schrijf(werkmap, [klacht("K1", date(2026, 11, 23)), klacht("K2", date(2026, 11, 23))])
    resultaat = verwerk(werkmap, nu=NU)
    assert [m.tekst for m in fouten(resultaat)] == [
        "archief/K1 is een bestand, geen map. Hernoem of verplaats dat bestand; de volgende ronde maakt dan de "
        "map met de documenten."
    ]
    assert (werkmap / "archief/K1").read_text() == "een notitie" and len(namen(werkmap / "archief/K2")) == 3


# -- links for the workspace's own places --------------------------------------------------------
@pytest.mark.parametrize(
    "plek",
    [
        "archief",
        ".klachtdocs",
        "analyse",
        "logboek",
        "overzicht.xlsx",
        ".klachtdocs/journaal.jsonl",
        "klachtenregister.xlsx",
        "sjablonen",
    ],
)
def test_koppeling_voor_een_plek_van_de_werkmap_wordt_geweigerd(werkmap, buiten, plek):
    """Each command refuses (exit 2, a Dutch message naming the place) before it reads or writes anything."""
    schrijf(werkmap, [klacht("K1", date(2026, 11, 23))])
    verwerk(werkmap, nu=NU)
    schrijf(werkmap, [klacht("K1", date(2026, 11, 23)), klacht("K2", date(2026, 11, 23))])
    pad = werkmap / plek
    if pad.is_dir():
        shutil.copytree(pad, buiten / "kopie")
        shutil.rmtree(pad)
    elif pad.exists():
        shutil.copy(pad, buiten / "kopie")
        pad.unlink()
    else:
        (buiten / "kopie").mkdir()
    pad.symlink_to(buiten / "kopie", target_is_directory=(buiten / "kopie").is_dir())
    inhoud = sorted(p.relative_to(buiten).as_posix() for p in buiten.rglob("*"))
    with pytest.raises(BestandFout, match=f"{Path(plek).name} in de werkmap .* is een koppeling"):
        verwerk(werkmap, nu=NU)
    for args in (["verwerk"], ["controleer"], ["analyse", "--maand", "2026-10"]):
        r = CliRunner().invoke(main, [*args, str(werkmap)])
        assert r.exit_code == 2, r.output
        assert (
            r.output.startswith("Fout: ")
            and "is een koppeling (symbolische koppeling of junction)" in r.output
        )
    assert sorted(p.relative_to(buiten).as_posix() for p in buiten.rglob("*")) == inhoud
    assert (buiten / "geheim.txt").read_text() == "niet van klachtdocs"
    assert not (werkmap / "archief/K2").exists()


def test_koppeling_binnen_de_werkmap_om_te_lezen_mag(werkmap):
    (werkmap / "registers").mkdir()
    schrijf(werkmap, [klacht("K1", date(2026, 11, 23))])
    (werkmap / "klachtenregister.xlsx").rename(werkmap / "registers/2026.xlsx")
    (werkmap / "klachtenregister.xlsx").symlink_to("registers/2026.xlsx")
    assert verwerk(werkmap, nu=NU).fouten == 0 and namen(werkmap / "archief/K1") == BRIEVEN


def test_bewaking_weigert_een_logboek_dat_een_koppeling_is(werkmap, buiten):
    """`klachtdocs watch` stops at once (exit 2) instead of writing its log elsewhere."""
    (werkmap / "logboek").symlink_to(buiten, target_is_directory=True)
    proc = subprocess.run(
        [sys.executable, "-m", "klachtdocs", "watch", str(werkmap)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Fout: logboek in de werkmap" in proc.stderr and "Traceback" not in proc.stderr
    ongemoeid(buiten)
    assert not (werkmap / ".klachtdocs/bewaking.lock").exists()


def test_analyse_schrijft_niet_via_een_koppeling(werkmap, buiten):
    schrijf(werkmap, [klacht("K1", date(2026, 10, 5))])
    (werkmap / "analyse").mkdir()
    (werkmap / "analyse/klachtenanalyse-2026-10.xlsx").symlink_to(buiten / "geheim.txt")
    r = CliRunner().invoke(main, ["analyse", "--maand", "2026-10", str(werkmap)])
    assert (
        r.exit_code == 2 and "analyse/klachtenanalyse-2026-10.xlsx in de werkmap is een koppeling" in r.output
    )
    ongemoeid(buiten)


# -- paths in the journal ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "bestand",
    [
        "../buiten/geheim.txt",
        "archief/../../buiten/geheim.txt",
        "archief/K1/../../../buiten/geheim.txt",
        "ABSOLUUT",
        "archief/L/geheim.txt",
        "archief/M/geheim.txt",
    ],
)
def test_journaal_noemt_geen_bestand_buiten_het_archief(werkmap, buiten, bestand):
    """A hand-edited start line naming a file outside archief/, or through a link in it, is closed unread."""
    (werkmap / "archief/L").symlink_to(buiten, target_is_directory=True)  # a folder linked elsewhere
    (werkmap / "archief/M").mkdir()
    (werkmap / "archief/M/geheim.txt").symlink_to(buiten / "geheim.txt")  # a file linked elsewhere
    schrijf(werkmap, [klacht("K1", date(2026, 11, 23))])
    verwerk(werkmap, nu=NU)
    journaal = werkmap / ".klachtdocs/journaal.jsonl"
    regel = {
        "op": "start",
        "id": "handwerk",
        "klachtnummer": "K1",
        "soort": "bijlage",
        "versie": 7,
        "bestand": str(buiten / "geheim.txt") if bestand == "ABSOLUUT" else bestand,
        "variabelen": {},
        "sha256": "",
        "gemaakt_op": "2026-11-24T09:00:00",
        "reden": "nieuw",
    }
    with open(journaal, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(regel) + "\n")
    verwerk(werkmap, nu=NU)
    ongemoeid(buiten)
    j = Journal.read(journaal)
    assert j.unfinished == {}
    assert all(d.bestand.startswith("archief/K1/") for d in j.all_documents()), [
        d.bestand for d in j.all_documents()
    ]
    regels = [json.loads(r) for r in journaal.read_text(encoding="utf-8").splitlines()]
    assert {"op": "gemaakt-niet", "id": "handwerk"} in regels
    assert namen(werkmap / "archief/K1") == BRIEVEN


def test_lege_claim_van_een_onderbroken_schrijfactie_wordt_opgeruimd(werkmap):
    """Without hard links a letter's name is first claimed by an empty file (see bestanden.schrijf_nieuw); a
    crash before the rename leaves that empty file and a start line: the next pass removes it, makes v1."""
    schrijf(werkmap, [klacht("K1", date(2026, 11, 23))])
    verwerk(werkmap, nu=NU)
    journaal = werkmap / ".klachtdocs/journaal.jsonl"
    regels = journaal.read_text(encoding="utf-8").splitlines()
    behouden = [
        r
        for r in regels
        if "ontvangstbevestiging" not in json.loads(r)["bestand"] or json.loads(r)["op"] == "start"
    ]  # the crash: its start line only
    journaal.write_text("\n".join(behouden) + "\n", encoding="utf-8")
    for naam in ("plan.json", "ronde.json"):
        (werkmap / ".klachtdocs" / naam).unlink(missing_ok=True)
    brief = werkmap / "archief/K1/K1_ontvangstbevestiging_v1.docx"
    brief.unlink()
    brief.write_bytes(b"")
    resultaat = verwerk(werkmap, nu=NU)
    assert [Path(d.bestand).name for d in resultaat.gemaakt if d.soort == "ontvangstbevestiging"] == [
        brief.name
    ]
    assert brief.stat().st_size > 0 and "K1_ontvangstbevestiging_v2.docx" not in namen(werkmap / "archief/K1")


# -- never overwrite, also without hard links -----------------------------------------------------
@pytest.fixture
def fat(tmp_path: Path):
    """Return a folder on a real FAT file system (no hard links), mounted with fusefat.

    Single-threaded (-s): fusefat mixes up concurrent requests (a fresh name not found, a torn long name).
    """
    for prog in ("mkfs.vfat", "fusefat"):
        if shutil.which(prog) is None:
            pytest.skip(f"{prog} ontbreekt (apt-get install dosfstools fusefat)")
    if not os.path.exists("/dev/fuse"):
        pytest.skip("/dev/fuse ontbreekt: geen FUSE in deze omgeving")
    image, mnt = tmp_path / "fat.img", tmp_path / "fat"
    mnt.mkdir()
    with open(image, "wb") as fh:
        fh.truncate(24 * 1024 * 1024)
    subprocess.run(["mkfs.vfat", str(image)], check=True, capture_output=True)
    r = subprocess.run(["fusefat", "-s", "-o", "rw+", str(image), str(mnt)], capture_output=True, text=True)
    if r.returncode != 0 or not os.path.ismount(mnt):
        pytest.skip(f"fusefat kan het FAT-bestand niet koppelen: {r.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def test_fat_heeft_echt_geen_harde_links(fat):
    (fat / "a").write_bytes(b"a")
    with pytest.raises(OSError):
        os.link(fat / "a", fat / "b")


@pytest.mark.traag
@pytest.mark.parametrize("soort", ["ext", "fat"])
def test_schrijf_nieuw_vervangt_nooit_een_bestand_dat_intussen_verscheen(tmp_path, request, soort):
    """A second thread creates the target while schrijf_nieuw writes it: the other program's file stays.

    The thread waits until klachtdocs' temp file is there, then a little longer (0 to 1 ms,
    varied over 200 attempts), so its file appears at every moment of the write. Before the
    fix, the check-then-rename of the fallback without hard links replaced it in about 3 %
    of the attempts on FAT.
    """
    folder = request.getfixturevalue("fat") if soort == "fat" else tmp_path
    data = b"brief van klachtdocs" * 200
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # let the thread run between the writer's steps
    gewonnen = 0
    try:
        for poging in range(200):
            # fusefat leaks a directory entry on each rename onto an existing name, and a folder
            # that cannot grow any more makes every new name fail: a fresh folder every 10 attempts.
            target = folder / f"brieven{poging // 10}" / f"brief_v{poging}.docx"
            target.parent.mkdir(exist_ok=True)
            gelukt: list[bool] = []
            klaar = threading.Event()

            def ander(target=target, gelukt=gelukt, klaar=klaar, wacht=(poging % 40) * 25e-6) -> None:
                while not any(n.startswith(TEMP_PREFIX) for n in os.listdir(target.parent)):
                    if klaar.is_set():
                        return
                begin = time.perf_counter()
                while time.perf_counter() - begin < wacht:
                    pass
                try:
                    with open(target, "xb") as fh:
                        fh.write(b"van een ander programma")
                    gelukt.append(True)
                except FileExistsError:
                    gelukt.append(False)

            t = threading.Thread(target=ander)
            t.start()
            fout = None
            try:
                write_new(target, data)
            except FileExistsError as exc:
                fout = exc
            finally:
                klaar.set()
                t.join()
            if True in gelukt:  # the other program got the name first: it keeps its file
                gewonnen += 1
                assert target.read_bytes() == b"van een ander programma", f"attempt {poging}: replaced"
                assert fout is not None
            else:
                assert target.read_bytes() == data and fout is None
            assert not [n for n in os.listdir(target.parent) if n.startswith(TEMP_PREFIX)], "temp file left"
    finally:
        sys.setswitchinterval(interval)
    assert gewonnen > 0, "the other thread never created the file in time: the race was not exercised"


def test_schrijf_nieuw_op_fat(fat):
    target = fat / "K1" / "K1_ontvangstbevestiging_v1.docx"
    write_new(target, b"eerste")
    with pytest.raises(FileExistsError):
        write_new(target, b"tweede")
    assert target.read_bytes() == b"eerste" and namen(target.parent) == [target.name]


def test_een_ronde_op_fat(fat):
    """A workspace on FAT: letters made, someone else's file at a letter's name kept, a second pass idle."""
    root = fat / "werkmap"
    init(root, vandaag=date(2026, 1, 1))
    (root / "archief/K1").mkdir(parents=True)
    (root / "archief/K1/K1_ontvangstbevestiging_v1.docx").write_bytes(b"van iemand anders")
    schrijf(root, [klacht("K1", date(2026, 11, 23)), klacht("K2", date(2026, 11, 23))])
    resultaat = verwerk(root, nu=NU)
    assert resultaat.fouten == 0 and len(resultaat.gemaakt) == 6
    assert (root / "archief/K1/K1_ontvangstbevestiging_v1.docx").read_bytes() == b"van iemand anders"
    assert "K1_ontvangstbevestiging_v2.docx" in namen(root / "archief/K1")
    assert verwerk(root, nu=datetime(2026, 11, 24, 11, 0)).gemaakt == []
    assert not [p for p in root.rglob(f"{TEMP_PREFIX}*")]
