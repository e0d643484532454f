"""Workspace locks: one pass at a time, one watcher per workspace, also across machines."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from klachtdocs.exceptions import WerkmapBezet

log = logging.getLogger(__name__)
#: A lock of another machine whose heartbeat is older than this is stale (seconds).
VERLOOPTIJD = 300.0
NAKIJKTIJD = 0.05  # seconds to wait after taking over a stale lock before trusting it


def proces_leeft(pid: int) -> bool:
    """Return True when a process with *pid* runs on this machine."""
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class Houder:
    """Who holds a lock."""

    host: str
    pid: int
    sinds: str

    def beschrijving(self) -> str:
        return f"proces {self.pid} op computer {self.host}, gestart {self.sinds}"


class Slot:
    """An exclusive lock file with host, pid and start time, refreshed as a heartbeat."""

    def __init__(self, pad: Path, wat: str) -> None:
        self.pad = pad
        self.wat = wat  # Dutch description: "verwerking", "bewaking"
        self.houder = Houder(socket.gethostname(), os.getpid(),
                             datetime.now().isoformat(timespec="seconds"))  # fmt: skip
        self.overgenomen: Houder | None = None

    def _inhoud(self) -> bytes:
        return json.dumps(self.houder.__dict__).encode()

    def huidige_houder(self) -> Houder | None:
        """Return who holds the lock now, or None when nobody does (or it is unreadable)."""
        try:
            return Houder(**json.loads(self.pad.read_bytes()))
        except (OSError, ValueError, TypeError):
            return None

    def _is_verlopen(self, houder: Houder | None) -> bool:
        if houder is None:  # half-written or garbage: stale once old enough
            return self._leeftijd() > 10
        if houder.host == socket.gethostname():
            return not proces_leeft(houder.pid)
        return self._leeftijd() > VERLOOPTIJD

    def _leeftijd(self) -> float:
        try:
            return time.time() - self.pad.stat().st_mtime
        except OSError:
            return 0.0

    def probeer(self) -> bool:
        """Take the lock if free or stale; return True when this process holds it."""
        self.pad.parent.mkdir(parents=True, exist_ok=True)
        if self._maak():
            return True
        inhoud = self._lees()
        houder = self.huidige_houder()
        if not self._is_verlopen(houder):
            return False
        # Two processes may judge the same lock stale at once. Remove it only if it is still the
        # one we judged, and after creating ours check that nobody removed ours in that instant.
        if self._lees() != inhoud:
            return False
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.pad)
        if not self._maak():
            return False
        time.sleep(NAKIJKTIJD)
        if self.huidige_houder() != self.houder:
            return False
        self.overgenomen = houder
        log.warning("Verlopen slot van %s overgenomen (%s).", self.wat,
                    houder.beschrijving() if houder else "onleesbaar slot")  # fmt: skip
        return True

    def _lees(self) -> bytes | None:
        try:
            return self.pad.read_bytes()
        except OSError:
            return None

    def _maak(self) -> bool:
        try:
            fd = os.open(self.pad, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(self._inhoud())
        except OSError:  # a full disk: leave no empty lock that would hold off the next pass
            with contextlib.suppress(OSError):
                os.unlink(self.pad)
            raise
        return True

    def neem(self, wachttijd: float = 0.0) -> None:
        """Take the lock, waiting up to *wachttijd* seconds; raise WerkmapBezet otherwise."""
        deadline = time.monotonic() + wachttijd
        while not self.probeer():
            if time.monotonic() >= deadline:
                houder = self.huidige_houder()
                wie = houder.beschrijving() if houder else "een ander proces"
                raise WerkmapBezet(f"De werkmap is bezet: er loopt al een {self.wat} ({wie}). "
                                   f"Wacht tot die klaar is, of stop die eerst. Slotbestand: "
                                   f"{self.pad}")  # fmt: skip
            time.sleep(0.2)

    def hartslag(self) -> None:
        """Refresh the lock's modification time, so other machines see it is alive."""
        with contextlib.suppress(OSError):
            os.utime(self.pad)

    def geef_vrij(self) -> None:
        """Release the lock if this process still holds it."""
        if self.huidige_houder() == self.houder:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.pad)
