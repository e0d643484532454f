"""The organisation's settings in klachtdocs.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from klachtdocs import registerformaat as rf
from klachtdocs.bestandsnamen import delen, onveilig_pad
from klachtdocs.exceptions import ConfigFout
from klachtdocs.nl import parse_datum_tekst

CONFIG_BESTAND = "klachtdocs.toml"


@dataclass(frozen=True)
class Organisatie:
    """The letterhead: who sends the letters."""

    naam: str = "NextBest"
    adres: str = ""
    postcode_plaats: str = ""
    plaats: str = ""
    email: str = "info@next-best.nl"
    telefoon: str = ""
    website: str = ""


@dataclass(frozen=True)
class Config:
    """Everything klachtdocs.toml says."""

    brieven_vanaf: date
    sluitingsdagen: tuple[date, ...] = ()
    categorieen: tuple[str, ...] = rf.STANDAARD_CATEGORIEEN
    organisatie: Organisatie = field(default_factory=Organisatie)
    bijlage_ontvangstbevestiging: str = "klachtenreglement.docx"


def standaard_tekst(vandaag: date) -> str:
    """Return the text of a new klachtdocs.toml, with brieven_vanaf = *vandaag*."""
    categorieen = ", ".join(f'"{c}"' for c in rf.STANDAARD_CATEGORIEEN)
    return f"""\
# Instellingen van klachtdocs voor deze werkmap.
# Na een wijziging verwerkt de volgende ronde het register met de nieuwe instellingen.

# Klachten die vóór deze datum zijn ontvangen, worden gecontroleerd en getoond in
# overzicht.xlsx, maar krijgen geen brieven. Zo verstuurt het in gebruik nemen van
# een bestaand register niets met terugwerkende kracht.
brieven_vanaf = {vandaag.isoformat()}

# Extra dagen waarop NextBest gesloten is; die tellen niet als werkdag.
# Voorbeeld: sluitingsdagen = [2026-12-24, 2026-12-31]
sluitingsdagen = []

# De keuzelijst van de kolom Categorie in het register.
categorieen = [{categorieen}]

[organisatie]
naam = "NextBest"
adres = "Voorbeeldstraat 1"
postcode_plaats = "1234 AB Voorbeeldstad"
plaats = "Voorbeeldstad"
email = "info@next-best.nl"
telefoon = "030 123 45 67"
website = "www.next-best.nl"

[brieven]
# Het klachtenreglement dat als bijlage bij de ontvangstbevestiging hoort (art. 5),
# een bestand in de map sjablonen.
bijlage_ontvangstbevestiging = "klachtenreglement.docx"
"""


def _datum(value: object, key: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and (parsed := parse_datum_tekst(value)):
        return parsed
    raise ConfigFout(f"{CONFIG_BESTAND}: '{key} = {value!r}' is geen datum. Schrijf "
                     f"{key} = JJJJ-MM-DD, bijvoorbeeld {key} = 2026-01-31.")  # fmt: skip


def _tekst(table: dict, key: str, default: str, where: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise ConfigFout(f"{CONFIG_BESTAND}: '{where}{key}' moet tekst tussen aanhalingstekens zijn.")
    return value


def _bestandsnaam(table: dict, key: str, default: str, where: str) -> str:
    """Return the file name at *key*: one name in the folder sjablonen, nothing that leads elsewhere."""
    value = _tekst(table, key, default, where)
    waarom = onveilig_pad(value)
    if waarom is None and len(delen(value)) != 1:
        waarom = "verwijst naar een andere map"
    if waarom is not None:
        raise ConfigFout(f'{CONFIG_BESTAND}, [{where.rstrip(".")}]: {key} = "{value}" {waarom}. klachtdocs leest '
                         "alleen bestanden in de werkmap: zet het bestand in de map sjablonen en schrijf "
                         f'alleen zijn naam, bijvoorbeeld {key} = "{default}".')  # fmt: skip
    return delen(value)[0]


def parse(text: str) -> Config:
    """Return the Config described by the TOML *text*."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigFout(f"{CONFIG_BESTAND} is geen geldige TOML: {exc}. Herstel die regel.") from None
    if "brieven_vanaf" not in data:
        raise ConfigFout(f"{CONFIG_BESTAND} mist 'brieven_vanaf = JJJJ-MM-DD': de datum vanaf "
                         "wanneer klachtdocs brieven maakt.")  # fmt: skip
    sluit = data.get("sluitingsdagen", [])
    if not isinstance(sluit, list):
        raise ConfigFout(f"{CONFIG_BESTAND}: sluitingsdagen moet een lijst zijn, "
                         "bijvoorbeeld sluitingsdagen = [2026-12-24].")  # fmt: skip
    cats = data.get("categorieen", list(rf.STANDAARD_CATEGORIEEN))
    if not isinstance(cats, list) or not cats or not all(isinstance(c, str) for c in cats):
        raise ConfigFout(f"{CONFIG_BESTAND}: categorieen moet een lijst met tekst zijn, "
                         'bijvoorbeeld categorieen = ["Bejegening", "Overig"].')  # fmt: skip
    org = data.get("organisatie", {})
    brieven = data.get("brieven", {})
    if not isinstance(org, dict) or not isinstance(brieven, dict):
        raise ConfigFout(f"{CONFIG_BESTAND}: [organisatie] en [brieven] moeten tabellen zijn.")
    defaults = Organisatie()
    organisatie = Organisatie(**{
        k: _tekst(org, k, getattr(defaults, k), "organisatie.")
        for k in Organisatie.__dataclass_fields__
    })  # fmt: skip
    return Config(
        brieven_vanaf=_datum(data["brieven_vanaf"], "brieven_vanaf"),
        sluitingsdagen=tuple(_datum(d, "sluitingsdagen") for d in sluit),
        categorieen=tuple(cats),
        organisatie=organisatie,
        bijlage_ontvangstbevestiging=_bestandsnaam(brieven, "bijlage_ontvangstbevestiging",
                                                   "klachtenreglement.docx", "brieven."),  # fmt: skip
    )


def lees(path: Path) -> Config:
    """Return the Config in the file at *path*."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigFout(f"{path.name} ontbreekt in {path.parent}. Maak een werkmap met "
                         "'klachtdocs init MAP'.") from None  # fmt: skip
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigFout(f"{path.name} kan niet gelezen worden: {exc}.") from None
    return parse(text)
