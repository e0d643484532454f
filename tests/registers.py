"""Build real klachtenregister.xlsx files for tests."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook

from klachtdocs.rules import register as rf
from klachtdocs.scaffold import register_bytes

MEDEWERKERS = [("Anouk de Vries", "klachtbehandelaar", "a.devries@next-best.nl", "030 1234568")]


def klacht(nummer: str = "K1", ontvangen: date = date(2026, 11, 2), **velden) -> dict:
    """Return a valid register row; keyword arguments use the register's headers with _ for spaces."""
    row = {
        "Klachtnummer": nummer,
        "Datum ontvangst": ontvangen,
        "Naam indiener": "Jan Jansen",
        "E-mailadres": "jan@example.nl",
        "Contactpersoon": "Peter Smit",
        "Datum voorval": date(2026, 10, 20),
        "Omschrijving": "Afspraak niet nagekomen.",
        "Klachtbehandelaar": "Anouk de Vries",
        "Dienst": "Naar werk",
        "Rol indiener": "cliënt",
    }
    for key, value in velden.items():
        kolom = next(
            (k for k in rf.KLACHTEN_KOLOMMEN if k.replace(" ", "_").replace("-", "_").lower() == key.lower()),
            None,
        )
        if kolom is None:
            raise KeyError(key)
        row[kolom] = value
    return row


def register(
    rows: list[dict],
    medewerkers=MEDEWERKERS,
    contactmomenten=(),
    kolommen=rf.KLACHTEN_KOLOMMEN,
    als_tekst: bool = True,
) -> bytes:
    """Return .xlsx bytes of a register with *rows* (dicts by header)."""
    wb = load_workbook(io.BytesIO(register_bytes())) if kolommen == rf.KLACHTEN_KOLOMMEN else Workbook()
    if kolommen == rf.KLACHTEN_KOLOMMEN:
        ws = wb[rf.BLAD_KLACHTEN]
    else:
        ws = wb.active
        ws.title = rf.BLAD_KLACHTEN
        ws.append(list(kolommen))
    for r, row in enumerate(rows, start=2):
        for c, kolom in enumerate(kolommen, start=1):
            value = row.get(kolom)
            if value is not None:
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str) and als_tekst:
                    cell.data_type = "s"
    if rf.BLAD_MEDEWERKERS in wb.sheetnames:
        mw = wb[rf.BLAD_MEDEWERKERS]
    else:
        mw = wb.create_sheet(rf.BLAD_MEDEWERKERS)
        mw.append(list(rf.MEDEWERKERS_KOLOMMEN))
    for r, row in enumerate(medewerkers, start=2):
        for c, value in enumerate(row, start=1):
            mw.cell(row=r, column=c, value=value)
    if contactmomenten:
        cm = wb[rf.BLAD_CONTACTMOMENTEN]
        for r, row in enumerate(contactmomenten, start=2):
            for c, value in enumerate(row, start=1):
                cm.cell(row=r, column=c, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def schrijf(root: Path, rows: list[dict], **kwargs) -> Path:
    """Write a register with *rows* into the workspace *root* the way Excel does (replace)."""
    path = root / rf.REGISTER_BESTAND
    tmp = root / "~tmp1234.tmp"
    tmp.write_bytes(register(rows, **kwargs))
    tmp.replace(path)
    return path
