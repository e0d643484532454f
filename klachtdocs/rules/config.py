"""The organisation's settings in klachtdocs.toml."""

from __future__ import annotations

import codecs
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time

from klachtdocs.exceptions import ConfigFout
from klachtdocs.rules import register as rf
from klachtdocs.rules.dutch import datum_buiten_bereik, parse_datum_tekst
from klachtdocs.rules.filenames import delen, onveilig_pad
from klachtdocs.rules.model import WAARSCHUWING, Melding

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
    #: Dutch sentences about settings that were read but look wrong (an unknown key): waarschuwingen
    waarschuwingen: tuple[str, ...] = field(default=(), compare=False)


def meldingen(config: Config) -> list[Melding]:
    """Return the config's waarschuwingen as meldingen (sheet Meldingen, and the console)."""
    return [Melding(WAARSCHUWING, tekst, None, "", "", CONFIG_BESTAND) for tekst in config.waarschuwingen]


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


#: The keys klachtdocs reads, per table ("" is the top level); anything else gets a waarschuwing.
BEKENDE_SLEUTELS = {
    "": ("brieven_vanaf", "sluitingsdagen", "categorieen", "organisatie", "brieven"),
    "organisatie": tuple(Organisatie.__dataclass_fields__),
    "brieven": ("bijlage_ontvangstbevestiging",),
}
# Characters XML 1.0 (and so a .docx or .xlsx) cannot hold, and the other C0/C1 control characters.
_STUURTEKEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def _datum(value: object, key: str) -> date:
    if isinstance(value, datetime):
        raise ConfigFout(
            f"{CONFIG_BESTAND}: '{key} = {value.isoformat()}' is een datum met een tijd; "
            f"klachtdocs verwacht alleen een datum. Schrijf {key} = {value.date().isoformat()}."
        )
    if isinstance(value, date):
        day = value
    elif isinstance(value, str) and (parsed := parse_datum_tekst(value)):
        day = parsed
    else:
        shown = value.isoformat() if isinstance(value, time) else repr(value)
        raise ConfigFout(
            f"{CONFIG_BESTAND}: '{key} = {shown}' is geen datum. Schrijf "
            f"{key} = JJJJ-MM-DD, bijvoorbeeld {key} = 2026-01-31."
        )
    if not rf.EERSTE_DATUM <= day <= rf.LAATSTE_DATUM:
        raise ConfigFout(
            f"{CONFIG_BESTAND}: {key}: " + datum_buiten_bereik(day, rf.EERSTE_DATUM, rf.LAATSTE_DATUM)
        )
    return day


def _zonder_stuurtekens(value: str, key: str) -> str:
    if m := _STUURTEKEN.search(value):
        raise ConfigFout(
            f"{CONFIG_BESTAND}: '{key}' bevat een onzichtbaar stuurteken (U+{ord(m.group()):04X}) "
            f"dat niet in een brief kan. Typ de waarde van {key} opnieuw, zonder dat teken."
        )
    return value


def _tekst(table: dict, key: str, default: str, where: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise ConfigFout(f"{CONFIG_BESTAND}: '{where}{key}' moet tekst tussen aanhalingstekens zijn.")
    return _zonder_stuurtekens(value, where + key)


def _onbekende_sleutels(data: dict) -> list[str]:
    """Return a waarschuwing for each key klachtdocs does not read (a typo is otherwise silently ignored)."""
    result = []
    for tabel, bekend in BEKENDE_SLEUTELS.items():
        inhoud = data.get(tabel, {}) if tabel else data
        if not isinstance(inhoud, dict):
            continue
        for key in inhoud:
            if key not in bekend:
                plek = f"[{tabel}] " if tabel else ""
                result.append(
                    f"{CONFIG_BESTAND}: de instelling {plek}'{key}' kent klachtdocs niet; die wordt "
                    f"genegeerd. Controleer de spelling (bekend{' in [' + tabel + ']' if tabel else ''}: "
                    f"{', '.join(bekend)})."
                )
    return result


def _bestandsnaam(table: dict, key: str, default: str, where: str) -> str:
    """Return the file name at *key*: one name in the folder sjablonen, nothing that leads elsewhere."""
    value = _tekst(table, key, default, where)
    waarom = onveilig_pad(value)
    if waarom is None and len(delen(value)) != 1:
        waarom = "verwijst naar een andere map"
    if waarom is not None:
        raise ConfigFout(
            f'{CONFIG_BESTAND}, [{where.rstrip(".")}]: {key} = "{value}" {waarom}. klachtdocs leest '
            "alleen bestanden in de werkmap: zet het bestand in de map sjablonen en schrijf "
            f'alleen zijn naam, bijvoorbeeld {key} = "{default}".'
        )
    return delen(value)[0]


def parse(text: str) -> Config:
    """Return the Config described by the TOML *text*."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        waar = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        regel = f" in regel {waar.group(1)}" if waar else ""
        raise ConfigFout(
            f"{CONFIG_BESTAND} is onleesbaar{regel} (de TOML-lezer meldt: {exc}). Herstel die "
            "regel: tekst staat tussen aanhalingstekens, een datum als JJJJ-MM-DD, een lijst tussen "
            "[ en ]."
        ) from None
    if "brieven_vanaf" not in data:
        raise ConfigFout(
            f"{CONFIG_BESTAND} mist 'brieven_vanaf = JJJJ-MM-DD': de datum vanaf "
            "wanneer klachtdocs brieven maakt."
        )
    sluit = data.get("sluitingsdagen", [])
    if not isinstance(sluit, list):
        raise ConfigFout(
            f"{CONFIG_BESTAND}: sluitingsdagen moet een lijst zijn, "
            "bijvoorbeeld sluitingsdagen = [2026-12-24]."
        )
    cats = data.get("categorieen", list(rf.STANDAARD_CATEGORIEEN))
    if not isinstance(cats, list) or not cats or not all(isinstance(c, str) for c in cats):
        raise ConfigFout(
            f"{CONFIG_BESTAND}: categorieen moet een lijst met tekst zijn, "
            'bijvoorbeeld categorieen = ["Bejegening", "Overig"].'
        )
    for c in cats:
        _zonder_stuurtekens(c, "categorieen")
    org = data.get("organisatie", {})
    brieven = data.get("brieven", {})
    if not isinstance(org, dict) or not isinstance(brieven, dict):
        raise ConfigFout(f"{CONFIG_BESTAND}: [organisatie] en [brieven] moeten tabellen zijn.")
    defaults = Organisatie()
    organisatie = Organisatie(
        **{k: _tekst(org, k, getattr(defaults, k), "organisatie.") for k in Organisatie.__dataclass_fields__}
    )
    return Config(
        brieven_vanaf=_datum(data["brieven_vanaf"], "brieven_vanaf"),
        sluitingsdagen=tuple(_datum(d, "sluitingsdagen") for d in sluit),
        categorieen=tuple(cats),
        organisatie=organisatie,
        bijlage_ontvangstbevestiging=_bestandsnaam(
            brieven, "bijlage_ontvangstbevestiging", "klachtenreglement.docx", "brieven."
        ),
        waarschuwingen=tuple(_onbekende_sleutels(data)),
    )


_OPSLAAN_ALS_UTF8 = (
    "Open het bestand in Kladblok, kies Bestand > Opslaan als, kies bij Codering 'UTF-8' en sla het op."
)


def decodeer(data: bytes, naam: str = CONFIG_BESTAND) -> str:
    """Return the text of a config file saved as UTF-8 (with or without BOM) or UTF-16 with BOM.

    Raise ConfigFout naming the line (and its key) when it is in another encoding, such as
    the cp1252 an older Notepad writes.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ConfigFout(
                f"{naam} is als UTF-16 opgeslagen maar is beschadigd. {_OPSLAAN_ALS_UTF8}"
            ) from None
    if b"\x00" in data:
        raise ConfigFout(
            f"{naam} is opgeslagen als UTF-16 zonder BOM (of is geen tekstbestand). {_OPSLAAN_ALS_UTF8}"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        begin = data.rfind(b"\n", 0, exc.start) + 1
        eind = data.find(b"\n", exc.start)
        regel = data[begin : eind if eind != -1 else len(data)].decode("cp1252", "replace").strip()
        key = regel.split("=", 1)[0].strip() if "=" in regel else ""
        nummer = data.count(b"\n", 0, exc.start) + 1
        raise ConfigFout(
            f"{naam} is niet als UTF-8 opgeslagen: regel {nummer}"
            + (f" ({key})" if key else "")
            + f" bevat een teken dat geen UTF-8 is: '{regel[:60]}'. "
            + _OPSLAAN_ALS_UTF8
        ) from None
