"""The watcher: decide *when* to run a pass; the pass itself is verwerking.verwerk.

Split so that most of it is testable without a file system: ``is_relevant`` and
``Debouncer`` are pure, ``Bewaker`` takes its change source and clock as parameters,
and only ``bewaak`` wires in watchdog, signals, the lock and the log file.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePath

from klachtdocs.cache import Cache
from klachtdocs.exceptions import BestandFout, KlachtdocsError, OutputInUse, RegisterOnleesbaar, WerkmapBezet
from klachtdocs.processing import Resultaat, verwerk
from klachtdocs.rules.config import CONFIG_BESTAND
from klachtdocs.rules.register import REGISTER_BESTAND
from klachtdocs.storage.lock import Lock
from klachtdocs.storage.workspace import Workspace

log = logging.getLogger("klachtdocs.watcher")

QUIET = 0.4  # seconds without events before a burst counts as one save
RETRIES = (0.5, 1, 2, 4, 8, 15)  # waits before re-reading an unreadable register
HEARTBEAT = 30.0  # seconds between heartbeats of the watch lock
RETRY_AFTER = 30.0  # seconds before retrying an output that was open in another program (Excel)
IDLE_WAIT = (
    1.0  # longest wait of an idle watcher before it looks at its register, the date and its lock again
)
ANALYSIS_QUIET = 60.0  # quiet seconds after a pass before the monthly analysis is brought up to date
ANALYSIS_RETRY = 300.0  # first wait before retrying a monthly analysis that failed (doubles, up to a day)

#: watchdog event types that can change a file or whether it can be read ("attrib": chmod, touch);
#: ``opened`` and ``closed_no_write`` (reads, also klachtdocs' own) cannot.
CHANGING_EVENTS = frozenset({"created", "modified", "moved", "deleted", "closed", "attrib"})


def _path_key(path: str | PurePath) -> str:
    return os.path.normcase(os.path.normpath(os.fspath(path)))


def _as_text(path: str | bytes | PurePath) -> str:
    return path.decode(errors="replace") if isinstance(path, bytes) else os.fspath(path)


def is_relevant(path: str | PurePath, root: Path) -> bool:
    """Return True when a change to *path* may change what a pass does.

    Only the register and the config in the workspace and the files in its ``sjablonen``
    folder count. Excel's and LibreOffice's owner, lock and temp files, and everything
    klachtdocs writes itself (overzicht.xlsx, archief/, analyse/, logboek/, .klachtdocs/), do not.
    """
    p = PurePath(path)
    naam = p.name
    if naam.startswith(("~$", ".~lock.", "~", ".~klachtdocs-")) or naam.endswith((".tmp", "#")):
        return False
    folder = _path_key(p.parent)
    if folder == _path_key(root):
        return naam.casefold() in (REGISTER_BESTAND.casefold(), CONFIG_BESTAND.casefold())
    return folder == _path_key(Path(root) / "sjablonen")  # templates and the enclosure: pass inputs


def is_change(event, root: Path) -> bool:
    """Return True when the watchdog *event* may change what a pass does (a plain path counts as changed).

    Reads (``opened``, ``closed_no_write``) never count, so a pass that reads the register
    does not start the next one; a move counts when either end is relevant (Excel renames
    a temp file onto the register).
    """
    if isinstance(event, (str, bytes, PurePath)):
        return is_relevant(_as_text(event), root)
    if getattr(event, "event_type", None) not in CHANGING_EVENTS:
        return False
    paden = (getattr(event, "src_path", ""), getattr(event, "dest_path", ""))
    return any(is_relevant(_as_text(p), root) for p in paden if p)


@dataclass
class Debouncer:
    """Collapse a burst of events into one pass: due once *stilte* seconds stay quiet."""

    stilte: float = QUIET
    last_event: float | None = None

    def event(self, nu: float) -> None:
        self.last_event = nu

    def is_ready(self, nu: float) -> bool:
        return self.last_event is not None and nu - self.last_event >= self.stilte

    def reset(self) -> None:
        self.last_event = None


PASS = "pass"
ANALYSIS = "analysis"


@dataclass
class Schedule:
    """When the watcher runs a pass or the monthly analysis: pure, fed with events, time, date and presence.

    ``decide`` takes whether a relevant change came in, the clock, today's date and whether the
    register is there, and returns ``PASS``, ``ANALYSIS`` or None; the watcher reports back when
    a retry or an analysis is due (``retry_at``, ``analysis_at``) and when a pass ran (``ran``).
    """

    quiet: float = QUIET
    debouncer: Debouncer = field(init=False)
    retry_at: float | None = 0.0  # a first pass at start: catch up on what was missed
    analysis_at: float | None = None
    last_day: object = None
    register_present: bool = True

    def __post_init__(self) -> None:
        self.debouncer = Debouncer(self.quiet)

    def change(self, now: float) -> None:
        self.debouncer.event(now)

    def decide(self, now: float, today: object, register_present: bool) -> str | None:
        """Return what is due now: ``PASS``, ``ANALYSIS`` or None."""
        if register_present and not self.register_present:
            log.info("Het register is terug; het wordt weer verwerkt.")
            self.debouncer.event(now)
        elif not register_present and self.register_present:
            log.warning("Het register (of de map) is weg; klachtdocs wacht tot het terug is.")
        self.register_present = register_present
        if not register_present:
            return None
        if (
            self.debouncer.is_ready(now)
            or self.is_new_day(today)
            or (self.retry_at is not None and now >= self.retry_at)
        ):
            self.debouncer.reset()
            self.retry_at = None
            return PASS
        if self.analysis_at is not None and now >= self.analysis_at and self.debouncer.last_event is None:
            self.analysis_at = None
            return ANALYSIS
        return None

    def is_new_day(self, today: object) -> bool:
        return self.last_day is not None and today != self.last_day

    def wait(self, now: float, longest: float) -> float:
        """Return how long to wait for changes: until the next thing due, at most *longest* seconds."""
        due = [t for t in (self.retry_at, self.analysis_at) if t is not None]
        if self.debouncer.last_event is not None:
            due.append(self.debouncer.last_event + self.debouncer.stilte)
        return max(0.0, min([longest, *(t - now for t in due)]))


def register_present(root: Path) -> bool:
    """Return True when the register of the workspace at *root* is there (a share that does not answer: not)."""
    try:
        return Workspace(root).register.exists()
    except OSError:
        return False


@dataclass
class Watcher:
    """The watch loop over one workspace: the I/O around a ``Schedule``, with its change source injected.

    *wijzigingen* yields watchdog events (or plain changed paths); *pass_fn* runs one pass;
    *maandwerk* brings the monthly analysis up to date: after the first pass of the watcher
    and of each day, and *analyse_rust* quiet seconds after any other pass; *aanwezig* says
    whether the register is there (the disk, by default). Call ``stap()`` repeatedly, or
    ``draai()`` until stopped.
    """

    root: Path
    wijzigingen: queue.Queue
    pass_fn: Callable[..., Resultaat] = verwerk
    klok: Callable[[], float] = time.monotonic
    vandaag: Callable[[], object] = lambda: datetime.now().date()
    stilte: float = QUIET
    maandwerk: Callable[[Path, object], None] | None = None
    analyse_rust: float = ANALYSIS_QUIET
    rust: float = IDLE_WAIT
    aanwezig: Callable[[Path], bool] = register_present
    stop: threading.Event = field(default_factory=threading.Event)
    rondes: int = 0
    _schedule: Schedule = field(init=False)
    _retries: int = 0
    _analysis_failures: int = 0

    def __post_init__(self) -> None:
        self._schedule = Schedule(self.stilte, retry_at=self.klok())

    def step(self, wacht: float | None = None) -> None:
        """Take in the changes of up to *wacht* seconds and run a pass (or the analysis) when one is due.

        Without *wacht*, wait until the next thing that is due, at most ``rust`` seconds.
        """
        try:
            event = self.wijzigingen.get(
                timeout=self._schedule.wait(self.klok(), self.rust) if wacht is None else wacht
            )
            while True:
                if is_change(event, self.root):
                    self._schedule.change(self.klok())
                event = self.wijzigingen.get_nowait()
        except queue.Empty:
            pass
        nu = self.klok()
        present = self.aanwezig(self.root)
        dag = self.vandaag() if present else None
        nieuwe_dag = present and self._schedule.is_new_day(dag)
        due = self._schedule.decide(nu, dag, present)
        if due == PASS:
            self._run_pass(nieuwe_dag)
        elif due == ANALYSIS:
            self._run_analysis()

    def _run_pass(self, nieuwe_dag: bool) -> None:
        laatste_kans = self._retries >= len(RETRIES)
        try:
            resultaat = self.pass_fn(self.root, meld_onleesbaar=laatste_kans)
        except RegisterOnleesbaar as exc:
            if laatste_kans:
                log.error("Het register blijft onleesbaar: %s", exc)
                self._retries = 0
            else:
                self._schedule.retry_at = self.klok() + RETRIES[self._retries]
                self._retries += 1
                log.info(
                    "Register nog niet leesbaar (wordt het opgeslagen?); opnieuw over %.1f s.",
                    RETRIES[self._retries - 1],
                )
            return
        except WerkmapBezet as exc:
            log.info("%s Opnieuw over 2 s.", exc)
            self._schedule.retry_at = self.klok() + 2
            return
        except KlachtdocsError as exc:
            log.error("Ronde niet gedaan: %s", exc)
            return
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # noqa: BLE001 - the watcher never dies on one pass (a Rust panic is a BaseException)
            log.exception("Onverwachte fout in een ronde; de bewaking gaat door.")
            return
        self._retries = 0
        self.rondes += 1
        if resultaat.stale:  # overzicht.xlsx open in Excel: the pass did not count as done
            self._schedule.retry_at = self.klok() + RETRY_AFTER
        log.info("Ronde klaar%s: %s", " (nieuwe dag)" if nieuwe_dag else "", resultaat.samenvatting())
        eerste = self._schedule.last_day is None or nieuwe_dag
        self._schedule.last_day = self.vandaag()
        if (
            self.maandwerk is not None and eerste and not self.stop.is_set()
        ):  # stopping: the next start does it
            self._run_analysis()
        elif self.maandwerk is not None:  # a save may have changed last month's figures (an entry typed late)
            self._schedule.analysis_at = self.klok() + self.analyse_rust

    def _run_analysis(self) -> None:
        """Bring the monthly analysis up to date; retry later when it fails."""
        self._schedule.analysis_at = None
        try:
            self.maandwerk(self.root, self.vandaag())
            self._analysis_failures = 0
            return
        except OutputInUse as exc:  # open in Excel: try again soon
            log.warning("%s", exc)
            self._schedule.analysis_at = self.klok() + RETRY_AFTER
            return
        except KlachtdocsError as exc:
            fout = str(exc)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # noqa: BLE001 - the watcher never dies on the analysis
            log.exception("De maandelijkse analyse is mislukt.")
            fout = "onverwachte fout"
        wacht = min(ANALYSIS_RETRY * 2**self._analysis_failures, 86_400.0)
        self._analysis_failures += 1
        self._schedule.analysis_at = self.klok() + wacht
        log.warning(
            "De maandelijkse analyse is niet bijgewerkt (%s); over %s opnieuw.", fout, _duration(wacht)
        )

    def run(self, elke_stap: Callable[[], None] | None = None) -> None:
        """Run until ``stop`` is set; a pass in progress always finishes first. Nothing else stops it."""
        while not self.stop.is_set():
            try:
                self.step()
                if elke_stap is not None:
                    elke_stap()
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException:  # noqa: BLE001 - e.g. a share that answers with an unexpected error
                log.exception("Onverwachte fout in de bewaking; die gaat over 1 s door.")
                time.sleep(
                    1.0
                )  # not stop.wait(): the signal handler sets stop (see workers.stop_signals_deferred)


def _duration(seconden: float) -> str:
    """Return *seconden* as Dutch words: "5 minuten", "1 uur"."""
    if seconden >= 3600:
        uren = round(seconden / 3600)
        return f"{uren} uur"
    minuten = max(round(seconden / 60), 1)
    return "1 minuut" if minuten == 1 else f"{minuten} minuten"


def _pass_with_cache(cache: Cache, processen: int) -> Callable[..., Resultaat]:
    """Return a pass function that hands every pass the same *cache*."""

    def run(root: Path, **kwargs) -> Resultaat:
        return verwerk(root, processen=processen, cache=cache, **kwargs)

    return run


def monthly_analysis(root: Path, vandaag) -> None:
    """Bring last month's analysis for the kwaliteitsfunctionaris up to date (see analyse.maandelijks)."""
    from klachtdocs import monthly as analyse  # pandas loads only when the analysis runs

    pad = analyse.run_monthly(root, vandaag)
    if pad is not None:
        log.info("Maandelijkse klachtenanalyse geschreven: %s", pad.relative_to(root).as_posix())


def _log_handler(root: Path) -> logging.Handler:
    folder = Workspace(root).logboek
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        folder / "klachtdocs.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    return handler


class _Forwarder:
    """A watchdog event handler that only queues events (the Bewaker judges them): it can never raise."""

    def __init__(self, q: queue.Queue) -> None:
        self.q = q

    def dispatch(self, event) -> None:
        self.q.put(event)


def _start_observer(root: Path, q: queue.Queue, poll: float | None):
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    observer = PollingObserver(timeout=poll) if poll else Observer()
    handler = _Forwarder(q)
    observer.schedule(handler, str(root), recursive=False)
    sjablonen = Workspace(root).sjablonen
    if sjablonen.is_dir():
        observer.schedule(handler, str(sjablonen), recursive=False)
    observer.daemon = True
    observer.start()
    return observer


def run_watcher(root: Path, poll: float | None = None) -> None:
    """Watch the workspace at *root* until SIGINT or SIGTERM; run a pass after each save."""
    root = Path(root)
    if not root.is_dir():
        raise BestandFout(f"De map {root} bestaat niet. Maak een werkmap met 'klachtdocs init MAP'.")
    Workspace(root).controleer()  # the lock and the log are written in it
    slot = Lock(Workspace(root).staat / "bewaking.lock", "bewaking")
    slot.acquire(0)
    klachtdocs_log = logging.getLogger("klachtdocs")
    klachtdocs_log.setLevel(logging.INFO)
    handlers = [_log_handler(root), logging.StreamHandler()]
    handlers[1].setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    for h in handlers:
        klachtdocs_log.addHandler(h)
    if slot.overgenomen:
        log.warning("Verlopen slot van een eerdere bewaking overgenomen (%s).", slot.overgenomen.describe())
    q: queue.Queue = queue.Queue()
    from klachtdocs.documents.workers import process_count, stop_signals_deferred

    bewaker = Watcher(root, q, pass_fn=_pass_with_cache(Cache(), process_count()), maandwerk=monthly_analysis)

    log.info(
        "Bewaking gestart op %s (%s).", root, f"elke {poll} s kijken" if poll else "meldingen van het systeem"
    )
    observer = None
    volgende_hartslag = time.monotonic() + HEARTBEAT

    def onderhoud() -> None:
        nonlocal observer, volgende_hartslag
        if observer is None or not observer.is_alive():
            if observer is not None:
                log.warning("De bewaking van de map viel weg; opnieuw starten zodra de map er is.")
                observer = None
            if root.is_dir():
                try:
                    observer = _start_observer(root, q, poll)
                except OSError as exc:
                    log.warning("Map nog niet te bewaken (%s).", exc)
        if time.monotonic() >= volgende_hartslag:
            slot.heartbeat()
            volgende_hartslag = time.monotonic() + HEARTBEAT

    try:
        with stop_signals_deferred(
            bewaker.stop, lambda: log.info("Stopsignaal ontvangen; de bewaking stopt na de lopende ronde.")
        ):
            onderhoud()
            bewaker.run(onderhoud)
    finally:
        if observer is not None:
            observer.stop()
        slot.release()
        log.info("Bewaking gestopt.")
        for h in handlers:
            klachtdocs_log.removeHandler(h)
            h.close()
