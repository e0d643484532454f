"""What a pass remembers between passes: the last complete pass, the klachten that need nothing more, the mark."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict
from datetime import date
from pathlib import Path

from klachtdocs import __version__
from klachtdocs.exceptions import PadFout
from klachtdocs.rules.model import Melding
from klachtdocs.storage.files import read_json, replace_file
from klachtdocs.storage.journal import Journal
from klachtdocs.storage.workspace import Workspace, read_inside

log = logging.getLogger(__name__)
RONDE = "ronde.json"  # in .klachtdocs/: the fingerprint and meldingen of the last complete pass
PLAN = "plan.json"  # in .klachtdocs/: per klacht, the fingerprint of inputs that needed nothing more
#: In the workspace root, outside .klachtdocs/: the journal's length and tail hash when the archief last
#: held nothing it does not record. A journal that no longer holds that (deleted, an older copy put back)
#: makes the pass look through the archief first (see ArchiveMark).
STAND = ".klachtdocs-stand.json"


def save(pad: Path, staat: dict) -> None:
    """Replace one of klachtdocs' own state files; a failure only costs the next pass some time."""
    try:
        replace_file(pad, json.dumps(staat, ensure_ascii=False).encode())
    except OSError as exc:
        log.info("%s niet bijgewerkt (%s).", pad.name, exc)


def environment_hash(wm: Workspace, vandaag: date) -> str:
    """Return a hash of what every klacht's documents depend on: date, config, templates, version."""
    h = hashlib.sha256(f"{__version__}|{vandaag.isoformat()}|".encode())
    for pad in (wm.config, *sorted(wm.sjablonen.glob("*"))):
        try:
            h.update(pad.name.encode() + b"\0" + hashlib.sha256(read_inside(pad, pad.parent)).digest())
        except (OSError, PadFout):
            h.update(pad.name.encode() + b"\0-")
    return h.hexdigest()


def fingerprint(wm: Workspace, register: bytes, omgeving: str) -> str:
    """Return a hash of everything a pass depends on: register, environment and klachtdocs' own files.

    A pass is a function of these: when none changed since the last complete pass, the pass
    would do nothing at all, so it stops before reading the register (the watcher's steady state).
    """
    h = hashlib.sha256()
    h.update(omgeving.encode())
    h.update(hashlib.sha256(register).digest())
    for pad in (wm.journaal, wm.overzicht, wm.output_state):
        try:
            st = pad.stat()
            h.update(f"{pad.name}|{st.st_size}|{st.st_mtime_ns}".encode())
        except OSError:
            h.update(f"{pad.name}|-".encode())
    try:  # its content, not its time: a mark put back from a copy must not look unchanged
        h.update(b"stand|" + (wm.root / STAND).read_bytes())
    except OSError:
        h.update(b"stand|-")
    return h.hexdigest()


def last_round(wm: Workspace, vingerafdruk: str) -> tuple[int, list[Melding]] | None:
    """Return the number of klachten and the meldingen of the last complete pass, if it had *vingerafdruk*."""
    vorige = read_json(wm.staat / RONDE)
    if vorige.get("vingerafdruk") != vingerafdruk:
        return None
    try:
        return int(vorige["klachten"]), [Melding(**m) for m in vorige["meldingen"]]
    except (KeyError, TypeError, ValueError):
        return None


def remember_round(wm: Workspace, vingerafdruk: str, klachten: int, meldingen: list[Melding]) -> None:
    """Record a complete pass; an empty *vingerafdruk* makes sure the next pass is not skipped."""
    save(
        wm.staat / RONDE,
        {"vingerafdruk": vingerafdruk, "klachten": klachten, "meldingen": [asdict(m) for m in meldingen]},
    )


def klachten_done(wm: Workspace, sleutel: str) -> dict[str, str]:
    """Return klachtnummer -> fingerprint of the inputs with which it needed nothing more, under *sleutel*."""
    vorige = read_json(wm.staat / PLAN)
    return vorige.get("klachten", {}) if vorige.get("sleutel") == sleutel else {}


def remember_klachten_done(wm: Workspace, sleutel: str, klaar: dict[str, str]) -> None:
    """Record which klachten need nothing more (see klachten_done)."""
    save(wm.staat / PLAN, {"sleutel": sleutel, "klachten": klaar})


class ArchiveMark:
    """The mark in the workspace root that says how much of the journal records everything in archief/.

    A journal that no longer holds what the mark describes (deleted, an older copy put back)
    makes the pass look through the archief for documents the journal does not record.
    """

    def __init__(self, root: Path) -> None:
        self.pad = root / STAND
        self.saved = read_json(self.pad)
        self.open = False  # the journal may not record every document in archief/

    def holds(self, journaal: Journal) -> bool:
        """Return whether *journaal* holds at least what the mark describes."""
        return journaal.contains(self.saved)

    def remove(self) -> None:
        """Note that the journal may not record every document in archief/: the next pass looks through it."""
        self.open = True
        try:
            self.pad.unlink(missing_ok=True)
        except OSError as exc:
            log.info("%s niet verwijderd (%s).", STAND, exc)

    def update(self, journaal: Journal) -> None:
        """Move the mark to the journal as it is now (before a batch is written), unless it is removed."""
        if not self.open:
            self.saved = journaal.position()
            save(self.pad, self.saved)

    def close(self, journaal: Journal) -> None:
        """Record, after a complete pass, that the journal as it is now records everything in archief/."""
        if not self.open and not journaal.contains(self.saved):
            self.update(journaal)
