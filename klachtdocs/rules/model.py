"""The domain objects: Klacht, Medewerker, Contactmoment, Melding and Document."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the rest of model.py needs no calendar: kept out of the quick start (see processing)
    from klachtdocs.rules.termijnen import Termijnen

FOUT = "fout"
WAARSCHUWING = "waarschuwing"


@dataclass(frozen=True)
class Melding:
    """One problem found in the register or the workspace, for the staff to fix."""

    niveau: str  # FOUT or WAARSCHUWING
    tekst: str  # what is wrong and how to fix it, in Dutch
    rij: int | None = None  # Excel row number; None for the workbook as a whole
    klachtnummer: str = ""
    kolom: str = ""
    blad: str = "Klachten"


@dataclass(frozen=True)
class Medewerker:
    """A member of staff, for the klachtbehandelaar's contact details (art. 5)."""

    naam: str
    functie: str = ""
    email: str = ""
    telefoon: str = ""


@dataclass(frozen=True)
class Contactmoment:
    """One contact moment of a klacht, for the klachtenformulier."""

    klachtnummer: str
    datum: date | None
    soort: str = ""
    samenvatting: str = ""
    afspraken: str = ""


@dataclass(frozen=True)
class Klacht:
    """One complaint as registered: one row of the Klachten sheet, checked."""

    rij: int
    klachtnummer: str
    datum_ontvangst: date | None
    naam_indiener: str = ""
    rol_indiener: str = ""
    email: str = ""
    telefoon: str = ""
    per_post: bool = False
    postadres: str = ""
    gemachtigde: str = ""
    contactpersoon: str = ""
    dienst: str = ""
    datum_voorval: date | None = None
    omschrijving: str = ""
    categorie: str = ""
    klachtbehandelaar: str = ""
    besluit: str = ""
    grond: str = ""
    toelichting_besluit: str = ""
    afschrift: bool = False
    verdaagd_tot: date | None = None
    reden_verdaging: str = ""
    beslissing: str = ""
    maatregelen: str = ""
    datum_afgehandeld: date | None = None
    voortijdig_gesloten: bool = False
    heeft_fout: bool = False


@dataclass
class Register:
    """The whole register after validation."""

    klachten: list[Klacht] = field(default_factory=list)
    medewerkers: dict[str, Medewerker] = field(default_factory=dict)  # by folded name
    contactmomenten: dict[str, list[Contactmoment]] = field(default_factory=dict)
    meldingen: list[Melding] = field(default_factory=list)
    #: row number -> the deadlines of the klacht in that row, for every klacht with a Datum ontvangst
    termijnen: dict[int, Termijnen] = field(default_factory=dict)
    structuur_fout: bool = False  # a sheet-level fout: no letters at all this pass

    @property
    def fouten(self) -> list[Melding]:
        """Return the meldingen of level fout."""
        return [m for m in self.meldingen if m.niveau == FOUT]


@dataclass(frozen=True)
class Document:
    """One document klachtdocs made, as recorded in the journal."""

    klachtnummer: str
    soort: str
    versie: int
    bestand: str  # path relative to the workspace, with "/" separators
    variabelen: dict[str, str]  # variable -> short hash of its value when the document was made
    sha256: str
    gemaakt_op: datetime
    reden: str = ""

    def als_regel(self) -> dict:
        """Return the journal line (a ``gemaakt`` record) of this document."""
        return {
            "op": "gemaakt",
            "klachtnummer": self.klachtnummer,
            "soort": self.soort,
            "versie": self.versie,
            "bestand": self.bestand,
            "variabelen": dict(self.variabelen),
            "sha256": self.sha256,
            "gemaakt_op": self.gemaakt_op.isoformat(timespec="seconds"),
            "reden": self.reden,
        }

    @classmethod
    def van_regel(cls, r: dict) -> Document:
        """Return the Document of journal line *r* (a ``gemaakt`` or ``start`` record)."""
        return cls(
            r["klachtnummer"],
            r["soort"],
            int(r["versie"]),
            r["bestand"],
            {sys.intern(k): v for k, v in r.get("variabelen", {}).items()},  # the same names in every line
            r.get("sha256", ""),
            datetime.fromisoformat(r["gemaakt_op"]),
            r.get("reden", ""),
        )
