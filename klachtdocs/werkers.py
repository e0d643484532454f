"""Render many letters on all cores: worker processes that keep their compiled templates.

Only rendering happens in the workers (it is pure: template bytes and a context in,
.docx bytes out). Writing files and the journal stays in the main process, in order, so
the crash protocol is the same with or without workers. Workers are started with
"spawn" (as on Windows), never "fork": the watcher has threads, and forking those is unsafe.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from klachtdocs.exceptions import SjabloonFout

if TYPE_CHECKING:  # imported where a letter is rendered: aantal_processen() needs none of it
    from klachtdocs import sjablonen

#: Below this many letters, starting workers (about a second) costs more than it saves.
MINIMUM_VOOR_WERKERS = 200


@dataclass(frozen=True)
class Taak:
    """One letter to render."""

    soort: str
    context: dict
    kenmerk: str
    gemaakt_op: datetime
    variabelen: Mapping[str, str] = field(default_factory=dict)  # the hashes the letter carries (sjablonen.merk)


_renderers: dict[str, sjablonen.Renderer] = {}
_sjablonen: dict[str, sjablonen.Sjabloon] = {}


def _start(templates: dict[str, sjablonen.Sjabloon], ouder: int) -> None:
    _sjablonen.clear()
    _sjablonen.update(templates)
    _renderers.clear()
    threading.Thread(target=_wees_waakzaam, args=(ouder,), daemon=True).start()


def _wees_waakzaam(ouder: int) -> None:
    """Exit when the main process is gone (killed): a worker must never outlive its pass."""
    from klachtdocs.slot import proces_leeft

    while True:
        time.sleep(0.5)
        if (os.name == "posix" and os.getppid() != ouder) or not proces_leeft(ouder):
            os._exit(1)


def _render(taak: Taak) -> bytes | SjabloonFout:
    """Render in a worker, with the worker's own renderers (made on first use)."""
    if taak.soort not in _renderers:
        from klachtdocs import sjablonen

        _renderers[taak.soort] = sjablonen.Renderer(_sjablonen[taak.soort], sjablonen.maak_omgeving())
    return _render_met(_renderers, taak)


def _render_met(renderers: dict[str, sjablonen.Renderer], taak: Taak) -> bytes | SjabloonFout:
    """Return the letter of *taak*, or its SjabloonFout (which must not stop the other letters)."""
    try:
        return renderers[taak.soort].render(taak.context, taak.kenmerk, taak.gemaakt_op, taak.variabelen)
    except SjabloonFout as exc:
        return exc


def aantal_processen() -> int:
    """Return how many worker processes to use: one per core, at least one."""
    return max(os.cpu_count() or 1, 1)


def render_alle(taken: list[Taak], templates: dict[str, sjablonen.Sjabloon],
                renderers: dict[str, sjablonen.Renderer], processen: int = 1) -> Iterator[bytes | SjabloonFout]:  # fmt: skip
    """Yield the rendered bytes (or the SjabloonFout) of each of *taken*, in order.

    With *processen* > 1 and many letters, render in that many worker processes;
    otherwise here, with *renderers* (the caller's cache). Worker processes are spawned,
    which re-imports the caller's main module: a script that uses them needs the usual
    ``if __name__ == "__main__":`` guard. The CLI and the watcher use them; the library's
    default is one process.
    """
    if len(taken) < MINIMUM_VOOR_WERKERS or processen < 2:
        for taak in taken:
            yield _render_met(renderers, taak)
        return
    nodig = {t.soort for t in taken}
    with ProcessPoolExecutor(processen, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_start,
                             initargs=({s: templates[s] for s in nodig}, os.getpid())) as pool:  # fmt: skip
        yield from pool.map(_render, taken, chunksize=_brok(len(taken), processen))


def _brok(n: int, processen: int) -> int:
    return max(1, min(32, n // (processen * 8)))


def in_reeksen(items: Iterable, grootte: int) -> Iterator[list]:
    """Yield lists of up to *grootte* consecutive items."""
    reeks = []
    for item in items:
        reeks.append(item)
        if len(reeks) >= grootte:
            yield reeks
            reeks = []
    if reeks:
        yield reeks
