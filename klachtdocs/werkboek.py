"""Read an .xlsx workbook into plain rows; the only module that parses Excel files.

The file is read into memory first, in one go, so Excel can save over it while we parse
and we never parse a mix of two saves. Before parsing, the zip container is checked so
that hostile files (not a zip, encrypted, truncated, a zip bomb) are refused cheaply.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import python_calamine

from klachtdocs.exceptions import RegisterOnleesbaar

Cell = str | int | float | bool | date | datetime | time | None

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls files
MAX_UNCOMPRESSED = 512 * 1024 * 1024  # bytes, all parts together
MAX_RATIO = 200  # a part inflating more than this is a zip bomb (xlsx is ~5-20x)
MAX_MEMBERS = 10_000
PROLOOG = 4096  # bytes of each XML part searched for a DTD (it must precede the root element)


@dataclass(frozen=True)
class Werkboek:
    """The sheets of a workbook as rows of cell values, row 1 first."""

    bladen: dict[str, list[list[Cell]]]
    #: sheet -> merged ranges (first row, first col, last row, last col), 0-based
    samengevoegd: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)
    #: sheet -> cells (row, col), 0-based, holding a formula without a stored result
    formules_zonder_waarde: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    @staticmethod
    def _per_blad(table: dict, naam: str, anders=None):
        """Return *table*'s entry for the sheet called *naam* (case-insensitive), or *anders*."""
        for key, value in table.items():
            if key.strip().casefold() == naam.casefold():
                return value
        return anders

    def blad(self, naam: str) -> list[list[Cell]] | None:
        """Return the rows of the sheet called *naam* (case-insensitive), or None."""
        return self._per_blad(self.bladen, naam)

    def samengevoegde_cellen(self, naam: str) -> list[tuple[int, int, int, int]]:
        """Return the merged ranges of sheet *naam*."""
        return self._per_blad(self.samengevoegd, naam, [])

    def formules_zonder_uitkomst(self, naam: str) -> list[tuple[int, int]]:
        """Return the cells of sheet *naam* that hold a formula without a stored result."""
        return self._per_blad(self.formules_zonder_waarde, naam, [])



def kolomletter(i: int) -> str:
    """Return the letter(s) of 0-based column *i*: 0 -> A, 26 -> AA."""
    letters = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        letters = chr(65 + r) + letters
    return letters


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
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in members:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                with zf.open(info) as part:
                    begin = part.read(PROLOOG)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
                raise RegisterOnleesbaar(
                    f"{naam} is beschadigd (onderdeel {info.filename} is onleesbaar). "
                    "Sla het opnieuw op in Excel als .xlsx.") from None  # fmt: skip
            if b"<!DOCTYPE" in begin or b"<!ENTITY" in begin:
                raise RegisterOnleesbaar(
                    f"{naam} bevat XML-definities (DOCTYPE of ENTITY) die Excel nooit schrijft; het "
                    "bestand kan kwaadaardig zijn en wordt niet gelezen. Sla het opnieuw op in Excel.")  # fmt: skip


def lees_werkboek(data: bytes, naam: str = "klachtenregister.xlsx", alleen: tuple[str, ...] | None = None,
                  leeg_als_none: bool = True, formules: bool = True) -> Werkboek:  # fmt: skip
    """Return the Werkboek parsed from the .xlsx bytes in *data*.

    *alleen* limits the sheets parsed (names compared case-insensitively). With
    *leeg_als_none* False, empty cells stay "" (cheaper when the caller treats both alike).
    With *formules* False, formulas without a stored result are not looked for (that means
    inflating the sheet XML once more).
    """
    controleer_container(data, naam)
    gevraagd = None if alleen is None else {n.casefold() for n in alleen}
    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        bladen: dict[str, list[list[Cell]]] = {}
        samengevoegd: dict[str, list[tuple[int, int, int, int]]] = {}
        for meta in wb.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            if gevraagd is not None and meta.name.strip().casefold() not in gevraagd:
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            if leeg_als_none:
                for row in rows:  # in place: a second list of 100,000 rows would raise the peak
                    row[:] = [None if v == "" else v for v in row]
            bladen[meta.name] = rows
            merged = sheet.merged_cell_ranges or []
            if merged:
                samengevoegd[meta.name] = [(a[0], a[1], b[0], b[1]) for a, b in merged]
    except python_calamine.PasswordError:
        raise RegisterOnleesbaar(f"{naam} is beveiligd met een wachtwoord.") from None
    except (python_calamine.CalamineError, ValueError, OverflowError) as exc:
        raise RegisterOnleesbaar(
            f"{naam} kan niet gelezen worden als Excel-bestand ({exc}). "
            "Sla het opnieuw op in Excel als .xlsx."
        ) from None
    return Werkboek(bladen, samengevoegd, _formules_zonder_waarde(data, list(bladen)) if formules else {})


_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_SHEET_ID_FIRST = re.compile(rb'<sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_TARGET_FIRST = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')
_CEL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)([0-9]+)"')


def _formules_zonder_waarde(data: bytes, bladen: list[str]) -> dict[str, list[tuple[int, int]]]:
    """Return sheet -> cells holding a formula (<f>) but no stored result (<v>).

    Calamine shows such a cell as empty; Excel always stores the result, so these come from
    other tools. Only sheets with a formula at all are scanned cell by cell.
    """
    from html import unescape

    result: dict[str, list[tuple[int, int]]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            workbook = zf.read("xl/workbook.xml")
            rels = zf.read("xl/_rels/workbook.xml.rels")
            targets = {i: t for i, t in _REL.findall(rels)} | {i: t for t, i in _REL_TARGET_FIRST.findall(rels)}
            sheets = _SHEET.findall(workbook) + [(n, i) for i, n in _SHEET_ID_FIRST.findall(workbook)]
            gevraagd = {b.casefold() for b in bladen}
            for naam_b, rid in dict(sheets).items():
                naam = unescape(naam_b.decode("utf-8", "replace"))
                target = targets.get(rid, b"").decode("utf-8", "replace")
                if naam.casefold() not in gevraagd or not target:
                    continue
                part = target.lstrip("/") if target.startswith("/") else "xl/" + target
                xml = zf.read(part)
                if b"<f" not in xml:
                    continue
                cellen = _zonder_waarde(xml)
                if cellen:
                    result[naam] = cellen
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return result
    return result


_FORMULE = re.compile(rb"<f[ >/]")
_WAARDE = re.compile(rb"<v>[^<]")  # a stored result: <v> with content (not <v></v> or <v/>)


def _zonder_waarde(xml: bytes) -> list[tuple[int, int]]:
    cellen = []
    for m in _FORMULE.finditer(xml):
        start = xml.rfind(b"<c ", 0, m.start())
        end = xml.find(b"</c>", m.start())
        if start == -1 or end == -1:
            continue
        cel = xml[start:end]
        if not _WAARDE.search(cel) and (c := _CEL.match(cel)):
            kolom = 0
            for ch in c.group(1):
                kolom = kolom * 26 + ch - 64
            cellen.append((int(c.group(2)) - 1, kolom - 1))
    return cellen
