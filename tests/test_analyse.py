"""The monthly analysis: a register lived through real passes, figures worked out by hand.

The workspace is built the way it happens in practice: the register grows and changes
over three months and a pass runs on each of those days (``verwerk(nu=...)``), so the
journal holds the real first-made dates of the letters. Then October 2026 is analysed.

Hand calculation (werkdagen: Mon-Fri; no feestdagen in Sep-Nov 2026):
A1 ontv. do 01-10, ob due 05-10 made 01-10, streef 29-10, afgehandeld 20-10: 13 wd, 19 kd.
A2 ontv. vr 02-10, no klachtbehandelaar until 08-10: ob due 06-10 made 08-10 (2 days late);
   verdaagd tot 20-11 (set 02-11), afgehandeld 18-11: open on 31-10. Its streefdatum was 30-10: the
   verdaging came after it (a procedurele afwijking, art. 9.2), so its term stays 30-10, missed on
   31-10 (1 day), and on 31-10 it was not yet verdaagd.
A3 ontv. di 06-10, niet in behandeling (ouder dan een jaar): afwijzing due 27-10 made 06-10.
A4 ontv. wo 07-10, niet in behandeling (geen directe relatie) only from 02-11:
   afwijzing due 28-10 made 02-11: on 31-10 missed and not done (3 days).
A5 ontv. di 15-09, streef 13-10, afgehandeld 16-10: 3 days late; 23 wd, 31 kd.
A6 ontv. di 20-10, voortijdig gesloten 22-10: 2 wd, 2 kd.
A7 ontv. ma 26-10, no besluit yet.  A9 ontv. ma 12-10, same indiener as A1, open.
A8 ontv. ma 03-08, in behandeling, never closed: streef 31-08, 61 days late on 31-10.
   Its klachtnummer is a formula, which must stay text.
A10 ontv. 10-11-2025 (before brieven_vanaf, no letters), same indiener as A1, afgehandeld 01-12-2025.
A11 has no Datum ontvangst: not counted.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from html import unescape
from pathlib import Path

import pytest
from openpyxl import load_workbook

from klachtdocs import monthly as analyse
from klachtdocs.monthly import make_analysis, run_monthly
from klachtdocs.processing import verwerk
from klachtdocs.rules.kalender import Kalender
from klachtdocs.storage.outputs import Outcome
from klachtdocs.storage.workspace import Workspace
from tests.registers import klacht, schrijf

A8 = '=HYPERLINK("http://x.nl";"A8")'
HERHAALDE_INDIENER = {"Naam_indiener": "Henk Herhaalstra", "E_mailadres": "henk.herhaal@example.nl"}
MEDEWERKERS = [("Anouk Behandelaarsma", "klachtbehandelaar", "anouk.geheim@next-best.nl", "030 9876543")]


def _rij(nummer, ontvangen, naam, dienst, rol, categorie, **velden):
    basis = {
        "Naam_indiener": naam,
        "E_mailadres": f"{naam.split()[0].lower()}@privé.example.nl",
        "Telefoonnummer": "06 11223344",
        "Postadres": "Geheimstraat 12, 1234 AB Nergenshuizen",
        "Contactpersoon": "Connie Contactpersoonsma",
        "Klachtbehandelaar": "Anouk Behandelaarsma",
        "Omschrijving": f"Vertrouwelijke omschrijving {nummer}",
        "Dienst": dienst,
        "Rol_indiener": rol,
        "Categorie": categorie,
        "Datum_voorval": date(2026, 7, 1),
    }
    return klacht(nummer, ontvangen, **(basis | velden))


def stand(dag: date) -> list[dict]:
    """Return the register as it stood on *dag*."""

    def vanaf(d: date, waarde):
        return waarde if dag >= d else None

    rows = [
        _rij(
            "A10",
            date(2025, 11, 10),
            "x",
            "Naar werk",
            "cliënt",
            "Bejegening",
            **HERHAALDE_INDIENER,
            Besluit="in behandeling",
            Beslissing="Vertrouwelijke beslissing",
            Maatregelen="Geheime maatregel",
            Datum_afgehandeld=date(2025, 12, 1),
            Datum_voorval=date(2025, 11, 1),
        ),
        _rij("A11", None, "Zonder Datumsma", "Naar werk", "cliënt", "Overig"),
        _rij(
            A8,
            date(2026, 8, 3),
            "Achtje Achtersma",
            "Werkfit maken",
            "kandidaat",
            "Communicatie",
            Besluit="in behandeling",
        ),
    ]
    if dag >= date(2026, 9, 15):
        rows.append(
            _rij(
                "A5",
                date(2026, 9, 15),
                "Vijf Vijverberg",
                "Naar werk",
                "opdrachtgever",
                "Deskundigheid",
                Besluit="in behandeling",
                Beslissing=vanaf(date(2026, 10, 16), "Gegrond"),
                Datum_afgehandeld=vanaf(date(2026, 10, 16), date(2026, 10, 16)),
            )
        )
    if dag >= date(2026, 10, 1):
        rows.append(
            _rij(
                "A1",
                date(2026, 10, 1),
                "x",
                "Naar werk",
                "cliënt",
                "Bejegening",
                **HERHAALDE_INDIENER,
                Besluit="in behandeling",
                Beslissing=vanaf(date(2026, 10, 20), "Gegrond, excuses"),
                Maatregelen=vanaf(date(2026, 10, 20), "Coaching van Peter Geheim"),
                Datum_afgehandeld=vanaf(date(2026, 10, 20), date(2026, 10, 20)),
            )
        )
    if dag >= date(2026, 10, 2):
        rows.append(
            _rij(
                "A2",
                date(2026, 10, 2),
                "Twee Tweestra",
                "Naar werk",
                "cliënt",
                "Bejegening",
                Klachtbehandelaar=vanaf(date(2026, 10, 8), "Anouk Behandelaarsma") or "",
                Besluit=vanaf(date(2026, 10, 8), "in behandeling"),
                Verdaagd_tot=vanaf(date(2026, 11, 2), date(2026, 11, 20)),
                Reden_verdaging=vanaf(date(2026, 11, 2), "Geheime reden"),
                Beslissing=vanaf(date(2026, 11, 18), "Ongegrond"),
                Datum_afgehandeld=vanaf(date(2026, 11, 18), date(2026, 11, 18)),
            )
        )
    if dag >= date(2026, 10, 6):
        rows.append(
            _rij(
                "A3",
                date(2026, 10, 6),
                "Drie Driessen",
                "Werkfit maken",
                "kandidaat",
                "Privacy",
                Besluit="niet in behandeling",
                Grond_niet_in_behandeling="ouder dan een jaar (art. 6.2b)",
                Toelichting_besluit="Geheime toelichting",
                Datum_voorval=date(2025, 1, 1),
            )
        )
    if dag >= date(2026, 10, 7):
        rows.append(
            _rij(
                "A4",
                date(2026, 10, 7),
                "Vier Viersma",
                "Naar werk",
                "samenwerkingsrelatie",
                "Overig",
                Besluit=vanaf(date(2026, 11, 2), "niet in behandeling"),
                Grond_niet_in_behandeling=vanaf(date(2026, 11, 2), "geen directe relatie (art. 1)"),
            )
        )
    if dag >= date(2026, 10, 12):
        rows.append(
            _rij(
                "A9",
                date(2026, 10, 12),
                "x",
                "Naar werk",
                "cliënt",
                "Afspraken en planning",
                **HERHAALDE_INDIENER,
                Besluit="in behandeling",
            )
        )
    if dag >= date(2026, 10, 20):
        rows.append(
            _rij(
                "A6",
                date(2026, 10, 20),
                "Zes Zeswaard",
                "Werkfit maken",
                "opdrachtgever",
                "Communicatie",
                Besluit="in behandeling",
                Voortijdig_gesloten_op_verzoek=vanaf(date(2026, 10, 22), "ja"),
                Datum_afgehandeld=vanaf(date(2026, 10, 22), date(2026, 10, 22)),
            )
        )
    if dag >= date(2026, 10, 26):
        rows.append(_rij("A7", date(2026, 10, 26), "Zeven Zevenhuis", "Naar werk", "cliënt", "Facturering"))
    return [{k: v for k, v in r.items() if v is not None} for r in rows]


PASSEN = [
    date(2026, 8, 3),
    date(2026, 9, 15),
    date(2026, 10, 1),
    date(2026, 10, 2),
    date(2026, 10, 6),
    date(2026, 10, 7),
    date(2026, 10, 8),
    date(2026, 10, 12),
    date(2026, 10, 16),
    date(2026, 10, 20),
    date(2026, 10, 22),
    date(2026, 10, 26),
    date(2026, 11, 2),
    date(2026, 11, 18),
]


@pytest.fixture(scope="module")
def geleefd(tmp_path_factory) -> Path:
    """Return a workspace whose register lived through PASSEN, one pass on each day."""
    from klachtdocs.scaffold import init

    root = tmp_path_factory.mktemp("analyse") / "werkmap"
    init(root, vandaag=date(2026, 1, 1))
    for dag in PASSEN:
        schrijf(root, stand(dag), medewerkers=MEDEWERKERS)
        verwerk(root, nu=datetime.combine(dag, datetime.min.time()).replace(hour=9))
    return root


@pytest.fixture(scope="module")
def oktober(geleefd) -> Path:
    resultaat = make_analysis(geleefd, (2026, 10), nu=datetime(2026, 11, 24, 10, 0))
    assert resultaat.uitkomst is Outcome.WRITTEN
    assert resultaat.pad == geleefd / "analyse" / "klachtenanalyse-2026-10.xlsx"
    return resultaat.pad


def samenvatting(path: Path) -> dict[str, dict[str, object]]:
    """Return Kengetal -> column heading -> value of the Samenvatting sheet."""
    ws = load_workbook(path)["Samenvatting"]
    rows = list(ws.iter_rows(values_only=True))
    kop = rows[3]
    assert kop[0] == "Kengetal"
    return {r[0]: dict(zip(kop[1:], r[1:], strict=True)) for r in rows[4:] if r[0]}


def test_samenvatting_van_de_maand(oktober):
    s = samenvatting(oktober)
    okt = {k: v["oktober 2026"] for k, v in s.items()}
    assert okt["Ontvangen"] == 7
    assert okt["In behandeling genomen"] == 4
    assert okt["Niet in behandeling genomen"] == 2
    assert okt["  waarvan grond: eerder afgehandeld (art. 6.2a)"] == 0
    assert okt["  waarvan grond: ouder dan een jaar (art. 6.2b)"] == 1
    assert okt["  waarvan grond: geen directe relatie (art. 1)"] == 1
    assert okt["Nog geen besluit"] == 1
    assert okt["Verdaagd"] == 0  # A2's verdaging was made on 2 November
    assert okt["Afgehandeld"] == 2
    assert okt["Voortijdig gesloten op verzoek"] == 1
    assert okt["Openstaand"] == 4  # A2, A7, A8, A9
    assert okt["Over een termijn"] == 3  # A8 (afhandeling), A4 (afwijzing), A2 (afhandeling: late verdaging)
    assert (okt["Mediaan (werkdagen)"], okt["Maximum (werkdagen)"]) == (13, 23)
    assert (okt["Mediaan (kalenderdagen)"], okt["Maximum (kalenderdagen)"]) == (19, 31)
    ob, afw = "Ontvangstbevestiging binnen 2 werkdagen", "Afwijzing binnen 3 weken"
    afh, verd = "Afgehandeld binnen 4 weken", "Afgehandeld binnen 8 weken (verdaagd)"
    assert (okt[f"{ob}: op tijd"], okt[f"{ob}: te laat"]) == (6, 1)
    assert okt[f"{ob}: % op tijd"] == pytest.approx(6 / 7)
    assert (okt[f"{afw}: op tijd"], okt[f"{afw}: te laat"], okt[f"{afw}: % op tijd"]) == (1, 1, 0.5)
    assert (okt[f"{afh}: op tijd"], okt[f"{afh}: te laat"]) == (1, 2)  # A1 on time; A5, A2 late
    assert okt[f"{afh}: % op tijd"] == pytest.approx(1 / 3)
    assert (okt[f"{verd}: op tijd"], okt[f"{verd}: te laat"], okt[f"{verd}: % op tijd"]) == (0, 0, None)
    assert (okt["Indieners met meer dan één klacht"], okt["Klachten van die indieners"]) == (1, 3)


def test_samenvatting_jaar_en_vorige_maanden(oktober):
    s = samenvatting(oktober)
    assert list(next(iter(s.values()))) == [
        "oktober 2026",
        "2026 t/m oktober",
        "september 2026",
        "augustus 2026",
        "juli 2026",
        "juni 2026",
        "mei 2026",
        "april 2026",
        "maart 2026",
        "februari 2026",
        "januari 2026",
        "december 2025",
        "november 2025",
        "oktober 2025",
    ]
    jaar = {k: v["2026 t/m oktober"] for k, v in s.items()}
    assert (jaar["Ontvangen"], jaar["In behandeling genomen"], jaar["Afgehandeld"]) == (9, 6, 2)
    assert (jaar["Openstaand"], jaar["Over een termijn"]) == (4, 3)
    ob, afh = "Ontvangstbevestiging binnen 2 werkdagen", "Afgehandeld binnen 4 weken"
    assert (jaar[f"{ob}: op tijd"], jaar[f"{ob}: te laat"]) == (8, 1)
    assert (jaar[f"{afh}: op tijd"], jaar[f"{afh}: te laat"]) == (1, 3)  # A8 missed in August
    assert (jaar["Indieners met meer dan één klacht"], jaar["Klachten van die indieners"]) == (1, 2)
    sep = {k: v["september 2026"] for k, v in s.items()}
    assert (sep["Ontvangen"], sep["Openstaand"], sep["Over een termijn"], sep[f"{ob}: op tijd"]) == (
        1,
        2,
        1,
        1,
    )
    assert sep["Mediaan (werkdagen)"] is None  # nothing closed: empty, not 0
    assert sep["Indieners met meer dan één klacht"] == 0  # A1 and A9 came later
    assert s["Ontvangen"]["november 2025"] == 1
    assert s[f"{ob}: op tijd"]["november 2025"] == 0  # before brieven_vanaf: no letter terms
    assert (s["Afgehandeld"]["december 2025"], s[f"{afh}: op tijd"]["december 2025"]) == (1, 1)


def test_procedurele_afwijkingen(oktober):
    ws = load_workbook(oktober)["Procedurele afwijkingen"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("Klachtnummer", "Termijn", "Uiterlijk", "Werkelijk", "Dagen te laat", "Stand", "Maand")
    assert rows[1:] == [
        (
            A8,
            "Afgehandeld binnen 4 weken",
            datetime(2026, 8, 31),
            None,
            61,
            "nog niet gedaan op 31-10-2026",
            "2026-08",
        ),
        (
            "A2",
            "Ontvangstbevestiging binnen 2 werkdagen",
            datetime(2026, 10, 6),
            datetime(2026, 10, 8),
            2,
            "te laat gedaan",
            "2026-10",
        ),
        (
            "A5",
            "Afgehandeld binnen 4 weken",
            datetime(2026, 10, 13),
            datetime(2026, 10, 16),
            3,
            "te laat gedaan",
            "2026-10",
        ),
        (
            "A4",
            "Afwijzing binnen 3 weken",
            datetime(2026, 10, 28),
            None,
            3,
            "nog niet gedaan op 31-10-2026",
            "2026-10",
        ),
        (
            "A2",
            "Afgehandeld binnen 4 weken",
            datetime(2026, 10, 30),
            None,
            1,
            "nog niet gedaan op 31-10-2026",
            "2026-10",
        ),  # verdaagd only on 2 November
    ]


def test_trend_verdelingen_en_naleving(oktober):
    wb = load_workbook(oktober)
    assert wb.sheetnames == [
        "Samenvatting",
        "Trend",
        "Termijnnaleving",
        "Dienst",
        "Rol indiener",
        "Categorie",
        "Procedurele afwijkingen",
        "Toelichting",
    ]
    trend = list(wb["Trend"].iter_rows(values_only=True))
    assert [r[0] for r in trend[1:]] == [
        "nov 2025",
        "dec 2025",
        "jan 2026",
        "feb 2026",
        "mrt 2026",
        "apr 2026",
        "mei 2026",
        "jun 2026",
        "jul 2026",
        "aug 2026",
        "sep 2026",
        "okt 2026",
    ]
    assert trend[0][:4] == ("Maand", "Ontvangen", "Afgehandeld", "Voortijdig gesloten")
    assert trend[-1][:6] == ("okt 2026", 7, 2, 1, 4, 3)  # the Samenvatting's Afgehandeld and Voortijdig
    assert trend[-1][6] == pytest.approx(6 / 7) and trend[-1][7] == pytest.approx(1 / 3)
    categorie = {r[0]: r[1:] for r in wb["Categorie"].iter_rows(values_only=True)}
    assert categorie["Bejegening"][:3] == (2, 2, 3)  # A1, A2 in October; + A10 in 12 months
    assert categorie["Communicatie"][:3] == (1, 2, 2)  # A6; + A8 in August
    assert categorie["Bejegening"][3] == pytest.approx(3 / 10)
    assert categorie["Onbekend"][:3] == (0, 0, 0)
    dienst = {r[0]: r[1:] for r in wb["Dienst"].iter_rows(values_only=True)}
    assert dienst["Werkfit maken"][:3] == (2, 3, 3)  # A3, A6; + A8
    assert dienst["Naar werk"][5] == 4  # missed terms this year: A5, A2 (twice), A4
    naleving = {r[0]: r[1:] for r in wb["Termijnnaleving"].iter_rows(values_only=True)}
    assert naleving["Afwijzing binnen 3 weken"] == (1, 1, 0.5, 1, 1, 0.5)


def test_grafieken_zijn_echte_excelgrafieken(oktober):
    with zipfile.ZipFile(oktober) as zf:
        charts = sorted(n for n in zf.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        teksten = [zf.read(n).decode() for n in charts]
        assert not [n for n in zf.namelist() if n.startswith("xl/media/")]  # no pictures
    assert len(charts) == 4
    bronnen = " ".join(teksten)
    assert "Trend!$B$2:$B$13" in bronnen  # Ontvangen per month
    assert "Categorie!$C$2:$C$9" in bronnen
    assert "Termijnnaleving!$B$2:$B$5" in bronnen and "Termijnnaleving!$E$2:$E$5" in bronnen


def _persoonsgegevens(root: Path) -> set[str]:
    """Return every personal value in the register: what must never reach the analysis."""
    waarden = set()
    for dag in PASSEN:
        for row in stand(dag):
            for kolom in (
                "Naam indiener",
                "E-mailadres",
                "Telefoonnummer",
                "Postadres",
                "Contactpersoon",
                "Klachtbehandelaar",
                "Omschrijving",
                "Toelichting besluit",
                "Reden verdaging",
                "Beslissing",
                "Maatregelen",
            ):
                if row.get(kolom):
                    waarden.add(str(row[kolom]))
    for medewerker in MEDEWERKERS:
        waarden.update(v for v in medewerker if v != "klachtbehandelaar")
    return waarden


def test_geen_persoonsgegevens_in_het_hele_bestand(geleefd, oktober):
    geheim = _persoonsgegevens(geleefd)
    assert "Henk Herhaalstra" in geheim and "anouk.geheim@next-best.nl" in geheim
    with zipfile.ZipFile(oktober) as zf:
        inhoud = {n: unescape(zf.read(n).decode("utf-8")).casefold() for n in zf.namelist()}
    assert "docProps/core.xml" in inhoud and "xl/charts/chart1.xml" in inhoud
    for waarde in geheim:
        for stuk in {waarde, *waarde.split(", ")}:
            if len(stuk) >= 5:
                gevonden = [n for n, tekst in inhoud.items() if stuk.casefold() in tekst]
                assert not gevonden, f"{stuk!r} staat in {gevonden}"


def test_tekst_uit_het_register_wordt_nooit_een_formule(geleefd, oktober):
    for pad, blad in ((oktober, "Procedurele afwijkingen"), (geleefd / "overzicht.xlsx", "Termijnen")):
        ws = load_workbook(pad)[blad]
        cellen = [c for row in ws.iter_rows() for c in row if c.value == A8]
        assert cellen and all(c.data_type == "s" for c in cellen), pad.name
        with zipfile.ZipFile(pad) as zf:
            assert not any(
                "<f>" in zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/")
            )


def test_tweede_keer_schrijft_niets_en_bewaart_een_gewijzigde_kopie(geleefd, oktober):
    voor = oktober.read_bytes()
    again = make_analysis(geleefd, (2026, 10), nu=datetime(2026, 11, 25, 10, 0))
    assert again.uitkomst is Outcome.UNCHANGED and oktober.read_bytes() == voor
    wb = load_workbook(oktober)
    wb["Samenvatting"]["A1"] = "Aantekening van de kwaliteitsfunctionaris"
    wb.save(oktober)
    derde = make_analysis(geleefd, (2026, 10), nu=datetime(2026, 11, 26, 10, 0))
    assert derde.uitkomst is Outcome.WRITTEN
    bewaard = geleefd / "analyse" / "klachtenanalyse-2026-10 (bewaard 2026-11-26 100000).xlsx"
    assert load_workbook(bewaard)["Samenvatting"]["A1"].value == "Aantekening van de kwaliteitsfunctionaris"
    assert load_workbook(oktober)["Samenvatting"]["A1"].value == "Klachtenanalyse oktober 2026"


def test_lopende_maand_telt_tot_en_met_gisteren(geleefd):
    r = make_analysis(geleefd, (2026, 11), nu=datetime(2026, 11, 19, 8, 0))
    assert r.analyse.maand.einde == date(2026, 11, 18)
    rows = load_workbook(r.pad)["Samenvatting"].iter_rows(values_only=True)
    assert next(rows)[0] == "Klachtenanalyse november 2026"
    assert next(rows)[0].startswith("Stand op 18-11-2026;")


def test_maandelijks_schrijft_vorige_maand_een_keer(geleefd):
    pad = geleefd / "analyse" / "klachtenanalyse-2026-09.xlsx"
    assert run_monthly(geleefd, date(2026, 10, 1)) == pad and pad.exists()
    pad.unlink()  # the kwaliteitsfunctionaris may delete it: the watcher does not make it again
    assert run_monthly(geleefd, date(2026, 10, 2)) is None and not pad.exists()
    assert run_monthly(geleefd, date(2026, 10, 31)) is None
    run_monthly(geleefd, date(2026, 11, 1))  # written now, or already current (another test wrote October)
    assert (geleefd / "analyse" / "klachtenanalyse-2026-10.xlsx").exists()
    assert analyse.read_state(Workspace(geleefd))[analyse.MONTHLY_KEY]["maand"] == "2026-10"


def test_doorlooptijd_in_werkdagen_is_die_van_de_kalender():
    """The analysis counts a closed klacht's werkdagen with Kalender.werkdagen_tussen, as the letters do."""
    from klachtdocs.analysis.figures import klachtenframe
    from klachtdocs.rules.model import Klacht

    kalender = Kalender([date(2026, 12, 24)])
    paren = []
    for i in range(0, 420, 7):
        for duur in (0, 1, 3, 9, 40):
            a = date.fromordinal(date(2025, 12, 1).toordinal() + i)
            paren.append((a, date.fromordinal(a.toordinal() + duur)))
    klachten = [
        Klacht(rij=r, klachtnummer=f"K{r}", datum_ontvangst=a, datum_afgehandeld=b)
        for r, (a, b) in enumerate(paren, start=2)
    ]
    df = klachtenframe(klachten, {}, kalender, date(2026, 1, 1))
    assert df["werkdagen"].tolist() == [kalender.werkdagen_tussen(a, b) for a, b in paren]
    assert df["kalenderdagen"].tolist() == [(b - a).days for a, b in paren]


def test_maand_parsen():
    assert analyse.parse_month("2026-10") == (2026, 10)
    for fout in ("2026-13", "10-2026", "2026/10", ""):
        with pytest.raises(analyse.InvoerFout, match="JJJJ-MM"):
            analyse.parse_month(fout)


def test_samenvatting_en_trend_tellen_afgehandeld_hetzelfde(oktober):
    """Every month of the Trend shows the Samenvatting's Afgehandeld and Voortijdig gesloten."""
    s = samenvatting(oktober)
    trend = {r[0]: r for r in list(load_workbook(oktober)["Trend"].iter_rows(values_only=True))[1:]}
    for kop, maand in (
        ("oktober 2026", "okt 2026"),
        ("september 2026", "sep 2026"),
        ("december 2025", "dec 2025"),
    ):
        assert trend[maand][2:4] == (s["Afgehandeld"][kop], s["Voortijdig gesloten op verzoek"][kop]), maand
