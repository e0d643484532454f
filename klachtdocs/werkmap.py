"""The workspace folder: where each file of klachtdocs lives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from klachtdocs.config import CONFIG_BESTAND
from klachtdocs.registerformaat import REGISTER_BESTAND


@dataclass(frozen=True)
class Werkmap:
    """The paths of one workspace."""

    root: Path

    @property
    def register(self) -> Path:
        return self.root / REGISTER_BESTAND

    @property
    def config(self) -> Path:
        return self.root / CONFIG_BESTAND

    @property
    def sjablonen(self) -> Path:
        return self.root / "sjablonen"

    @property
    def archief(self) -> Path:
        return self.root / "archief"

    @property
    def overzicht(self) -> Path:
        return self.root / "overzicht.xlsx"

    @property
    def analyse(self) -> Path:
        return self.root / "analyse"

    @property
    def logboek(self) -> Path:
        return self.root / "logboek"

    @property
    def staat(self) -> Path:
        """Return the folder of klachtdocs' own bookkeeping (journal, locks)."""
        return self.root / ".klachtdocs"

    @property
    def journaal(self) -> Path:
        return self.staat / "journaal.jsonl"

    @property
    def uitvoer_staat(self) -> Path:
        return self.staat / "uitvoer.json"
