"""Run one pass under the workspace lock; stop early when nothing it depends on changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from klachtdocs.exceptions import BestandFout, KlachtdocsError, StorageError
from klachtdocs.processing import state
from klachtdocs.processing.result import Resultaat
from klachtdocs.storage.files import remove_temp_files
from klachtdocs.storage.lock import Lock
from klachtdocs.storage.workbook import read_file_bytes
from klachtdocs.storage.workspace import Workspace, read_config

if TYPE_CHECKING:
    from klachtdocs.cache import Cache


def verwerk(
    root: Path,
    nu: datetime | None = None,
    wachttijd: float = 60.0,
    meld_onleesbaar: bool = True,
    voortgang: Callable[[int, int], None] | None = None,
    processen: int = 1,
    cache: Cache | None = None,
) -> Resultaat:
    """Run one pass over the workspace at *root* and return what it did.

    Wait at most *wachttijd* seconds for another pass to finish. *voortgang(gedaan, totaal)*
    is called while documents are made; without it, long work is counted in the log.
    *processen* > 1 renders many letters in that many worker processes. A long-running caller
    passes the same *cache* to every pass. Raise a KlachtdocsError; a refusal of the file
    system (a full disk, a read-only archive, a file locked by another program) is a StorageError.
    """
    wm = Workspace(Path(root))
    try:
        return _run(
            wm,
            (nu or datetime.now()).replace(microsecond=0),
            wachttijd,
            meld_onleesbaar,
            voortgang,
            processen,
            cache,
        )
    except OSError as exc:
        raise StorageError.van(exc, map_=wm.root) from exc


def _run(
    wm: Workspace,
    nu: datetime,
    wachttijd: float,
    meld_onleesbaar: bool,
    voortgang: Callable[[int, int], None] | None,
    processen: int,
    cache: Cache | None,
) -> Resultaat:
    if not wm.root.is_dir():
        raise BestandFout(f"De map {wm.root} bestaat niet. Maak een werkmap met 'klachtdocs init MAP'.")
    wm.controleer()  # no link where a pass writes, nothing read from outside the workspace
    slot = Lock(wm.staat / "verwerking.lock", "verwerking")
    slot.acquire(wachttijd)
    try:
        for folder in (wm.staat, wm.root, wm.analyse):  # a killed pass's half-written state
            remove_temp_files(folder)
        try:
            config = read_config(wm.config)
            data = read_file_bytes(wm.register)
            omgeving = state.environment_hash(wm, nu.date())
            # An empty cache is filled by one full pass (the watcher's first), even if nothing
            # changed: then the first save after the watcher starts is quick too.
            if cache is None or cache.passes:
                vorige = state.last_round(wm, state.fingerprint(wm, data, omgeving))
                if vorige is not None:
                    return Resultaat(klachten=vorige[0], meldingen=vorige[1], ongewijzigd=True)
            from klachtdocs.processing import steps  # the rest of klachtdocs: not needed until here

            register = steps.validate(data, wm.register.name, config, nu.date(), cache)
        except KlachtdocsError as exc:
            if meld_onleesbaar and wm.config.exists():
                from klachtdocs.processing import steps

                steps.write_error_overzicht(wm, exc, nu)
            raise
        resultaat, repeat = steps.full_pass(wm, register, config, omgeving, nu, processen, voortgang, cache)
        if not resultaat.stale:  # else the next pass is not skipped: it writes what is stale
            vingerafdruk = "" if repeat else state.fingerprint(wm, data, omgeving)
            state.remember_round(wm, vingerafdruk, resultaat.klachten, resultaat.meldingen)
    finally:
        slot.release()
    return resultaat
