"""One idempotent pass: read the register, validate, plan, write documents and overzicht.xlsx."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from operator import attrgetter
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from klachtdocs import __version__
from klachtdocs.exceptions import BestandFout, KlachtdocsError, PadFout, SjabloonFout, StorageError
from klachtdocs.rules import config as configmod
from klachtdocs.rules import dutch as nl
from klachtdocs.rules.config import Config
from klachtdocs.rules.dutch import aantal
from klachtdocs.rules.model import FOUT, WAARSCHUWING, Klacht, Melding, Register
from klachtdocs.storage.files import lees_json, ruim_tijdelijke_bestanden, schrijf_nieuw, sha256, vervang
from klachtdocs.storage.lock import Slot
from klachtdocs.storage.outputs import Uitkomst, in_gebruik, schrijf_uitvoer
from klachtdocs.storage.workbook import lees_bytes, lees_werkboek
from klachtdocs.storage.workspace import (
    Werkmap,
    bezet,
    controleer_map,
    is_koppeling,
    lees_binnen,
    lees_config,
)

if TYPE_CHECKING:
    import jinja2

    from klachtdocs.cache import Geheugen


def _laad_de_pass() -> None:
    """Import what a full pass needs; a pass that finds nothing changed stops before it needs any of it.

    numpy, docxtpl, python-docx, jinja2 and the rest of klachtdocs would otherwise be most of
    the time of a `klachtdocs verwerk` with nothing to do (see benchmarks/opstart.py).
    """
    global brieven, planning, procedure, sjablonen, werkers, rf, veilige_naam, Document, Journaal, Kalender
    global Overzicht, Rijen, inhoud_hash, melding_rij, naar_bytes, bereken, valideer, BIJLAGE
    from klachtdocs.documents import templates as sjablonen
    from klachtdocs.documents import workers as werkers
    from klachtdocs.reports.overzicht import Overzicht, Rijen, inhoud_hash, melding_rij, naar_bytes
    from klachtdocs.rules import brieven, planning, procedure
    from klachtdocs.rules import register as rf
    from klachtdocs.rules.brieven import BIJLAGE
    from klachtdocs.rules.filenames import veilige_naam
    from klachtdocs.rules.kalender import Kalender
    from klachtdocs.rules.termijnen import bereken
    from klachtdocs.rules.validatie import valideer
    from klachtdocs.storage.journal import Document, Journaal


log = logging.getLogger(__name__)
BATCH = 64  # documents per journaled batch: two fsyncs of the journal per batch, not per document
RONDE = "ronde.json"  # in .klachtdocs/: the fingerprint and meldingen of the last complete pass
PLAN = "plan.json"  # in .klachtdocs/: per klacht, the fingerprint of inputs that needed nothing more
#: In the workspace root, outside .klachtdocs/: the journal's length and tail hash when the archief last
#: held nothing it does not record. A journal that no longer holds that (deleted, an older copy put back)
#: makes the pass look through the archief first (see _herken).
STAND = ".klachtdocs-stand.json"
TERUGGEVONDEN = "teruggevonden in archief"


@dataclass
class Resultaat:
    """What one pass did."""

    klachten: int = 0
    gemaakt: list[Document] = field(default_factory=list)
    meldingen: list[Melding] = field(default_factory=list)
    overzicht_geschreven: bool = False
    ongewijzigd: bool = False  # nothing changed since the last pass: it was skipped
    #: documents found in archief/ without a record, adopted as made (nothing was written)
    teruggevonden: list[Document] = field(default_factory=list)
    #: outputs that could not be replaced (open in Excel): the pass does not count as done, retry soon
    stale: list[str] = field(default_factory=list)

    @property
    def fouten(self) -> int:
        return sum(m.niveau == FOUT for m in self.meldingen)

    @property
    def waarschuwingen(self) -> int:
        return sum(m.niveau == WAARSCHUWING for m in self.meldingen)

    def samenvatting(self) -> str:
        """Return one Dutch line describing the pass."""
        nieuw = sum(d.versie == 1 for d in self.gemaakt)
        return (
            f"{aantal(self.klachten, 'klacht', 'klachten')} gelezen, "
            f"{aantal(len(self.gemaakt), 'document', 'documenten')} gemaakt ({nieuw} nieuw, "
            f"{aantal(len(self.gemaakt) - nieuw, 'nieuwe versie', 'nieuwe versies')}), "
            f"{aantal(self.fouten, 'fout', 'fouten')} en "
            f"{aantal(self.waarschuwingen, 'waarschuwing', 'waarschuwingen')}."
        )


@dataclass(frozen=True)
class _Werk:
    """One document to make: its journal record, where it goes, and what to render (or copy)."""

    doc: Document
    target: Path
    taak: werkers.Taak | None  # None: a copy of *data*
    data: bytes = b""


class _Sjablonen:
    """The templates of one workspace, each loaded on first use."""

    def __init__(self, folder: Path, env: jinja2.Environment) -> None:
        self.folder, self.env = folder, env
        self._cache: dict[str, sjablonen.Sjabloon] = {}
        self._renderers: dict[str, sjablonen.Renderer] = {}
        self.onbruikbaar: set[str] = set()  # kinds whose template failed to load

    def get(self, soort: str, pad: Path | None = None) -> sjablonen.Sjabloon:
        """Return the template of *soort* (at *pad*, default ``sjablonen/<soort>.docx``).

        Raise SjabloonFout when it cannot be loaded; its kind is then in *onbruikbaar*, and
        callers ask for it no more (a broken template is loaded once).
        """
        if soort not in self._cache:
            try:
                self._cache[soort] = sjablonen.laad(soort, pad or self.folder / f"{soort}.docx", self.env)
            except SjabloonFout:
                self.onbruikbaar.add(soort)
                raise
        return self._cache[soort]

    def renderer(self, sjabloon: sjablonen.Sjabloon) -> sjablonen.Renderer:
        if sjabloon.soort not in self._renderers:
            self._renderers[sjabloon.soort] = sjablonen.Renderer(sjabloon, self.env)
        return self._renderers[sjabloon.soort]


class Verwerking:
    """One pass over one workspace; construct, then call run()."""

    def __init__(
        self,
        root: Path,
        nu: datetime | None = None,
        voortgang: Callable[[int, int], None] | None = None,
        processen: int = 1,
        geheugen: Geheugen | None = None,
    ) -> None:
        self.werkmap = Werkmap(Path(root))
        self.geheugen = geheugen.voor(root) if geheugen is not None else None
        self.voortgang = voortgang
        self.processen = processen
        self._omgeving_hash: str | None = None
        self._werkboek = None
        self._reglement: tuple[bytes, str] | None = None  # the klachtenreglement's bytes and hash
        self.nu = (nu or datetime.now()).replace(microsecond=0)
        self.vandaag = self.nu.date()
        self.resultaat = Resultaat()
        self._sjabloon_meldingen: dict[str, Melding] = {}
        self._document_meldingen: list[Melding] = []  # about one klacht's documents (an edited form)
        self._pad_meldingen: dict[str, Melding] = {}  # klachtnummer -> a link or file in archief/ holds it
        self._dienend: Geheugen | None = None  # the Geheugen if it serves this pass (see Geheugen.past)
        self._medewerker_repr: dict[str, str] = {}  # folded name -> repr of the register's Medewerker
        self._bekeken: set[str] = set()  # klachten whose folder in archief/ this pass looked through
        #: the journal may not record every document in archief/: the stand is not (re)written
        self._stand_open = False

    # -- entry point -------------------------------------------------------------------
    def run(self, wachttijd: float = 60.0, meld_onleesbaar: bool = True) -> Resultaat:
        """Run the pass under the workspace lock and return its Resultaat.

        Raise a KlachtdocsError; a refusal of the file system (a full disk, a read-only
        archive, a file locked by another program) is a StorageError.
        """
        try:
            return self._run(wachttijd, meld_onleesbaar)
        except OSError as exc:
            raise StorageError.van(exc, map_=self.werkmap.root) from exc

    def _run(self, wachttijd: float, meld_onleesbaar: bool) -> Resultaat:
        wm = self.werkmap
        if not wm.root.is_dir():
            raise BestandFout(f"De map {wm.root} bestaat niet. Maak een werkmap met 'klachtdocs init MAP'.")
        wm.controleer()  # no link where a pass writes, nothing read from outside the workspace
        slot = Slot(wm.staat / "verwerking.lock", "verwerking")
        slot.neem(wachttijd)
        try:
            for folder in (wm.staat, wm.root, wm.analyse):  # a killed pass's half-written state
                ruim_tijdelijke_bestanden(folder)
            try:
                config = lees_config(wm.config)
                data = lees_bytes(wm.register)
                vingerafdruk = self._vingerafdruk(data)
                # An empty Geheugen is filled by one full pass (the watcher's first), even if
                # nothing changed: then the first save after the watcher starts is quick too.
                koud = self.geheugen is not None and self.geheugen.rondes == 0
                if not koud and self._zelfde_als_vorige_ronde(vingerafdruk):
                    return self.resultaat
                _laad_de_pass()
                self._werkboek = lees_werkboek(data, wm.register.name)
            except KlachtdocsError as exc:
                if meld_onleesbaar and wm.config.exists():
                    _laad_de_pass()
                    self._schrijf_overzicht(Overzicht((), (melding_rij(Melding(FOUT, str(exc))),), ()))
                raise
            # Written after the pass's own data (the register's klachten, plans) is freed: the
            # overzicht of a register of years is the peak of a pass's memory otherwise.
            self._schrijf_overzicht(self._pass(config))
            if not self.resultaat.stale:  # else the next pass is not skipped: it writes what is stale
                self._onthoud_ronde(self._vingerafdruk(data))
            if self.geheugen is not None:
                self.geheugen.rondes += 1
        finally:
            slot.geef_vrij()
        return self.resultaat

    # -- nothing changed: nothing to do --------------------------------------------------
    def _vingerafdruk(self, register: bytes) -> str:
        """Return a hash of everything a pass depends on: register, config, templates, date, state.

        A pass is a function of these. When none changed since the last complete pass, this
        pass would do nothing at all, so it can stop here (the steady state of the watcher).
        """
        wm = self.werkmap
        h = hashlib.sha256()
        h.update(self._omgeving().encode())
        h.update(hashlib.sha256(register).digest())
        for pad in (wm.journaal, wm.overzicht, wm.uitvoer_staat):
            try:
                st = pad.stat()
                h.update(f"{pad.name}|{st.st_size}|{st.st_mtime_ns}".encode())
            except OSError:
                h.update(f"{pad.name}|-".encode())
        try:  # its content, not its time: a stand put back from a copy must not look unchanged
            h.update(b"stand|" + (wm.root / STAND).read_bytes())
        except OSError:
            h.update(b"stand|-")
        return h.hexdigest()

    def _omgeving(self) -> str:
        """Return a hash of what every klacht's documents depend on: date, config, templates, version."""
        if self._omgeving_hash is None:
            h = hashlib.sha256(f"{__version__}|{self.vandaag.isoformat()}|".encode())
            for pad in (self.werkmap.config, *sorted(self.werkmap.sjablonen.glob("*"))):
                try:
                    h.update(
                        pad.name.encode() + b"\0" + hashlib.sha256(lees_binnen(pad, pad.parent)).digest()
                    )
                except (OSError, PadFout):
                    h.update(pad.name.encode() + b"\0-")
            self._omgeving_hash = h.hexdigest()
        return self._omgeving_hash

    def _zelfde_als_vorige_ronde(self, vingerafdruk: str) -> bool:
        vorige = lees_json(self.werkmap.staat / RONDE)
        if vorige.get("vingerafdruk") != vingerafdruk:
            return False
        try:
            self.resultaat.klachten = int(vorige["klachten"])
            self.resultaat.meldingen = [Melding(**m) for m in vorige["meldingen"]]
        except (KeyError, TypeError, ValueError):
            self.resultaat = Resultaat()
            return False
        self.resultaat.ongewijzigd = True
        return True

    def _onthoud_ronde(self, vingerafdruk: str) -> None:
        if self._stand_open:
            return  # the archief must be looked through again: the next pass must not be skipped
        r = self.resultaat
        if self._pad_meldingen:  # removing the link changes no input: the next pass must not be skipped
            vingerafdruk = ""
        _bewaar(
            self.werkmap.staat / RONDE,
            {
                "vingerafdruk": vingerafdruk,
                "klachten": r.klachten,
                "meldingen": [asdict(m) for m in r.meldingen],
            },
        )

    # -- the pass ----------------------------------------------------------------------
    def _pass(self, config: Config) -> Overzicht:
        """Make every document due and return the rows of overzicht.xlsx."""
        wm = self.werkmap
        kalender = Kalender(config.sluitingsdagen)
        g = self.geheugen
        if g is not None and not g.past(len(self._werkboek.blad(rf.BLAD_KLACHTEN) or ((),)) - 1):  # no header
            g = None  # templates only (see _sjablonen)
        self._dienend = g
        register = valideer(self._werkboek, kalender, self.vandaag, config.categorieen, g and g.rijen)
        self._medewerker_repr = {naam: repr(m) for naam, m in register.medewerkers.items()}
        self._werkboek = None  # the rows of a large register are not needed any more: free them
        journaal = Journaal.lees(wm.journaal, g and g.journaal)
        if g is not None:
            g.journaal = journaal  # it follows every line this pass appends
        self._herstel(journaal)
        templates = self._sjablonen()
        klachten = [
            (k, bereken(k.datum_ontvangst, kalender) if k.datum_ontvangst else None)
            for k in register.klachten
        ]
        # The journal (and plan.json with it) may be older than the archief: deleted, put back from
        # a backup, or left out of a copy. Then every klacht's folder is looked through first.
        stand = lees_json(wm.root / STAND)
        herkennen = not register.structuur_fout and not journaal.bevat(stand)
        if herkennen:
            self._herken_alle(klachten, config, register, journaal, templates)
        plan_pad = wm.staat / PLAN
        sleutel = self._omgeving() + "|" + planning.waarde_hash(sorted(register.medewerkers.items()))
        vorige = lees_json(plan_pad) if not herkennen else {}
        klaar_voor: dict[str, str] = vorige.get("klachten", {}) if vorige.get("sleutel") == sleutel else {}
        vorige_afdrukken, onthouden = (g.vingerafdrukken, {}) if g is not None else ({}, None)
        vingerafdrukken = {
            k.klachtnummer: self._vingerafdruk_klacht(k, register, journaal, vorige_afdrukken, onthouden)
            for k, t in klachten
            if t is not None
        }
        if g is not None:
            g.vingerafdrukken = onthouden
        te_doen = [
            (k, t)
            for k, t in klachten
            if t is not None and klaar_voor.get(k.klachtnummer) != vingerafdrukken[k.klachtnummer]
        ]
        if not register.structuur_fout:
            # The letters first, then the klachtenformulieren that list them.
            for soorten in (procedure.BRIEVEN, (procedure.KLACHTENFORMULIER,)):
                werk: list[_Werk] = []
                for k, t in te_doen:
                    if k.klachtnummer in self._pad_meldingen:
                        continue  # its documents wait until the link or file in archief/ is gone
                    try:
                        werk += self._plan(k, t, soorten, config, register, journaal, templates)
                    except PadFout as exc:
                        self._pad_melding(k.klachtnummer, str(exc))
                self._maak_alle(werk, journaal, templates)
            self._onthoud_plan(plan_pad, sleutel, klachten, register, journaal, vingerafdrukken)
            self._sluit_stand(journaal, stand)
        termijn_rijen = []
        for k, t in klachten:
            gemaakt = journaal.eerst_gemaakt(k.klachtnummer, procedure.BRIEVEN)
            b = procedure.beoordeel(k, t, gemaakt, self.vandaag, config.brieven_vanaf)
            termijn_rijen.append(_termijn_rij(k, t, b))
        self.resultaat.klachten = len(register.klachten)
        self.resultaat.meldingen = (
            configmod.meldingen(config)
            + register.meldingen
            + self._werkmap_meldingen(config, register, klachten)
            + ([] if register.structuur_fout else _verdwenen_nummers(register, journaal))
            + self._document_meldingen
            + list(self._sjabloon_meldingen.values())
            + list(self._pad_meldingen.values())
        )
        # The Brieven sheet lists every document of years: its rows are made block by block.
        docs = journaal.alle()
        for veld in (
            "versie",
            "soort",
            "klachtnummer",
            "gemaakt_op",
        ):  # stable sorts: no key tuple per document
            docs.sort(key=attrgetter(veld))
        brief_rijen = Rijen(docs, lambda d: (d.klachtnummer, d.soort, d.versie, d.bestand, d.gemaakt_op))
        meldingen = tuple(melding_rij(m) for m in self.resultaat.meldingen)
        return Overzicht(tuple(termijn_rijen), meldingen, brief_rijen)

    def _onthoud_plan(
        self,
        pad: Path,
        sleutel: str,
        klachten: list,
        register: Register,
        journaal: Journaal,
        vooraf: dict[str, str],
    ) -> None:
        """Remember which klachten need nothing more, so the next pass skips planning them."""
        if self._sjabloon_meldingen:
            return  # a template error held documents back: plan everything again next time
        # After a complete pass every klacht has what it needs (the forms were made after the
        # letters they list), so each fingerprint is taken with the journal as it is now.
        gemaakt = {d.klachtnummer for d in (*self.resultaat.gemaakt, *self.resultaat.teruggevonden)}
        klaar = {
            k.klachtnummer: self._vingerafdruk_klacht(k, register, journaal)
            if k.klachtnummer in gemaakt
            else vooraf[k.klachtnummer]
            for k, t in klachten
            if t is not None and k.klachtnummer not in self._pad_meldingen
        }
        _bewaar(pad, {"sleutel": sleutel, "klachten": klaar})

    def _plan(
        self,
        k: Klacht,
        t,
        soorten: tuple[str, ...],
        config: Config,
        register: Register,
        journaal: Journaal,
        templates: _Sjablonen,
    ) -> list[_Werk]:
        """Return the documents of the kinds in *soorten* that klacht *k* needs made now."""
        werk: list[_Werk] = []
        eerder = journaal.eerst_gemaakt(k.klachtnummer, procedure.BRIEVEN)
        due = [s for s in procedure.verschuldigd(k, t, config.brieven_vanaf, eerder) if s in soorten]
        if not due:
            return werk
        medewerker = register.medewerkers.get(rf.fold_key(k.klachtbehandelaar))
        for soort in due:
            ctx = self._context(soort, k, t, config, register, journaal)
            vorige = journaal.laatste(k.klachtnummer, soort)
            gewijzigd = planning.gewijzigde_variabelen(ctx, vorige)
            if vorige is not None and not gewijzigd:
                continue  # the common case: decided without loading the template
            if self._herken(k, t, config, register, journaal, templates):
                # The archief held documents the journal did not: plan this klacht again with them.
                if not self._stand_open:
                    log.warning(
                        "Het journaal mist documenten die in het archief staan; de volgende ronde "
                        "loopt het hele archief na."
                    )
                    self._open_stand()
                return self._plan(k, t, soorten, config, register, journaal, templates)  # werk is still empty
            if soort in templates.onbruikbaar:
                continue  # its template failed to load: its melding is made, the template not loaded again
            bewerkt = ""
            if soort == procedure.KLACHTENFORMULIER and vorige is not None:
                if vorige.gemaakt_op.date() == self.vandaag:
                    continue  # the working form gets at most one new version a day: the rest waits
                bewerkt = self._met_de_hand_bewerkt(vorige)
                ctx["vorige_versie_bewerkt"] = bewerkt
            try:
                sjabloon = templates.get(soort)
                sjablonen.controleer_variabelen(sjabloon, ctx)
                opdracht = planning.plan(k.klachtnummer, soort, ctx, sjabloon.variabelen, vorige, gewijzigd)
                if soort == procedure.ONTVANGSTBEVESTIGING or ctx.get("eerste_brief"):
                    if BIJLAGE in templates.onbruikbaar:
                        continue  # the letter goes with its bijlage: both wait (melding made once)
                    bijlage = self._bijlage(k, t, config, medewerker, journaal, templates)
                    if bijlage is not None:
                        werk.append(bijlage)
            except SjabloonFout as exc:
                self._sjabloon_melding(soort, str(exc))
                continue
            stem = veilige_naam(k.klachtnummer)
            target, versie = self._vrij_pad(self._map(k.klachtnummer), stem, soort, opdracht.versie, ".docx")
            if bewerkt:
                self._document_meldingen.append(
                    Melding(
                        WAARSCHUWING,
                        f"Het klachtenformulier {bewerkt} is met "
                        f"de hand bewerkt. klachtdocs laat het ongewijzigd staan en maakt de nieuwe versie "
                        f"{target.name}. Neem uw aantekeningen over in de nieuwe versie.",
                        k.rij,
                        k.klachtnummer,
                        "",
                        "archief",
                    )
                )
            doc = Document(
                k.klachtnummer,
                soort,
                versie,
                self._relatief(target),
                opdracht.variabelen,
                "",
                self.nu,
                opdracht.reden,
            )
            taak = werkers.Taak(
                soort, ctx, sjablonen.kenmerk(k.klachtnummer, soort, versie), self.nu, opdracht.variabelen
            )
            werk.append(_Werk(doc, target, taak))
        return werk

    def _context(
        self,
        soort: str,
        k: Klacht,
        t,
        config: Config,
        register: Register,
        journaal: Journaal,
        extra: tuple[Document, ...] = (),
    ) -> dict:
        """Return the template context of *soort* for *k*; a form lists the letters recorded (and *extra*)."""
        brieflijst = []
        if soort == procedure.KLACHTENFORMULIER:
            brieflijst = [
                {
                    "soort": d.soort,
                    "versie": d.versie,
                    "bestand": PurePosixPath(d.bestand).name,
                    "gemaakt_op": d.gemaakt_op.strftime("%d-%m-%Y %H:%M"),
                }
                for s in procedure.BRIEVEN
                for d in sorted(
                    (*journaal.versies(k.klachtnummer, s), *(e for e in extra if e.soort == s)),
                    key=attrgetter("versie"),
                )
            ]
        eerder = journaal.eerst_gemaakt(k.klachtnummer, procedure.BRIEVEN)
        for e in extra:
            if e.soort in procedure.BRIEVEN and (
                e.soort not in eerder or e.gemaakt_op.date() < eerder[e.soort]
            ):
                eerder[e.soort] = e.gemaakt_op.date()
        medewerker = register.medewerkers.get(rf.fold_key(k.klachtbehandelaar))
        return brieven.context(
            soort,
            k,
            t,
            config,
            medewerker,
            self.vandaag,
            register.contactmomenten.get(k.klachtnummer, []),
            brieflijst,
            eerder,
        )

    def _maak_alle(self, werk: list[_Werk], journaal: Journaal, templates: _Sjablonen) -> None:
        """Render *werk* (on all cores when there is much) and write it in journaled batches."""
        if not werk:
            return
        soorten = {w.taak.soort for w in werk if w.taak is not None}
        per_soort = {soort: templates.get(soort) for soort in soorten}
        renderers = {soort: templates.renderer(sjabloon) for soort, sjabloon in per_soort.items()}
        gerenderd = werkers.render_alle(
            [w.taak for w in werk if w.taak is not None], per_soort, renderers, self.processen
        )
        gedaan = 0
        for batch in werkers.in_batches(werk, BATCH):
            klaar = []
            for w in batch:
                try:
                    data = w.data if w.taak is None else next(gerenderd).result()
                except SjabloonFout as exc:  # one melding per template; the other documents are made
                    self._sjabloon_melding(w.doc.soort, str(exc))
                    continue
                klaar.append((w, replace(w.doc, sha256=sha256(data)), data))
            self._schrijf_batch(journaal, klaar)
            gedaan += len(batch)
            self._voortgang(gedaan, len(werk))

    def _sjabloon_melding(self, soort: str, tekst: str) -> None:
        if soort not in self._sjabloon_meldingen:
            log.error("%s", tekst)
            self._sjabloon_meldingen[soort] = Melding(
                FOUT, tekst + " Tot dan worden deze documenten niet gemaakt.", None, "", "", "sjablonen"
            )

    def _pad_melding(self, klachtnummer: str, tekst: str) -> None:
        """Record, once per klacht, that a link or file in archief/ holds its documents back."""
        if klachtnummer not in self._pad_meldingen:
            log.error("%s: %s", klachtnummer, tekst)
            self._pad_meldingen[klachtnummer] = Melding(FOUT, tekst, None, klachtnummer, "", "archief")

    # -- writing -----------------------------------------------------------------------
    def _map(self, klachtnummer: str) -> Path:
        return self.werkmap.archief / veilige_naam(klachtnummer)

    def _vrij_pad(self, folder: Path, stem: str, soort: str, versie: int, ext: str) -> tuple[Path, int]:
        controleer_map(folder)  # PadFout: a link or a file where the klacht's folder belongs
        while bezet(folder / f"{stem}_{soort}_v{versie}{ext}"):  # PadFout: a link at that name
            versie += 1  # a file we did not record (someone else's): never overwrite it
        return folder / f"{stem}_{soort}_v{versie}{ext}", versie

    def _relatief(self, path: Path) -> str:
        return path.relative_to(self.werkmap.root).as_posix()

    def _bijlage(
        self, k: Klacht, t, config: Config, medewerker, journaal: Journaal, templates: _Sjablonen
    ) -> _Werk | None:
        """Return the klachtenreglement to put beside the letter that acknowledges receipt, if due.

        A .docx is rendered like the letters (the organisation's name and address fill in,
        and it carries a kenmerk); any other file (a PDF) is copied as it is. A new copy is
        made only when the source file changed since the klacht's last one.
        """
        bron = self.werkmap.sjablonen / config.bijlage_ontvangstbevestiging
        data, digest = self._reglement_bytes(config)
        versies = journaal.versies(k.klachtnummer, BIJLAGE)
        if any(d.variabelen.get(BIJLAGE) == digest for d in versies):
            return None
        taak = None
        if bron.suffix.lower() == ".docx":
            sjabloon = templates.get(BIJLAGE, bron)
            ctx = brieven.bijlage_context(k, t, config, medewerker, self.vandaag)
            sjablonen.controleer_variabelen(sjabloon, ctx)
        stem = veilige_naam(k.klachtnummer)
        naam = veilige_naam(Path(bron.name).stem)
        target, versie = self._vrij_pad(
            self._map(k.klachtnummer), stem, f"{BIJLAGE}_{naam}", len(versies) + 1, bron.suffix
        )
        if bron.suffix.lower() == ".docx":
            taak = werkers.Taak(
                BIJLAGE, ctx, sjablonen.kenmerk(k.klachtnummer, BIJLAGE, versie), self.nu, {BIJLAGE: digest}
            )
        doc = Document(
            k.klachtnummer,
            BIJLAGE,
            versie,
            self._relatief(target),
            {BIJLAGE: digest},
            digest,
            self.nu,
            "nieuw" if not versies else "klachtenreglement gewijzigd",
        )
        return _Werk(doc, target, taak, data if taak is None else b"")

    def _met_de_hand_bewerkt(self, vorige: Document) -> str:
        """Return the file name of *vorige* when someone changed it since klachtdocs made it, else ""."""
        try:
            pad = self.werkmap.archiefbestand(vorige.bestand)  # a journal line never leads out of archief/
            return pad.name if vorige.sha256 and sha256(pad.read_bytes()) != vorige.sha256 else ""
        except (OSError, PadFout):
            return ""  # gone, unreadable or elsewhere: nothing of it can be carried over by us

    def _werkmap_meldingen(self, config: Config, register: Register, klachten: list) -> list[Melding]:
        """Return the waarschuwingen about the workspace as a whole (once a pass, not per row)."""
        from klachtdocs.check import plaatsvervangers

        jaren = {t.afhandeling_uiterlijk.year for _, t in klachten if t is not None}
        return (
            plaatsvervangers(config, register)
            + procedure.kalender_meldingen(jaren, self.vandaag)
            + procedure.voor_brieven_vanaf_meldingen(register.klachten, config.brieven_vanaf)
        )

    def _reglement_bytes(self, config: Config) -> tuple[bytes, str]:
        """Return the bytes and hash of the klachtenreglement sent with the ontvangstbevestiging."""
        if self._reglement is None:
            bron = self.werkmap.sjablonen / config.bijlage_ontvangstbevestiging
            try:
                data = lees_binnen(bron, self.werkmap.sjablonen)
            except PadFout as exc:
                raise SjabloonFout(
                    f"De bijlage van de ontvangstbevestiging (brieven.bijlage_ontvangstbevestiging "
                    f"in klachtdocs.toml): {exc}"
                ) from None
            except OSError:
                raise SjabloonFout(
                    f"De bijlage {bron.name} (het klachtenreglement, art. 5) ontbreekt "
                    "in de map sjablonen. Zet het bestand terug."
                ) from None
            self._reglement = (data, sha256(data))
        return self._reglement

    def _schrijf_batch(self, journaal: Journaal, klaar: list[tuple[_Werk, Document, bytes]]) -> None:
        """Write a batch: its start lines (one fsync), the files, its gemaakt lines (one fsync)."""
        if not klaar:
            return
        idents = [secrets.token_hex(8) for _ in klaar]
        journaal.start_reeks([(ident, doc) for ident, (_, doc, _) in zip(idents, klaar, strict=True)])
        if not self._stand_open:  # before any file: a journal put back from before this batch is noticed
            self._bewaar_stand(journaal.stand())
        geschreven: list[tuple[str, Document]] = []
        try:
            for ident, (w, doc, data) in zip(idents, klaar, strict=True):
                try:
                    controleer_map(w.target.parent)  # a link put there while the batch was rendered
                    schrijf_nieuw(w.target, data)
                except PadFout as exc:
                    self._pad_melding(doc.klachtnummer, str(exc))
                    continue
                except FileExistsError:
                    self._pad_melding(doc.klachtnummer, _bezet_tekst(w.target))
                    continue
                except OSError as exc:
                    raise StorageError.van(exc, w.target) from exc
                geschreven.append((ident, doc))
        finally:
            journaal.gemaakt_reeks(geschreven)
            klaar_ids = {ident for ident, _ in geschreven}
            for ident in idents:
                if ident not in klaar_ids:
                    journaal.vergeten(ident)
        for _, doc in geschreven:
            self.resultaat.gemaakt.append(doc)
            log.info("Gemaakt: %s (%s)", doc.bestand, doc.reden)

    def _voortgang(self, gedaan: int, totaal: int) -> None:
        if self.voortgang is not None:
            self.voortgang(gedaan, totaal)
        elif totaal >= 500 and (gedaan == totaal or gedaan % 500 < BATCH):
            log.info("Documenten maken: %d van %d.", gedaan, totaal)

    def _herstel(self, journaal: Journaal) -> None:
        """Finish what an interrupted pass started: adopt written files, forget the rest."""
        for ident, r in list(journaal.onvoltooid.items()):
            try:
                target = self.werkmap.archiefbestand(r.get("bestand"))
            except PadFout as exc:  # a hand-edited line: nothing outside archief/ is read or written
                log.warning("%s", exc)
                journaal.vergeten(ident)
                continue
            ruim_tijdelijke_bestanden(target.parent)
            try:
                data = target.read_bytes()
            except OSError:
                journaal.vergeten(ident)
                continue
            if not data:  # the empty claim of a write without hard links (bestanden.schrijf_nieuw)
                with contextlib.suppress(OSError):
                    target.unlink()
                journaal.vergeten(ident)
                continue
            ours = r["soort"] == BIJLAGE or sjablonen.lees_kenmerk(data) == sjablonen.kenmerk(
                r["klachtnummer"], r["soort"], r["versie"]
            )
            if not ours:
                journaal.vergeten(ident)
                continue
            doc = Document.van_regel(r | {"sha256": sha256(data), "reden": "hersteld na onderbreking"})
            journaal.gemaakt(ident, doc)
            log.warning("Hersteld na onderbreking: %s", r["bestand"])

    # -- documents in archief/ without a record ----------------------------------------
    def _herken_alle(
        self, klachten: list, config: Config, register: Register, journaal: Journaal, templates: _Sjablonen
    ) -> None:
        """Look through the folder of every klacht and adopt the documents the journal does not record."""
        log.info("Het archief wordt nagelopen: het journaal is nieuw, ontbreekt of is ouder dan het archief.")
        for k, t in klachten:
            if t is not None:
                self._herken(k, t, config, register, journaal, templates)
        if self.resultaat.teruggevonden:
            log.warning(
                "%s teruggevonden in het archief en opgenomen in het journaal (het journaal "
                "ontbrak of was ouder).",
                nl.aantal(len(self.resultaat.teruggevonden), "document", "documenten"),
            )

    def _herken(
        self, k: Klacht, t, config: Config, register: Register, journaal: Journaal, templates: _Sjablonen
    ) -> bool:
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
        if k.klachtnummer in self._bekeken:
            return False
        self._bekeken.add(k.klachtnummer)
        folder = self._map(k.klachtnummer)
        try:
            if is_koppeling(folder):  # a junction too (Windows, Python < 3.12)
                return False
            with os.scandir(folder) as entries:
                namen = [e.name for e in entries if e.is_file(follow_symlinks=False)]
        except OSError:  # no folder yet, or not readable: nothing to adopt
            return False
        stem = veilige_naam(k.klachtnummer)
        bekend = {
            PurePosixPath(d.bestand).name
            for s in (*procedure.SOORTEN, BIJLAGE)
            for d in journaal.versies(k.klachtnummer, s)
        }
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
            doc = self._herkend(
                k, t, soort, versie, folder / naam, config, register, journaal, templates, tuple(nieuw)
            )
            if doc is not None:
                nieuw.append(doc)
        if not nieuw:
            return False
        journaal.gemaakt_reeks([(secrets.token_hex(8), doc) for doc in nieuw])
        for doc in nieuw:
            log.info("Teruggevonden in archief: %s", doc.bestand)
        self.resultaat.teruggevonden += nieuw
        return True

    def _herkend(
        self,
        k: Klacht,
        t,
        soort: str,
        versie: int,
        pad: Path,
        config: Config,
        register: Register,
        journaal: Journaal,
        templates: _Sjablonen,
        eerder: tuple[Document, ...],
    ) -> Document | None:
        """Return the Document to record for the file at *pad*, when it is klachtdocs' own and unchanged."""
        try:
            data = pad.read_bytes()
        except OSError:
            return None
        digest = sha256(data)
        bestand = self._relatief(pad)
        if soort == BIJLAGE:
            try:
                reglement = self._reglement_bytes(config)[1]
            except SjabloonFout:
                reglement = None
            if digest == reglement:
                # A copy carries no date of its own: it went with the letter made last before it.
                tijd = datetime.fromtimestamp(pad.stat().st_mtime).replace(microsecond=0)
                brieven_ = [
                    d.gemaakt_op
                    for d in (
                        *(d for s in procedure.BRIEVEN for d in journaal.versies(k.klachtnummer, s)),
                        *eerder,
                    )
                    if d.soort in procedure.BRIEVEN
                ]
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
        merk = sjablonen.lees_merk(pad)
        # Opened and saved in Word, or edited before sending, a letter still says which letter it is and
        # which data it was made from: it is adopted as it is (the files alone decide, principle 3), so
        # a lost record never makes a second letter. Without its hashes a changed file is not judged.
        gewijzigd = merk is not None and merk.ongewijzigd is False
        if (
            merk is None
            or merk.kenmerk != sjablonen.kenmerk(k.klachtnummer, soort, versie)
            or (gewijzigd and merk.variabelen is None)
        ):
            log.info(
                "Niet als eigen document herkend (van een ander of gewijzigd), blijft staan: %s", bestand
            )
            return None
        if gewijzigd:
            log.warning("Teruggevonden in archief, met de hand gewijzigd, ongewijzigd gelaten: %s", bestand)
        gemaakt_op = merk.gemaakt_op or datetime.fromtimestamp(pad.stat().st_mtime).replace(microsecond=0)
        variabelen = merk.variabelen
        if (
            variabelen is None and soort == BIJLAGE
        ):  # rendered by an older klachtdocs: as from today's reglement
            variabelen = {BIJLAGE: reglement} if reglement is not None else {}
        if variabelen is None:
            # Made by a klachtdocs that did not store its hashes: adopted as made from today's data
            # (a second letter to the indiener is worse than one that may be a change behind).
            vorige = journaal.laatste(k.klachtnummer, soort)
            variabelen = {}
            if vorige is None or vorige.versie < versie:
                if soort in templates.onbruikbaar:  # loaded once this pass already, and failed
                    self._open_stand()
                    return None
                try:
                    sjabloon = templates.get(soort)
                except SjabloonFout:
                    self._open_stand()  # judged in a later pass, when the template is readable
                    return None
                ctx = self._context(soort, k, t, config, register, journaal, eerder)
                variabelen = planning.hashes(ctx, (sjabloon.variabelen & ctx.keys()) - brieven.VLUCHTIG)
        reden = TERUGGEVONDEN + (" (met de hand gewijzigd)" if gewijzigd else "")
        return Document(k.klachtnummer, soort, versie, bestand, variabelen, digest, gemaakt_op, reden)

    def _open_stand(self) -> None:
        """Note that the journal may not record every document in archief/: the next pass looks through it."""
        self._stand_open = True
        try:
            (self.werkmap.root / STAND).unlink(missing_ok=True)
        except OSError as exc:
            log.info("%s niet verwijderd (%s).", STAND, exc)

    def _bewaar_stand(self, stand: dict) -> None:
        _bewaar(self.werkmap.root / STAND, stand)

    def _sluit_stand(self, journaal: Journaal, stand: dict) -> None:
        """Record, after a complete pass, that the journal as it is now records everything in archief/."""
        if not self._stand_open and not journaal.bevat(stand):
            self._bewaar_stand(journaal.stand())

    def _vingerafdruk_klacht(
        self,
        k: Klacht,
        register: Register,
        journaal: Journaal,
        vorige: dict[int, tuple] | None = None,
        onthouden: dict[int, tuple] | None = None,
    ) -> str:
        """Return a hash of everything that decides klacht *k*'s documents, besides the shared inputs.

        *vorige* holds the last pass's (klacht, other inputs, hash) by id: a Klacht object the
        Rijgeheugen gave back unchanged keeps its hash while its other inputs are equal too.
        This pass's go into *onthouden*.
        """
        medewerker = self._medewerker_repr.get(rf.fold_key(k.klachtbehandelaar), "None")  # repr(None)
        contact = register.contactmomenten.get(k.klachtnummer)
        documenten = sum(len(journaal.versies(k.klachtnummer, s)) for s in (*procedure.SOORTEN, BIJLAGE))
        invoer = (medewerker, contact, documenten)
        eerder = vorige.get(id(k)) if vorige else None
        if eerder is not None and eerder[0] is k and eerder[1] == invoer:
            vingerafdruk = eerder[2]
        else:
            tekst = f"{k!r}|{medewerker}|{contact!r}|{documenten}"
            vingerafdruk = hashlib.blake2b(tekst.encode(), digest_size=12).hexdigest()
        if onthouden is not None:
            onthouden[id(k)] = (k, invoer, vingerafdruk)
        return vingerafdruk

    def _sjablonen(self) -> _Sjablonen:
        """Return the workspace's templates; with a Geheugen, those of the previous pass if unchanged."""
        g = self.geheugen
        if g is not None and g.sjablonen is not None and g.sjablonen[0] == self._omgeving():
            return g.sjablonen[1]
        templates = _Sjablonen(self.werkmap.sjablonen, sjablonen.maak_omgeving())
        if g is not None:  # _omgeving() covers every file in sjablonen/, the config and the date
            g.sjablonen = (self._omgeving(), templates)
        return templates

    # -- overzicht.xlsx ----------------------------------------------------------------
    def _schrijf_overzicht(self, overzicht: Overzicht) -> None:
        """Write overzicht.xlsx when its content changed; keep a copy someone edited."""
        g = self._dienend
        blokken = g.overzicht if g is not None else None
        inhoud = inhoud_hash(overzicht, g.inhoud if g is not None else None)
        uitkomst = schrijf_uitvoer(
            self.werkmap, self.werkmap.overzicht, inhoud, lambda: naar_bytes(overzicht, blokken), self.nu
        )
        self.resultaat.overzicht_geschreven = uitkomst is Uitkomst.GESCHREVEN
        if uitkomst is Uitkomst.NIET_GELUKT:
            naam = self.werkmap.overzicht.name
            self.resultaat.stale.append(naam)
            self.resultaat.meldingen.append(Melding(WAARSCHUWING, in_gebruik(naam), blad=""))
            log.warning("%s", in_gebruik(naam))  # the watcher's log: staff cannot see the console
        if blokken is not None and not blokken and uitkomst is Uitkomst.ONGEWIJZIGD:
            naar_bytes(overzicht, blokken)  # fill the Geheugen's blocks: the next change writes only its own


def _bewaar(pad: Path, staat: dict) -> None:
    """Replace one of klachtdocs' own state files; a failure only costs the next pass some time."""
    try:
        vervang(pad, json.dumps(staat, ensure_ascii=False).encode())
    except OSError as exc:
        log.info("%s niet bijgewerkt (%s).", pad.name, exc)


def _bezet_tekst(target: Path) -> str:
    """Return the melding for a document whose name was taken by another program during the pass."""
    try:
        bezet(target)
    except PadFout as exc:
        return str(exc)
    return (
        f"{target.name} in {target.parent.parent.name}/{target.parent.name} is tijdens deze ronde door een "
        "ander programma gemaakt; klachtdocs laat dat bestand zoals het is. De volgende ronde maakt het "
        "document met het volgende versienummer."
    )


MAX_VERDWENEN = 20  # klachtnummers named one by one; more are counted in one melding


def _verdwenen_nummers(register: Register, journaal: Journaal) -> list[Melding]:
    """Warn about klachtnummers with documents in the journal but no row in the register any more.

    A renamed or retyped number would otherwise get a second ontvangstbevestiging under its
    new number without anyone noticing.
    """
    in_register = {k.klachtnummer for k in register.klachten}
    documenten: dict[str, list[Document]] = {}
    for (nummer, _), found in journaal.documenten.items():
        if nummer not in in_register:
            documenten.setdefault(nummer, []).extend(found if isinstance(found, list) else [found])
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


def _termijn_rij(k: Klacht, t, b: procedure.Beoordeling) -> tuple:
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


def verwerk(
    root: Path,
    nu: datetime | None = None,
    wachttijd: float = 60.0,
    meld_onleesbaar: bool = True,
    voortgang: Callable[[int, int], None] | None = None,
    processen: int = 1,
    geheugen: Geheugen | None = None,
) -> Resultaat:
    """Run one pass over the workspace at *root* and return what it did.

    *voortgang(gedaan, totaal)* is called while documents are made; without it, long
    work is counted in the log. *processen* > 1 renders many letters in that many
    worker processes (see werkers.render_alle). A long-running caller passes the same
    *geheugen* to every pass, so that each pass costs what changed since the previous one.
    """
    return Verwerking(root, nu, voortgang, processen, geheugen).run(wachttijd, meld_onleesbaar)
