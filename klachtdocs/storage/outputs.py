"""Outputs for people (overzicht.xlsx, analyses): rewritten when their content changes, never lost.

klachtdocs may replace such a file only while it is exactly what klachtdocs wrote last (or
the file that write was to replace, when it failed).
A file someone edited (or a file klachtdocs never wrote) is first renamed to
``<name> (bewaard <when>).xlsx`` beside it. ``.klachtdocs/uitvoer.json`` remembers, per
output, the hash of the bytes written and the hash of the content they were made from,
so a pass with nothing new writes nothing.
"""

from __future__ import annotations

import errno
import json
import logging
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from pathlib import Path

from klachtdocs.exceptions import PadFout
from klachtdocs.storage.files import read_json, replace_file, sha256
from klachtdocs.storage.workspace import LINK, Workspace, doel, is_link

log = logging.getLogger(__name__)


class Outcome(Enum):
    """What schrijf_uitvoer did."""

    WRITTEN = "geschreven"
    UNCHANGED = "ongewijzigd"  # same content as the file on disk: nothing written
    FAILED = "niet gelukt"  # the file is open in another program or read-only: try again next pass


def read_state(werkmap: Workspace) -> dict:
    """Return the contents of uitvoer.json ({} when it is missing or damaged)."""
    value = read_json(werkmap.output_state)
    if "overzicht" in value:  # the key used by klachtdocs 0.1
        value.setdefault("overzicht.xlsx", value.pop("overzicht"))
    return value


def write_state(werkmap: Workspace, staat: dict) -> None:
    """Replace uitvoer.json with *staat*."""
    replace_file(werkmap.output_state, json.dumps(staat, indent=1, sort_keys=True).encode())


def write_output(
    werkmap: Workspace, pad: Path, inhoud: str, maak: Callable[[], bytes], nu: datetime
) -> Outcome:
    """Write the output at *pad* when *inhoud* (a hash of its content) changed; return what happened.

    *maak* builds the bytes only when they are needed. The key in uitvoer.json is the
    path relative to the workspace. A file that may not be replaced (open in Excel on
    Windows: PermissionError; a mount point: EBUSY) gives NIET_GELUKT; any other OSError
    (a full disk) is raised.
    """
    if is_link(pad):  # reading it would read elsewhere; replacing it would hide where it pointed
        raise PadFout(
            f"{pad.relative_to(werkmap.root).as_posix()} in de werkmap is {LINK} naar {doel(pad)}. "
            "klachtdocs schrijft nooit via een koppeling. Verwijder de koppeling; klachtdocs maakt "
            "het bestand dan opnieuw."
        )
    sleutel = pad.relative_to(werkmap.root).as_posix()
    vorig = read_state(werkmap).get(sleutel, {})
    try:
        huidig = sha256(pad.read_bytes())
    except FileNotFoundError:
        huidig = None
    except OSError as exc:
        if not _in_use(exc):
            raise
        log.info("%s is niet leesbaar (%s); volgende ronde opnieuw.", pad.name, exc)
        return Outcome.FAILED
    if huidig is not None and huidig == vorig.get("sha256") and inhoud == vorig.get("inhoud"):
        return Outcome.UNCHANGED
    eigen = huidig is not None and huidig in (vorig.get("sha256"), vorig.get("eerder"))
    if huidig is not None and not eigen:
        bewaard = pad.with_name(f"{pad.stem} (bewaard {nu:%Y-%m-%d %H%M%S}){pad.suffix}")
        try:
            pad.rename(bewaard)
        except OSError as exc:
            if not _in_use(exc):
                raise
            log.info("%s is gewijzigd en geopend (%s); volgende ronde opnieuw.", pad.name, exc)
            return Outcome.FAILED
        log.warning("%s was door iemand gewijzigd; bewaard als %s.", pad.name, bewaard.name)
    data = maak()
    # Recorded before the file is replaced, with the hash of the file it replaces ("eerder"): a
    # replace that fails (open in Excel, a full disk) or is interrupted then leaves a file that is
    # still known as klachtdocs' own, never one to be kept aside as edited by someone.
    staat = read_state(werkmap)  # re-read: keep what others recorded meanwhile
    staat[sleutel] = {"sha256": sha256(data), "inhoud": inhoud} | ({"eerder": huidig} if eigen else {})
    write_state(werkmap, staat)
    try:
        replace_file(pad, data)
    except OSError as exc:
        if not _in_use(exc):
            raise
        log.info("%s kan niet vervangen worden (%s); volgende ronde opnieuw.", pad.name, exc)
        return Outcome.FAILED
    return Outcome.WRITTEN


def _in_use(exc: OSError) -> bool:
    """Return whether *exc* says the file is held by another program (Excel on Windows) or read-only."""
    return isinstance(exc, PermissionError) or exc.errno in (errno.EBUSY, errno.ETXTBSY)


def in_use(
    naam: str,
    opnieuw: str = "de bewaking probeert het elke halve minuut opnieuw, anders de "
    "volgende 'klachtdocs verwerk'",
) -> str:
    """Return the Dutch melding for an output that could not be replaced (see Uitkomst.NIET_GELUKT)."""
    return (
        f"{naam} is geopend in een ander programma (bijvoorbeeld Excel) of alleen-lezen en kon niet "
        f"worden bijgewerkt. Het wordt bijgewerkt zodra het gesloten is: {opnieuw}."
    )
