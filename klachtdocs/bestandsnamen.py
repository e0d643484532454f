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
