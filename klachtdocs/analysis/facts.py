"""The quality facts of each klacht, read from the register without any personal data.

The monthly analysis needs a dozen columns of every row, and a register of ten years is
large; so this reads those columns directly (with validatie's cell rules) instead of
running the full validation. Names and e-mail addresses are used only to tell whether two
klachten come from the same indiener, and are replaced by a number on the spot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import itemgetter

from klachtdocs.rules import register as rf
from klachtdocs.rules.rows import Cell, Werkboek
from klachtdocs.rules.validatie import datum, tekst

#: The columns the analysis reads; nothing else of a row is looked at.
KOLOMMEN = (
    "Klachtnummer",
    "Datum ontvangst",
    "Naam indiener",
    "E-mailadres",
    "Rol indiener",
    "Dienst",
    "Categorie",
    "Besluit",
    "Grond niet in behandeling",
    "Verdaagd tot",
    "Datum afgehandeld",
    "Voortijdig gesloten op verzoek",
)


@dataclass
class Feiten:
    """Column lists, one entry per klacht with a readable Datum ontvangst."""

    nummer: list[str] = field(default_factory=list)
    ontvangen: list[date] = field(default_factory=list)  # dates, or datetimes as Excel stores them
    indiener: list[int] = field(default_factory=list)  # -1: unknown; same number, same indiener
    rol: list[str] = field(default_factory=list)  # "" when empty or not in the vocabulary
    dienst: list[str] = field(default_factory=list)
    categorie: list[str] = field(default_factory=list)
    besluit: list[str] = field(default_factory=list)
    grond: list[str] = field(default_factory=list)
    verdaagd_tot: list[date | None] = field(default_factory=list)
    afgehandeld: list[date | None] = field(default_factory=list)
    voortijdig: list[bool] = field(default_factory=list)
    zonder_datum: int = 0  # rows skipped: no readable Datum ontvangst
    leesbaar: bool = True  # False when the sheet or a column is missing

    def __len__(self) -> int:
        return len(self.nummer)


def _kolommen(rows: list[list[Cell]], indexen: list[int]) -> list[tuple[Cell, ...]]:
    """Return the columns at *indexen* of *rows* (short rows padded with None)."""
    breedte = max(indexen) + 1
    if any(len(row) < breedte for row in rows):
        rows = [list(row) + [None] * (breedte - len(row)) for row in rows]
    if not rows:
        return [() for _ in indexen]
    if len(indexen) == 1:
        return [tuple(row[indexen[0]] for row in rows)]
    return list(zip(*map(itemgetter(*indexen), rows), strict=True))


def _datum_of_none(value: Cell) -> date | None:
    try:
        return datum(value)  # None also for a date outside the range klachtdocs accepts
    except ValueError:
        return None


_EERSTE = datetime.combine(rf.EERSTE_DATUM, datetime.min.time())
_NA_LAATSTE = datetime.combine(rf.LAATSTE_DATUM, datetime.min.time()) + timedelta(days=1)


def _datums(values: tuple[Cell, ...]) -> list[date | None]:
    # Excel dates arrive as datetimes at midnight; they are kept as they are (a datetime is a date).
    return [v if type(v) is datetime and _EERSTE <= v < _NA_LAATSTE else _datum_of_none(v) for v in values]


def _memo(values: tuple[Cell, ...], fn) -> list:
    """Return [fn(v) for v in values], computing fn once per distinct value."""
    leeg = fn(None)
    cache: dict = {}
    out = []
    for v in values:
        if v is None or v == "":
            out.append(leeg)
            continue
        key = v if type(v) is str else (type(v), v)  # True, 1 and 1.0 are equal keys otherwise
        try:
            out.append(cache[key])
        except KeyError:
            out.append(cache.setdefault(key, fn(v)))
        except TypeError:  # an unhashable cell value
            out.append(fn(v))
    return out


def _keuze(values: tuple[Cell, ...], allowed: tuple[str, ...]) -> list[str]:
    table = rf.vocabulaire(allowed)

    def kies(value: Cell) -> str:
        text = tekst(value)
        return rf.kies(table, text) or ""

    return _memo(values, kies)


def lees_feiten(werkboek: Werkboek, categorieen: tuple[str, ...] = rf.STANDAARD_CATEGORIEEN) -> Feiten:
    """Return the Feiten of the Klachten sheet of *werkboek* (empty cells may be None or "")."""
    feiten = Feiten()
    rows = werkboek.blad(rf.BLAD_KLACHTEN)
    if not rows:
        feiten.leesbaar = False
        return feiten
    kop = {rf.fold_key(tekst(c)): i for i, c in reversed(list(enumerate(rows[0]))) if c not in (None, "")}
    index = [kop.get(rf.fold_key(k)) for k in KOLOMMEN]
    if any(i is None for i in index):
        feiten.leesbaar = False
        return feiten
    body = rows[1:]
    (
        nummer,
        ontvangen_cel,
        naam,
        email,
        rol,
        dienst,
        categorie,
        besluit,
        grond,
        verdaagd,
        afgehandeld,
        voortijdig,
    ) = _kolommen(body, index)
    ontvangen = _datums(ontvangen_cel)
    keep = [i for i, d in enumerate(ontvangen) if d is not None]
    if len(keep) < len(body):
        leeg = [i for i, d in enumerate(ontvangen) if d is None]
        feiten.zonder_datum = sum(
            1
            for i in leeg
            if any(c is not None and not (isinstance(c, str) and not c.strip()) for c in body[i])
        )

        def houd(col: tuple) -> tuple:
            return tuple(col[i] for i in keep)

        (nummer, naam, email, rol, dienst, categorie, besluit, grond, verdaagd, afgehandeld, voortijdig) = (
            map(
                houd,
                (
                    nummer,
                    naam,
                    email,
                    rol,
                    dienst,
                    categorie,
                    besluit,
                    grond,
                    verdaagd,
                    afgehandeld,
                    voortijdig,
                ),
            )
        )
        ontvangen = [ontvangen[i] for i in keep]
    rijen = [i + 2 for i in keep]
    feiten.ontvangen = ontvangen
    feiten.nummer = [
        n if n else f"(rij {r}, zonder nummer)" for n, r in zip(map(tekst, nummer), rijen, strict=True)
    ]
    codes: dict[str, int] = {}

    def code(key: str) -> int:
        return codes.setdefault(key, len(codes)) if key else -1

    namen = _memo(naam, lambda v: rf.fold_key(tekst(v)))
    emails = _memo(email, lambda v: rf.fold_key(tekst(v)))
    feiten.indiener = [code(n or e) for n, e in zip(namen, emails, strict=True)]
    feiten.rol = _keuze(rol, rf.ROLLEN)
    feiten.dienst = _keuze(dienst, rf.DIENSTEN)
    feiten.categorie = _keuze(categorie, categorieen)
    feiten.besluit = _keuze(besluit, rf.BESLUITEN)
    feiten.grond = _keuze(grond, rf.GRONDEN)
    feiten.verdaagd_tot = _datums(verdaagd)
    feiten.afgehandeld = _datums(afgehandeld)
    feiten.voortijdig = _memo(voortijdig, lambda v: v is True or rf.fold_key(tekst(v)) == "ja")
    return feiten
