"""Build a large, realistic workspace for benchmarks: a register of N klachten and its journal.

The register is written with xlsxwriter (openpyxl is slow for large registers),
dates as real Excel dates, text as text. The journal holds the lines klachtdocs itself
would have written (a start and a gemaakt line per document, with the variable hashes),
so reading it costs what it costs in practice.
"""

from __future__ import annotations

import json
import random
import secrets
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter

from klachtdocs.rules import register as rf
from klachtdocs.rules.kalender import Kalender
from klachtdocs.rules.model import Document
from klachtdocs.rules.termijnen import bereken
from klachtdocs.scaffold import init

VARIABELEN = (
    "aanhef",
    "adres",
    "betreft",
    "datum_brief",
    "datum_ontvangst",
    "kenmerk",
    "klachtbehandelaar",
    "klachtbehandelaar_email",
    "klachtbehandelaar_functie",
    "klachtbehandelaar_telefoon",
    "naam_indiener",
    "organisatie_naam",
    "organisatie_adres",
    "organisatie_email",
    "streefdatum",
    "omschrijving",
    "per_post",
    "plaats",
)


def rijen(n: int, tot: date, jaren: int = 10, seed: int = 1) -> list[dict]:
    """Return *n* register rows spread evenly over *jaren* years up to *tot*."""
    rnd = random.Random(seed)
    kalender = Kalender()
    begin = tot - timedelta(days=365 * jaren)
    span = (tot - begin).days
    indieners = max(n // 3, 1)  # about one in three indieners complains more than once
    out = []
    for i in range(n):
        ontvangen = begin + timedelta(days=int(i * span / n))
        t = bereken(ontvangen, kalender)
        indiener = rnd.randrange(indieners)
        row = {
            "Klachtnummer": f"K{ontvangen.year}-{i:06d}",
            "Datum ontvangst": ontvangen,
            "Naam indiener": f"Indiener {indiener}",
            "Rol indiener": rnd.choice(rf.ROLLEN),
            "E-mailadres": f"indiener{indiener}@example.nl",
            "Telefoonnummer": "06 12345678",
            "Contactpersoon": f"Contactpersoon {rnd.randrange(40)}",
            "Dienst": rnd.choice(rf.DIENSTEN),
            "Datum voorval": ontvangen - timedelta(days=rnd.randrange(1, 60)),
            "Omschrijving": "De afspraak met de jobcoach ging niet door en niemand belde af.",
            "Categorie": rnd.choice(rf.STANDAARD_CATEGORIEEN),
            "Klachtbehandelaar": "Anouk de Vries",
        }
        r = rnd.random()
        if r < 0.07:
            row |= {
                "Besluit": rf.NIET_IN_BEHANDELING,
                "Grond niet in behandeling": rnd.choice(rf.GRONDEN),
                "Toelichting besluit": "Zie artikel 6.",
            }
        elif (tot - ontvangen).days > 10 or r < 0.8:
            row["Besluit"] = rf.IN_BEHANDELING
            duur = rnd.choice((8, 12, 15, 19, 24, 27, 33, 45))
            if rnd.random() < 0.1:
                row |= {
                    "Verdaagd tot": t.afhandeling_uiterlijk - timedelta(days=rnd.randrange(0, 7)),
                    "Reden verdaging": "Extern advies nodig.",
                }
                duur += 14
            gesloten = ontvangen + timedelta(days=duur)
            if gesloten <= tot:
                row |= {
                    "Beslissing": "Gegrond.",
                    "Maatregelen": "Gesprek met de jobcoach.",
                    "Datum afgehandeld": gesloten,
                }
                if rnd.random() < 0.03:
                    row["Voortijdig gesloten op verzoek"] = "ja"
        out.append(row)
    return out


def schrijf_register(path: Path, rows: list[dict]) -> None:
    """Write *rows* as klachtenregister.xlsx (sheets Klachten and Medewerkers)."""
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "constant_memory": True,
        },
    )
    ws = wb.add_worksheet(rf.BLAD_KLACHTEN)
    datum = wb.add_format({"num_format": "dd-mm-yyyy"})
    for c, kolom in enumerate(rf.KLACHTEN_KOLOMMEN):
        ws.write_string(0, c, kolom)
    for r, row in enumerate(rows, start=1):
        for c, kolom in enumerate(rf.KLACHTEN_KOLOMMEN):
            value = row.get(kolom)
            if isinstance(value, date):
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), datum)
            elif value is not None:
                ws.write_string(r, c, value)
    mw = wb.add_worksheet(rf.BLAD_MEDEWERKERS)
    for c, kolom in enumerate(rf.MEDEWERKERS_KOLOMMEN):
        mw.write_string(0, c, kolom)
    for c, value in enumerate(
        ("Anouk de Vries", "klachtbehandelaar", "a.devries@next-best.nl", "030 1234568")
    ):
        mw.write_string(1, c, value)
    wb.close()


def schrijf_journaal(path: Path, rows: list[dict]) -> int:
    """Write the journal klachtdocs would have written for *rows*; return the number of documents."""
    kalender = Kalender()
    variabelen = {v: secrets.token_hex(8) for v in VARIABELEN}
    count = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            nummer, ontvangen = row["Klachtnummer"], row["Datum ontvangst"]
            t = bereken(ontvangen, kalender)
            soorten = [("bijlage", ontvangen), ("ontvangstbevestiging", ontvangen)]
            if row.get("Besluit") == rf.NIET_IN_BEHANDELING:
                soorten.append(("afwijzing", t.afwijzing_uiterlijk - timedelta(days=7)))
            if row.get("Datum afgehandeld"):
                soorten.append(("afsluiting", row["Datum afgehandeld"]))
            soorten.append(("klachtenformulier", ontvangen))
            for soort, wanneer in soorten:
                doc = Document(
                    nummer,
                    soort,
                    1,
                    f"archief/{nummer}/{nummer}_{soort}_v1.docx",
                    variabelen,
                    secrets.token_hex(32),
                    datetime.combine(wanneer, datetime.min.time()).replace(hour=9),
                    "nieuw",
                )
                ident = secrets.token_hex(8)
                regel = doc.als_regel()
                fh.write(
                    json.dumps(regel | {"op": "start", "id": ident}, ensure_ascii=False, sort_keys=True)
                    + "\n"
                )
                fh.write(json.dumps(regel | {"id": ident}, ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
    return count


def maak(root: Path, n: int, tot: date, jaren: int = 10, journaal: bool = True) -> list[dict]:
    """Create a workspace at *root* with a register of *n* klachten (and their journal)."""
    init(root, vandaag=tot - timedelta(days=365 * jaren + 1))
    rows = rijen(n, tot, jaren)
    schrijf_register(root / rf.REGISTER_BESTAND, rows)
    if journaal:
        schrijf_journaal(root / ".klachtdocs" / "journaal.jsonl", rows)
    return rows
