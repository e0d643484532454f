"""Outputs for people (overzicht.xlsx, analyses): rewritten when their content changes, never lost.

klachtdocs may replace such a file only while it is exactly what klachtdocs wrote last.
A file someone edited (or a file klachtdocs never wrote) is first renamed to
``<name> (bewaard <when>).xlsx`` beside it. ``.klachtdocs/uitvoer.json`` remembers, per
output, the hash of the bytes written and the hash of the content they were made from,
so a pass with nothing new writes nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from pathlib import Path

from klachtdocs.bestanden import lees_json, sha256, vervang
from klachtdocs.werkmap import Werkmap

log = logging.getLogger(__name__)


class Uitkomst(Enum):
    """What schrijf_uitvoer did."""

    GESCHREVEN = "geschreven"
    ONGEWIJZIGD = "ongewijzigd"  # same content as the file on disk: nothing written
    NIET_GELUKT = "niet gelukt"  # the file is open in another program or read-only: try again next pass


def lees_staat(werkmap: Werkmap) -> dict:
    """Return the contents of uitvoer.json ({} when it is missing or damaged)."""
    value = lees_json(werkmap.uitvoer_staat)
    if "overzicht" in value:  # the key used by klachtdocs 0.1
        value.setdefault("overzicht.xlsx", value.pop("overzicht"))
    return value


def schrijf_staat(werkmap: Werkmap, staat: dict) -> None:
    """Replace uitvoer.json with *staat*."""
    vervang(werkmap.uitvoer_staat, json.dumps(staat, indent=1, sort_keys=True).encode())


def schrijf_uitvoer(werkmap: Werkmap, pad: Path, inhoud: str, maak: Callable[[], bytes],
                    nu: datetime) -> Uitkomst:  # fmt: skip
    """Write the output at *pad* when *inhoud* (a hash of its content) changed; return what happened.

    *maak* builds the bytes only when they are needed. The key in uitvoer.json is the
    path relative to the workspace. A file that may not be replaced (open in Excel on
    Windows: PermissionError) gives NIET_GELUKT; any other OSError (a full disk) is raised.
    """
    sleutel = pad.relative_to(werkmap.root).as_posix()
    staat = lees_staat(werkmap)
    vorig = staat.get(sleutel, {})
    try:
        huidig = sha256(pad.read_bytes())
    except FileNotFoundError:
        huidig = None
    except PermissionError as exc:  # Windows: locked by another program
        log.info("%s is niet leesbaar (%s); volgende ronde opnieuw.", pad.name, exc)
        return Uitkomst.NIET_GELUKT
    if huidig is not None and huidig == vorig.get("sha256") and inhoud == vorig.get("inhoud"):
        return Uitkomst.ONGEWIJZIGD
    if huidig is not None and huidig != vorig.get("sha256"):
        bewaard = pad.with_name(f"{pad.stem} (bewaard {nu:%Y-%m-%d %H%M%S}){pad.suffix}")
        try:
            pad.rename(bewaard)
        except PermissionError as exc:
            log.info("%s is gewijzigd en geopend (%s); volgende ronde opnieuw.", pad.name, exc)
            return Uitkomst.NIET_GELUKT
        log.warning("%s was door iemand gewijzigd; bewaard als %s.", pad.name, bewaard.name)
    data = maak()
    try:
        vervang(pad, data)
    except PermissionError as exc:  # open in Excel on Windows; immutable or read-only elsewhere
        log.info("%s kan niet vervangen worden (%s); volgende ronde opnieuw.", pad.name, exc)
        return Uitkomst.NIET_GELUKT
    staat = lees_staat(werkmap)  # re-read: keep what others recorded meanwhile
    staat[sleutel] = {"sha256": sha256(data), "inhoud": inhoud}
    schrijf_staat(werkmap, staat)
    return Uitkomst.GESCHREVEN


def in_gebruik(naam: str, opnieuw: str = "de bewaking probeert het elke halve minuut opnieuw, anders de "
               "volgende 'klachtdocs verwerk'") -> str:  # fmt: skip
    """Return the Dutch melding for an output that could not be replaced (see Uitkomst.NIET_GELUKT)."""
    return (f"{naam} is geopend in een ander programma (bijvoorbeeld Excel) of alleen-lezen en kon niet "
            f"worden bijgewerkt. Het wordt bijgewerkt zodra het gesloten is: {opnieuw}.")  # fmt: skip
