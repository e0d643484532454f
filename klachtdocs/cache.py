"""What a long-running process keeps from one pass over a workspace to the next."""

from __future__ import annotations

import ctypes
import gc
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klachtdocs.rules.model import Klacht
from klachtdocs.rules.validatie import Rijgeheugen
from klachtdocs.storage.journal import Journaal


def _geef_vrij_geheugen_terug() -> None:
    """Return freed heap memory to the system (glibc's malloc_trim); elsewhere do nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # another C library (musl): nothing to trim
        pass


@dataclass
class Geheugen:
    """The results of the previous pass that the next pass may reuse (the watcher keeps one).

    A pass reads the whole register, the journal and writes overzicht.xlsx; for a register of
    years that work grows with its size, while a save usually changes one row. Each piece
    here is used only where its source is provably unchanged (the journal's bytes, a row's
    cells, a row's values), so a pass with a Geheugen does exactly what a pass without one
    does. One Geheugen serves one workspace; a different *root* starts it afresh.
    """

    root: Path | None = None
    #: registers with more rows than this use only the templates (see past)
    max_rijen: int = 30_000
    #: complete passes it served; the first one fills it
    rondes: int = 0
    journaal: Journaal | None = None
    rijen: Rijgeheugen = field(default_factory=Rijgeheugen)
    #: overzicht.xlsx: sheet name -> (first row, block of rows) -> its XML (see xlsxtabellen.Blad)
    overzicht: dict[str, dict] = field(default_factory=dict)
    #: id(klacht) -> (klacht, its other inputs, its fingerprint): see Verwerking._vingerafdruk_klacht
    vingerafdrukken: dict[int, tuple[Klacht, tuple, str]] = field(default_factory=dict)
    #: (hash of config, templates and date, the loaded and compiled templates): see Verwerking._omgeving
    sjablonen: tuple[str, Any] | None = None
    #: overzicht.xlsx: (first row, block of rows) -> the hash of its values (see overzicht.inhoud_hash)
    inhoud: dict[tuple, bytes] = field(default_factory=dict)

    def past(self, rijen: int) -> bool:
        """Return whether this Geheugen may serve a register of *rijen* rows; empty it if not.

        It holds the journal and every row in a second form, about 5 KB a klacht: for a
        register of years that would break the memory budget (500 MB at 100,000 rows), while
        a pass over such a register is dominated by reading it anyway. Templates are kept.
        """
        if rijen <= self.max_rijen:
            return True
        self.journaal, self.rijen, self.overzicht, self.inhoud, self.vingerafdrukken = (
            None,
            Rijgeheugen(),
            {},
            {},
            {},
        )
        return False

    def opruimen(self) -> None:
        """Collect the last pass's garbage now, while the watcher waits, and set the rest aside.

        What a Geheugen keeps is large and long-lived; without this, Python's cyclic garbage
        collector walks all of it during the next pass (0.1-0.2 s at 10,000 klachten). The
        frozen objects are still freed as usual when nothing refers to them any more. Memory
        the pass freed goes back to the system where the C library allows it (glibc), so that
        the next pass's peak does not stack on the last one's leftovers. This acts on the whole
        process: call it only in a process that is there to run passes.
        """
        gc.unfreeze()
        gc.collect()
        _geef_vrij_geheugen_terug()
        gc.freeze()

    def voor(self, root: Path) -> Geheugen:
        """Return this Geheugen, emptied first when it served another workspace."""
        root = Path(root).resolve()
        if self.root != root:
            self.__init__(root, self.max_rijen)
        return self
