"""overzicht.xlsx: the staff's view of deadlines, meldingen and letters made."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from klachtdocs.reports.xlsx import BLOCK, Sheet, schrijf
from klachtdocs.rules.memo import Memo
from klachtdocs.rules.model import Melding

TERMIJNEN_COLUMNS = (
    "Klachtnummer",
    "Status",
    "Volgende stap",
    "Ontvangstbevestiging uiterlijk",
    "Afwijzing uiterlijk",
    "Streefdatum afhandeling",
    "Afhandeling uiterlijk",
    "Te laat",
)
MELDINGEN_COLUMNS = ("Rij", "Klachtnummer", "Kolom", "Niveau", "Melding")
BRIEVEN_COLUMNS = ("Klachtnummer", "Soort", "Versie", "Bestand", "Gemaakt op")
WIDTHS = {
    "Termijnen": (16, 20, 70, 22, 16, 16, 16, 26),
    "Meldingen": (6, 16, 26, 13, 100),
    "Brieven": (16, 22, 8, 70, 18),
}


@dataclass(frozen=True)
class Overzicht:
    """The rows of overzicht.xlsx: plain values (str, int, date, datetime, None)."""

    termijnen: Sequence[tuple]
    meldingen: Sequence[tuple]
    brieven: Sequence[tuple]


class Rows(Sequence):
    """Rows made on demand, *rij(item)* for each of *items*: years of letters need not sit in memory."""

    def __init__(self, items: Sequence, rij: Callable[[object], tuple]) -> None:
        self.items, self.rij = items, rij

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return tuple(map(self.rij, self.items[i]))
        return self.rij(self.items[i])


def melding_row(m: Melding) -> tuple:
    """Return the row of the Meldingen sheet for *m*."""
    kolom = m.kolom if m.blad == "Klachten" or not m.blad else f"{m.blad}: {m.kolom}".rstrip(": ")
    return (m.rij, m.klachtnummer, kolom, m.niveau, m.tekst)


def rijhoogte(row: tuple, breedtes: tuple[int, ...]) -> float:
    """Return a row height (points) that shows the row's wrapped text; Excel cannot autofit it."""
    regels = 1
    for value, breedte in zip(row, breedtes, strict=False):
        if type(value) is str and (len(value) > breedte - 2 or "\n" in value):
            per_regel = max(breedte - 2, 1)
            regels = max(regels, sum(-(-len(part) // per_regel) or 1 for part in value.split("\n")))
    return 15.0 * min(regels, 20)


def content_hash(overzicht: Overzicht, memo: Memo | None = None) -> str:
    """Return a hash of the values in *overzicht*: equal hashes, equal workbooks (but for timestamps).

    Hashed in blocks of rows; with a *memo*, a block hashed before is not hashed again.
    """
    h = hashlib.blake2b(digest_size=16)
    for i, deel in enumerate((overzicht.termijnen, overzicht.meldingen, overzicht.brieven)):
        h.update(b"\x1e")
        for begin in range(0, len(deel), BLOCK):
            blok = tuple(deel[begin : begin + BLOCK])

            def digest(blok=blok) -> bytes:
                return hashlib.blake2b(repr(blok).encode(), digest_size=16).digest()

            # equal rows have equal reprs: no bool and no float, as Overzicht says
            h.update(digest() if memo is None else memo(("hash-rijen", i, begin, blok), digest))
    return h.hexdigest()


def naar_bytes(overzicht: Overzicht, memo: Memo | None = None) -> bytes:
    """Return the .xlsx bytes of *overzicht*; with a *memo*, blocks of rows made before are reused."""
    out = io.BytesIO()
    bladen = [
        Sheet(naam, kolommen, WIDTHS[naam], rows, lambda row, b=WIDTHS[naam]: rijhoogte(row, b))
        for naam, kolommen, rows in (
            ("Termijnen", TERMIJNEN_COLUMNS, overzicht.termijnen),
            ("Meldingen", MELDINGEN_COLUMNS, overzicht.meldingen),
            ("Brieven", BRIEVEN_COLUMNS, overzicht.brieven),
        )
    ]
    # the row heights follow from the sheet's name (BREEDTES), as the memo's keys require
    schrijf(out, bladen, "Overzicht klachtenregister", memo=memo)
    return out.getvalue()
