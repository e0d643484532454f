"""The domain objects: Klacht, Medewerker, Contactmoment and Melding."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

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
    structuur_fout: bool = False  # a sheet-level fout: no letters at all this pass

    @property
    def fouten(self) -> list[Melding]:
        """Return the meldingen of level fout."""
        return [m for m in self.meldingen if m.niveau == FOUT]
