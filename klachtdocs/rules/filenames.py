"""File and folder names that every file system accepts, made from klachtnummers."""

from __future__ import annotations

import hashlib
import re

_UNSAFE = re.compile(r'[<>:"/\\|?*~\x00-\x1f\x7f]|\s')
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
_RESERVED |= {f"COM{i}" for i in range(10)} | {f"LPT{i}" for i in range(10)}
_RESERVED |= {f"COM{c}" for c in "¹²³"} | {f"LPT{c}" for c in "¹²³"}
MAX_LENGTH = 60


def veilige_naam(klachtnummer: str) -> str:
    """Return a folder/file-name stem for *klachtnummer* that is safe on Windows and POSIX.

    A klachtnummer that is already safe is used as it is. Otherwise unsafe characters
    become "_" and a short hash of the original is appended after "~", a character that
    safe names never contain, so two different klachtnummers never share a name.
    (Klachtnummers that differ only in case are refused by validation, since Windows
    folder names ignore case.)
    """
    stem = _UNSAFE.sub("_", klachtnummer).strip(" .")
    stem = re.sub(r"_{2,}", "_", stem)
    reserved = stem.split(".")[0].upper() in _RESERVED
    if stem == klachtnummer and not reserved and 0 < len(stem) <= MAX_LENGTH:
        return stem
    digest = hashlib.sha256(klachtnummer.encode("utf-8")).hexdigest()[:8]
    stem = (stem or "klacht")[: MAX_LENGTH - 10].rstrip(" .")
    if reserved:
        stem = "_" + stem  # "nul.txt~..." would still be the device NUL on Windows
    return f"{stem}~{digest}"


_STATION = re.compile(r"^[A-Za-z]:")
_SCHEIDER = re.compile(r"[\\/]")


def onveilig_pad(pad: str) -> str | None:
    """Return why the relative path *pad* could lead outside its folder (a Dutch clause), or None.

    Checked as text, the same on every platform: the Windows forms (``C:\\x``,
    ``\\\\server\\share``, ``..\\x``) are refused on Linux too, so a workspace moved
    between systems means the same everywhere.
    """
    if not pad.strip():
        return "is leeg"
    if any(ord(c) < 32 or c == "\x7f" for c in pad):
        return "bevat een stuurteken"
    if pad.startswith(("\\\\", "//")):
        return "is een netwerkpad (zoals \\\\server\\map)"
    if _STATION.match(pad):
        return "begint met een stationsletter (zoals C:)"
    if pad.startswith(("/", "\\")):
        return "is een absoluut pad"
    # Windows drops trailing dots and spaces from a name: ".. " and "..." are ".." there.
    if any(deel.strip(" .") == "" and deel not in ("", ".") for deel in _SCHEIDER.split(pad)):
        return "gaat met '..' naar een bovenliggende map"
    if ":" in pad:
        return "bevat een dubbele punt"
    return None


def delen(pad: str) -> list[str]:
    """Return the names in the relative path *pad*, split at both "/" and "\\" ("." and empty left out)."""
    return [deel for deel in _SCHEIDER.split(pad) if deel not in ("", ".")]
