"""The steps of a full pass, in order: validate, recall, plan, write, report."""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime
from operator import attrgetter
from pathlib import PurePosixPath

from klachtdocs.cache import Cache
from klachtdocs.exceptions import KlachtdocsError, PadFout
from klachtdocs.processing import state, writing
from klachtdocs.processing.adopt import KINDS, Adopter, record_of
from klachtdocs.processing.result import Notes, Resultaat
from klachtdocs.processing.work import Preparer, Reglement, Work, templates_for
from klachtdocs.reports.overzicht import Overzicht, Rows, content_hash, melding_row, naar_bytes
from klachtdocs.rules import config as configmod
from klachtdocs.rules import planning, procedure
from klachtdocs.rules import register as rf
from klachtdocs.rules.config import Config
from klachtdocs.rules.dutch import aantal
from klachtdocs.rules.kalender import Kalender
from klachtdocs.rules.model import FOUT, WAARSCHUWING, Document, Klacht, Melding, Register
from klachtdocs.rules.termijnen import Termijnen
from klachtdocs.rules.validatie import valideer
from klachtdocs.storage.journal import Journal
from klachtdocs.storage.outputs import Outcome, in_use, write_output
from klachtdocs.storage.workbook import read_workbook
from klachtdocs.storage.workspace import Workspace

log = logging.getLogger(__name__)
MAX_VERDWENEN = 20  # klachtnummers named one by one; more are counted in one melding


def validate(data: bytes, naam: str, config: Config, vandaag: date, cache: Cache | None) -> Register:
    """Return the Register in the register file's *data*; raise a KlachtdocsError when it cannot be read."""
    kalender = Kalender(config.sluitingsdagen)
    return valideer(read_workbook(data, naam), kalender, vandaag, config.categorieen, cache)


def full_pass(
    wm: Workspace,
    register: Register,
    config: Config,
    omgeving: str,
    nu: datetime,
    processen: int,
    progress: writing.Progress | None,
    cache: Cache | None,
) -> tuple[Resultaat, bool]:
    """Make every document due, write overzicht.xlsx; return what was done and whether to repeat the pass.

    The steps: recall what was made (the journal; finish a killed pass; adopt what archief/
    holds beyond it), plan each klacht whose inputs changed, write its documents (the letters,
    then the klachtenformulieren that list them), remember which klachten need nothing more,
    and write overzicht.xlsx. A pass must be repeated (not skipped when nothing changes) when
    a link in archief/ held documents back or archief/ must be looked through again.
    """
    vandaag = nu.date()
    journaal = Journal.read(wm.journaal, cache.journal if cache is not None else None)
    if cache is not None:
        cache.journal = journaal  # it follows every line this pass appends
    writing.recover(wm, journaal)
    templates = templates_for(wm, omgeving, cache)
    reglement = Reglement(wm, config)
    notes, mark = Notes(), state.ArchiveMark(wm.root)
    adopter = Adopter(wm, config, register, journaal, templates, reglement, mark, vandaag)
    klachten = [(k, register.termijnen[k.rij]) for k in register.klachten if k.datum_ontvangst]
    made: list[Document] = []
    if not register.structuur_fout:
        # The journal (and the klachten done with it) may be older than the archief: deleted, put back
        # from a backup, or left out of a copy. Then every klacht's folder is looked through first.
        herkennen = not mark.holds(journaal)
        if herkennen:
            adopter.all(klachten)
        sleutel = omgeving + "|" + planning.waarde_hash(sorted(register.medewerkers.items()))
        done_before = {} if herkennen else state.klachten_done(wm, sleutel)
        medewerkers = {naam: repr(m) for naam, m in register.medewerkers.items()}

        def fingerprint(k: Klacht) -> str:
            return _klacht_fingerprint(k, register, journaal, medewerkers, cache)

        inputs = {k.klachtnummer: fingerprint(k) for k, _ in klachten}
        te_doen = [(k, t) for k, t in klachten if done_before.get(k.klachtnummer) != inputs[k.klachtnummer]]
        preparer = Preparer(wm, config, register, templates, reglement, notes, nu)
        verschuldigd = {
            k.klachtnummer: procedure.verschuldigd(
                k, t, config.brieven_vanaf, journaal.first_made(k.klachtnummer, procedure.BRIEVEN)
            )
            for k, t in te_doen
        }
        # The letters first, then the klachtenformulieren that list them.
        for soorten in (procedure.BRIEVEN, (procedure.KLACHTENFORMULIER,)):
            werk: list[Work] = []
            for k, t in te_doen:
                if k.klachtnummer in notes.paths:
                    continue  # its documents wait until the link or file in archief/ is gone
                due = tuple(s for s in verschuldigd[k.klachtnummer] if s in soorten)
                try:
                    werk += _plan(k, t, due, journaal, adopter, preparer, config, register, vandaag)
                except PadFout as exc:
                    notes.path(k.klachtnummer, str(exc))
            made += writing.write_all(werk, journaal, templates, mark, notes, processen, progress)
        if not notes.templates:  # else a template held documents back: plan everything again next time
            # After a complete pass every klacht has what it needs (the forms were made after the
            # letters they list), so each fingerprint is taken with the journal as it is now.
            changed = {d.klachtnummer for d in (*made, *adopter.adopted)}
            klaar = {
                k.klachtnummer: fingerprint(k) if k.klachtnummer in changed else inputs[k.klachtnummer]
                for k, _ in klachten
                if k.klachtnummer not in notes.paths
            }
            state.remember_klachten_done(wm, sleutel, klaar)
        mark.close(journaal)
    resultaat = Resultaat(klachten=len(register.klachten), gemaakt=made, teruggevonden=adopter.adopted)
    resultaat.meldingen = (
        configmod.meldingen(config)
        + register.meldingen
        + _workspace_meldingen(config, register, klachten, vandaag)
        + ([] if register.structuur_fout else _verdwenen_nummers(register, journaal))
        + notes.all()
    )
    termijn_rijen = tuple(
        _termijn_rij(k, register.termijnen.get(k.rij), journaal, config, vandaag) for k in register.klachten
    )
    write_overzicht(wm, _overzicht(termijn_rijen, resultaat.meldingen, journaal), resultaat, nu, cache)
    if cache is not None:
        cache.end_pass()
    return resultaat, bool(notes.paths) or mark.open


def _plan(
    k: Klacht,
    t: Termijnen,
    soorten: tuple[str, ...],
    journaal: Journal,
    adopter: Adopter,
    preparer: Preparer,
    config: Config,
    register: Register,
    vandaag: date,
) -> list[Work]:
    """Return the work of the kinds in *soorten* that klacht *k* needs now."""
    if not soorten:
        return []
    record = record_of(journaal, k.klachtnummer)
    dues = planning.due(k, t, soorten, record, config, register, vandaag)
    if dues and adopter.adopt(k, t):
        # The archief held documents the journal did not: plan this klacht again with them.
        if not adopter.mark.open:
            log.warning(
                "Het journaal mist documenten die in het archief staan; de volgende ronde "
                "loopt het hele archief na."
            )
            adopter.mark.remove()
        record = record_of(journaal, k.klachtnummer)
        dues = planning.due(k, t, soorten, record, config, register, vandaag)
    return preparer.prepare(k, t, dues, record)


def _klacht_fingerprint(
    k: Klacht, register: Register, journaal: Journal, medewerkers: dict[str, str], cache: Cache | None
) -> str:
    """Return a hash of everything that decides klacht *k*'s documents, besides the inputs of every klacht."""
    medewerker = medewerkers.get(rf.fold_key(k.klachtbehandelaar), "None")  # repr(None)
    contact = register.contactmomenten.get(k.klachtnummer)
    documenten = sum(len(journaal.documenten.get((k.klachtnummer, s), ())) for s in KINDS)

    def compute() -> str:
        tekst = f"{k!r}|{medewerker}|{contact!r}|{documenten}"
        return hashlib.blake2b(tekst.encode(), digest_size=12).hexdigest()

    if cache is None:
        return compute()
    return cache(("klacht", k, medewerker, None if contact is None else tuple(contact), documenten), compute)


def _termijn_rij(k: Klacht, t: Termijnen | None, journaal: Journal, config: Config, vandaag: date) -> tuple:
    """Return the row of *k* on the Termijnen sheet, judged with the documents made as they are now."""
    gemaakt = journaal.first_made(k.klachtnummer, procedure.BRIEVEN)
    b = procedure.beoordeel(k, t, gemaakt, vandaag, config.brieven_vanaf)
    if t is None:
        return (k.klachtnummer, b.status, b.volgende_stap, None, None, None, None, "")
    te_laat = "ja: " + ", ".join(b.te_laat) if b.te_laat else "nee"
    return (
        k.klachtnummer,
        b.status,
        b.volgende_stap,
        t.ontvangstbevestiging_uiterlijk,
        t.afwijzing_uiterlijk,
        t.streefdatum_afhandeling,
        t.afhandeling_uiterlijk,
        te_laat,
    )


def _overzicht(termijn_rijen: tuple, meldingen: list[Melding], journaal: Journal) -> Overzicht:
    """Return the rows of overzicht.xlsx; the Brieven sheet lists every document recorded."""
    docs = journaal.all_documents()
    for veld in ("versie", "soort", "klachtnummer", "gemaakt_op"):  # stable sorts: no key tuple per document
        docs.sort(key=attrgetter(veld))
    brief_rijen = Rows(docs, lambda d: (d.klachtnummer, d.soort, d.versie, d.bestand, d.gemaakt_op))
    return Overzicht(termijn_rijen, tuple(melding_row(m) for m in meldingen), brief_rijen)


def write_overzicht(
    wm: Workspace, overzicht: Overzicht, resultaat: Resultaat, nu: datetime, cache: Cache | None
) -> None:
    """Write overzicht.xlsx when its content changed; keep a copy someone edited; note it in *resultaat*."""
    uitkomst = write_output(
        wm,
        wm.overzicht,
        content_hash(overzicht),
        lambda: naar_bytes(overzicht),
        nu,
    )
    resultaat.overzicht_geschreven = uitkomst is Outcome.WRITTEN
    if uitkomst is Outcome.FAILED:
        naam = wm.overzicht.name
        resultaat.stale.append(naam)
        resultaat.meldingen.append(Melding(WAARSCHUWING, in_use(naam), blad=""))
        log.warning("%s", in_use(naam))  # the watcher's log: staff cannot see the console
    elif uitkomst is Outcome.UNCHANGED and cache is not None and not cache.holds("xlsx-rijen"):
        naar_bytes(overzicht, cache)  # fill the cache's blocks: the next change writes only its own


def write_error_overzicht(wm: Workspace, fout: KlachtdocsError, nu: datetime) -> None:
    """Write overzicht.xlsx with one fout: the register or the config could not be read."""
    write_overzicht(wm, Overzicht((), (melding_row(Melding(FOUT, str(fout))),), ()), Resultaat(), nu, None)


def _workspace_meldingen(
    config: Config, register: Register, klachten: list[tuple[Klacht, Termijnen]], vandaag: date
) -> list[Melding]:
    """Return the waarschuwingen about the workspace as a whole (once a pass, not per row)."""
    jaren = {t.afhandeling_uiterlijk.year for _, t in klachten}
    return (
        procedure.plaatsvervangers(config, register)
        + procedure.kalender_meldingen(jaren, vandaag)
        + procedure.voor_brieven_vanaf_meldingen(register.klachten, config.brieven_vanaf)
    )


def _verdwenen_nummers(register: Register, journaal: Journal) -> list[Melding]:
    """Warn about klachtnummers with documents in the journal but no row in the register any more.

    A renamed or retyped number would otherwise get a second ontvangstbevestiging under its
    new number without anyone noticing.
    """
    in_register = {k.klachtnummer for k in register.klachten}
    documenten: dict[str, list[Document]] = {}
    for (nummer, _), found in journaal.documenten.items():
        if nummer not in in_register:
            documenten.setdefault(nummer, []).extend(found)
    meldingen = []
    for nummer in sorted(documenten)[:MAX_VERDWENEN]:
        docs = documenten[nummer]
        folder = PurePosixPath(docs[-1].bestand).parent.as_posix()
        meldingen.append(
            Melding(
                WAARSCHUWING,
                f"Klachtnummer '{nummer}' heeft "
                f"{aantal(len(docs), 'document', 'documenten')} in {folder}, maar staat niet meer in het register. "
                "Is het nummer gewijzigd of de rij verwijderd? Is het dezelfde klacht onder een nieuw nummer, zet dan "
                "het oude nummer terug: anders krijgt de indiener opnieuw een ontvangstbevestiging. Is de rij bewust "
                "verwijderd, dan kunt u deze melding negeren.",
                None,
                nummer,
                "Klachtnummer",
            )
        )
    if len(documenten) > MAX_VERDWENEN:
        rest = len(documenten) - MAX_VERDWENEN
        meldingen.append(
            Melding(
                WAARSCHUWING,
                f"Nog {aantal(rest, 'klachtnummer', 'klachtnummers')} met "
                "documenten in archief staan niet meer in het register (zie het blad Brieven).",
                None,
                "",
                "Klachtnummer",
            )
        )
    return meldingen
