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
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from benchmarks import grote_werkmap
from klachtdocs.rules import register as rf
from klachtdocs.scaffold import init
from tests.conftest import NU
from tests.registers import klacht, register, schrijf

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
    limiet = (
        "import resource; resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30)); "
        if os.name == "posix"
        else ""
    )
    piek = (
        "import atexit; atexit.register(lambda: sys.stderr.write('VmHWM ' + open('/proc/self/status')"
        ".read().split('VmHWM:')[1].split()[0] + ' kB')); "
        if Path("/proc/self/status").exists()
        else ""
    )
    code = (
        limiet + "import sys; " + piek + "from klachtdocs.cli import main; sys.argv[0] = 'klachtdocs'; main()"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ | {"PYTHONIOENCODING": "utf-8"},
    )


def _echt_adres(root: Path) -> None:
    """Replace the example address of a new workspace's config (it gives a waarschuwing on every pass)."""
    pad = root / "klachtdocs.toml"
    tekst = pad.read_text(encoding="utf-8")
    for oud, nieuw in (
        ("Voorbeeldstraat 1", "Stationsplein 3"),
        ("1234 AB Voorbeeldstad", "3511 AB Utrecht"),
        ('plaats = "Voorbeeldstad"', 'plaats = "Utrecht"'),
    ):
        tekst = tekst.replace(oud, nieuw)
    pad.write_text(tekst, encoding="utf-8")


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
        assert (
            f"Maak cel XFD1048576 op blad {blad} leeg of verwijder de rijen/kolommen tussen uw gegevens en "
            "die cel"
        ) in r.stderr, r.stderr
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
    code = (
        "import sys, time; from klachtdocs.processing import verwerk; t = time.perf_counter(); "
        "r = verwerk(sys.argv[1]); print(r.klachten, time.perf_counter() - t); "
        "print(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])"
    )
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
        _met_cel(register([klacht("K1", vandaag)]), "Klachten", "XFD1048576", "x")
    )
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


# -- 2. extreme dates ------------------------------------------------------------------------

EXTREEM = {
    "tekst jaar 1": "01-01-0001",
    "tekst jaar 9999": "31-12-9999",
    "datum 9999": date(9999, 12, 31),
    "datum 1899": date(1899, 12, 31),
    "serieel 2958466": 2958466,
    "negatief": -5,
}


def _extreem_register(kolom: str, waarde) -> bytes:
    wb = load_workbook(
        io.BytesIO(register([GOED, klacht("X1", date(2026, 11, 20), Reden_verdaging="Advies.")]))
    )
    ws = wb["Klachten"]
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXY"[rf.KLACHTEN_KOLOMMEN.index(kolom)]
    ws[f"{letter}3"] = waarde
    ws[f"{letter}3"].number_format = "dd-mm-yyyy"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "kolom, soort",
    [("Datum ontvangst", s) for s in EXTREEM]
    + [
        (k, s)
        for k in sorted(rf.DATUM_KOLOMMEN - {"Datum ontvangst"})
        for s in ("tekst jaar 9999", "datum 9999")
    ],
)
def test_extreme_datum_is_een_fout_op_die_rij(werkmap, kolom, soort):
    from klachtdocs.check import controleer
    from klachtdocs.monthly import make_analysis
    from klachtdocs.processing import verwerk

    (werkmap / "klachtenregister.xlsx").write_bytes(_extreem_register(kolom, EXTREEM[soort]))
    r = verwerk(werkmap, nu=NU)
    fouten = [m for m in r.meldingen if m.niveau == "fout"]
    assert [(m.rij, m.kolom) for m in fouten] == [(3, kolom)], fouten
    if isinstance(EXTREEM[soort], str) or isinstance(EXTREEM[soort], date) and EXTREEM[soort].year > 1899:
        assert re.match(
            r"De datum (01-01-0001|31-12-9999) ligt buiten de datums die klachtdocs verwerkt "
            r"\(1900 tot en met 2100\)\. Controleer het jaartal\.$",
            fouten[0].tekst,
        ), fouten[0].tekst
    assert (werkmap / "archief/GOED/GOED_ontvangstbevestiging_v1.docx").exists()
    assert not (werkmap / "archief/X1").exists()
    meldingen, _ = controleer(werkmap, NU.date())
    assert [(m.rij, m.kolom) for m in meldingen if m.niveau == "fout"] == [(3, kolom)]
    a = make_analysis(werkmap, (2026, 10), nu=NU).analyse
    assert a.zonder_datum == (1 if kolom == "Datum ontvangst" else 0)


def test_extreme_datum_bij_de_cli_geeft_exitcode_1_zonder_traceback(werkmap):
    (werkmap / "klachtenregister.xlsx").write_bytes(_extreem_register("Datum ontvangst", "31-12-9999"))
    r = _draai("verwerk", str(werkmap))
    assert r.returncode == 1, r.stderr
    assert "FOUT (rij 3, X1, kolom Datum ontvangst): De datum 31-12-9999 ligt buiten" in r.stdout
    assert "Traceback" not in r.stderr


@given(
    st.one_of(
        st.dates(),
        st.datetimes(),
        st.integers(-(10**6), 10**8),
        st.floats(allow_nan=True),
        st.dates().map(lambda d: f"{d.day:02d}-{d.month:02d}-{d.year:04d}"),
    )
)
def test_elke_datumcel_geeft_een_bruikbare_datum_of_een_melding(waarde):
    from klachtdocs.rules.kalender import Kalender
    from klachtdocs.rules.termijnen import bereken
    from klachtdocs.rules.validatie import datum

    try:
        d = datum(waarde)
    except ValueError as exc:
        assert str(exc).endswith(".")
        return
    assert d is None or rf.EERSTE_DATUM <= d <= rf.LAATSTE_DATUM
    if d is not None:
        bereken(d, Kalender())  # no OverflowError in the deadline arithmetic


# -- 3. klachtdocs.toml ------------------------------------------------------------------------


def _config(root: Path, replace_file: tuple[str, str] = ("", ""), encoding: str = "utf-8") -> None:
    pad = root / "klachtdocs.toml"
    tekst = pad.read_text(encoding="utf-8")
    assert replace_file[0] in tekst
    pad.write_bytes(tekst.replace(*replace_file).encode(encoding))


@pytest.mark.parametrize(
    "oud, nieuw, boodschap",
    [
        (
            "brieven_vanaf = 2026-01-01",
            "brieven_vanaf = 2026-11-01T08:00:00",
            "klachtdocs.toml: 'brieven_vanaf = 2026-11-01T08:00:00' is een datum met een tijd; klachtdocs verwacht "
            "alleen een datum. Schrijf brieven_vanaf = 2026-11-01.",
        ),
        (
            "sluitingsdagen = []",
            "sluitingsdagen = [2026-12-24, 2026-12-31T00:00:00]",
            "klachtdocs.toml: 'sluitingsdagen = 2026-12-31T00:00:00' is een datum met een tijd; klachtdocs verwacht "
            "alleen een datum. Schrijf sluitingsdagen = 2026-12-31.",
        ),
        (
            "sluitingsdagen = []",
            "sluitingsdagen = [09:00:00]",
            "klachtdocs.toml: 'sluitingsdagen = 09:00:00' is geen datum.",
        ),
        (
            "sluitingsdagen = []",
            "sluitingsdagen = [9999-12-31]",
            "klachtdocs.toml: sluitingsdagen: De datum 31-12-9999 ligt buiten de datums die klachtdocs verwerkt",
        ),
        (
            'naam = "NextBest"',
            'naam = "Next\\u0001Best"',
            "klachtdocs.toml: 'organisatie.naam' bevat een onzichtbaar stuurteken (U+0001) dat niet in een brief kan. "
            "Typ de waarde van organisatie.naam opnieuw, zonder dat teken.",
        ),
        (
            'adres = "Voorbeeldstraat 1"',
            'adres = "Straat 1\\u000b"',
            "'organisatie.adres' bevat een onzichtbaar",
        ),
    ],
)
def test_config_fout_noemt_de_sleutel_en_de_oplossing(werkmap, oud, nieuw, boodschap):
    (werkmap / "klachtenregister.xlsx").write_bytes(register([GOED]))
    _config(werkmap, (oud, nieuw))
    for opdracht in ("verwerk", "controleer"):
        r = _draai(opdracht, str(werkmap))
        assert r.returncode == 2, (opdracht, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr
        assert boodschap in r.stderr, r.stderr
    assert not (werkmap / "archief/GOED").exists()


def test_config_in_cp1252_noemt_regel_en_sleutel(werkmap):
    (werkmap / "klachtenregister.xlsx").write_bytes(register([GOED]))
    origineel = (werkmap / "klachtdocs.toml").read_text(encoding="utf-8")
    _config(werkmap, encoding="cp1252")  # the shipped comments have accents: "vóór"
    r = _draai("verwerk", str(werkmap))
    assert r.returncode == 2
    assert (
        "klachtdocs.toml is niet als UTF-8 opgeslagen: regel 4 bevat een teken dat geen UTF-8 is: '# Klachten "
        "die vóór deze datum"
    ) in r.stderr, r.stderr
    (werkmap / "klachtdocs.toml").write_text(origineel.replace("vóór", "voor"), encoding="utf-8")
    _config(werkmap, ('plaats = "Voorbeeldstad"', 'plaats = "Hoofddorp-Zuid – Café"'), encoding="cp1252")
    for opdracht in ("verwerk", "controleer"):
        r = _draai(opdracht, str(werkmap))
        assert r.returncode == 2
        assert re.search(
            r"klachtdocs\.toml is niet als UTF-8 opgeslagen: regel \d+ \(plaats\) bevat een teken dat "
            r"geen UTF-8 is: 'plaats = \"Hoofddorp-Zuid – Café\"'\. Open het bestand in Kladblok, kies "
            r"Bestand > Opslaan als, kies bij Codering 'UTF-8' en sla het op\.",
            r.stderr,
        ), r.stderr


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_config_met_bom_wordt_gewoon_gelezen(werkmap, encoding):
    from tests.conftest import docx_tekst

    (werkmap / "klachtenregister.xlsx").write_bytes(register([GOED]))
    _config(werkmap, ('plaats = "Voorbeeldstad"', 'plaats = "Café-Zuid"'), encoding=encoding)
    assert (werkmap / "klachtdocs.toml").read_bytes()[:2] in (b"\xef\xbb", b"\xff\xfe")
    r = _draai("verwerk", str(werkmap))
    assert r.returncode == 0, r.stderr
    assert "Café-Zuid" in docx_tekst(werkmap / "archief/GOED/GOED_ontvangstbevestiging_v1.docx")


def test_onbekende_instelling_is_een_waarschuwing(werkmap):
    from klachtdocs.check import controleer
    from klachtdocs.processing import verwerk

    _echt_adres(werkmap)
    (werkmap / "klachtenregister.xlsx").write_bytes(register([GOED]))
    _config(werkmap, ("sluitingsdagen = []", "sluitingsdagen = []\nsluitingsdag = [2026-12-24]"))
    verwacht = (
        "klachtdocs.toml: de instelling 'sluitingsdag' kent klachtdocs niet; die wordt genegeerd. Controleer "
        "de spelling (bekend: brieven_vanaf, sluitingsdagen, categorieen, organisatie, brieven)."
    )
    r = verwerk(werkmap, nu=NU)
    assert [(m.niveau, m.tekst, m.blad) for m in r.meldingen] == [
        ("waarschuwing", verwacht, "klachtdocs.toml")
    ]
    assert [m.tekst for m in controleer(werkmap, NU.date())[0]] == [verwacht]
    meldingen = [r[4] for r in load_workbook(werkmap / "overzicht.xlsx")["Meldingen"].values]
    assert verwacht in meldingen


# -- 4. renamed and deleted klachten ---------------------------------------------------------


def test_hernoemd_of_verwijderd_klachtnummer_is_een_waarschuwing(werkmap):
    from klachtdocs.processing import verwerk

    _echt_adres(werkmap)
    schrijf(werkmap, [GOED, klacht("K-7", date(2026, 11, 23))])
    assert not [m for m in verwerk(werkmap, nu=NU).meldingen if m.niveau == "waarschuwing"]
    schrijf(werkmap, [klacht("K-007", date(2026, 11, 23))])  # K-7 retyped, GOED deleted
    r = verwerk(werkmap, nu=NU)
    assert [(m.niveau, m.klachtnummer, m.kolom, m.tekst) for m in r.meldingen] == [
        (
            "waarschuwing",
            nummer,
            "Klachtnummer",
            f"Klachtnummer '{nummer}' heeft 3 documenten in archief/{nummer}, "
            "maar staat niet meer in het register. Is het nummer gewijzigd of de rij verwijderd? Is het dezelfde klacht "
            "onder een nieuw nummer, zet dan het oude nummer terug: anders krijgt de indiener opnieuw een "
            "ontvangstbevestiging. Is de rij bewust verwijderd, dan kunt u deze melding negeren.",
        )
        for nummer in ("GOED", "K-7")
    ]
    meldingen = [r[4] for r in load_workbook(werkmap / "overzicht.xlsx")["Meldingen"].values]
    assert any((m or "").startswith("Klachtnummer 'K-7' heeft 3 documenten") for m in meldingen)
    schrijf(werkmap, [klacht("K-7", date(2026, 11, 23)), klacht("K-007", date(2026, 11, 23))])
    r = verwerk(werkmap, nu=NU)  # the old number is back: only the deleted GOED is named
    assert [m.klachtnummer for m in r.meldingen] == ["GOED"]


# -- 5. vocabularies matched forgivingly, one melding per wrong value ------------------------------


def _meldingen_van(rows: list[dict]) -> list[tuple]:
    from klachtdocs.rules.kalender import Kalender
    from klachtdocs.rules.validatie import valideer
    from klachtdocs.storage.workbook import read_workbook

    r = valideer(read_workbook(register(rows)), Kalender(), NU.date())
    return [(m.rij, m.kolom, m.niveau, m.tekst) for m in r.meldingen]


OUD = {"Datum_voorval": date(2025, 6, 1)}  # more than a year before Datum ontvangst


@pytest.mark.parametrize(
    "grond",
    [
        "ouder dan een jaar",
        "Ouder dan een  jaar",
        "OUDER DAN EEN JAAR (art. 6.2b)",
        "ouder dan een jaar(art. 6.2b)",
    ],
)
def test_grond_zonder_artikelverwijzing_is_die_grond(werkmap, grond):
    from klachtdocs.processing import verwerk
    from klachtdocs.rules.kalender import Kalender
    from klachtdocs.rules.validatie import valideer
    from klachtdocs.storage.workbook import read_workbook
    from tests.conftest import docx_tekst

    _echt_adres(werkmap)
    rij = klacht(
        "A1",
        date(2026, 11, 20),
        Besluit="Niet in behandeling",
        Grond_niet_in_behandeling=grond,
        Toelichting_besluit="Het voorval is te lang geleden.",
        **OUD,
    )
    assert _meldingen_van([rij]) == []
    schrijf(werkmap, [rij])
    r = verwerk(werkmap, nu=NU)
    assert r.meldingen == []
    assert "meer dan een jaar vóór het indienen" in docx_tekst(werkmap / "archief/A1/A1_afwijzing_v1.docx")
    gelezen = valideer(read_workbook(register([rij])), Kalender(), NU.date())  # what the analysis counts
    assert [k.grond for k in gelezen.klachten] == ["ouder dan een jaar (art. 6.2b)"]


def test_een_ongeldige_grond_geeft_een_melding(werkmap):
    rij = klacht(
        "A2", date(2026, 11, 20), Besluit="niet in behandeling", Grond_niet_in_behandeling="te oud", **OUD
    )
    assert _meldingen_van([rij]) == [
        (
            2,
            "Grond niet in behandeling",
            "fout",
            "'te oud' is geen geldige waarde. Kies uit: eerder afgehandeld "
            "(art. 6.2a), ouder dan een jaar (art. 6.2b), geen directe relatie (art. 1).",
        )
    ]


def test_een_ongeldig_besluit_geeft_een_melding_en_geen_advies_om_het_te_kiezen(werkmap):
    rij = klacht(
        "A3",
        date(2026, 11, 20),
        Besluit="niet in behandling",
        Grond_niet_in_behandeling="ouder dan een jaar",
        **OUD,
    )
    assert _meldingen_van([rij]) == [
        (
            2,
            "Besluit",
            "fout",
            "'niet in behandling' is geen geldige waarde. Kies uit: in behandeling, niet in behandeling.",
        )
    ]


def test_advies_dat_al_is_opgevolgd_wordt_niet_herhaald(werkmap):
    rij = klacht(
        "A4",
        date(2026, 11, 20),
        Besluit="niet in behandeling",
        Grond_niet_in_behandeling="eerder afgehandeld",
        **OUD,
    )
    assert _meldingen_van([rij]) == []
    zonder = _meldingen_van([klacht("A5", date(2026, 11, 20), **OUD)])  # not decided yet: the advice stays
    assert [m[:3] for m in zonder] == [(2, "Datum voorval", "waarschuwing")]
    assert "Overweeg Besluit 'niet in behandeling'" in zonder[0][3]


@pytest.mark.parametrize(
    "kolom, waarde, canoniek",
    [
        ("Rol_indiener", "Client", "cliënt"),
        ("Rol_indiener", " OPDRACHTGEVER ", "opdrachtgever"),
        ("Dienst", "naar  werk", "Naar werk"),
        ("Categorie", "afspraken en planning", "Afspraken en planning"),
        ("Besluit", "In Behandeling", "in behandeling"),
        ("Grond_niet_in_behandeling", "geen directe relatie", "geen directe relatie (art. 1)"),
    ],
)
def test_elke_keuzelijst_is_ruim_waar_dat_eenduidig_is(kolom, waarde, canoniek):
    from klachtdocs.rules.kalender import Kalender
    from klachtdocs.rules.validatie import valideer
    from klachtdocs.storage.workbook import read_workbook

    velden = {kolom: waarde} | ({"Besluit": "niet in behandeling"} if kolom.startswith("Grond") else {})
    r = valideer(read_workbook(register([klacht("V1", date(2026, 11, 20), **velden)])), Kalender(), NU.date())
    assert [m for m in r.meldingen if m.niveau == "fout"] == []
    veld = {
        "Rol_indiener": "rol_indiener",
        "Dienst": "dienst",
        "Categorie": "categorie",
        "Besluit": "besluit",
        "Grond_niet_in_behandeling": "grond",
    }[kolom]
    assert getattr(r.klachten[0], veld) == canoniek


# -- 6. Dutch grammar -------------------------------------------------------------------------


def test_enkelvoud_en_meervoud_in_de_samenvattingen(werkmap):
    from klachtdocs.monthly import make_analysis

    _echt_adres(werkmap)
    een_fout_een_waarschuwing = klacht(
        "G1", date(2026, 11, 23), Naam_indiener=None, Klachtbehandelaar="Onbekend"
    )
    schrijf(werkmap, [een_fout_een_waarschuwing])
    r = _draai("controleer", str(werkmap))
    assert (
        r.stdout.splitlines()[-1] == "1 klacht gecontroleerd: 1 fout, 1 waarschuwing. Er is niets geschreven."
    )
    r = _draai("verwerk", str(werkmap))
    assert r.stdout.splitlines()[-1] == (
        "1 klacht gelezen, 0 documenten gemaakt (0 nieuw, 0 nieuwe versies), 1 fout en 1 waarschuwing."
    )
    schrijf(werkmap, [GOED])
    r = _draai("verwerk", str(werkmap))
    assert r.stdout.splitlines()[-1] == (
        "1 klacht gelezen, 3 documenten gemaakt (3 nieuw, 0 nieuwe versies), 0 fouten en 0 waarschuwingen."
    )
    schrijf(werkmap, [klacht("GOED", date(2026, 11, 23), Naam_indiener="Jan Janssen")])
    r = _draai("verwerk", str(werkmap))
    assert r.stdout.splitlines()[-1] == (
        "1 klacht gelezen, 1 document gemaakt (0 nieuw, 1 nieuwe versie), 0 fouten en 0 waarschuwingen."
    )
    schrijf(werkmap, [klacht("O1", date(2026, 10, 5))])
    a = make_analysis(werkmap, (2026, 10), nu=NU)
    assert a.samenvatting() == (
        "Klachtenanalyse oktober 2026: klachtenanalyse-2026-10.xlsx geschreven (1 klacht gelezen)."
    )
    kop = load_workbook(a.pad)["Samenvatting"]["A2"].value
    assert ". 1 klacht in het register" in kop, kop


def test_nog_een_melding_in_het_enkelvoud(capsys):
    from klachtdocs.cli import _show_meldingen
    from klachtdocs.rules.model import Melding

    _show_meldingen([Melding("fout", "x")] * 31)
    assert (
        capsys.readouterr().out.splitlines()[-1]
        == "... en nog 1 melding: zie overzicht.xlsx, blad Meldingen."
    )


def test_maart_heet_mrt_in_de_trend(werkmap):
    from klachtdocs.monthly import make_analysis

    schrijf(werkmap, [klacht("O1", date(2026, 3, 5))])
    a = make_analysis(werkmap, (2026, 3), nu=NU)
    maanden = [r[0] for r in load_workbook(a.pad)["Trend"].iter_rows(min_row=2, values_only=True)]
    assert maanden == [
        "apr 2025",
        "mei 2025",
        "jun 2025",
        "jul 2025",
        "aug 2025",
        "sep 2025",
        "okt 2025",
        "nov 2025",
        "dec 2025",
        "jan 2026",
        "feb 2026",
        "mrt 2026",
    ]


@given(
    st.sampled_from(
        [
            (v, vocab)
            for vocab in (rf.ROLLEN, rf.DIENSTEN, rf.BESLUITEN, rf.GRONDEN, rf.STANDAARD_CATEGORIEEN)
            for v in vocab
        ]
    ),
    st.booleans(),
    st.lists(st.sampled_from(["", " ", "  "]), min_size=2, max_size=2),
    st.randoms(),
)
def test_elke_keuzewaarde_in_elke_schrijfwijze(waarde_lijst, zonder_verwijzing, rand, rnd):
    waarde, lijst = waarde_lijst
    tekst = re.sub(r"\s*\([^()]*\)$", "", waarde) if zonder_verwijzing else waarde
    tekst = "".join(c.upper() if rnd.random() < 0.5 else c for c in tekst).replace(
        " ", " " * rnd.randint(1, 3)
    )
    assert rf.kies(rf.vocabulaire(lijst), rand[0] + tekst + rand[1]) == waarde


def test_de_randen_van_het_datumbereik_rekenen_in_de_analyse_als_in_bereken():
    from klachtdocs.analysis.figures import klachtenframe
    from klachtdocs.rules.kalender import Kalender
    from klachtdocs.rules.model import Klacht
    from klachtdocs.rules.termijnen import bereken

    kalender = Kalender()
    dagen = [rf.EERSTE_DATUM, rf.LAATSTE_DATUM]
    klachten = [Klacht(rij=i + 2, klachtnummer=f"K{i}", datum_ontvangst=d) for i, d in enumerate(dagen)]
    df = klachtenframe(klachten, {}, kalender, rf.EERSTE_DATUM)
    for d, rij in zip(dagen, df.to_dict("records"), strict=True):
        t = bereken(d, kalender)
        assert rij["ob_uiterlijk"].date() == t.ontvangstbevestiging_uiterlijk, d
        assert rij["afw_uiterlijk"].date() == t.afwijzing_uiterlijk, d
        assert rij["afh_uiterlijk"].date() == t.streefdatum_afhandeling, d


@pytest.mark.parametrize("laatste, code", [(" ", 0), ("x", 2)])
def test_veel_rijen_met_spaties_ver_weg(werkmap, laatste, code):
    """Many far rows of spaces are looked at in one pass over all cells; a real value beyond them is refused."""
    wb = load_workbook(io.BytesIO(register([GOED])))
    ws = wb["Klachten"]
    for rij in range(500_000, 500_040):
        ws[f"C{rij}"] = " "
    ws["A1048576"] = laatste
    out = io.BytesIO()
    wb.save(out)
    (werkmap / "klachtenregister.xlsx").write_bytes(out.getvalue())
    r = _draai("controleer", str(werkmap))
    assert r.returncode == code, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    if code:
        assert "Maak cel A1048576 op blad Klachten leeg" in r.stderr
    else:
        assert r.stdout.splitlines()[-1].startswith("1 klacht gecontroleerd: 0 fouten")
