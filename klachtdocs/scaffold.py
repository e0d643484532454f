"""Create a new workspace: the register with dropdowns, the config, templates and archive."""

from __future__ import annotations

import io
from datetime import date
from importlib import resources
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo

from klachtdocs.exceptions import BestandFout
from klachtdocs.rules import config as configmod
from klachtdocs.rules import register as rf
from klachtdocs.storage.files import write_new
from klachtdocs.storage.workspace import Workspace, read_config

MAX_ROWS = 5000  # rows that get dropdowns and date formats
WIDTHS = {
    "Omschrijving": 50,
    "Toelichting besluit": 40,
    "Beslissing": 40,
    "Maatregelen": 40,
    "Reden verdaging": 30,
    "Postadres": 30,
    "Grond niet in behandeling": 30,
}


def default_sjablonen() -> list[tuple[str, bytes]]:
    """Return (file name, bytes) of every default template shipped with klachtdocs."""
    folder = resources.files("klachtdocs.standaard")
    return sorted((f.name, f.read_bytes()) for f in folder.iterdir() if f.name.endswith(".docx"))


def _sheet(ws, kolommen: tuple[str, ...], naam: str) -> None:
    ws.append(list(kolommen))
    for c, kolom in enumerate(kolommen, start=1):
        cell = ws.cell(row=1, column=c)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F5C4A")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(c)].width = WIDTHS.get(kolom, max(14, len(kolom) + 2))
    ws.freeze_panes = "A2"
    ref = f"A1:{get_column_letter(len(kolommen))}2"
    table = Table(displayName=f"tbl{naam}", ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)


def _dropdown(ws, kolom: str, waarden: tuple[str, ...], titel: str) -> None:
    c = get_column_letter(rf.KLACHTEN_KOLOMMEN.index(kolom) + 1)
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(waarden) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=titel,
        error=f"Kies een waarde uit de lijst: {', '.join(waarden)}.",
    )
    dv.add(f"{c}2:{c}{MAX_ROWS}")
    ws.add_data_validation(dv)


def register_bytes(categorieen: tuple[str, ...] = rf.STANDAARD_CATEGORIEEN) -> bytes:
    """Return an empty klachtenregister.xlsx with dropdowns, date formats and tables."""
    wb = Workbook()
    ws = wb.active
    ws.title = rf.BLAD_KLACHTEN
    _sheet(ws, rf.KLACHTEN_KOLOMMEN, "Klachten")
    _dropdown(ws, "Rol indiener", rf.ROLLEN, "Rol indiener")
    _dropdown(ws, "Dienst", rf.DIENSTEN, "Dienst")
    _dropdown(ws, "Categorie", categorieen, "Categorie")
    _dropdown(ws, "Besluit", rf.BESLUITEN, "Besluit")
    _dropdown(ws, "Grond niet in behandeling", rf.GRONDEN, "Grond")
    for kolom in sorted(rf.JA_NEE_KOLOMMEN):
        _dropdown(ws, kolom, rf.JA_NEE, kolom)
    for kolom in sorted(rf.DATUM_KOLOMMEN):
        c = rf.KLACHTEN_KOLOMMEN.index(kolom) + 1
        dv = DataValidation(
            type="date",
            operator="greaterThan",
            formula1="36526",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=kolom,
            error="Typ een datum als dd-mm-jjjj.",
        )
        dv.add(f"{get_column_letter(c)}2:{get_column_letter(c)}{MAX_ROWS}")
        ws.add_data_validation(dv)
        ws.column_dimensions[get_column_letter(c)].number_format = "DD-MM-YYYY"
    _sheet(wb.create_sheet(rf.BLAD_MEDEWERKERS), rf.MEDEWERKERS_KOLOMMEN, "Medewerkers")
    cm = wb.create_sheet(rf.BLAD_CONTACTMOMENTEN)
    _sheet(cm, rf.CONTACTMOMENTEN_KOLOMMEN, "Contactmomenten")
    cm.column_dimensions["B"].number_format = "DD-MM-YYYY"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def init(root: Path, vandaag: date | None = None) -> list[Path]:
    """Create the workspace at *root*; return the files made. Never overwrites a file."""
    wm = Workspace(Path(root))
    for path in (wm.register, wm.config):
        if path.exists():
            raise BestandFout(
                f"{path} bestaat al; klachtdocs overschrijft het niet. Kies een "
                "lege map, of verwijder het bestand zelf als u opnieuw wilt beginnen."
            )
    wm.controleer()  # an existing folder: nothing written through a link
    gemaakt = []
    try:
        wm.root.mkdir(parents=True, exist_ok=True)
        write_new(wm.config, configmod.standaard_tekst(vandaag or date.today()).encode("utf-8"))
        gemaakt.append(wm.config)
        write_new(wm.register, register_bytes())
        gemaakt.append(wm.register)
        wm.sjablonen.mkdir(exist_ok=True)
        for naam, data in default_sjablonen():
            target = wm.sjablonen / naam
            if not target.exists():
                write_new(target, data)
                gemaakt.append(target)
        wm.archief.mkdir(exist_ok=True)
    except OSError as exc:
        raise BestandFout(f"De werkmap {wm.root} kan niet worden gemaakt: {exc}.") from None
    return gemaakt


def still_to_fill(root: Path) -> list[str]:
    """Return, in Dutch, what in the new workspace at *root* is still an example or empty."""
    from klachtdocs.rules.model import Register
    from klachtdocs.rules.procedure import plaatsvervangers

    wm = Workspace(Path(root))
    try:
        config = read_config(wm.config)
    except Exception:  # noqa: BLE001 - init just wrote it; a problem shows in 'controleer'
        return []
    return [m.tekst for m in plaatsvervangers(config, Register())]
