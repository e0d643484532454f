"""Workspace locks: one pass at a time, one watcher per workspace, also across machines.

Each lock is two files in .klachtdocs/. ``NAAM.os`` carries an operating-system lock
(filelock: flock on POSIX, LockFileEx via msvcrt on Windows, which an SMB server enforces
for every client): the system releases it when its process dies, so on one machine a
crashed holder never blocks anyone. ``NAAM`` itself names the holder (host, pid, the
process's start time) for people and for machines whose locks do not reach each other
(a synchronised folder, a share mounted without byte-range locks); a thread refreshes its
modification time as a heartbeat while the lock is held, so a long pass is never judged
stale. A stale ``NAAM`` is taken over through a claim file named after its exact content,
created exclusively: of any number of processes that judge the same lock stale at the same
time, on any machines and with any latency, exactly one wins.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import secrets
import socket
import threading
import time
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path

import filelock

from klachtdocs.exceptions import WerkmapBezet

log = logging.getLogger(__name__)
#: A lock of another machine whose heartbeat is older than this is stale (seconds).
STALE_AFTER = 300.0
UNREADABLE_STALE_AFTER = 10.0  # seconds after which a lock file that cannot be parsed is stale
CLAIM_STALE_AFTER = 60.0  # seconds after which an unfinished takeover claim is abandoned


def _process(pid: int):
    import psutil

    try:
        return psutil.Process(pid)
    except (psutil.NoSuchProcess, ValueError):
        return None


def process_start(pid: int | None = None) -> float | None:
    """Return the start time (epoch seconds) of process *pid* (this one by default), or None."""
    import psutil

    proces = _process(os.getpid() if pid is None else pid)
    if proces is None:
        return None
    try:
        return proces.create_time()
    except psutil.Error:  # AccessDenied: the process exists, its start time is not ours to see
        return None


def process_alive(pid: int, start: float | None = None) -> bool:
    """Return True when a process with *pid* (and, when given, start time *start*) runs here.

    A process this user may not inspect ("access denied", on Windows) is alive. A pid
    reused after a reboot has another start time: with *start*, that is not the process.
    """
    import psutil

    if pid <= 0:
        return False
    proces = _process(pid)
    if proces is None:
        return False
    try:
        if proces.status() == psutil.STATUS_ZOMBIE:
            return False
        if start is not None and abs(proces.create_time() - start) > 1.0:
            return False
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:  # AccessDenied: it exists
        return True
    return True


@dataclass(frozen=True)
class Holder:
    """Who holds a lock."""

    host: str
    pid: int
    sinds: str
    start: float | None = None  # the process's start time: a pid reused later is another process
    teken: str = ""  # random: two holders' files never have the same content

    def describe(self) -> str:
        return f"proces {self.pid} op computer {self.host}, gestart {self.sinds}"


class Lock:
    """An exclusive lock: an OS lock, and a file naming its holder, refreshed as a heartbeat.

    *verlooptijd* and *hartslag* (seconds) default to VERLOOPTIJD and a tenth of it. With
    *os_slot* False the OS lock is left out: tests use that to play a machine whose locks
    do not reach this one.
    """

    def __init__(
        self,
        pad: Path,
        wat: str,
        verlooptijd: float | None = None,
        hartslag: float | None = None,
        os_slot: bool = True,
        host: str | None = None,
    ) -> None:
        self.pad = Path(pad)
        self.wat = wat  # Dutch description: "verwerking", "bewaking"
        self.verlooptijd = STALE_AFTER if verlooptijd is None else verlooptijd
        self.interval = self.verlooptijd / 10 if hartslag is None else hartslag
        self.host = host or socket.gethostname()
        self.houder = Holder(
            self.host,
            os.getpid(),
            datetime.now().isoformat(timespec="seconds"),
            process_start(),
            secrets.token_hex(8),
        )
        self.overgenomen: Holder | None = None
        self._os = (
            filelock.FileLock(self.pad.with_name(self.pad.name + ".os"), timeout=0) if os_slot else None
        )
        self._stop: threading.Event | None = None  # set while held: stops the heartbeat thread
        self._mutex = threading.Lock()
        self.kwijt = False  # set when another process took the lock while this one held it

    def _content(self) -> bytes:
        return json.dumps(asdict(self.houder)).encode()

    def current_holder(self) -> Holder | None:
        """Return who holds the lock now, or None when nobody does (or it is unreadable)."""
        return _holder(self._read())

    def _is_stale(self, houder: Holder | None) -> bool:
        if houder is None:  # half-written or garbage: stale once old enough
            return self._age() > UNREADABLE_STALE_AFTER
        if houder.host == self.host:
            # With the OS lock in hand, a holder on this machine that took it is gone; one that did
            # not (an older klachtdocs) is judged by its pid and start time.
            return not process_alive(houder.pid, houder.start)
        return self._age() > self.verlooptijd

    def _age(self) -> float:
        try:
            return time.time() - self.pad.stat().st_mtime
        except OSError:
            return 0.0

    def try_acquire(self) -> bool:
        """Take the lock if free or stale; return True when this process holds it."""
        self.pad.parent.mkdir(parents=True, exist_ok=True)
        if self._os is not None:
            try:
                self._os.acquire()
            except filelock.Timeout:
                return False
        try:
            genomen = self._create() or self._take_over()
        except BaseException:
            self._release_os_lock()
            raise
        if not genomen:
            self._release_os_lock()
            return False
        self._start_heartbeat()
        return True

    def _take_over(self) -> bool:
        """Replace the lock file if it is stale, through a claim only one process can make."""
        inhoud = self._read()
        if inhoud is None:
            return False  # released just now: the caller tries again
        houder = _holder(inhoud)
        if not self._is_stale(houder):
            return False
        claim = self._claim(inhoud)
        if claim is None:
            return False
        try:
            if self._read() != inhoud:  # someone took it over and released it before our claim
                return False
            tijdelijk = self.pad.with_name(f"{self.pad.name}.{self.houder.teken}.nieuw")
            try:
                tijdelijk.write_bytes(self._content())
                os.replace(tijdelijk, self.pad)  # Windows: fails while a reader has it open; try again
            except OSError:
                with contextlib.suppress(OSError):
                    tijdelijk.unlink()
                return False
        finally:
            self._remove_claims(inhoud)
        self.overgenomen = houder
        log.warning(
            "Verlopen slot van %s overgenomen (%s).",
            self.wat,
            houder.describe() if houder else "onleesbaar slot",
        )
        return True

    def _claim(self, inhoud: bytes) -> Path | None:
        """Create the next claim on the stale content *inhoud*; return it, or None if another has it.

        Claims are numbered: a claim whose maker died before finishing is left in place
        (removing it would race), and after CLAIM_VERLOOPT the next number is free to claim.
        """
        for n in range(1000):
            claim = self._claim_path(inhoud, n)
            try:
                fd = os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                try:
                    oud = time.time() - claim.stat().st_mtime > CLAIM_STALE_AFTER
                except OSError:
                    oud = True  # removed by the winner after it finished: a later number is stale too
                if not oud:
                    return None
                continue
            os.close(fd)
            return claim
        return None

    def _claim_path(self, inhoud: bytes, n: int) -> Path:
        digest = hashlib.sha256(inhoud).hexdigest()[:16]
        return self.pad.with_name(f"{self.pad.name}.overname-{digest}-{n}")

    def _remove_claims(self, inhoud: bytes) -> None:
        """Remove the claims on *inhoud*: it is gone from the lock file, so no claim can win again."""
        prefix = self._claim_path(inhoud, 0).name[:-1]
        with contextlib.suppress(OSError):
            for pad in self.pad.parent.iterdir():
                if pad.name.startswith(prefix):
                    with contextlib.suppress(OSError):
                        pad.unlink()

    def _read(self) -> bytes | None:
        try:
            return self.pad.read_bytes()
        except OSError:
            return None

    def _create(self) -> bool:
        try:
            fd = os.open(self.pad, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(self._content())
        except OSError:  # a full disk: leave no empty lock that would hold off the next pass
            with contextlib.suppress(OSError):
                os.unlink(self.pad)
            raise
        return True

    def acquire(self, wachttijd: float = 0.0) -> None:
        """Take the lock, waiting up to *wachttijd* seconds; raise WerkmapBezet otherwise."""
        deadline = time.monotonic() + wachttijd
        while not self.try_acquire():
            if time.monotonic() >= deadline:
                houder = self.current_holder()
                wie = houder.describe() if houder else "een ander proces"
                raise WerkmapBezet(
                    f"De werkmap is bezet: er loopt al een {self.wat} ({wie}). "
                    f"Wacht tot die klaar is, of stop die eerst. Slotbestand: "
                    f"{self.pad}"
                )
            time.sleep(0.2)

    def heartbeat(self) -> bool:
        """Refresh the lock's modification time if this process still holds it; return whether it does."""
        with self._mutex:
            if self._stop is None:  # released (or never taken): nothing to refresh
                return False
            return self._beat()

    def _beat(self) -> bool:
        if self._read() != self._content():
            if not self.kwijt:
                self.kwijt = True
                log.error(
                    "Het slot van de %s is overgenomen door %s terwijl deze %s nog liep.",
                    self.wat,
                    (h.describe() if (h := self.current_holder()) else "een ander proces"),
                    self.wat,
                )
            return False
        with contextlib.suppress(OSError):
            os.utime(self.pad)
        return True

    def _start_heartbeat(self) -> None:
        stop = self._stop = threading.Event()

        def klop() -> None:
            while not stop.wait(self.interval):
                self.heartbeat()

        threading.Thread(target=klop, name=f"hartslag {self.pad.name}", daemon=True).start()

    def release(self) -> None:
        """Release the lock if this process still holds it."""
        with self._mutex:  # not while the heartbeat thread reads the file: it would think it lost it
            if self._stop is not None:
                self._stop.set()
                self._stop = None
            if self.current_holder() == self.houder:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.pad)
        self._release_os_lock()

    def _release_os_lock(self) -> None:
        if self._os is not None and self._os.is_locked:
            self._os.release()


def _holder(inhoud: bytes | None) -> Holder | None:
    if inhoud is None:
        return None
    try:
        velden = json.loads(inhoud)
        if not isinstance(velden, dict):
            return None
        bekend = {f.name for f in fields(Holder)}  # a later version may add fields: still a holder
        houder = Holder(**{k: v for k, v in velden.items() if k in bekend})
    except (ValueError, TypeError):
        return None
    start = houder.start
    if not (
        isinstance(houder.host, str)
        and type(houder.pid) is int
        and isinstance(houder.sinds, str)
        and isinstance(houder.teken, str)
        and (start is None or (type(start) in (int, float) and math.isfinite(start)))
    ):
        return None  # fields of the wrong type (edited by hand): unreadable, stale once old enough
    return houder
