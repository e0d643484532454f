"""Read an .xlsx workbook into plain rows; the only module that parses Excel files.

The file is read into memory first, in one go, so Excel can save over it while we parse
and we never parse a mix of two saves. Before parsing, the zip container is checked so
that hostile files (not a zip, encrypted, truncated, a zip bomb) are refused cheaply.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import python_calamine

from klachtdocs.exceptions import RegisterOnleesbaar

Cell = str | int | float | bool | date | datetime | time | None

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls files
MAX_UNCOMPRESSED = 512 * 1024 * 1024  # bytes, all parts together
MAX_RATIO = 200  # a part inflating more than this is a zip bomb (xlsx is ~5-20x)
MAX_MEMBERS = 10_000


@dataclass(frozen=True)
class Werkboek:
    """The sheets of a workbook as rows of cell values, row 1 first."""

    bladen: dict[str, list[list[Cell]]]

    def blad(self, naam: str) -> list[list[Cell]] | None:
        """Return the rows of the sheet called *naam* (case-insensitive), or None."""
        for key, rows in self.bladen.items():
            if key.strip().casefold() == naam.casefold():
                return rows
        return None


def lees_bytes(path: Path) -> bytes:
    """Return the bytes of the file at *path*, or raise a BestandFout subclass."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise RegisterOnleesbaar(f"{path.name} bestaat niet (gezocht in {path.parent}).") from None
    except OSError as exc:
        raise RegisterOnleesbaar(
            f"{path.name} kan niet gelezen worden ({exc.strerror or exc}). "
            "Is het bestand nog geopend of is de netwerkmap niet bereikbaar?"
        ) from None


def controleer_container(data: bytes, naam: str) -> None:
    """Raise RegisterOnleesbaar when *data* is not a safe, complete .xlsx container."""
    if data.startswith(OLE_MAGIC):
        raise RegisterOnleesbaar(
            f"{naam} is beveiligd met een wachtwoord of is een oud .xls-bestand. "
            "Haal de beveiliging weg (Bestand > Info > Werkmap beveiligen) of sla op als .xlsx."
        )
    if not data:
        raise RegisterOnleesbaar(f"{naam} is leeg (0 bytes). Wacht tot het opslaan klaar is.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = zf.infolist()
    except zipfile.BadZipFile:
        raise RegisterOnleesbaar(
            f"{naam} is geen volledig Excel-bestand (.xlsx): het is afgebroken tijdens het "
            "opslaan of het is een ander soort bestand. Sla het opnieuw op in Excel als .xlsx."
        ) from None
    if len(members) > MAX_MEMBERS:
        raise RegisterOnleesbaar(f"{naam} bevat verdacht veel onderdelen en wordt niet gelezen.")
    total = 0
    for info in members:
        total += info.file_size
        if info.flag_bits & 0x1:
            raise RegisterOnleesbaar(f"{naam} is versleuteld en wordt niet gelezen.")
        big = info.file_size > 10 * 1024 * 1024
        if big and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise RegisterOnleesbaar(
                f"{naam} pakt uit tot een onredelijke grootte (zip-bom?) en wordt niet gelezen."
            )
    if total > MAX_UNCOMPRESSED:
        raise RegisterOnleesbaar(f"{naam} is uitgepakt groter dan 512 MB en wordt niet gelezen.")


def lees_werkboek(data: bytes, naam: str = "klachtenregister.xlsx", alleen: tuple[str, ...] | None = None,
                  leeg_als_none: bool = True) -> Werkboek:  # fmt: skip
    """Return the Werkboek parsed from the .xlsx bytes in *data*.

    *alleen* limits the sheets parsed (names compared case-insensitively). With
    *leeg_als_none* False, empty cells stay "" (cheaper when the caller treats both alike).
    """
    controleer_container(data, naam)
    gevraagd = None if alleen is None else {n.casefold() for n in alleen}
    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        bladen = {}
        for meta in wb.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            if gevraagd is not None and meta.name.strip().casefold() not in gevraagd:
                continue
            rows = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            if leeg_als_none:
                rows = [[None if v == "" else v for v in row] for row in rows]
            bladen[meta.name] = rows
    except python_calamine.PasswordError:
        raise RegisterOnleesbaar(f"{naam} is beveiligd met een wachtwoord.") from None
    except (python_calamine.CalamineError, ValueError, OverflowError) as exc:
        raise RegisterOnleesbaar(
            f"{naam} kan niet gelezen worden als Excel-bestand ({exc}). "
            "Sla het opnieuw op in Excel als .xlsx."
        ) from None
    return Werkboek(bladen)
