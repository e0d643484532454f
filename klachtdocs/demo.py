"""A demo workspace with a dozen realistic complaints that cover every path of the procedure."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

from openpyxl import load_workbook

from klachtdocs.rules import register as rf
from klachtdocs.scaffold import init
from klachtdocs.storage.files import replace_file
from klachtdocs.storage.workspace import Workspace

MEDEWERKERS = [
    ("Anouk de Vries", "klachtbehandelaar", "a.devries@next-best.nl", "030 123 45 68"),
    ("Bram Jansen", "kwaliteitsfunctionaris", "b.jansen@next-best.nl", "030 123 45 69"),
]


def klachten(v: date) -> list[dict]:
    """Return the demo complaints as register rows, with dates relative to *v* (today)."""
    d = lambda n: v - timedelta(days=n)  # noqa: E731
    basis = {
        "Rol indiener": "cliënt",
        "Dienst": "Naar werk",
        "Klachtbehandelaar": "Anouk de Vries",
        "Correspondentie per post": "nee",
        "Afschrift aan contactpersoon": "nee",
    }
    rows = [
        {
            "Klachtnummer": "K2026-001",
            "Datum ontvangst": d(1),
            "Naam indiener": "Fatima el Amrani",
            "E-mailadres": "f.elamrani@example.nl",
            "Contactpersoon": "Peter Smit",
            "Datum voorval": d(8),
            "Categorie": "Communicatie",
            "Omschrijving": "Afspraak voor het intakegesprek is twee keer verzet zonder bericht.",
        },
        {
            "Klachtnummer": "K2026-002",
            "Datum ontvangst": d(10),
            "Naam indiener": "Henk Bakker",
            "Telefoonnummer": "06 12345678",
            "Contactpersoon": "Sandra Visser",
            "Dienst": "Werkfit maken",
            "Datum voorval": d(10 + 420),
            "Omschrijving": "Onvrede over een trajectplan uit 2024.",
            "Categorie": "Deskundigheid",
            "Besluit": "niet in behandeling",
            "Grond niet in behandeling": rf.GROND_OUDER,
            "Toelichting besluit": "Het trajectplan is van meer dan een jaar vóór uw klacht.",
        },
        {
            "Klachtnummer": "K2026-003",
            "Datum ontvangst": d(30),
            "Naam indiener": "Lotte Mulder",
            "E-mailadres": "lotte.mulder@example.nl",
            "Contactpersoon": "Peter Smit",
            "Datum voorval": d(40),
            "Omschrijving": "Rapportage aan de werkgever was onvolledig.",
            "Categorie": "Deskundigheid",
            "Besluit": "in behandeling",
            "Verdaagd tot": d(30 - 49),
            "Reden verdaging": "Wij wachten op het verslag van de arbeidsdeskundige.",
        },
        {
            "Klachtnummer": "K2026-004",
            "Datum ontvangst": d(45),
            "Naam indiener": "Gerrit de Boer",
            "E-mailadres": "g.deboer@example.nl",
            "Contactpersoon": "Sandra Visser",
            "Datum voorval": d(50),
            "Omschrijving": "Toon van de coach tijdens het tweede gesprek.",
            "Categorie": "Bejegening",
            "Besluit": "in behandeling",
            "Beslissing": "De klacht is gegrond: de toon van het gesprek was niet passend.",
            "Maatregelen": "Gesprek met de coach; de coach volgt een training gespreksvoering.",
            "Datum afgehandeld": d(20),
        },
        {
            "Klachtnummer": "K2026-005",
            "Datum ontvangst": d(25),
            "Naam indiener": "Sanne Vos",
            "E-mailadres": "sanne.vos@example.nl",
            "Contactpersoon": "Peter Smit",
            "Datum voorval": d(28),
            "Omschrijving": "Factuur bevat uren die niet zijn gemaakt.",
            "Categorie": "Facturering",
            "Rol indiener": "opdrachtgever",
            "Besluit": "in behandeling",
            "Voortijdig gesloten op verzoek": "ja",
            "Datum afgehandeld": d(15),
            "Beslissing": "De factuur is gecorrigeerd na telefonisch overleg.",
        },
        {
            "Klachtnummer": "K2026-006",
            "Datum ontvangst": d(5),
            "Naam indiener": "Wim Hendriks",
            "Telefoonnummer": "06 98765432",
            "Correspondentie per post": "ja",
            "Postadres": "Dorpsstraat 12, 3512 AB Utrecht",
            "Gemachtigde": "mr. J. de Wit",
            "Contactpersoon": "Sandra Visser",
            "Datum voorval": d(12),
            "Categorie": "Privacy",
            "Omschrijving": "Medische gegevens zijn zonder toestemming gedeeld met de werkgever.",
            "Afschrift aan contactpersoon": "ja",
            "Besluit": "in behandeling",
        },
        {
            "Klachtnummer": "K2026-007",
            "Datum ontvangst": d(3),
            "Naam indiener": "Jan & <Piet> Bouw B.V.",
            "E-mailadres": "info@janenpiet.example",
            "Contactpersoon": "Peter Smit",
            "Rol indiener": "opdrachtgever",
            "Datum voorval": d(9),
            "Categorie": "Afspraken en planning",
            "Omschrijving": "Voortgangsverslag {{ niet }} ontvangen & planning <onduidelijk>.",
        },
        {
            "Klachtnummer": "K2026-008",
            "Datum ontvangst": d(2),
            "Naam indiener": "Onbekende indiener",
            "Contactpersoon": "Peter Smit",
            "Datum voorval": d(4),
            "Omschrijving": "Telefonisch gemeld; contactgegevens nog opvragen.",
        },
        {
            "Klachtnummer": "K2026-009",
            "Datum ontvangst": d(4),
            "Naam indiener": "Ayşe Yılmaz",
            "E-mailadres": "a.yilmaz@example.nl",
            "Contactpersoon": "Sandra Visser",
            "Datum voorval": d(6),
            "Omschrijving": "Geen terugkoppeling na sollicitatietraining.",
            "Categorie": "Communicatie",
            "Klachtbehandelaar": "Karin Stam",
            "Rol indiener": "kandidaat",
        },
        {
            "Klachtnummer": "K2025-090",
            "Datum ontvangst": d(200),
            "Naam indiener": "Els Koster",
            "E-mailadres": "e.koster@example.nl",
            "Contactpersoon": "Peter Smit",
            "Datum voorval": d(210),
            "Omschrijving": "Klacht uit het oude register.",
            "Categorie": "Overig",
            "Besluit": "in behandeling",
            "Beslissing": "Ongegrond.",
            "Datum afgehandeld": d(180),
        },
        {
            "Klachtnummer": "K2026-010",
            "Datum ontvangst": d(12),
            "Naam indiener": "Gerrit de Boer",
            "E-mailadres": "g.deboer@example.nl",
            "Contactpersoon": "Sandra Visser",
            "Datum voorval": d(50),
            "Omschrijving": "Opnieuw over de toon van de coach.",
            "Categorie": "Bejegening",
            "Besluit": "niet in behandeling",
            "Grond niet in behandeling": rf.GROND_EERDER,
        },
        {
            "Klachtnummer": "K2026-011",
            "Datum ontvangst": d(8),
            "Naam indiener": "Stichting Buurtwerk",
            "E-mailadres": "post@buurtwerk.example",
            "Contactpersoon": "Peter Smit",
            "Rol indiener": "anders",
            "Datum voorval": d(15),
            "Categorie": "Overig",
            "Omschrijving": "Klacht over een deelnemer van een ander re-integratiebedrijf.",
            "Besluit": "niet in behandeling",
            "Grond niet in behandeling": rf.GROND_RELATIE,
        },
        {
            "Klachtnummer": "K2026-012",
            "Datum ontvangst": d(42),
            "Naam indiener": "Kees van Dam",
            "E-mailadres": "k.vandam@example.nl",
            "Contactpersoon": "Sandra Visser",
            "Dienst": "Werkfit maken",
            "Datum voorval": d(45),
            "Categorie": "Afspraken en planning",
            "Omschrijving": "Werkervaringsplaats is niet geregeld zoals afgesproken.",
            "Besluit": "in behandeling",
        },
    ]
    return [basis | row for row in rows]


def contactmomenten(v: date) -> list[tuple]:
    d = lambda n: v - timedelta(days=n)  # noqa: E731
    return [
        ("K2026-003", d(28), "telefoon", "Intakegesprek over de klacht.", "Verslag opvragen."),
        ("K2026-003", d(10), "e-mail", "Tussenbericht verstuurd.", ""),
        ("K2026-004", d(40), "gesprek", "Gesprek met indiener en coach.", "Training coach."),
    ]


def fill_register(data: bytes, v: date) -> bytes:
    """Return the register bytes *data* with the demo rows added."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[rf.BLAD_KLACHTEN]
    rows = klachten(v)
    for r, row in enumerate(rows, start=2):
        for c, kolom in enumerate(rf.KLACHTEN_KOLOMMEN, start=1):
            if (value := row.get(kolom)) is not None:
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    ws.tables["tblKlachten"].ref = f"A1:Y{len(rows) + 1}"
    mw = wb[rf.BLAD_MEDEWERKERS]
    for r, row in enumerate(MEDEWERKERS, start=2):
        for c, value in enumerate(row, start=1):
            mw.cell(row=r, column=c, value=value)
    mw.tables["tblMedewerkers"].ref = f"A1:D{len(MEDEWERKERS) + 1}"
    cm = wb[rf.BLAD_CONTACTMOMENTEN]
    moments = contactmomenten(v)
    for r, row in enumerate(moments, start=2):
        for c, value in enumerate(row, start=1):
            cm.cell(row=r, column=c, value=value)
    cm.tables["tblContactmomenten"].ref = f"A1:E{len(moments) + 1}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def make_demo(root: Path, vandaag: date | None = None) -> bool:
    """Create the demo workspace at *root* unless it exists; return True when it was created."""
    v = vandaag or date.today()
    wm = Workspace(Path(root))
    if wm.register.exists() and wm.config.exists():
        return False
    init(wm.root, vandaag=v - timedelta(days=90))
    replace_file(wm.register, fill_register(wm.register.read_bytes(), v))
    return True
