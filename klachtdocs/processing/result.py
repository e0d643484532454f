"""What a pass did, and the meldingen about documents it collects while it runs."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from klachtdocs.rules.dutch import aantal
from klachtdocs.rules.model import FOUT, WAARSCHUWING, Document, Melding

log = logging.getLogger(__name__)
TERUGGEVONDEN = "teruggevonden in archief"  # the reden of a document adopted from archief/


@dataclass
class Resultaat:
    """What one pass did."""

    klachten: int = 0
    gemaakt: list[Document] = field(default_factory=list)
    meldingen: list[Melding] = field(default_factory=list)
    overzicht_geschreven: bool = False
    ongewijzigd: bool = False  # nothing changed since the last pass: it was skipped
    #: documents found in archief/ without a record, adopted as made (nothing was written)
    teruggevonden: list[Document] = field(default_factory=list)
    #: outputs that could not be replaced (open in Excel): the pass does not count as done, retry soon
    stale: list[str] = field(default_factory=list)

    @property
    def fouten(self) -> int:
        return sum(m.niveau == FOUT for m in self.meldingen)

    @property
    def waarschuwingen(self) -> int:
        return sum(m.niveau == WAARSCHUWING for m in self.meldingen)

    def samenvatting(self) -> str:
        """Return one Dutch line describing the pass."""
        nieuw = sum(d.versie == 1 for d in self.gemaakt)
        return (
            f"{aantal(self.klachten, 'klacht', 'klachten')} gelezen, "
            f"{aantal(len(self.gemaakt), 'document', 'documenten')} gemaakt ({nieuw} nieuw, "
            f"{aantal(len(self.gemaakt) - nieuw, 'nieuwe versie', 'nieuwe versies')}), "
            f"{aantal(self.fouten, 'fout', 'fouten')} en "
            f"{aantal(self.waarschuwingen, 'waarschuwing', 'waarschuwingen')}."
        )


class Notes:
    """The meldingen a pass collects about its documents: broken templates, blocked paths, edited forms."""

    def __init__(self) -> None:
        self.templates: dict[str, Melding] = {}  # soort -> its template's fout, once
        self.paths: dict[str, Melding] = {}  # klachtnummer -> a link or file in archief/ holds it back
        self.documents: list[Melding] = []  # about one klacht's documents (an edited form)

    def template(self, soort: str, tekst: str) -> None:
        """Record, once per kind, that its template holds its documents back."""
        if soort not in self.templates:
            log.error("%s", tekst)
            self.templates[soort] = Melding(
                FOUT, tekst + " Tot dan worden deze documenten niet gemaakt.", None, "", "", "sjablonen"
            )

    def path(self, klachtnummer: str, tekst: str) -> None:
        """Record, once per klacht, that a link or file in archief/ holds its documents back."""
        if klachtnummer not in self.paths:
            log.error("%s: %s", klachtnummer, tekst)
            self.paths[klachtnummer] = Melding(FOUT, tekst, None, klachtnummer, "", "archief")

    def all(self) -> list[Melding]:
        """Return every melding collected, in the order overzicht lists them."""
        return [*self.documents, *self.templates.values(), *self.paths.values()]
