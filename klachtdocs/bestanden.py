"""All writing to disk: atomic writes (temp file + rename in the same folder), never overwriting."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

TEMP_PREFIX = ".~klachtdocs-"


def sha256(data: bytes) -> str:
    """Return the hex SHA-256 of *data*."""
    return hashlib.sha256(data).hexdigest()


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows has no directory handles to fsync; NTFS journals the rename
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _temp_file(target: Path, stukken: Iterable[bytes]) -> Path:
    """Return a new temp file beside *target* holding the concatenated *stukken*, synced to disk."""
    tmp = target.parent / f"{TEMP_PREFIX}{secrets.token_hex(6)}.tmp"
    try:
        with open(tmp, "xb") as fh:
            for stuk in stukken:
                fh.write(stuk)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:  # a producer that fails halfway leaves nothing behind
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def schrijf_nieuw(target: Path, data: bytes) -> None:
    """Write *data* to *target* atomically; raise FileExistsError if *target* exists."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise FileExistsError(target)
    tmp = _temp_file(target, (data,))
    try:
        try:
            os.link(tmp, target)  # fails if target exists: never overwrites
            os.unlink(tmp)
        except FileExistsError:
            raise
        except OSError:
            # No hard links here (some network shares, FAT). Windows' rename refuses an
            # existing target; on POSIX the workspace lock makes check-then-rename safe.
            if target.exists():
                raise FileExistsError(target) from None
            os.rename(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(target.parent)


def vervang(target: Path, data: bytes) -> None:
    """Write *data* to *target* atomically, replacing a file klachtdocs owns."""
    vervang_stroom(target, (data,))


def vervang_stroom(target: Path, stukken: Iterable[bytes]) -> None:
    """Write the concatenated *stukken* to *target* atomically, replacing a file klachtdocs owns."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_file(target, stukken)
    try:
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(target.parent)


def lees_json(path: Path) -> dict:
    """Return the JSON object stored at *path*, or {} when it is missing, damaged or not an object."""
    try:
        value = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def ruim_tijdelijke_bestanden(folder: Path) -> int:
    """Delete klachtdocs' own leftover temp files in *folder*; return how many."""
    count = 0
    with contextlib.suppress(OSError):
        for tmp in folder.glob(f"{TEMP_PREFIX}*.tmp"):
            with contextlib.suppress(OSError):
                tmp.unlink()
                count += 1
    return count
