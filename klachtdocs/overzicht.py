"""overzicht.xlsx: the staff's view of deadlines, meldingen and letters made."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

import xlsxwriter

from klachtdocs.model import Melding

TERMIJNEN_KOLOMMEN = ("Klachtnummer", "Status", "Volgende stap", "Ontvangstbevestiging uiterlijk",
                      "Afwijzing uiterlijk", "Streefdatum afhandeling", "Afhandeling uiterlijk",
                      "Te laat")  # fmt: skip
MELDINGEN_KOLOMMEN = ("Rij", "Klachtnummer", "Kolom", "Niveau", "Melding")
BRIEVEN_KOLOMMEN = ("Klachtnummer", "Soort", "Versie", "Bestand", "Gemaakt op")
BREEDTES = {
    "Termijnen": (16, 20, 70, 22, 16, 16, 16, 26),
    "Meldingen": (6, 16, 26, 13, 100),
    "Brieven": (16, 22, 8, 70, 18),
}
#: Options that keep register text as text: "=HYPERLINK(...)" never becomes a formula.
VEILIG = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
          "in_memory": True}  # fmt: skip


@dataclass(frozen=True)
class Overzicht:
    """The rows of overzicht.xlsx: plain values (str, int, date, datetime, None)."""

    termijnen: tuple[tuple, ...]
    meldingen: tuple[tuple, ...]
    brieven: tuple[tuple, ...]


def melding_rij(m: Melding) -> tuple:
    """Return the row of the Meldingen sheet for *m*."""
    kolom = m.kolom if m.blad == "Klachten" or not m.blad else f"{m.blad}: {m.kolom}".rstrip(": ")
    return (m.rij, m.klachtnummer, kolom, m.niveau, m.tekst)


def schrijf_waarde(ws, r: int, c: int, value, fmt_date, fmt_datetime, fmt_wrap) -> None:
    """Write one cell with the right type; text always as text."""
    if value is None or value == "":
        ws.write_blank(r, c, None)
    elif isinstance(value, datetime):
        ws.write_datetime(r, c, value, fmt_datetime)
    elif isinstance(value, date):
        ws.write_datetime(r, c, datetime(value.year, value.month, value.day), fmt_date)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(r, c, value)
    else:
        ws.write_string(r, c, str(value), fmt_wrap)


def rijhoogte(row: tuple, breedtes: tuple[int, ...]) -> float:
    """Return a row height (points) that shows the row's wrapped text; Excel cannot autofit it."""
    regels = 1
    for value, breedte in zip(row, breedtes, strict=False):
        if isinstance(value, str) and value:
            per_regel = max(breedte - 2, 1)
            regels = max(regels, sum(-(-len(part) // per_regel) or 1 for part in value.split("\n")))
    return 15.0 * min(regels, 20)


def naar_bytes(overzicht: Overzicht) -> bytes:
    """Return the .xlsx bytes of *overzicht*."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, VEILIG)
    wb.set_properties({"title": "Overzicht klachtenregister", "author": "klachtdocs"})
    fmt_date = wb.add_format({"num_format": "dd-mm-yyyy", "valign": "top"})
    fmt_datetime = wb.add_format({"num_format": "dd-mm-yyyy hh:mm", "valign": "top"})
    fmt_wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    fmt_kop = wb.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    for naam, kolommen, rows in (
        ("Termijnen", TERMIJNEN_KOLOMMEN, overzicht.termijnen),
        ("Meldingen", MELDINGEN_KOLOMMEN, overzicht.meldingen),
        ("Brieven", BRIEVEN_KOLOMMEN, overzicht.brieven),
    ):
        ws = wb.add_worksheet(naam)
        for c, breedte in enumerate(BREEDTES[naam]):
            ws.set_column(c, c, breedte)
        ws.freeze_panes(1, 0)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)  # one page wide when printed
        ws.repeat_rows(0)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                schrijf_waarde(ws, r, c, value, fmt_date, fmt_datetime, fmt_wrap)
            ws.set_row(r, rijhoogte(row, BREEDTES[naam]))
        ws.set_row(0, 30)
        ws.add_table(0, 0, max(len(rows), 1), len(kolommen) - 1, {
            "name": f"tbl{naam}", "style": "Table Style Light 9",
            "columns": [{"header": k, "header_format": fmt_kop} for k in kolommen],
        })  # fmt: skip
    wb.close()
    return out.getvalue()
