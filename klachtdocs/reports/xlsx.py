"""Write a workbook of plain tables as .xlsx XML directly: fast and streaming, text always text.

overzicht.xlsx is rewritten whenever the register changes and holds a row per klacht and
per document: 300,000 cells for 10,000 klachten. xlsxwriter needs about 8 µs a cell and
keeps every cell in memory; this writes each row's XML once, straight into the zip, with
inline strings (never formulas), real dates, an Excel table per sheet, a frozen header and
a print setup of one page wide. Only what overzicht.xlsx needs; the analysis, with its
charts, uses xlsxwriter.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import IO
from xml.sax.saxutils import escape

from klachtdocs.rules.memo import Memo
from klachtdocs.rules.rows import kolomletter

# Cell styles (indexes into cellXfs below).
GEWOON, DATUM, DATUMTIJD, TEKST, KOP = 0, 1, 2, 3, 4
_EXCEL_NUL = date(1899, 12, 30).toordinal()
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


@dataclass(frozen=True)
class Sheet:
    """One sheet: a table with a header row; rows of str, int, float, date, datetime or None (no bool)."""

    naam: str
    kolommen: tuple[str, ...]
    breedtes: tuple[float, ...]
    rijen: Iterable[tuple]
    rijhoogte: object = None  # callable(row) -> points, or None for Excel's default


BLOCK = 256  # rows


def _tekst(value: str) -> str:
    if _INVALID.search(value):
        value = _INVALID.sub("", value)
    return escape(value)


def _cell(ref: str, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):  # True == 1: a memo would give it the XML of 1
        raise TypeError("reports.xlsx writes no bool; write 'ja' or 'nee'")
    if isinstance(value, datetime):
        serie = (
            value.toordinal() - _EXCEL_NUL + (value.hour * 3600 + value.minute * 60 + value.second) / 86400
        )
        return f'<c r="{ref}" s="{DATUMTIJD}"><v>{serie!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{DATUM}"><v>{value.toordinal() - _EXCEL_NUL}</v></c>'
    if isinstance(value, float) and value.is_integer():  # 1.0 == 1: a memo would give it the XML of 1
        value = int(value)
    if isinstance(value, (int, float)):
        return f'<c r="{ref}" s="{TEKST}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" s="{TEKST}" t="inlineStr"><is><t xml:space="preserve">{_tekst(str(value))}</t></is></c>'


def _sheet_xml(fh: IO[bytes], blad: Sheet, memo: Memo | None = None) -> int:
    """Write the worksheet XML of *blad* to *fh*; return the number of data rows."""
    letters = [kolomletter(i) for i in range(len(blad.kolommen))]
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>' for i, w in enumerate(blad.breedtes)
    )
    fh.write(
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS} {_NS_R}>'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
        f'<row r="1" ht="30" customHeight="1">'.encode()
        + "".join(
            f'<c r="{letters[i]}1" s="{KOP}" t="inlineStr"><is><t>{_tekst(k)}</t></is></c>'
            for i, k in enumerate(blad.kolommen)
        ).encode()
        + b"</row>"
    )
    rijen = blad.rijen if isinstance(blad.rijen, Sequence) else tuple(blad.rijen)
    for begin in range(0, len(rijen), BLOCK):
        # Rows go in blocks: with a memo, a block written before at the same place is not made anew.
        deel = tuple(rijen[begin : begin + BLOCK])

        def maak(begin=begin, deel=deel) -> bytes:
            return "".join(
                _row_xml(r, row, letters, blad.rijhoogte) for r, row in enumerate(deel, start=begin + 2)
            ).encode("utf-8")

        # A row's XML depends on its values, its number and the row heights, which the sheet's
        # name stands for (see schrijf); its column letters depend on its position alone.
        fh.write(maak() if memo is None else memo(("xlsx-rijen", blad.naam, begin, deel), maak))
    fh.write(
        b'</sheetData><pageMargins left="0.4" right="0.4" top="0.5" bottom="0.5" header="0.3" footer="0.3"/>'
        b'<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        b'<tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>'
    )
    return len(rijen)


def _row_xml(r: int, row: tuple, letters: list[str], rijhoogte) -> str:
    ht = f' ht="{rijhoogte(row)}" customHeight="1"' if rijhoogte else ""
    return f'<row r="{r}"{ht}>' + "".join(_cell(f"{letters[c]}{r}", v) for c, v in enumerate(row)) + "</row>"


def _table_xml(blad: Sheet, tabel_id: int, rijen: int) -> bytes:
    ref = f"A1:{kolomletter(len(blad.kolommen) - 1)}{max(rijen, 1) + 1}"
    naam = "tbl" + "".join(ch for ch in blad.naam if ch.isalnum())
    kolommen = "".join(
        f'<tableColumn id="{i + 1}" name="{escape(k, {chr(34): "&quot;"})}"/>'
        for i, k in enumerate(blad.kolommen)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<table {_NS} id="{tabel_id}" '
        f'name="{naam}" displayName="{naam}" ref="{ref}" totalsRowShown="0"><autoFilter ref="{ref}"/>'
        f'<tableColumns count="{len(blad.kolommen)}">{kolommen}</tableColumns><tableStyleInfo '
        'name="TableStyleLight9" showFirstColumn="0" showLastColumn="0" showRowStripes="1" '
        'showColumnStripes="0"/></table>'
    ).encode()


_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet {_NS}><numFmts count="2"><numFmt numFmtId="164" formatCode="dd\\-mm\\-yyyy"/><numFmt numFmtId="165" formatCode="dd\\-mm\\-yyyy\\ hh:mm"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""  # noqa: E501


def schrijf(
    fh: IO[bytes], bladen: list[Sheet], titel: str, auteur: str = "klachtdocs", memo: Memo | None = None
) -> None:
    """Write a workbook with one table per Blad to the binary file *fh*.

    With a *memo*, blocks of rows written before are not made anew. Its keys name a sheet
    by its name: a caller with a memo gives every sheet of one name the same rijhoogte.
    """
    nu = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        sheets, rels, types, namen = [], [], [], []
        for i, blad in enumerate(bladen, start=1):
            with zf.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as sheet:
                rijen = _sheet_xml(sheet, blad, memo)
            zf.writestr(f"xl/tables/table{i}.xml", _table_xml(blad, i, rijen))
            zf.writestr(
                f"xl/worksheets/_rels/sheet{i}.xml.rels",
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
                f'Id="rId1" Type="{_REL}/table" Target="../tables/table{i}.xml"/></Relationships>',
            )
            sheets.append(f'<sheet name="{escape(blad.naam)}" sheetId="{i}" r:id="rId{i}"/>')
            rels.append(
                f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            )
            types.append(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet+xml"/>'
                f'<Override PartName="/xl/tables/table{i}.xml" ContentType="{_CT}.table+xml"/>'
            )
            namen.append(
                f'<definedName name="_xlnm.Print_Titles" localSheetId="{i - 1}">'
                f"'{escape(blad.naam)}'!$1:$1</definedName>"
            )
        n = len(bladen)
        rels.append(f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>')
        zf.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook '
            f"{_NS} {_NS_R}><bookViews><workbookView/></bookViews><sheets>{''.join(sheets)}</sheets>"
            f"<definedNames>{''.join(namen)}</definedNames></workbook>",
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{''.join(rels)}</Relationships>",
        )
        zf.writestr("xl/styles.xml", _STYLES)
        zf.writestr(
            "docProps/core.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/'
            'dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(titel)}</dc:title><dc:creator>{escape(auteur)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{nu}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{nu}</dcterms:modified></cp:coreProperties>',
        )
        zf.writestr(
            "docProps/app.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
            'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>klachtdocs</Application></Properties>",
        )
        zf.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" '
            f'Type="{_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>',
        )
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types '
            'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
            'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            f'ContentType="{_CT}.sheet.main+xml"/><Override PartName="/xl/styles.xml" '
            f'ContentType="{_CT}.styles+xml"/>{"".join(types)}<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override '
            'PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'extended-properties+xml"/></Types>',
        )
