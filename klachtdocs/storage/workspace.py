"""The workspace folder: where each file of klachtdocs lives, and the checks that keep every path inside it.

klachtdocs reads only inside the workspace and never writes through a link. Where it writes
(archief/ and each klacht's folder in it, .klachtdocs/, overzicht.xlsx, analyse/, logboek/)
a symbolic link or a Windows junction is refused; where it reads (the register, the config,
sjablonen/ and the files in it) a link is fine as long as it resolves inside. A path from
the journal names a file in archief/ or nothing.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from klachtdocs.exceptions import ConfigFout, PadFout
from klachtdocs.rules import config
from klachtdocs.rules.config import CONFIG_BESTAND, Config
from klachtdocs.rules.filenames import delen, onveilig_pad
from klachtdocs.rules.register import REGISTER_BESTAND

_JUNCTION = 0xA0000003  # IO_REPARSE_TAG_MOUNT_POINT (the stat module has it on Windows only)
LINK = "een koppeling (symbolische koppeling of junction)"


def _status(pad: Path) -> os.stat_result | None:
    try:
        return os.lstat(pad)
    except (OSError, ValueError):
        return None


def _link(st: os.stat_result) -> bool:
    # Python < 3.12 on Windows reports a junction as a plain folder, with its reparse tag.
    return stat.S_ISLNK(st.st_mode) or getattr(st, "st_reparse_tag", 0) == _JUNCTION


def is_link(pad: Path) -> bool:
    """Return whether *pad* itself (not following it) is a symbolic link or a Windows junction."""
    st = _status(pad)
    return st is not None and _link(st)


def doel(pad: Path) -> str:
    """Return where the link at *pad* points, for a message."""
    try:
        return str(os.readlink(pad))
    except (OSError, ValueError):
        return "een andere plaats"


def _resolved_inside(pad: Path, grens: Path) -> Path | None:
    """Return *pad* with every link resolved if it lies in the folder *grens* (resolved too), else None."""
    try:
        echt = pad.resolve()
        return echt if echt.is_relative_to(grens.resolve()) else None
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a loop of links (Python < 3.13)
        return None


def is_inside(pad: Path, grens: Path) -> bool:
    """Return whether *pad*, with every link resolved, lies in the folder *grens* (resolved too)."""
    return _resolved_inside(pad, grens) is not None


def read_inside(pad: Path, grens: Path) -> bytes:
    """Return the bytes of the file at *pad*; raise PadFout when, links resolved, it lies outside *grens*."""
    echt = _resolved_inside(pad, grens)
    if echt is None:
        raise PadFout(
            f"{pad.name} in de map {grens.name} is {LINK} naar {doel(pad)}, buiten die map. "
            f"klachtdocs leest alleen bestanden in de werkmap. Zet het bestand zelf in de map "
            f"{grens.name} in plaats van de koppeling."
        )
    return echt.read_bytes()  # the resolved path: a link swapped in since cannot lead out


def check_folder(map_: Path) -> None:
    """Raise PadFout unless *map_* is missing or a real folder: klachtdocs writes only into real folders."""
    st = _status(map_)
    if st is None:
        return
    if _link(st):
        raise PadFout(
            f"De map {map_.parent.name}/{map_.name} is {LINK} naar {doel(map_)}. klachtdocs "
            "schrijft nooit via een koppeling, zodat er niets buiten de werkmap terechtkomt. "
            "Verwijder de koppeling (de map waar die naar wijst blijft bestaan); de volgende "
            "ronde maakt de documenten in een gewone map."
        )
    if not stat.S_ISDIR(st.st_mode):
        raise PadFout(
            f"{map_.parent.name}/{map_.name} is een bestand, geen map. Hernoem of verplaats dat "
            "bestand; de volgende ronde maakt dan de map met de documenten."
        )


def is_taken(pad: Path) -> bool:
    """Return whether something is at *pad*, not following links; raise PadFout when it is a link."""
    st = _status(pad)
    if st is not None and _link(st):
        raise PadFout(
            f"Op de plaats van {pad.name} in {pad.parent.parent.name}/{pad.parent.name} staat "
            f"{LINK} naar {doel(pad)}. klachtdocs schrijft nooit via een koppeling. "
            "Verwijder de koppeling; de volgende ronde maakt het document."
        )
    return st is not None


@dataclass(frozen=True)
class Workspace:
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
    def output_state(self) -> Path:
        return self.staat / "uitvoer.json"

    def controleer(self) -> None:
        """Raise PadFout when klachtdocs would write through a link or read outside the workspace."""
        for pad in (self.archief, self.staat, self.overzicht, self.analyse, self.logboek):
            if is_link(pad):
                wat = (
                    "; klachtdocs maakt het bestand dan opnieuw"
                    if pad.suffix
                    else " en maak op die plaats een gewone map (zet de bestanden erin die er horen)"
                )
                raise PadFout(
                    f"{pad.name} in de werkmap {self.root} is {LINK} naar {doel(pad)}. "
                    "klachtdocs schrijft nooit via een koppeling, zodat er niets buiten de werkmap "
                    f"terechtkomt. Verwijder de koppeling{wat}."
                )
        for folder in (self.staat, self.logboek):  # files klachtdocs appends to or replaces in place
            try:
                kinderen = list(folder.iterdir())
            except OSError:
                continue
            for pad in kinderen:
                if is_link(pad):
                    raise PadFout(
                        f"{folder.name}/{pad.name} in de werkmap {self.root} is {LINK} naar "
                        f"{doel(pad)}. klachtdocs schrijft nooit via een koppeling. Verwijder de "
                        "koppeling; klachtdocs maakt het bestand dan opnieuw."
                    )
        for pad in (self.register, self.config, self.sjablonen):
            if is_link(pad) and not is_inside(pad, self.root):
                raise PadFout(
                    f"{pad.name} in de werkmap {self.root} is {LINK} naar {doel(pad)}, buiten "
                    "de werkmap. klachtdocs leest alleen bestanden in de werkmap. Zet "
                    f"{'de map' if not pad.suffix else 'het bestand'} zelf in de werkmap in plaats "
                    "van de koppeling."
                )

    def archiefbestand(self, bestand: object) -> Path:
        """Return the file a journal line names by *bestand*; raise PadFout unless it is archief/<map>/<naam>.

        The journal is a text file anyone can edit: its paths are never trusted to lead
        elsewhere, nor through a link.
        """
        waarom = onveilig_pad(bestand) if isinstance(bestand, str) else "is geen tekst"
        namen = delen(bestand) if waarom is None else []
        if waarom is None and (len(namen) != 3 or namen[0] != self.archief.name or "\\" in bestand):
            waarom = "is geen bestand in een map van archief/"
        if waarom is not None:
            raise PadFout(
                f"Het journaal noemt het bestand {bestand!r}; dat pad {waarom}. klachtdocs leest of "
                "schrijft alleen documenten in archief/ en slaat deze regel over."
            )
        pad = self.archief / namen[1] / namen[2]
        check_folder(pad.parent)
        is_taken(pad)
        return pad


def read_config(path: Path) -> Config:
    """Return the Config in the file at *path*."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigFout(
            f"{path.name} ontbreekt in {path.parent}. Maak een werkmap met 'klachtdocs init MAP'."
        ) from None
    except OSError as exc:
        raise ConfigFout(
            f"{path.name} kan niet gelezen worden ({exc.strerror or exc}). Is de netwerkmap bereikbaar?"
        ) from None
    return config.parse(config.decodeer(data, path.name))
