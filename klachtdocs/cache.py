"""What a long-running process (the watcher) keeps from one pass to the next."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Cache:
    """A memo (see rules.memo) that keeps the values of the last pass that asked for them.

    A key holds every input of its value, so a pass with a Cache does exactly what a pass
    without one does. A key's first element names its kind ("rij", "xlsx-rijen", ...):
    end_pass drops the entries not used since the previous end_pass, but only of the kinds
    that were used, so a pass that wrote no overzicht.xlsx leaves those as they were. Besides
    the values it keeps the journal, which a pass continues only when the file on disk still
    starts with what it read (see Journaal.lees).
    """

    def __init__(self) -> None:
        # key -> (the key as first kept, value): an equal key asked for again is not kept, so that
        # the rows and cells it holds can go, and only one copy of each stays in memory
        self._waarden: dict[Hashable, tuple[Hashable, Any]] = {}  # until the previous end_pass
        self._gebruikt: dict[Hashable, tuple[Hashable, Any]] = {}  # used since
        self.journal: Any = None  # the Journaal of the last pass
        self.passes = 0  # complete passes it served; the first one fills it

    def __call__(self, key: Hashable, compute: Callable[[], T], /) -> T:
        """Return the value kept for *key*, or compute and keep it."""
        entry = self._gebruikt.get(key)
        if entry is None:
            entry = self._waarden.pop(key, None)
            if entry is None:
                entry = (key, compute())
            self._gebruikt[entry[0]] = entry
        return entry[1]

    def __len__(self) -> int:
        return len(self._waarden) + len(self._gebruikt)

    def holds(self, kind: str) -> bool:
        """Return whether an entry of *kind* is kept."""
        return any(k[0] == kind for d in (self._gebruikt, self._waarden) for k in d)

    def end_pass(self) -> None:
        """Drop the entries not used since the previous end_pass, of the kinds that were used."""
        used = {k[0] for k in self._gebruikt}
        kept = {k: e for k, e in self._waarden.items() if k[0] not in used}
        self._waarden, self._gebruikt = kept | self._gebruikt, {}
        self.passes += 1
