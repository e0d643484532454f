"""Turn the register's rows into Klacht objects and meldingen; never raises on bad data."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, time

from klachtdocs.rules import register as rf
from klachtdocs.rules.dutch import datum_buiten_bereik, datum_kort, parse_datum_tekst
from klachtdocs.rules.kalender import Kalender
from klachtdocs.rules.memo import Memo
from klachtdocs.rules.model import FOUT, WAARSCHUWING, Contactmoment, Klacht, Medewerker, Melding, Register
from klachtdocs.rules.rows import Cell, Werkboek, kolomletter
from klachtdocs.rules.termijnen import bereken

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
MAX_TEKST = 32_767  # Excel's own cell limit

# Klachten columns -> Klacht field, for the plain text columns.
_TEKST_VELDEN = {
    "Naam indiener": "naam_indiener",
    "E-mailadres": "email",
    "Telefoonnummer": "telefoon",
    "Postadres": "postadres",
    "Gemachtigde": "gemachtigde",
    "Contactpersoon": "contactpersoon",
    "Omschrijving": "omschrijving",
    "Klachtbehandelaar": "klachtbehandelaar",
    "Toelichting besluit": "toelichting_besluit",
    "Reden verdaging": "reden_verdaging",
    "Beslissing": "beslissing",
    "Maatregelen": "maatregelen",
}
_DATUM_VELDEN = {
    "Datum ontvangst": "datum_ontvangst",
    "Datum voorval": "datum_voorval",
    "Verdaagd tot": "verdaagd_tot",
    "Datum afgehandeld": "datum_afgehandeld",
}
_JA_NEE_VELDEN = {
    "Correspondentie per post": "per_post",
    "Afschrift aan contactpersoon": "afschrift",
    "Voortijdig gesloten op verzoek": "voortijdig_gesloten",
}


def tekst(value: Cell) -> str:
    """Return a cell value as clean text: control characters removed, trimmed."""
    if value is None:
        return ""
    if type(value) is str and value.isprintable():  # the common case: no control characters
        return value.strip()[:MAX_TEKST]
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return datum_kort(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()[:MAX_TEKST]


def datum(value: Cell) -> date | None:
    """Return the date in a cell (None when empty); raise ValueError saying what it holds instead.

    A date before registerformaat.EERSTE_DATUM or after LAATSTE_DATUM is refused too.
    """
    if value is None:
        return None
    if type(value) is datetime:
        return _in_bereik(value.date())
    if isinstance(value, date) and not isinstance(value, datetime):
        return _in_bereik(value)
    if isinstance(value, str):
        if not value.strip():
            return None
        parsed = parse_datum_tekst(value)
        if parsed is not None:
            return _in_bereik(parsed)
        raise ValueError(
            f"'{tekst(value)[:40]}' is geen datum. Typ de datum als dd-mm-jjjj "
            "(bijvoorbeeld 05-04-2026) of kies een datum in Excel."
        )
    if isinstance(value, datetime):
        return _in_bereik(value.date())
    if isinstance(value, time):
        what = "een tijd"
    elif isinstance(value, (int, float)) and not 0 < value < 2_958_466:  # Excel's dates: 1900 to 9999
        raise ValueError(
            f"De cel bevat het getal {tekst(value)[:40]}; als datum ligt dat buiten de datums "
            f"die klachtdocs verwerkt ({rf.EERSTE_DATUM.year} tot en met {rf.LAATSTE_DATUM.year}). "
            "Typ de datum als dd-mm-jjjj."
        )
    elif isinstance(value, (int, float)):
        what = f"het getal {tekst(value)}"
    else:
        what = f"'{tekst(value)[:40]}'"
    raise ValueError(
        f"De cel bevat {what} in plaats van een datum. Geef de cel de opmaak Datum "
        "of typ de datum als dd-mm-jjjj."
    )


def _in_bereik(day: date) -> date:
    if not rf.EERSTE_DATUM <= day <= rf.LAATSTE_DATUM:
        raise ValueError(datum_buiten_bereik(day, rf.EERSTE_DATUM, rf.LAATSTE_DATUM))
    return day


class _RowReader:
    """Read the cells of one row by column name, collecting meldingen."""

    def __init__(
        self, blad: str, rij: int, cells: list[Cell], index: dict[str, int], meldingen: list[Melding]
    ) -> None:
        self.blad, self.rij, self.cells, self.index = blad, rij, cells, index
        self.meldingen = meldingen
        self.klachtnummer = ""
        self.fout = False

    formules: frozenset[tuple[int, int]] = frozenset()  # (row, col), 0-based: formulas without result

    def raw(self, kolom: str) -> Cell:
        i = self.index.get(kolom)
        if self.formules and i is not None and (self.rij - 1, i) in self.formules:
            self.formules = self.formules - {(self.rij - 1, i)}  # one melding per cell
            self.meld(
                kolom,
                FOUT,
                f"Cel {kolomletter(i)}{self.rij} bevat een formule zonder opgeslagen "
                "uitkomst (het bestand is niet met Excel opgeslagen). Open het register in Excel en "
                "sla het op, of typ de waarde zelf in.",
            )
            return None
        return self.cells[i] if i is not None and i < len(self.cells) else None

    def meld(self, kolom: str, niveau: str, text: str) -> None:
        self.fout |= niveau == FOUT
        self.meldingen.append(Melding(niveau, text, self.rij, self.klachtnummer, kolom, self.blad))

    def tekst(self, kolom: str) -> str:
        return tekst(self.raw(kolom))

    def datum(self, kolom: str, niveau: str = FOUT) -> date | None:
        try:
            return datum(self.raw(kolom))
        except ValueError as exc:
            self.meld(kolom, niveau, str(exc))
            return None

    def keuze(self, kolom: str, table: dict[str, str], allowed: tuple[str, ...]) -> str:
        value = self.tekst(kolom)
        if not value:
            return ""
        found = rf.kies(table, value)
        if found is None:
            options = ", ".join(allowed)
            self.meld(kolom, FOUT, f"'{value[:40]}' is geen geldige waarde. Kies uit: {options}.")
            return ""
        return found

    def ja_nee(self, kolom: str) -> bool:
        value = self.raw(kolom)
        if isinstance(value, bool):
            return value
        text = rf.fold_key(tekst(value))
        if text in ("", "nee"):
            return False
        if text == "ja":
            return True
        self.meld(kolom, FOUT, f"'{tekst(value)[:40]}' is geen ja of nee. Kies ja of nee.")
        return False


def _kolom_index(
    header: list[Cell], verwacht: tuple[str, ...], blad: str, meldingen: list[Melding], niveau: str
) -> dict[str, int] | None:
    """Return column name -> index for *verwacht*, or None when a header is missing or doubled."""
    gevonden: dict[str, list[int]] = defaultdict(list)
    for i, cell in enumerate(header):
        if cell is not None:
            gevonden[rf.fold_key(tekst(cell))].append(i)
    index, ok = {}, True
    for kolom in verwacht:
        posities = gevonden.get(rf.fold_key(kolom), [])
        if not posities:
            ok = False
            meldingen.append(
                Melding(
                    niveau,
                    f"De kolom '{kolom}' ontbreekt in rij 1 van blad "
                    f"'{blad}'. Voeg de kolomkop precies zo toe.",
                    1,
                    "",
                    kolom,
                    blad,
                )
            )
        elif len(posities) > 1:
            ok = False
            letters = " en ".join(kolomletter(p) for p in posities)
            meldingen.append(
                Melding(
                    niveau,
                    f"De kolom '{kolom}' staat meer dan eens in rij 1 "
                    f"(kolommen {letters}). Laat er één over.",
                    1,
                    "",
                    kolom,
                    blad,
                )
            )
        else:
            index[kolom] = posities[0]
    return index if ok else None


def _is_leeg(row: list[Cell]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in row)


def valideer(
    werkboek: Werkboek,
    kalender: Kalender,
    vandaag: date,
    categorieen: tuple[str, ...] = rf.STANDAARD_CATEGORIEEN,
    memo: Memo | None = None,
) -> Register:
    """Return the Register made from *werkboek*, with every problem as a Melding.

    With a *memo*, a row read the same way in an earlier pass is not read again: its key
    holds its cells, their types, its row number and everything else reading it depends on.
    """
    register = Register()
    rows = werkboek.blad(rf.BLAD_KLACHTEN)
    if rows is None:
        namen = ", ".join(f"'{n}'" for n in werkboek.bladen) or "geen"
        register.meldingen.append(
            Melding(
                FOUT,
                f"Het blad '{rf.BLAD_KLACHTEN}' ontbreekt (bladen "
                f"in het bestand: {namen}). Geef het klachtenblad de naam Klachten.",
                None,
                "",
                "",
                rf.BLAD_KLACHTEN,
            )
        )
        register.structuur_fout = True
        return register
    index = _kolom_index(
        rows[0] if rows else [], rf.KLACHTEN_KOLOMMEN, rf.BLAD_KLACHTEN, register.meldingen, FOUT
    )
    if index is None:
        register.structuur_fout = True
        return register
    register.medewerkers = medewerkers = _lees_medewerkers(werkboek, register.meldingen)
    tables = {
        "Rol indiener": (rf.vocabulaire(rf.ROLLEN), rf.ROLLEN),
        "Dienst": (rf.vocabulaire(rf.DIENSTEN), rf.DIENSTEN),
        "Categorie": (rf.vocabulaire(categorieen), categorieen),
        "Besluit": (rf.vocabulaire(rf.BESLUITEN), rf.BESLUITEN),
        "Grond niet in behandeling": (rf.vocabulaire(rf.GRONDEN), rf.GRONDEN),
    }
    _samengevoegd(werkboek, index, register.meldingen)
    formules = frozenset(werkboek.formules_zonder_uitkomst(rf.BLAD_KLACHTEN))
    if memo is not None:
        # Everything but the row itself that reading a row depends on; the memo's own copy from
        # an earlier pass, when equal, so that comparing keys finds the same object.
        context = (
            tuple(index.items()),
            categorieen,
            kalender.sluitingsdagen,
            vandaag,
            tuple(sorted(medewerkers.items())),
        )
        context = memo(("rij-context", context), lambda: context)
    klachten: list[Klacht] = []
    for r, cells in enumerate(rows[1:], start=2):
        eigen = frozenset(f for f in formules if f[0] == r - 1) if formules else frozenset()
        if not eigen and _is_leeg(cells):
            continue

        def read_row(r=r, cells=cells, eigen=eigen) -> tuple[Klacht, tuple[Melding, ...]]:
            meldingen: list[Melding] = []
            reader = _RowReader(rf.BLAD_KLACHTEN, r, cells, index, meldingen)
            reader.formules = eigen
            return _lees_klacht(reader, tables, kalender, vandaag, medewerkers), tuple(meldingen)

        if memo is None or eigen:  # its formulas are not in its cells, nor in the key: read it anew
            klacht, meldingen = read_row()
        else:
            # with the types: 1, 1.0 and True are equal keys, but need not be read the same way
            klacht, meldingen = memo(("rij", context, r, tuple(map(type, cells)), *cells), read_row)
        klachten.append(klacht)
        register.meldingen += meldingen
    klachten = _dubbele_nummers(klachten, register.meldingen)
    _mogelijk_eerder_afgehandeld(klachten, register.meldingen)
    register.klachten = klachten
    # the same Termijnen _samenhang used: bereken keeps them per Kalender
    register.termijnen = {
        k.rij: bereken(k.datum_ontvangst, kalender) for k in klachten if k.datum_ontvangst is not None
    }
    register.contactmomenten = _lees_contactmomenten(werkboek, klachten, register.meldingen)
    return register


def _samengevoegd(werkboek: Werkboek, index: dict[str, int], meldingen: list[Melding]) -> None:
    """Warn about merged cells: only their first cell holds a value, the others read as empty."""
    kolommen = {i: k for k, i in index.items()}
    for r1, c1, r2, c2 in werkboek.samengevoegde_cellen(rf.BLAD_KLACHTEN):
        bereik = f"{kolomletter(c1)}{r1 + 1}:{kolomletter(c2)}{r2 + 1}"
        meldingen.append(
            Melding(
                WAARSCHUWING,
                f"De cellen {bereik} zijn samengevoegd; klachtdocs leest "
                f"alleen de eerste cel ({kolomletter(c1)}{r1 + 1}), de andere lijken leeg. Maak het "
                "samenvoegen ongedaan (Start > Samenvoegen en centreren) en vul elke cel zelf in.",
                r1 + 1,
                "",
                kolommen.get(c1, kolomletter(c1)),
            )
        )


def _lees_klacht(
    rd: _RowReader, tables: dict, kalender: Kalender, vandaag: date, medewerkers: dict[str, Medewerker]
) -> Klacht:
    nummer = rd.tekst("Klachtnummer")
    rd.klachtnummer = nummer
    if not nummer:
        rd.meld("Klachtnummer", FOUT, "Het klachtnummer ontbreekt. Geef de klacht een uniek nummer.")
    elif "\n" in nummer:
        rd.meld(
            "Klachtnummer",
            FOUT,
            "Het klachtnummer bestaat uit meer dan één regel. Zet het nummer op één regel.",
        )
    elif len(nummer) > 100:
        rd.meld("Klachtnummer", FOUT, "Het klachtnummer is langer dan 100 tekens. Kies een korter nummer.")
    velden: dict = {veld: rd.tekst(kolom) for kolom, veld in _TEKST_VELDEN.items()}
    velden |= {veld: rd.datum(kolom) for kolom, veld in _DATUM_VELDEN.items()}
    velden |= {veld: rd.ja_nee(kolom) for kolom, veld in _JA_NEE_VELDEN.items()}
    velden["rol_indiener"] = rd.keuze("Rol indiener", *tables["Rol indiener"])
    velden["dienst"] = rd.keuze("Dienst", *tables["Dienst"])
    velden["categorie"] = rd.keuze("Categorie", *tables["Categorie"])
    velden["besluit"] = rd.keuze("Besluit", *tables["Besluit"])
    velden["grond"] = rd.keuze("Grond niet in behandeling", *tables["Grond niet in behandeling"])
    k = Klacht(rij=rd.rij, klachtnummer=nummer, **velden)
    _verplicht(rd, k)
    _samenhang(rd, k, kalender, vandaag, medewerkers)
    return replace(k, heeft_fout=True) if rd.fout else k


def _verplicht(rd: _RowReader, k: Klacht) -> None:
    """Add a fout for each field art. 4.2 requires that is empty."""
    missing = [
        (
            "Datum ontvangst",
            k.datum_ontvangst is None and rd.raw("Datum ontvangst") is None,
            "Vul de datum in waarop de klacht binnenkwam.",
        ),
        ("Naam indiener", not k.naam_indiener, "Vul de naam van de indiener in (art. 4.2a)."),
        (
            "Contactpersoon",
            not k.contactpersoon,
            "Vul de naam van de contactpersoon bij NextBest in (art. 4.2c).",
        ),
        (
            "Datum voorval",
            k.datum_voorval is None and rd.raw("Datum voorval") is None,
            "Vul de datum van het voorval in (art. 4.2d).",
        ),
        ("Omschrijving", not k.omschrijving, "Vul een korte omschrijving van de feiten in (art. 4.2e)."),
    ]
    for kolom, ontbreekt, hoe in missing:
        if ontbreekt:
            rd.meld(kolom, FOUT, f"{kolom} ontbreekt. {hoe}")
    if not k.email and not k.telefoon:
        rd.meld(
            "E-mailadres",
            FOUT,
            "E-mailadres en Telefoonnummer ontbreken allebei. Vul minstens één van beide in (art. 4.2a).",
        )
    elif k.telefoon and not k.email and not k.postadres:
        rd.meld(
            "E-mailadres",
            WAARSCHUWING,
            "Er is alleen een Telefoonnummer: de brieven (art. 5, 6.3, "
            "9 en 10) kunnen niet per e-mail of per post worden verstuurd. Vul het E-mailadres of "
            "het Postadres in.",
        )
    if k.per_post and not k.postadres:
        rd.meld(
            "Postadres",
            FOUT,
            "Correspondentie per post is 'ja' maar het Postadres ontbreekt. "
            "Vul het postadres in (art. 4.2b).",
        )
    if k.besluit == rf.NIET_IN_BEHANDELING and not k.grond and not rd.tekst("Grond niet in behandeling"):
        rd.meld(
            "Grond niet in behandeling",
            FOUT,
            "Besluit is 'niet in behandeling' maar de grond ontbreekt. Kies de grond uit de lijst.",
        )
    if k.verdaagd_tot and not k.reden_verdaging:
        rd.meld(
            "Reden verdaging",
            FOUT,
            "Verdaagd tot is ingevuld maar de Reden verdaging "
            "ontbreekt. De verdaging moet gemotiveerd worden (art. 9.2).",
        )


def _samenhang(
    rd: _RowReader, k: Klacht, kalender: Kalender, vandaag: date, medewerkers: dict[str, Medewerker]
) -> None:
    """Add the meldingen about how the fields of one row fit together."""
    if k.datum_ontvangst is None:
        return
    t = bereken(k.datum_ontvangst, kalender)
    if k.datum_ontvangst > vandaag:
        rd.meld(
            "Datum ontvangst",
            WAARSCHUWING,
            f"Datum ontvangst ({datum_kort(k.datum_ontvangst)}) ligt in de toekomst. Controleer de datum.",
        )
    if k.datum_afgehandeld and k.datum_afgehandeld < k.datum_ontvangst:
        rd.meld(
            "Datum afgehandeld", FOUT, "Datum afgehandeld ligt vóór Datum ontvangst. Controleer beide datums."
        )
    if k.verdaagd_tot and k.verdaagd_tot <= k.datum_ontvangst:
        rd.meld("Verdaagd tot", FOUT, "Verdaagd tot ligt niet na Datum ontvangst. Controleer de datum.")
    if k.datum_voorval and k.datum_voorval > k.datum_ontvangst:
        rd.meld("Datum voorval", WAARSCHUWING, "Datum voorval ligt na Datum ontvangst. Controleer de datum.")
    besluit_gekozen = k.besluit == rf.NIET_IN_BEHANDELING or bool(
        rd.tekst("Besluit") and not k.besluit
    )  # or mistyped
    if k.datum_voorval and k.datum_voorval < t.grens_een_jaar and not besluit_gekozen:
        rd.meld(
            "Datum voorval",
            WAARSCHUWING,
            "Het voorval was meer dan een jaar vóór de "
            f"ontvangst (vóór {datum_kort(t.grens_een_jaar)}). Overweeg Besluit 'niet in "
            f"behandeling' met grond '{rf.GROND_OUDER}'.",
        )
    if k.verdaagd_tot and k.verdaagd_tot > t.afhandeling_uiterlijk:
        rd.meld(
            "Verdaagd tot",
            WAARSCHUWING,
            f"Verdaagd tot ({datum_kort(k.verdaagd_tot)}) ligt na"
            f" de uiterste afhandeldatum {datum_kort(t.afhandeling_uiterlijk)}: verdagen kan "
            "ten hoogste vier weken (art. 9.2). Kies een eerdere datum.",
        )
    if k.verdaagd_tot and k.datum_ontvangst < k.verdaagd_tot < t.streefdatum_afhandeling:
        rd.meld(
            "Verdaagd tot",
            WAARSCHUWING,
            f"Verdaagd tot ({datum_kort(k.verdaagd_tot)}) ligt vóór de "
            f"streefdatum {datum_kort(t.streefdatum_afhandeling)}: zo verkort de verdaging de termijn "
            "in plaats van die te verlengen (art. 9.2). Kies een datum na de streefdatum, of maak "
            "Verdaagd tot leeg.",
        )
    if k.verdaagd_tot and k.besluit == rf.NIET_IN_BEHANDELING:
        rd.meld(
            "Verdaagd tot",
            WAARSCHUWING,
            "De klacht is niet in behandeling genomen; er wordt "
            "geen verdagingsbrief gemaakt. Maak Verdaagd tot leeg.",
        )
    if (
        k.datum_afgehandeld
        and k.besluit != rf.NIET_IN_BEHANDELING
        and not (k.beslissing or k.voortijdig_gesloten)
    ):
        rd.meld(
            "Beslissing",
            WAARSCHUWING,
            "Datum afgehandeld is ingevuld maar de Beslissing "
            "ontbreekt; de afsluitingsbrief wacht daarop. Vul de Beslissing in (art. 9.1).",
        )
    if not k.klachtbehandelaar:
        rd.meld(
            "Klachtbehandelaar",
            WAARSCHUWING,
            "De klachtbehandelaar ontbreekt; de "
            "ontvangstbevestiging wacht daarop (art. 5). Vul de klachtbehandelaar in.",
        )
    elif rf.fold_key(k.klachtbehandelaar) not in medewerkers:
        rd.meld(
            "Klachtbehandelaar",
            WAARSCHUWING,
            f"'{k.klachtbehandelaar}' staat niet op het "
            "blad Medewerkers; de brieven noemen daarom de algemene contactgegevens. Voeg "
            "deze persoon toe aan Medewerkers.",
        )


def _dubbele_nummers(klachten: list[Klacht], meldingen: list[Melding]) -> list[Klacht]:
    """Mark every klacht whose klachtnummer is used more than once with a fout."""
    rows: dict[str, list[int]] = defaultdict(list)
    for k in klachten:
        if k.klachtnummer:
            rows[rf.fold_key(k.klachtnummer)].append(k.rij)
    result = []
    for k in klachten:
        andere = [r for r in rows.get(rf.fold_key(k.klachtnummer), []) if r != k.rij]
        if andere:
            lijst = ", ".join(str(r) for r in andere)
            meldingen.append(
                Melding(
                    FOUT,
                    f"Klachtnummer '{k.klachtnummer}' komt ook voor in rij "
                    f"{lijst} (hoofdletters tellen niet mee). Geef elke klacht een eigen nummer.",
                    k.rij,
                    k.klachtnummer,
                    "Klachtnummer",
                )
            )
            k = replace(k, heeft_fout=True)
        result.append(k)
    return result


def _mogelijk_eerder_afgehandeld(klachten: list[Klacht], meldingen: list[Melding]) -> None:
    """Warn when indiener and contactpersoon match an earlier closed klacht (art. 6.2a)."""
    gesloten: dict[tuple[str, str], list[Klacht]] = defaultdict(list)
    for k in klachten:
        if k.datum_afgehandeld and k.naam_indiener and k.contactpersoon:
            gesloten[(rf.fold_key(k.naam_indiener), rf.fold_key(k.contactpersoon))].append(k)
    for k in klachten:
        if k.datum_ontvangst is None or k.besluit == rf.NIET_IN_BEHANDELING:
            continue
        key = (rf.fold_key(k.naam_indiener), rf.fold_key(k.contactpersoon))
        eerder = [
            e
            for e in gesloten.get(key, [])
            if e is not k and e.datum_afgehandeld and e.datum_afgehandeld <= k.datum_ontvangst
        ]
        if eerder:
            nummers = ", ".join(e.klachtnummer for e in eerder)
            meldingen.append(
                Melding(
                    WAARSCHUWING,
                    "Dezelfde indiener en contactpersoon als bij "
                    f"de eerder afgehandelde klacht {nummers}. Gaat het om dezelfde gedraging, kies "
                    f"dan Besluit 'niet in behandeling' met grond '{rf.GROND_EERDER}'.",
                    k.rij,
                    k.klachtnummer,
                    "Naam indiener",
                )
            )


def _lees_medewerkers(werkboek: Werkboek, meldingen: list[Melding]) -> dict[str, Medewerker]:
    rows = werkboek.blad(rf.BLAD_MEDEWERKERS)
    if rows is None:
        meldingen.append(
            Melding(
                WAARSCHUWING,
                f"Het blad '{rf.BLAD_MEDEWERKERS}' ontbreekt; de "
                "brieven noemen daarom de algemene contactgegevens. Voeg het blad toe met de kolommen "
                "Naam, Functie, E-mailadres, Telefoonnummer.",
                None,
                "",
                "",
                rf.BLAD_MEDEWERKERS,
            )
        )
        return {}
    index = _kolom_index(
        rows[0] if rows else [], rf.MEDEWERKERS_KOLOMMEN, rf.BLAD_MEDEWERKERS, meldingen, WAARSCHUWING
    )
    if index is None:
        return {}
    result = {}
    for r, cells in enumerate(rows[1:], start=2):
        rd = _RowReader(rf.BLAD_MEDEWERKERS, r, cells, index, meldingen)
        naam = rd.tekst("Naam")
        if naam:
            result[rf.fold_key(naam)] = Medewerker(
                naam, rd.tekst("Functie"), rd.tekst("E-mailadres"), rd.tekst("Telefoonnummer")
            )
    return result


def _lees_contactmomenten(
    werkboek: Werkboek, klachten: list[Klacht], meldingen: list[Melding]
) -> dict[str, list[Contactmoment]]:
    rows = werkboek.blad(rf.BLAD_CONTACTMOMENTEN)
    if rows is None:
        return {}
    index = _kolom_index(
        rows[0] if rows else [], rf.CONTACTMOMENTEN_KOLOMMEN, rf.BLAD_CONTACTMOMENTEN, meldingen, WAARSCHUWING
    )
    if index is None:
        return {}
    bekend = {rf.fold_key(k.klachtnummer): k.klachtnummer for k in klachten}
    result: dict[str, list[Contactmoment]] = defaultdict(list)
    for r, cells in enumerate(rows[1:], start=2):
        if _is_leeg(cells):
            continue
        rd = _RowReader(rf.BLAD_CONTACTMOMENTEN, r, cells, index, meldingen)
        nummer = rd.tekst("Klachtnummer")
        rd.klachtnummer = nummer
        if rf.fold_key(nummer) not in bekend:
            rd.meld(
                "Klachtnummer",
                WAARSCHUWING,
                f"Klachtnummer '{nummer[:40]}' staat niet op het blad Klachten. Controleer het nummer.",
            )
            continue
        nummer = bekend[rf.fold_key(nummer)]
        result[nummer].append(
            Contactmoment(
                nummer,
                rd.datum("Datum", WAARSCHUWING),
                rd.tekst("Soort"),
                rd.tekst("Samenvatting"),
                rd.tekst("Afspraken"),
            )
        )
    for lijst in result.values():
        lijst.sort(key=lambda c: c.datum or date.min)
    return dict(result)
