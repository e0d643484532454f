"""Read an .xlsx workbook into plain rows; the only module that parses Excel files.

The file is read into memory first, in one go, so Excel can save over it while we parse
and we never parse a mix of two saves. Before parsing, the zip container is checked so
that hostile files (not a zip, encrypted, truncated, a zip bomb) are refused cheaply.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import NoReturn

import python_calamine

from klachtdocs.exceptions import RegisterOnleesbaar
from klachtdocs.rules.rows import Cell, Werkboek, kolomletter

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls files
MAX_UNCOMPRESSED = 512 * 1024 * 1024  # bytes, all parts together
MAX_RATIO = 200  # a part inflating more than this is a zip bomb (xlsx is ~5-20x)
MAX_MEMBERS = 10_000
PROLOGUE = 4096  # bytes of each XML part searched for a DTD (it must precede the root element)


def read_file_bytes(path: Path) -> bytes:
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


def check_container(data: bytes, naam: str) -> None:
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
                    begin = part.read(PROLOGUE)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
                raise RegisterOnleesbaar(
                    f"{naam} is beschadigd (onderdeel {info.filename} is onleesbaar). "
                    "Sla het opnieuw op in Excel als .xlsx."
                ) from None
            if b"<!DOCTYPE" in begin or b"<!ENTITY" in begin:
                raise RegisterOnleesbaar(
                    f"{naam} bevat XML-definities (DOCTYPE of ENTITY) die Excel nooit schrijft; het "
                    "bestand kan kwaadaardig zijn en wordt niet gelezen. Sla het opnieuw op in Excel."
                )


def read_workbook(
    data: bytes,
    naam: str = "klachtenregister.xlsx",
    alleen: tuple[str, ...] | None = None,
    leeg_als_none: bool = True,
    formules: bool = True,
) -> Werkboek:
    """Return the Werkboek parsed from the .xlsx bytes in *data*.

    *alleen* limits the sheets parsed (names compared case-insensitively). With
    *leeg_als_none* False, empty cells stay "" (cheaper when the caller treats both alike).
    With *formules* False, formulas without a stored result are not looked for (that means
    inflating the sheet XML once more).
    """
    check_container(data, naam)
    gevraagd = None if alleen is None else {n.casefold() for n in alleen}
    data = limit_sheets(data, naam, alleen)
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
    return Werkboek(bladen, samengevoegd, _formulas_without_value(data, list(bladen)) if formules else {})


_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_SHEET_ID_FIRST = re.compile(rb'<sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_TARGET_FIRST = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')
_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)([0-9]+)"')


def _formulas_without_value(data: bytes, bladen: list[str]) -> dict[str, list[tuple[int, int]]]:
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
            targets = {i: t for i, t in _REL.findall(rels)} | {
                i: t for t, i in _REL_TARGET_FIRST.findall(rels)
            }
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
                cellen = _without_value(xml)
                if cellen:
                    result[naam] = cellen
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return result
    return result


_FORMULA = re.compile(rb"<f[ >/]")
_VALUE = re.compile(rb"<v>[^<]")  # a stored result: <v> with content (not <v></v> or <v/>)


def _without_value(xml: bytes) -> list[tuple[int, int]]:
    cellen = []
    for m in _FORMULA.finditer(xml):
        start = xml.rfind(b"<c ", 0, m.start())
        end = xml.find(b"</c>", m.start())
        if start == -1 or end == -1:
            continue
        cel = xml[start:end]
        if not _VALUE.search(cel) and (c := _CELL.match(cel)):
            kolom = 0
            for ch in c.group(1):
                kolom = kolom * 26 + ch - 64
            cellen.append((int(c.group(2)) - 1, kolom - 1))
    return cellen


# -- cells far outside the used area ------------------------------------------------------
# python-calamine makes one dense range from A1 to the farthest cell holding a value: a single
# space in XFD1048576 asks for 17 billion cells. Each sheet's XML is scanned first (cheaply: in
# the common case one regex finds no cell beyond column Z or row 99,999); cells that hold
# nothing but spaces outside the area of the real values are cut from the XML calamine sees,
# and a sheet whose real values span more than MAX_CELLEN cells is refused.
MAX_CELLS = 3_000_000  # cells of one sheet (rows x columns): 100,000 rows of 30 columns
_FAR = re.compile(rb' r="(?:[A-Z]{2,3}[0-9]+|[A-Z][0-9]{6,7})"')  # beyond column Z or row 99,999
_REF = re.compile(rb' r="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_REF = re.compile(rb' r="[A-Z]{1,3}([0-9]{1,7})"')
_COLUMN_REF = re.compile(rb' r="([A-Z]{1,3})[0-9]{1,7}"')
_CELL_ELEMENT = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(?:/>|>(.*?)</c>)', re.DOTALL)
_TYPE = re.compile(rb'\bt="([a-zA-Z]+)"')
_V = re.compile(rb"<v>([^<]*)</v>")
_SI = re.compile(rb"<si\b[^>]*?(?:/>|>(.*?)</si>)", re.DOTALL)
_TAG = re.compile(rb"<[^>]*>")


def _number(n: int) -> str:
    """Return *n* with Dutch thousands separators: 1.048.576."""
    return f"{n:,}".replace(",", ".")


def _column_number(letters: bytes) -> int:
    """Return the 1-based column number of *letters*: A -> 1, AA -> 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Return sheet name -> the zip member holding its XML."""
    from html import unescape

    workbook = zf.read("xl/workbook.xml")
    rels = zf.read("xl/_rels/workbook.xml.rels")
    targets = {i: t for i, t in _REL.findall(rels)} | {i: t for t, i in _REL_TARGET_FIRST.findall(rels)}
    sheets = _SHEET.findall(workbook) + [(n, i) for i, n in _SHEET_ID_FIRST.findall(workbook)]
    result = {}
    for naam_b, rid in dict(sheets).items():
        target = targets.get(rid, b"").decode("utf-8", "replace")
        if target:
            result[unescape(naam_b.decode("utf-8", "replace"))] = (
                target.lstrip("/") if target.startswith("/") else "xl/" + target
            )
    return result


def _text_empty(xml: bytes) -> bool:
    """Return whether the XML text *xml* (tags and entities allowed) holds only white space."""
    from html import unescape

    return not unescape(_TAG.sub(b"", xml).decode("utf-8", "replace")).strip()


class _SharedStrings:
    """Which shared strings are white space only; parsed on first use."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self._leeg: list[bool] | None = None

    def is_empty(self, index: bytes) -> bool:
        if self._leeg is None:
            try:
                xml = self.zf.read("xl/sharedStrings.xml")
            except KeyError:
                xml = b""
            self._leeg = [m.group(1) is None or _text_empty(m.group(1)) for m in _SI.finditer(xml)]
        try:
            return self._leeg[int(index.strip())]
        except (ValueError, IndexError):
            return False  # not a known string: keep the cell (calamine decides)


def _cell_empty(kop: bytes, inhoud: bytes | None, gedeeld: _SharedStrings) -> bool:
    """Return whether a cell shows nothing but white space (and holds no formula)."""
    if not inhoud:
        return True
    if b"<f" in inhoud:
        return False
    t = _TYPE.search(kop)
    soort = t.group(1) if t else b"n"
    if soort == b"inlineStr":
        return _text_empty(inhoud)
    v = _V.search(inhoud)
    if v is None:
        return b"<v>" not in inhoud  # <v/> or no value at all; a <v> with markup inside: keep
    if soort == b"s":
        return not v.group(1).strip() or gedeeld.is_empty(v.group(1))
    if soort == b"str":
        return _text_empty(v.group(1))
    return not v.group(1).strip()


class _ManyEmpty(Exception):
    """Many rows or columns of white space: look at every cell once instead."""


def _raise_too_far(naam: str, blad: str, verste: tuple[int, int], rijen: int, kolommen: int) -> NoReturn:
    """Raise RegisterOnleesbaar for the real value in cell *verste* (row, column; 1-based)."""
    cel = f"{kolomletter(verste[1] - 1)}{verste[0]}"
    raise RegisterOnleesbaar(
        f"{naam}: blad {blad} heeft een waarde in cel {cel}, zo ver buiten de rest van het blad dat "
        f"klachtdocs het niet kan lezen (tot rij {_number(rijen)} en kolom {kolomletter(kolommen - 1)}: "
        f"meer dan {_number(MAX_CELLS)} cellen). Maak cel {cel} op blad {blad} leeg of "
        "verwijder de rijen/kolommen tussen uw gegevens en die cel (selecteer ze, rechtermuisknop > "
        "Verwijderen) en sla het register op."
    )


def _limit_all_cells(xml: bytes, blad: str, naam: str, gedeeld: _SharedStrings) -> bytes | None:
    """Return _begrens's answer by looking at every cell: one pass finds the area, a second cuts."""
    nummers: dict[bytes, int] = {}
    rijen = kolommen = 0
    rij_cel = kolom_cel = (0, 0)
    for m in _CELL_ELEMENT.finditer(xml):
        rij, letters = int(m.group(2)), m.group(1)
        kol = nummers.get(letters) or nummers.setdefault(letters, _column_number(letters))
        if rij <= rijen and kol <= kolommen:
            continue  # inside the area found so far: whatever it holds, it changes nothing
        kop = xml[m.start() : m.start(3)] if m.group(3) is not None else m.group()
        if _cell_empty(kop, m.group(3), gedeeld):
            continue
        if rij > rijen:
            rijen, rij_cel = rij, (rij, kol)
        if kol > kolommen:
            kolommen, kolom_cel = kol, (rij, kol)
    if rijen * kolommen > MAX_CELLS:
        _raise_too_far(naam, blad, kolom_cel if kolommen > 100 else rij_cel, rijen, kolommen)
    uit, vorige = bytearray(), 0
    for m in _CELL_ELEMENT.finditer(xml):
        kol = nummers.get(m.group(1)) or _column_number(m.group(1))
        if int(m.group(2)) > rijen or kol > kolommen:  # beyond every real value: white space only
            uit += xml[vorige : m.start()]
            vorige = m.end()
    uit += xml[vorige:]
    return bytes(uit)


def _limit(xml: bytes, blad: str, naam: str, gedeeld: _SharedStrings) -> bytes | None:
    """Return *xml* without the white-space cells outside the used area, None when nothing needs cutting.

    Raise RegisterOnleesbaar when the cells holding real values span more than MAX_CELLEN.
    """
    if _FAR.search(xml) is None:
        return None  # at most 99,999 rows of 26 columns: within MAX_CELLEN
    rijnummers = sorted({int(r) for r in set(_ROW_REF.findall(xml))}, reverse=True)  # one group: small lists
    kolomletters = sorted(set(_COLUMN_REF.findall(xml)), key=_column_number, reverse=True)
    if rijnummers[0] * _column_number(kolomletters[0]) <= MAX_CELLS:
        return None
    leeg: dict[int, bool] = {}  # position of a cell's ' r="' -> whether it shows nothing

    def is_leeg(positie: int) -> bool:
        if positie not in leeg:
            start = xml.rfind(b"<c", 0, positie + 1)
            m = _CELL_ELEMENT.match(xml, start) if start != -1 else None
            if m is None or m.start(1) != positie + 4:
                leeg[positie] = False  # not a plain <c ...> element: keep it
            else:
                kop = xml[m.start() : m.start(3)] if m.group(3) is not None else xml[m.start() : m.end()]
                leeg[positie] = _cell_empty(kop, m.group(3), gedeeld)
        return leeg[positie]

    # From the farthest row (column) inward, until one holds a real value: normally the first
    # or second. Each step is one scan of the XML for the cells of that row (column); beyond a
    # few steps (many rows of spaces) one pass over all cells decides instead.
    def grens(waarden: list[bytes], as_: int) -> int:
        """Return the position of a real value in the farthest row (column) holding one, or -1."""
        for stap, waarde in enumerate(waarden):
            if stap == 8:
                raise _ManyEmpty
            patroon = rb' r="[A-Z]{1,3}' + waarde + rb'"' if as_ == 2 else rb' r="' + waarde + rb'[0-9]{1,7}"'
            for m in re.finditer(patroon, xml):
                if not is_leeg(m.start()):
                    return m.start()
        return -1

    try:
        rij_pos = grens([str(r).encode() for r in rijnummers], 2)
        kolom_pos = grens(kolomletters, 1)
    except _ManyEmpty:
        return _limit_all_cells(xml, blad, naam, gedeeld)
    if rij_pos == -1:
        return None  # nothing but empty cells: calamine reads none of them
    ref_van = _REF.match  # (letters, digits) of the cell at a position

    def plaats(positie: int) -> tuple[int, int]:
        m = ref_van(xml, positie)
        return int(m.group(2)), _column_number(m.group(1))

    rijen, kolommen = plaats(rij_pos)[0], plaats(kolom_pos)[1]
    if rijen * kolommen > MAX_CELLS:
        _raise_too_far(naam, blad, plaats(kolom_pos if kolommen > 100 else rij_pos), rijen, kolommen)
    delen, vorige = [], 0
    buiten = [p for p, ja in leeg.items() if ja and (plaats(p)[0] > rijen or plaats(p)[1] > kolommen)]
    for p in sorted(buiten):  # every cell beyond the real values was looked at above: all are empty
        start = xml.rfind(b"<c", 0, p + 1)
        delen.append(xml[vorige:start])
        vorige = _CELL_ELEMENT.match(xml, start).end()
    delen.append(xml[vorige:])
    return b"".join(delen)


def limit_sheets(data: bytes, naam: str, alleen: tuple[str, ...] | None = None) -> bytes:
    """Return *data* with white-space cells far outside each sheet's used area left out.

    Such a cell (a space typed in the last cell of a sheet) would make the parser reserve
    memory for every cell up to it. Raise RegisterOnleesbaar naming sheet and cell when real
    values lie that far out. The bytes are returned unchanged (the same object) when nothing
    needed cutting, which is the common case.
    """
    gevraagd = None if alleen is None else {n.casefold() for n in alleen}
    vervangen: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            gedeeld = _SharedStrings(zf)
            for blad, deel in _sheet_parts(zf).items():
                if gevraagd is not None and blad.strip().casefold() not in gevraagd:
                    continue
                try:
                    xml = zf.read(deel)
                except KeyError:
                    continue
                nieuw = _limit(xml, blad, naam, gedeeld)
                del xml
                if nieuw is not None:
                    vervangen[deel] = nieuw
            if not vervangen:
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zout:  # stored: no time spent compressing
                for info in zf.infolist():
                    zout.writestr(info.filename, vervangen.pop(info.filename, None) or zf.read(info))
            return out.getvalue()
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return data  # calamine reports what is wrong with it
