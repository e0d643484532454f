"""Adopt the documents in archief/ that the journal does not record (it was lost, or an old copy put back)."""

from __future__ import annotations

import logging
import os
import re
import secrets
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from klachtdocs.documents import templates as sjablonen
from klachtdocs.exceptions import SjabloonFout
from klachtdocs.processing.result import TERUGGEVONDEN
from klachtdocs.processing.state import ArchiveMark
from klachtdocs.processing.work import Reglement, Templates, klacht_folder, relative
from klachtdocs.rules import brieven, planning, procedure
from klachtdocs.rules.brieven import BIJLAGE
from klachtdocs.rules.config import Config
from klachtdocs.rules.dutch import aantal
from klachtdocs.rules.filenames import veilige_naam
from klachtdocs.rules.model import Document, Klacht, Register
from klachtdocs.rules.planning import KlachtRecord
from klachtdocs.rules.termijnen import Termijnen
from klachtdocs.storage.files import sha256
from klachtdocs.storage.journal import Journal
from klachtdocs.storage.workspace import Workspace, is_link

log = logging.getLogger(__name__)
KINDS = (*procedure.SOORTEN, BIJLAGE)


def record_of(journaal: Journal, klachtnummer: str) -> KlachtRecord:
    """Return what *journaal* records of one klacht."""
    return KlachtRecord({s: tuple(journaal.versions(klachtnummer, s)) for s in KINDS})


class Adopter:
    """Looks through klachten's folders in archief/, once per klacht per pass, and records what it adopts."""

    def __init__(
        self,
        wm: Workspace,
        config: Config,
        register: Register,
        journaal: Journal,
        templates: Templates,
        reglement: Reglement,
        mark: ArchiveMark,
        vandaag: date,
    ) -> None:
        self.wm, self.config, self.register, self.journaal = wm, config, register, journaal
        self.templates, self.reglement, self.mark, self.vandaag = templates, reglement, mark, vandaag
        self.adopted: list[Document] = []
        self._seen: set[str] = set()

    def all(self, klachten: list[tuple[Klacht, Termijnen]]) -> None:
        """Look through the folder of every klacht and adopt the documents the journal does not record."""
        log.info("Het archief wordt nagelopen: het journaal is nieuw, ontbreekt of is ouder dan het archief.")
        for k, t in klachten:
            self.adopt(k, t)
        if self.adopted:
            log.warning(
                "%s teruggevonden in het archief en opgenomen in het journaal (het journaal "
                "ontbrak of was ouder).",
                aantal(len(self.adopted), "document", "documenten"),
            )

    def adopt(self, k: Klacht, t: Termijnen) -> bool:
        """Adopt the documents of *k* in archief/ that the journal does not record; return whether any.

        Once per klacht per pass: one listing of its folder, and only a file whose name the
        journal does not know is opened. A document is adopted when it says it is that klacht's
        document of that kind and version (its kenmerk) and its parts are still those it was
        made with; it is recorded with the variable hashes it carries, so it is judged as if the
        journal had never lost it. A document of an older klachtdocs (no hashes) is adopted as
        made from today's data. Anything else (someone's file, a letter someone changed) is left
        alone, and the next version goes beside it. A copy of the klachtenreglement is adopted
        when its bytes are the reglement's.
        """
        if k.klachtnummer in self._seen:
            return False
        self._seen.add(k.klachtnummer)
        folder = klacht_folder(self.wm, k.klachtnummer)
        try:
            if is_link(folder):  # a junction too (Windows, Python < 3.12)
                return False
            with os.scandir(folder) as entries:
                namen = [e.name for e in entries if e.is_file(follow_symlinks=False)]
        except OSError:  # no folder yet, or not readable: nothing to adopt
            return False
        stem = veilige_naam(k.klachtnummer)
        record = record_of(self.journaal, k.klachtnummer)
        bekend = {PurePosixPath(b).name for b in record.bestanden()}
        soorten = "|".join(procedure.SOORTEN)
        patroon = re.compile(
            rf"{re.escape(stem)}_(?:(?P<soort>{soorten})|(?P<bijlage>{BIJLAGE})_.+)"
            r"_v(?P<versie>[1-9][0-9]{0,8})(?:\.docx|(?(bijlage)\.[^.]+|(?!)))"
        )
        kandidaten = []
        for naam in namen:
            m = patroon.fullmatch(naam)
            if m is not None and naam not in bekend:
                soort = m.group("soort") or BIJLAGE
                # the letters first (a form lists them, a reglement takes its date from them)
                volgorde = (
                    procedure.SOORTEN.index(soort) if soort != BIJLAGE else len(procedure.BRIEVEN) - 0.5
                )
                kandidaten.append((volgorde, int(m.group("versie")), soort, naam))
        nieuw: list[Document] = []
        for _, versie, soort, naam in sorted(kandidaten):
            doc = self._recognised(k, t, soort, versie, folder / naam, record.met(nieuw))
            if doc is not None:
                nieuw.append(doc)
        if not nieuw:
            return False
        self.journaal.made_batch([(secrets.token_hex(8), doc) for doc in nieuw])
        for doc in nieuw:
            log.info("Teruggevonden in archief: %s", doc.bestand)
        self.adopted += nieuw
        return True

    def _recognised(
        self, k: Klacht, t: Termijnen, soort: str, versie: int, pad: Path, record: KlachtRecord
    ) -> Document | None:
        """Return the Document to record for the file at *pad*, when it is klachtdocs' own and unchanged."""
        try:
            data = pad.read_bytes()
        except OSError:
            return None
        digest = sha256(data)
        bestand = relative(self.wm, pad)
        reglement = None
        if soort == BIJLAGE:
            try:
                reglement = self.reglement.get()[1]
            except SjabloonFout:
                pass
            if digest == reglement:
                # A copy carries no date of its own: it went with the letter made last before it.
                tijd = datetime.fromtimestamp(pad.stat().st_mtime).replace(microsecond=0)
                brieven_ = [d.gemaakt_op for s in procedure.BRIEVEN for d in record.versions.get(s, ())]
                gemaakt_op = max((t for t in brieven_ if t <= tijd), default=min(brieven_, default=tijd))
                return Document(
                    k.klachtnummer,
                    soort,
                    versie,
                    bestand,
                    {BIJLAGE: digest},
                    digest,
                    gemaakt_op,
                    TERUGGEVONDEN,
                )
        mark = sjablonen.read_mark(pad)
        # Opened and saved in Word, or edited before sending, a letter still says which letter it is and
        # which data it was made from: it is adopted as it is (the files alone decide, principle 3), so
        # a lost record never makes a second letter. Without its hashes a changed file is not judged.
        gewijzigd = mark is not None and mark.ongewijzigd is False
        if (
            mark is None
            or mark.kenmerk != sjablonen.kenmerk(k.klachtnummer, soort, versie)
            or (gewijzigd and mark.variabelen is None)
        ):
            log.info(
                "Niet als eigen document herkend (van een ander of gewijzigd), blijft staan: %s", bestand
            )
            return None
        if gewijzigd:
            log.warning("Teruggevonden in archief, met de hand gewijzigd, ongewijzigd gelaten: %s", bestand)
        gemaakt_op = mark.gemaakt_op or datetime.fromtimestamp(pad.stat().st_mtime).replace(microsecond=0)
        variabelen = mark.variabelen
        if (
            variabelen is None and soort == BIJLAGE
        ):  # rendered by an older klachtdocs: as from today's reglement
            variabelen = {BIJLAGE: reglement} if reglement is not None else {}
        if variabelen is None:
            # Made by a klachtdocs that did not store its hashes: adopted as made from today's data
            # (a second letter to the indiener is worse than one that may be a change behind).
            vorige = record.latest(soort)
            variabelen = {}
            if vorige is None or vorige.versie < versie:
                if soort in self.templates.onbruikbaar:  # loaded once this pass already, and failed
                    self.mark.remove()
                    return None
                try:
                    sjabloon = self.templates.get(soort)
                except SjabloonFout:
                    self.mark.remove()  # judged in a later pass, when the template is readable
                    return None
                ctx = planning.context(soort, k, t, record, self.config, self.register, self.vandaag)
                variabelen = planning.hashes(ctx, (sjabloon.variabelen & ctx.keys()) - brieven.VLUCHTIG)
        reden = TERUGGEVONDEN + (" (met de hand gewijzigd)" if gewijzigd else "")
        return Document(k.klachtnummer, soort, versie, bestand, variabelen, digest, gemaakt_op, reden)
