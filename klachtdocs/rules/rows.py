"""The register as plain rows: the cell values read from a workbook, sheet by sheet; pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

Cell = str | int | float | bool | date | datetime | time | None


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
