"""Render many letters on all cores: worker processes that keep their compiled templates.

Only rendering happens in the workers (it is pure: template bytes and a context in,
.docx bytes out). Writing files and the journal stays in the main process, in order, so
the crash protocol is the same with or without workers. Workers are started with
"spawn" (as on Windows), never "fork": the watcher has threads, and forking those is unsafe.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from klachtdocs.exceptions import SjabloonFout

if TYPE_CHECKING:  # imported where a letter is rendered: aantal_processen() needs none of it
    from klachtdocs.documents import templates as sjablonen

log = logging.getLogger(__name__)

#: Below this many letters, starting workers (about a second) costs more than it saves.
MIN_FOR_WORKERS = 200

#: Ctrl+C, SIGTERM (a service manager, ``kill``) and Ctrl+Break (Windows): a pass finishes first.
STOP_SIGNALS = tuple(
    getattr(signal, naam) for naam in ("SIGINT", "SIGTERM", "SIGBREAK") if hasattr(signal, naam)
)


@contextlib.contextmanager
def stop_signals_deferred(stop: threading.Event, melding: Callable[[], None]) -> Iterator[None]:
    """Within the block, let a stop signal set *stop* instead of interrupting, and call *melding* once.

    The caller decides when to stop (after its pass). *melding* runs on a thread of its own,
    never inside the signal handler (which may interrupt a write to the same stream). The
    main thread must not wait on *stop* (the handler sets it). Outside the main thread
    (where Python cannot set handlers) nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wek, klaar = threading.Event(), threading.Event()

    def handler(signum, frame) -> None:
        stop.set()
        wek.set()

    def meld() -> None:
        wek.wait()
        if stop.is_set() and not klaar.is_set():
            melding()

    vorige = {s: signal.getsignal(s) for s in STOP_SIGNALS}
    for s in STOP_SIGNALS:
        signal.signal(s, handler)
    threading.Thread(target=meld, name="stopsignaal", daemon=True).start()
    try:
        yield
    finally:
        for s, h in vorige.items():
            signal.signal(s, h)
        klaar.set()
        wek.set()


@contextlib.contextmanager
def _stop_signals_blocked() -> Iterator[None]:
    """Block the stop signals in this thread meanwhile, so processes started here begin with them blocked.

    A spawned worker inherits the mask and keeps the signals pending until ``_start`` ignores
    them: a Ctrl+C to the whole process group while workers start cannot stop them half-way.
    Where the mask does not exist (Windows), ``_start`` is all there is.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    vorig = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, vorig)


@dataclass(frozen=True)
class Task:
    """One letter to render."""

    soort: str
    context: dict
    kenmerk: str
    gemaakt_op: datetime
    variabelen: Mapping[str, str] = field(
        default_factory=dict
    )  # the hashes the letter carries (sjablonen.merk)


_renderers: dict[str, sjablonen.Renderer] = {}
_sjablonen: dict[str, sjablonen.Sjabloon] = {}


def _start(templates: dict[str, sjablonen.Sjabloon], ouder: int) -> None:
    for s in STOP_SIGNALS:  # the parent decides when to stop; a worker renders what it is given
        signal.signal(s, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # pending ones were discarded just now
    _sjablonen.clear()
    _sjablonen.update(templates)
    _renderers.clear()
    threading.Thread(target=_exit_with_parent, args=(ouder,), daemon=True).start()


def _exit_with_parent(ouder: int) -> None:
    """Exit when the main process is gone (killed): a worker must never outlive its pass."""
    from klachtdocs.storage.lock import process_alive

    while True:
        time.sleep(0.5)
        if (os.name == "posix" and os.getppid() != ouder) or not process_alive(ouder):
            os._exit(1)


def _render(taak: Task) -> tuple[bytes, SjabloonFout | None]:
    """Render in a worker, with the worker's own renderers (made on first use).

    The error travels back beside the result (not raised): pool.map would stop at the first.
    """
    if taak.soort not in _renderers:
        from klachtdocs.documents import templates as sjablonen

        _renderers[taak.soort] = sjablonen.Renderer(_sjablonen[taak.soort], sjablonen.make_environment())
    try:
        return _renderers[taak.soort].render(
            taak.context, taak.kenmerk, taak.gemaakt_op, taak.variabelen
        ), None
    except SjabloonFout as exc:
        return b"", exc


def _future(data: bytes = b"", fout: SjabloonFout | None = None) -> Future[bytes]:
    future: Future[bytes] = Future()
    if fout is None:
        future.set_result(data)
    else:
        future.set_exception(fout)
    return future


def _render_here(renderers: dict[str, sjablonen.Renderer], taak: Task) -> Future[bytes]:
    try:
        return _future(
            renderers[taak.soort].render(taak.context, taak.kenmerk, taak.gemaakt_op, taak.variabelen)
        )
    except SjabloonFout as exc:
        return _future(fout=exc)


def process_count() -> int:
    """Return how many worker processes to use: one per core, at least one."""
    return max(os.cpu_count() or 1, 1)


def render_all(
    taken: list[Task],
    templates: dict[str, sjablonen.Sjabloon],
    renderers: dict[str, sjablonen.Renderer],
    processen: int = 1,
) -> Iterator[Future[bytes]]:
    """Yield, for each of *taken* in order, a done Future whose result() is the letter's bytes.

    A letter its template cannot render raises its SjabloonFout from result(); the other
    letters are rendered all the same.

    With *processen* > 1 and many letters, render in that many worker processes;
    otherwise here, with *renderers* (the caller's cache). Worker processes are spawned,
    which re-imports the caller's main module: a script that uses them needs the usual
    ``if __name__ == "__main__":`` guard. The CLI and the watcher use them; the library's
    default is one process. Workers ignore stop signals (the caller decides); should one
    die all the same, the rest is rendered here.
    """
    if len(taken) < MIN_FOR_WORKERS or processen < 2:
        for taak in taken:
            yield _render_here(renderers, taak)
        return
    nodig = {t.soort for t in taken}
    gedaan, gebroken = 0, False
    pool = ProcessPoolExecutor(
        processen,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start,
        initargs=({s: templates[s] for s in nodig}, os.getpid()),
    )
    with pool:
        try:
            with _stop_signals_blocked():  # map() starts the workers
                resultaten = pool.map(_render, taken, chunksize=_chunk_size(len(taken), processen))
            for data, fout in resultaten:
                yield _future(data, fout)
                gedaan += 1
        except BrokenProcessPool:
            gebroken = True
            # The pool ends the other workers with SIGTERM, which they ignore: end them here, or it waits for ever.
            for proces in list((getattr(pool, "_processes", None) or {}).values()):
                with contextlib.suppress(Exception):
                    proces.kill()
    if gebroken:
        log.warning(
            "Een werkproces viel weg; de overige %d brieven worden in het hoofdproces gemaakt.",
            len(taken) - gedaan,
        )
        for taak in taken[gedaan:]:
            yield _render_here(renderers, taak)


def _chunk_size(n: int, processen: int) -> int:
    return max(1, min(32, n // (processen * 8)))


def in_batches(items: Iterable, size: int) -> Iterator[list]:
    """Yield lists of up to *size* consecutive items."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
