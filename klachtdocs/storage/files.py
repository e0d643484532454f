"""All writing to disk: atomic writes (temp file + link or rename in the same folder), never overwriting."""

from __future__ import annotations

import contextlib
import errno
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


def write_new(target: Path, data: bytes) -> None:
    """Write *data* to *target* atomically; raise FileExistsError if anything (a link too) is at *target*."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if os.path.lexists(target):
        raise FileExistsError(target)
    tmp = _temp_file(target, (data,))
    try:
        try:
            os.link(tmp, target)  # fails if anything is at target: never overwrites
        except FileExistsError:
            raise
        except OSError:  # no hard links here (FAT, exFAT, some network shares)
            _without_hard_link(tmp, target)
        else:
            os.unlink(tmp)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(target.parent)


def _without_hard_link(tmp: Path, target: Path) -> None:
    """Move the complete file *tmp* to *target* without hard links, never replacing anything there."""
    if os.name == "nt":
        os.rename(tmp, target)  # Windows' rename refuses an existing target (FileExistsError)
        return
    # A POSIX rename replaces its target silently. So the name is first claimed by an exclusive
    # create (it fails when anything is there, a dangling link included), and the complete temp
    # file is renamed onto that empty claim, which is still ours: the name only ever holds the
    # empty claim or the whole document. A crash in between leaves the empty claim, which the
    # next pass's recovery removes (verwerking._herstel).
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    try:
        claim = os.fstat(fd)
        if not _own_claim(target, claim):
            raise FileExistsError(errno.EEXIST, "in use by another program since it was claimed", str(target))
        try:
            os.rename(tmp, target)
        except BaseException:
            if _own_claim(target, claim):  # leave no empty file behind
                with contextlib.suppress(OSError):
                    target.unlink()
            raise
    finally:
        os.close(fd)


def _own_claim(target: Path, claim: os.stat_result) -> bool:
    """Return whether *target* is still the empty file whose status was *claim*."""
    try:
        now = os.lstat(target)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (claim.st_dev, claim.st_ino) and now.st_size == 0


def replace_file(target: Path, data: bytes) -> None:
    """Write *data* to *target* atomically, replacing a file klachtdocs owns."""
    replace_file_stream(target, (data,))


def replace_file_stream(target: Path, stukken: Iterable[bytes]) -> None:
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


def read_json(path: Path) -> dict:
    """Return the JSON object stored at *path*, or {} when it is missing, damaged or not an object."""
    try:
        value = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def remove_temp_files(folder: Path) -> int:
    """Delete klachtdocs' own leftover temp files in *folder*; return how many."""
    count = 0
    with contextlib.suppress(OSError):
        for tmp in folder.glob(f"{TEMP_PREFIX}*.tmp"):
            with contextlib.suppress(OSError):
                tmp.unlink()
                count += 1
    return count
