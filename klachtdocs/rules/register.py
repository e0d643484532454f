"""The register contract: sheet names, headers and vocabularies of klachtenregister.xlsx."""

from __future__ import annotations

import functools
import re
from datetime import date

REGISTER_BESTAND = "klachtenregister.xlsx"
BLAD_KLACHTEN = "Klachten"
BLAD_MEDEWERKERS = "Medewerkers"
BLAD_CONTACTMOMENTEN = "Contactmomenten"

KLACHTEN_KOLOMMEN = (
    "Klachtnummer",
    "Datum ontvangst",
    "Naam indiener",
    "Rol indiener",
    "E-mailadres",
    "Telefoonnummer",
    "Correspondentie per post",
    "Postadres",
    "Gemachtigde",
    "Contactpersoon",
    "Dienst",
    "Datum voorval",
    "Omschrijving",
    "Categorie",
    "Klachtbehandelaar",
    "Besluit",
    "Grond niet in behandeling",
    "Toelichting besluit",
    "Afschrift aan contactpersoon",
    "Verdaagd tot",
    "Reden verdaging",
    "Beslissing",
    "Maatregelen",
    "Datum afgehandeld",
    "Voortijdig gesloten op verzoek",
)
MEDEWERKERS_KOLOMMEN = ("Naam", "Functie", "E-mailadres", "Telefoonnummer")
CONTACTMOMENTEN_KOLOMMEN = ("Klachtnummer", "Datum", "Soort", "Samenvatting", "Afspraken")

DATUM_KOLOMMEN = frozenset({"Datum ontvangst", "Datum voorval", "Verdaagd tot", "Datum afgehandeld"})
#: The dates klachtdocs accepts in a date cell or setting; others are a fout (a typo such as 2206,
#: or year 1 or 9999, which would also overflow the deadline arithmetic).
EERSTE_DATUM = date(1900, 1, 1)
LAATSTE_DATUM = date(2100, 12, 31)
JA_NEE_KOLOMMEN = frozenset(
    {"Correspondentie per post", "Afschrift aan contactpersoon", "Voortijdig gesloten op verzoek"}
)

ROLLEN = ("opdrachtgever", "cliënt", "kandidaat", "samenwerkingsrelatie", "anders")
DIENSTEN = ("Naar werk", "Werkfit maken")
IN_BEHANDELING = "in behandeling"
NIET_IN_BEHANDELING = "niet in behandeling"
BESLUITEN = (IN_BEHANDELING, NIET_IN_BEHANDELING)
GROND_EERDER = "eerder afgehandeld (art. 6.2a)"
GROND_OUDER = "ouder dan een jaar (art. 6.2b)"
GROND_RELATIE = "geen directe relatie (art. 1)"
GRONDEN = (GROND_EERDER, GROND_OUDER, GROND_RELATIE)
JA_NEE = ("ja", "nee")
STANDAARD_CATEGORIEEN = (
    "Bejegening",
    "Communicatie",
    "Deskundigheid",
    "Afspraken en planning",
    "Privacy",
    "Facturering",
    "Overig",
)

# Spellings accepted besides the canonical ones (keys are folded with fold_key).
ALIASSEN = {"client": "cliënt"}


@functools.lru_cache(maxsize=1 << 16)  # called for every row's names on every pass
def fold_key(text: str) -> str:
    """Return *text* folded for matching: lower case, single spaces, trimmed."""
    return " ".join(str(text).split()).casefold()


_VERWIJZING = re.compile(r"\s*\([^()]*\)\s*$")  # a trailing "(art. 6.2b)"


def _compact(text: str) -> str:
    return "".join(str(text).split()).casefold()


def vocabulaire(values: tuple[str, ...]) -> dict[str, str]:
    """Return a map from accepted spelling to canonical value for *values*; look values up with kies.

    Accepted: the exact value; the value in any case and spacing; and, where that is unambiguous,
    the value without its bracketed article reference ("ouder dan een jaar").
    """
    table = {fold_key(v): v for v in values} | {v: v for v in values}  # exact spelling: no folding
    ruim: dict[str, set[str]] = {}
    for v in values:
        for key in {_compact(v), _compact(_VERWIJZING.sub("", v))}:
            ruim.setdefault("\0" + key, set()).add(v)
    table |= {key: next(iter(gevonden)) for key, gevonden in ruim.items() if len(gevonden) == 1}
    for alias, target in ALIASSEN.items():
        if target in values:
            table[alias] = target
    return table


def kies(table: dict[str, str], value: str) -> str | None:
    """Return the canonical value *value* stands for in the vocabulaire *table*, or None."""
    return table.get(value) or table.get(fold_key(value)) or table.get("\0" + _compact(value))
