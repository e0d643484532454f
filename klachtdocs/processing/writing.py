"""Write documents under the journal: start lines, files, gemaakt lines; finish what a killed pass began."""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from klachtdocs.documents import templates as sjablonen
from klachtdocs.documents import workers
from klachtdocs.exceptions import PadFout, SjabloonFout, StorageError
from klachtdocs.processing.result import Notes
from klachtdocs.processing.state import ArchiveMark
from klachtdocs.processing.work import Templates, Work
from klachtdocs.rules.brieven import BIJLAGE
from klachtdocs.rules.model import Document
from klachtdocs.storage.files import remove_temp_files, sha256, write_new
from klachtdocs.storage.journal import Journal
from klachtdocs.storage.workspace import Workspace, check_folder, is_taken

log = logging.getLogger(__name__)
BATCH = 64  # documents per journaled batch: two fsyncs of the journal per batch, not per document
Progress = Callable[[int, int], None]


def recover(wm: Workspace, journaal: Journal) -> None:
    """Finish what an interrupted pass started: adopt the files it wrote, forget the rest."""
    for ident, r in list(journaal.unfinished.items()):
        try:
            target = wm.archiefbestand(r.get("bestand"))
        except PadFout as exc:  # a hand-edited line: nothing outside archief/ is read or written
            log.warning("%s", exc)
            journaal.forget(ident)
            continue
        remove_temp_files(target.parent)
        try:
            data = target.read_bytes()
        except OSError:
            journaal.forget(ident)
            continue
        if not data:  # the empty claim of a write without hard links (files.write_new)
            with contextlib.suppress(OSError):
                target.unlink()
            journaal.forget(ident)
            continue
        ours = r["soort"] == BIJLAGE or sjablonen.read_kenmerk(data) == sjablonen.kenmerk(
            r["klachtnummer"], r["soort"], r["versie"]
        )
        if not ours:
            journaal.forget(ident)
            continue
        doc = Document.van_regel(r | {"sha256": sha256(data), "reden": "hersteld na onderbreking"})
        journaal.gemaakt(ident, doc)
        log.warning("Hersteld na onderbreking: %s", r["bestand"])


def write_all(
    werk: list[Work],
    journaal: Journal,
    templates: Templates,
    mark: ArchiveMark,
    notes: Notes,
    processen: int,
    progress: Progress | None,
) -> list[Document]:
    """Render *werk* (on several cores when there is much), write it in journaled batches; return what was made."""
    if not werk:
        return []
    soorten = {w.taak.soort for w in werk if w.taak is not None}
    per_soort = {soort: templates.get(soort) for soort in soorten}
    renderers = {soort: templates.renderer(sjabloon) for soort, sjabloon in per_soort.items()}
    rendered = workers.render_all(
        [w.taak for w in werk if w.taak is not None], per_soort, renderers, processen
    )
    made: list[Document] = []
    done = 0
    for batch in workers.in_batches(werk, BATCH):
        ready = []
        for w in batch:
            try:
                data = w.data if w.taak is None else next(rendered).result()
            except SjabloonFout as exc:  # one melding per template; the other documents are made
                notes.template(w.doc.soort, str(exc))
                continue
            ready.append((w, replace(w.doc, sha256=sha256(data)), data))
        made += _write_batch(journaal, ready, mark, notes)
        done += len(batch)
        _report(progress, done, len(werk))
    return made


def _write_batch(
    journaal: Journal, ready: list[tuple[Work, Document, bytes]], mark: ArchiveMark, notes: Notes
) -> list[Document]:
    """Write a batch: its start lines (one fsync), the files, its gemaakt lines (one fsync)."""
    if not ready:
        return []
    idents = [secrets.token_hex(8) for _ in ready]
    journaal.start_batch([(ident, doc) for ident, (_, doc, _) in zip(idents, ready, strict=True)])
    mark.update(journaal)  # before any file: a journal put back from before this batch is noticed
    written: list[tuple[str, Document]] = []
    try:
        for ident, (w, doc, data) in zip(idents, ready, strict=True):
            try:
                check_folder(w.target.parent)  # a link put there while the batch was rendered
                write_new(w.target, data)
            except PadFout as exc:
                notes.path(doc.klachtnummer, str(exc))
                continue
            except FileExistsError:
                notes.path(doc.klachtnummer, _taken_text(w.target))
                continue
            except OSError as exc:
                raise StorageError.van(exc, w.target) from exc
            written.append((ident, doc))
    finally:
        journaal.made_batch(written)
        written_ids = {ident for ident, _ in written}
        for ident in idents:
            if ident not in written_ids:
                journaal.forget(ident)
    for _, doc in written:
        log.info("Gemaakt: %s (%s)", doc.bestand, doc.reden)
    return [doc for _, doc in written]


def _taken_text(target: Path) -> str:
    """Return the melding for a document whose name was taken by another program during the pass."""
    try:
        is_taken(target)
    except PadFout as exc:
        return str(exc)
    return (
        f"{target.name} in {target.parent.parent.name}/{target.parent.name} is tijdens deze ronde door een "
        "ander programma gemaakt; klachtdocs laat dat bestand zoals het is. De volgende ronde maakt het "
        "document met het volgende versienummer."
    )


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)
    elif total >= 500 and (done == total or done % 500 < BATCH):
        log.info("Documenten maken: %d van %d.", done, total)
