"""Exceptions of klachtdocs: input errors and file errors, with Dutch messages."""

from __future__ import annotations

import errno
from pathlib import PurePath


class KlachtdocsError(Exception):
    """Base class: the message is a complete Dutch sentence for the user."""


class InvoerFout(KlachtdocsError):
    """Input that klachtdocs cannot use: a bad config value, a bad template."""


class ConfigFout(InvoerFout):
    """klachtdocs.toml is missing a key or holds a value of the wrong kind."""


class SjabloonFout(InvoerFout):
    """A template cannot be compiled or rendered."""


class SjabloonBegrensd(SjabloonFout):
    """A template went beyond the bounds of one render, or is refused as a whole (macros)."""


class BestandFout(KlachtdocsError):
    """A file or folder is missing, unreadable or cannot be written."""


class PadFout(BestandFout):
    """A path leaves the workspace, or a link is where klachtdocs would write."""


class RegisterOnleesbaar(BestandFout):
    """The register cannot be read as an Excel workbook (it may be half-saved)."""


class WerkmapBezet(BestandFout):
    """Another klachtdocs process holds the workspace."""


class OutputInUse(BestandFout):
    """An output for people (overzicht.xlsx, an analysis) is open in another program: tried again later."""


class StorageError(BestandFout):
    """The file system refused a read or write: a full disk, a read-only folder, a file locked elsewhere."""

    @classmethod
    def van(cls, exc: OSError, pad: object = None, map_: object = None) -> StorageError:
        """Return the Dutch error for *exc*, naming *pad* (default: the file *exc* names, else *map_*)."""
        naam = str(pad or exc.filename2 or exc.filename or "")
        if PurePath(naam).name.startswith(".~klachtdocs-"):  # our temp file: name the folder it was for
            naam = f"Een bestand in {PurePath(naam).parent}"
        elif not naam:  # a write to an open file (the journal, a lock) names none
            naam = f"Een bestand in {map_}" if map_ else "Een bestand"
        vervolg = "draai klachtdocs opnieuw; wat nu niet gemaakt is, maakt de volgende ronde."
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            tekst = f"{naam} kon niet geschreven worden: de schijf is vol. Maak ruimte vrij en {vervolg}"
        elif exc.errno == errno.EROFS:
            tekst = (
                f"{naam} kon niet geschreven worden: de schijf is alleen-lezen. Zorg dat klachtdocs in "
                f"de werkmap mag schrijven en {vervolg}"
            )
        elif exc.errno in (errno.EBUSY, errno.ETXTBSY):
            tekst = (
                f"{naam} kon niet gelezen of geschreven worden: het is in gebruik door een ander "
                f"programma. Sluit het en {vervolg}"
            )
        elif isinstance(exc, FileExistsError):
            tekst = f"{naam} bestaat onverwacht al en is niet overschreven. {vervolg.capitalize()}"
        elif isinstance(exc, PermissionError):
            tekst = (
                f"{naam} kon niet gelezen of geschreven worden: het bestand of de map is alleen-lezen, "
                "of het bestand is geopend in een ander programma. Sluit het bestand of geef "
                f"schrijfrechten en {vervolg}"
            )
        else:
            code = errno.errorcode.get(exc.errno, str(exc.errno)) if exc.errno is not None else "onbekend"
            tekst = (
                f"{naam} kon niet gelezen of geschreven worden (systeemfout {code}). Controleer de "
                f"schijf of de netwerkverbinding en {vervolg}"
            )
        return cls(tekst)
