"""klachtenanalyse-JJJJ-MM.xlsx: the Analyse written with pandas and xlsxwriter, charts included."""

from __future__ import annotations

import io
from datetime import datetime

import pandas as pd

from klachtdocs.analysis.figures import PERCENTAGE_SLEUTELS, SAMENVATTING, TERMIJNEN, Analyse
from klachtdocs.rules.dutch import aantal

#: xlsxwriter options that keep register text as text: "=HYPERLINK(...)" never becomes a formula.
VEILIG = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,
}
EXCEL_NUL = pd.Timestamp(1899, 12, 30)  # day 0 of Excel's 1900 date system
BLAD_SAMENVATTING = "Samenvatting"
BLAD_TREND = "Trend"
BLAD_NALEVING = "Termijnnaleving"
BLAD_AFWIJKINGEN = "Procedurele afwijkingen"
BLAD_TOELICHTING = "Toelichting"

TOELICHTING = (
    (
        "Waar komen de cijfers vandaan?",
        "Uit klachtenregister.xlsx (blad Klachten) en uit het journaal van klachtdocs: de datum waarop "
        "klachtdocs een brief voor het eerst maakte, geldt als de datum waarop die brief is gemaakt.",
    ),
    (
        "Stand op de laatste dag",
        "Elk cijfer is zoals het stond op de laatste dag van de periode. Wat later gebeurde (een latere "
        "Datum afgehandeld, een later gemaakte brief, een later ingevulde verdaging: die telt vanaf de dag "
        "waarop de verdagingsbrief is gemaakt) telt nog niet mee. Zo levert het opnieuw maken van "
        "een maand dezelfde cijfers op, zolang niemand oude datums in het register wijzigt. Besluit, "
        "grond en categorie hebben geen eigen datum; die tellen zoals ze nu in het register staan.",
    ),
    ("Instroom", "Klachten met een Datum ontvangst in de periode, naar hun Besluit en Grond."),
    (
        "Afhandeling",
        "Klachten met een Datum afgehandeld in de periode (niet-in-behandeling-genomen "
        "klachten tellen hier niet). Afgehandeld: met een beslissing; voortijdig gesloten op verzoek "
        "telt apart. De Trend gebruikt dezelfde twee cijfers.",
    ),
    (
        "Openstaand",
        "Ontvangen op of vóór de laatste dag, niet 'niet in behandeling' genomen, en nog "
        "zonder Datum afgehandeld op die dag.",
    ),
    (
        "Over een termijn",
        "Klachten waarvan op de laatste dag een termijn verstreken was zonder dat "
        "de brief of de afhandeling er was.",
    ),
    (
        "Doorlooptijd",
        "Van Datum ontvangst tot Datum afgehandeld, voor de klachten die in de periode "
        "gesloten zijn (ook voortijdig). Werkdagen volgens de Algemene termijnenwet en de "
        "sluitingsdagen uit klachtdocs.toml; de dag van ontvangst telt niet mee.",
    ),
    (
        "Termijnnaleving",
        "De termijnen waarvan de uiterste datum in de periode valt: op tijd als de "
        "brief of afhandeling er uiterlijk op die datum was. Ontvangstbevestiging: 2 werkdagen (art. 5). "
        "Afwijzing: 3 weken (art. 6.3). Afhandeling: 4 weken (art. 9.1); bij verdaging de datum "
        "Verdaagd tot, ten hoogste 8 weken na ontvangst (art. 9.2); een verdaging die pas na de "
        "streefdatum is gemaakt, verlengt de termijn niet en is zelf een procedurele afwijking. Brieventermijnen tellen alleen "
        "voor klachten vanaf brieven_vanaf (klachtdocs.toml); eerdere brieven zijn buiten klachtdocs "
        "verstuurd.",
    ),
    (
        "Herhaalklachten",
        "Indieners (herkend aan naam, anders e-mailadres) met meer dan één klacht "
        "ontvangen in de 12 maanden tot en met de laatste dag; voor de kolom met het jaar: sinds 1 januari. "
        "Er worden geen namen getoond.",
    ),
    (
        "Procedurele afwijkingen",
        "Elke gemiste termijn met een uiterste datum in het jaar tot en met "
        "de maand; 'Dagen te laat' in kalenderdagen, tot de werkelijke datum of tot de laatste dag.",
    ),
    (
        "Privacy",
        "Dit werkboek bevat geen persoonsgegevens: geen namen, adressen, e-mailadressen, "
        "telefoonnummers of teksten uit het register. Een klacht staat er alleen in met haar "
        "klachtnummer (art. 1: alleen feitelijkheden die relevant zijn voor de kwaliteitsontwikkeling).",
    ),
)


class _Opmaak:
    """The formats of one workbook."""

    def __init__(self, wb) -> None:
        self.titel = wb.add_format({"bold": True, "font_size": 14})
        self.kop = wb.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bottom": 1, "bg_color": "#DDEBF7"}
        )
        self.sectie = wb.add_format({"bold": True, "bg_color": "#F2F2F2"})
        #: a term on the Toelichting sheet: at the top of its row, beside the start of its explanation
        self.begrip = wb.add_format({"bold": True, "bg_color": "#F2F2F2", "text_wrap": True, "valign": "top"})
        self.tekst = wb.add_format({"text_wrap": True, "valign": "top"})
        self.getal = wb.add_format({"num_format": "0"})
        self.datum = wb.add_format({"num_format": "dd-mm-yyyy"})
        self.decimaal = wb.add_format({"num_format": "0.0"})
        self.pct = wb.add_format({"num_format": "0.0%"})
        self.getal_nadruk = wb.add_format({"num_format": "0", "bold": True, "bg_color": "#FFF2CC"})
        self.decimaal_nadruk = wb.add_format({"num_format": "0.0", "bold": True, "bg_color": "#FFF2CC"})
        self.pct_nadruk = wb.add_format({"num_format": "0.0%", "bold": True, "bg_color": "#FFF2CC"})


def naar_bytes(a: Analyse, gemaakt_op: datetime) -> bytes:
    """Return the .xlsx bytes of the analysis *a*."""
    out = io.BytesIO()
    with pd.ExcelWriter(
        out,
        engine="xlsxwriter",
        date_format="dd-mm-yyyy",
        datetime_format="dd-mm-yyyy",
        engine_kwargs={"options": VEILIG},
    ) as writer:
        wb = writer.book
        wb.set_properties(
            {
                "title": f"Klachtenanalyse {a.maand.kop}",
                "subject": "Klachtenanalyse voor de kwaliteitsfunctionaris",
                "author": "klachtdocs",
                "company": "",
                "comments": "Zonder persoonsgegevens.",
                "created": gemaakt_op,
            }
        )
        f = _Opmaak(wb)
        _samenvatting(writer, a, f, gemaakt_op)
        _trend(writer, a, f)
        _naleving(writer, a, f)
        for naam, frame in a.verdelingen.items():
            _tabel(
                writer,
                naam,
                frame,
                f,
                breedtes=(26, *([16] * (len(frame.columns) - 1))),
                procent=("Aandeel laatste 12 maanden (%)",),
            )
        _categorie_grafiek(writer, a)
        _tabel(writer, BLAD_AFWIJKINGEN, a.afwijkingen, f, breedtes=(18, 40, 12, 12, 14, 30, 10))
        _toelichting(writer, f)
    return out.getvalue()


def _tabel(
    writer,
    blad: str,
    frame: pd.DataFrame,
    f: _Opmaak,
    breedtes: tuple[int, ...],
    procent: tuple[str, ...] = (),
    startrow: int = 0,
) -> None:
    """Write *frame* as an Excel table (filter buttons, banded rows) with its header on *startrow*."""
    datums = [k for k in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[k])]
    if datums:  # as Excel serial numbers with a date format
        frame = frame.assign(**{k: (frame[k] - EXCEL_NUL) / pd.Timedelta(days=1) for k in datums})
    frame.to_excel(writer, sheet_name=blad, index=False, header=False, startrow=startrow + 1, na_rep="")
    ws = writer.sheets[blad]
    for c, kolom in enumerate(frame.columns):
        fmt = (
            f.pct
            if kolom in procent
            else f.datum
            if kolom in datums
            else (f.tekst if frame[kolom].dtype == object else None)
        )
        ws.set_column(c, c, breedtes[c] if c < len(breedtes) else 14, fmt)
    ws.add_table(
        startrow,
        0,
        startrow + max(len(frame), 1),
        len(frame.columns) - 1,
        {
            "name": "tbl" + "".join(ch for ch in blad.title() if ch.isalnum()),
            "style": "Table Style Light 9",
            "columns": [{"header": str(k), "header_format": f.kop} for k in frame.columns],
        },
    )
    ws.set_row(startrow, 45)
    ws.freeze_panes(startrow + 1, 1)
    _afdruk(ws, startrow)


def _afdruk(ws, kop_rij: int) -> None:
    """Print landscape on A4, one page wide, with the header row on every page."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(kop_rij)


def _samenvatting(writer, a: Analyse, f: _Opmaak, gemaakt_op: datetime) -> None:
    ws = writer.book.add_worksheet(BLAD_SAMENVATTING)
    writer.sheets[BLAD_SAMENVATTING] = ws
    ws.write_string(0, 0, f"Klachtenanalyse {a.maand.kop}", f.titel)
    ws.write_string(
        1,
        0,
        f"Stand op {a.maand.einde:%d-%m-%Y}; gemaakt door klachtdocs op "
        f"{gemaakt_op:%d-%m-%Y %H:%M}. {aantal(a.klachten, 'klacht', 'klachten')} in het register"
        + (
            f", {aantal(a.zonder_datum, 'rij', 'rijen')} zonder leesbare Datum ontvangst niet meegeteld"
            if a.zonder_datum
            else ""
        )
        + ". Zonder persoonsgegevens; zie het blad Toelichting.",
    )
    rij = 3
    ws.write_string(rij, 0, "Kengetal", f.kop)
    for c, p in enumerate(a.perioden, start=1):
        ws.write_string(rij, c, p.kop, f.kop)
    ws.set_column(0, 0, 56)
    ws.set_column(1, 2, 15)
    ws.set_column(3, len(a.perioden), 12)
    ws.set_row(rij, 30)
    for r, ((label, sleutel), values) in enumerate(
        zip(SAMENVATTING, a.samenvatting.itertuples(index=False), strict=True), start=rij + 1
    ):
        if sleutel is None:
            ws.write_string(r, 0, label, f.sectie)
            for c in range(1, len(a.perioden) + 1):
                ws.write_blank(r, c, None, f.sectie)
            continue
        ws.write_string(r, 0, label)
        if sleutel in PERCENTAGE_SLEUTELS:
            fmts = (f.pct_nadruk, f.pct)
        elif sleutel.startswith("mediaan"):
            fmts = (f.decimaal_nadruk, f.decimaal)
        else:
            fmts = (f.getal_nadruk, f.getal)
        for c, value in enumerate(values, start=1):
            fmt = fmts[0] if c == 1 else fmts[1]
            if value is None or value != value:  # None or NaN: nothing to count
                ws.write_blank(r, c, None, fmt)
            else:
                ws.write_number(r, c, value, fmt)
    ws.freeze_panes(rij + 1, 1)
    _afdruk(ws, rij)


def _trend(writer, a: Analyse, f: _Opmaak) -> None:
    _tabel(
        writer,
        BLAD_TREND,
        a.trend,
        f,
        breedtes=(12, 12, 12, 12, 16, 16, 18, 18),
        procent=("Ontvangstbevestiging op tijd (%)", "Afgehandeld binnen de termijn (%)"),
    )
    ws = writer.sheets[BLAD_TREND]
    n = len(a.trend)
    chart = writer.book.add_chart({"type": "column"})
    for c, kleur in ((1, "#4472C4"), (2, "#70AD47")):
        chart.add_series(
            {
                "name": [BLAD_TREND, 0, c],
                "categories": [BLAD_TREND, 1, 0, n, 0],
                "values": [BLAD_TREND, 1, c, n, c],
                "fill": {"color": kleur},
            }
        )
    lijn = writer.book.add_chart({"type": "line"})
    lijn.add_series(
        {
            "name": [BLAD_TREND, 0, 4],
            "categories": [BLAD_TREND, 1, 0, n, 0],
            "values": [BLAD_TREND, 1, 4, n, 4],
            "line": {"color": "#C00000", "width": 2.25},
            "marker": {"type": "circle"},
        }
    )
    chart.combine(lijn)
    chart.set_title({"name": "Klachten per maand (12 maanden)"})
    chart.set_y_axis(
        {"name": "Aantal klachten", "min": 0, "num_format": "0", "major_gridlines": {"visible": True}}
    )
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 760, "height": 360})
    ws.insert_chart(n + 3, 0, chart)


def _naleving(writer, a: Analyse, f: _Opmaak) -> None:
    _tabel(
        writer,
        BLAD_NALEVING,
        a.termijnnaleving,
        f,
        breedtes=(44, 12, 12, 14, 12, 12, 14),
        procent=("Maand: % op tijd", "Jaar: % op tijd"),
    )
    ws = writer.sheets[BLAD_NALEVING]
    n = len(TERMIJNEN)
    for i, (kolom, titel) in enumerate(((1, a.maand.kop), (4, a.jaar.kop))):
        chart = writer.book.add_chart({"type": "bar", "subtype": "stacked"})
        for c, kleur in ((kolom, "#70AD47"), (kolom + 1, "#C00000")):
            chart.add_series(
                {
                    "name": [BLAD_NALEVING, 0, c],
                    "categories": [BLAD_NALEVING, 1, 0, n, 0],
                    "values": [BLAD_NALEVING, 1, c, n, c],
                    "fill": {"color": kleur},
                    "data_labels": {"value": True},
                }
            )
        chart.set_title({"name": f"Termijnnaleving {titel}"})
        chart.set_x_axis({"name": "Aantal termijnen", "min": 0, "num_format": "0"})
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 620, "height": 300})
        ws.insert_chart(n + 3 + i * 16, 0, chart)


def _categorie_grafiek(writer, a: Analyse) -> None:
    blad = "Categorie"
    frame = a.verdelingen[blad]
    n = len(frame)
    ws = writer.sheets[blad]
    chart = writer.book.add_chart({"type": "bar"})
    for c, kleur in ((2, "#4472C4"), (3, "#A5A5A5")):
        chart.add_series(
            {
                "name": [blad, 0, c],
                "categories": [blad, 1, 0, n, 0],
                "values": [blad, 1, c, n, c],
                "fill": {"color": kleur},
            }
        )
    chart.set_title({"name": "Klachten per categorie"})
    chart.set_x_axis({"name": "Aantal klachten", "min": 0, "num_format": "0"})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 620, "height": 380})
    ws.insert_chart(n + 3, 0, chart)


def _toelichting(writer, f: _Opmaak) -> None:
    ws = writer.book.add_worksheet(BLAD_TOELICHTING)
    writer.sheets[BLAD_TOELICHTING] = ws
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 110, f.tekst)
    ws.write_string(0, 0, "Begrip", f.kop)
    ws.write_string(0, 1, "Uitleg", f.kop)
    for r, (begrip, uitleg) in enumerate(TOELICHTING, start=1):
        ws.write_string(r, 0, begrip, f.begrip)
        ws.write_string(r, 1, uitleg, f.tekst)
        ws.set_row(r, 15 * (len(uitleg) // 100 + 1))
    _afdruk(ws, 0)
