"""One idempotent pass: read the register, validate, plan, write documents and overzicht.xlsx."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

import jinja2

from klachtdocs import brieven, planning, procedure, sjablonen
from klachtdocs import config as configmod
from klachtdocs import registerformaat as rf
from klachtdocs.bestanden import ruim_tijdelijke_bestanden, schrijf_nieuw, sha256
from klachtdocs.bestandsnamen import veilige_naam
from klachtdocs.config import Config
from klachtdocs.exceptions import BestandFout, KlachtdocsError, SjabloonFout
from klachtdocs.journaal import Document, Journaal
from klachtdocs.kalender import Kalender
from klachtdocs.model import FOUT, WAARSCHUWING, Klacht, Melding, Register
from klachtdocs.overzicht import Overzicht, melding_rij, naar_bytes
from klachtdocs.slot import Slot
from klachtdocs.termijnen import bereken
from klachtdocs.uitvoer import Uitkomst, schrijf_uitvoer
from klachtdocs.validatie import valideer
from klachtdocs.werkboek import lees_bytes, lees_werkboek
from klachtdocs.werkmap import Werkmap

log = logging.getLogger(__name__)
BIJLAGE = "bijlage"


@dataclass
class Resultaat:
    """What one pass did."""

    klachten: int = 0
    gemaakt: list[Document] = field(default_factory=list)
    meldingen: list[Melding] = field(default_factory=list)
    overzicht_geschreven: bool = False

    @property
    def fouten(self) -> int:
        return sum(m.niveau == FOUT for m in self.meldingen)

    @property
    def waarschuwingen(self) -> int:
        return sum(m.niveau == WAARSCHUWING for m in self.meldingen)

    def samenvatting(self) -> str:
        """Return one Dutch line describing the pass."""
        nieuw = sum(d.versie == 1 for d in self.gemaakt)
        return (f"{self.klachten} klachten gelezen, {len(self.gemaakt)} documenten gemaakt "
                f"({nieuw} nieuw, {len(self.gemaakt) - nieuw} nieuwe versie), {self.fouten} "
                f"fouten en {self.waarschuwingen} waarschuwingen.")  # fmt: skip


class _Sjablonen:
    """The templates of one workspace, loaded on first use, with their errors remembered."""

    def __init__(self, folder: Path, env: jinja2.Environment) -> None:
        self.folder, self.env = folder, env
        self._cache: dict[str, sjablonen.Sjabloon | SjabloonFout] = {}
        self._renderers: dict[str, sjablonen.Renderer] = {}

    def get(self, soort: str) -> sjablonen.Sjabloon:
        if soort not in self._cache:
            try:
                self._cache[soort] = sjablonen.laad(soort, self.folder / f"{soort}.docx", self.env)
            except SjabloonFout as exc:
                self._cache[soort] = exc
        found = self._cache[soort]
        if isinstance(found, SjabloonFout):
            raise found
        return found

    def renderer(self, sjabloon: sjablonen.Sjabloon) -> sjablonen.Renderer:
        if sjabloon.soort not in self._renderers:
            self._renderers[sjabloon.soort] = sjablonen.Renderer(sjabloon, self.env)
        return self._renderers[sjabloon.soort]


class Verwerking:
    """One pass over one workspace; construct, then call run()."""

    def __init__(self, root: Path, nu: datetime | None = None) -> None:
        self.werkmap = Werkmap(Path(root))
        self.nu = (nu or datetime.now()).replace(microsecond=0)
        self.vandaag = self.nu.date()
        self.resultaat = Resultaat()
        self._sjabloon_meldingen: dict[str, Melding] = {}

    # -- entry point -------------------------------------------------------------------
    def run(self, wachttijd: float = 60.0, meld_onleesbaar: bool = True) -> Resultaat:
        """Run the pass under the workspace lock and return its Resultaat."""
        wm = self.werkmap
        if not wm.root.is_dir():
            raise BestandFout(f"De map {wm.root} bestaat niet. Maak een werkmap met "
                              "'klachtdocs init MAP'.")  # fmt: skip
        slot = Slot(wm.staat / "verwerking.lock", "verwerking")
        slot.neem(wachttijd)
        try:
            try:
                config = configmod.lees(wm.config)
                werkboek = lees_werkboek(lees_bytes(wm.register), wm.register.name)
            except KlachtdocsError as exc:
                if meld_onleesbaar and wm.config.exists():
                    self._schrijf_overzicht(Overzicht((), (melding_rij(Melding(FOUT, str(exc))),), ()))
                raise
            self._pass(config, werkboek)
        finally:
            slot.geef_vrij()
        return self.resultaat

    # -- the pass ----------------------------------------------------------------------
    def _pass(self, config: Config, werkboek) -> None:
        wm = self.werkmap
        kalender = Kalender(config.sluitingsdagen)
        register = valideer(werkboek, kalender, self.vandaag, config.categorieen)
        journaal = Journaal.lees(wm.journaal)
        self._herstel(journaal)
        templates = _Sjablonen(wm.sjablonen, sjablonen.maak_omgeving())
        termijn_rijen = []
        for k in register.klachten:
            t = bereken(k.datum_ontvangst, kalender) if k.datum_ontvangst else None
            if t is not None and not register.structuur_fout:
                self._documenten(k, t, config, register, journaal, templates)
            gemaakt = journaal.eerst_gemaakt(k.klachtnummer, procedure.BRIEVEN)
            b = procedure.beoordeel(k, t, gemaakt, self.vandaag, config.brieven_vanaf)
            termijn_rijen.append(_termijn_rij(k, t, b))
        self.resultaat.klachten = len(register.klachten)
        self.resultaat.meldingen = register.meldingen + list(self._sjabloon_meldingen.values())
        brief_rijen = tuple(
            (d.klachtnummer, d.soort, d.versie, d.bestand, d.gemaakt_op)
            for d in sorted(journaal.alle(), key=lambda d: (d.gemaakt_op, d.klachtnummer, d.soort, d.versie))
        )  # fmt: skip
        meldingen = tuple(melding_rij(m) for m in self.resultaat.meldingen)
        self._schrijf_overzicht(Overzicht(tuple(termijn_rijen), meldingen, brief_rijen))

    def _documenten(self, k: Klacht, t, config: Config, register: Register, journaal: Journaal,
                    templates: _Sjablonen) -> None:  # fmt: skip
        due = procedure.verschuldigd(k, t, config.brieven_vanaf)
        medewerker = register.medewerkers.get(rf.fold_key(k.klachtbehandelaar))
        for soort in due:
            brieflijst = []
            if soort == procedure.KLACHTENFORMULIER:
                brieflijst = [
                    {"soort": d.soort, "versie": d.versie, "bestand": PurePosixPath(d.bestand).name,
                     "gemaakt_op": d.gemaakt_op.strftime("%d-%m-%Y %H:%M")}
                    for s in procedure.BRIEVEN for d in journaal.versies(k.klachtnummer, s)
                ]  # fmt: skip
            ctx = brieven.context(soort, k, t, config, medewerker, self.vandaag,
                                  register.contactmomenten.get(k.klachtnummer, []), brieflijst)  # fmt: skip
            vorige = journaal.laatste(k.klachtnummer, soort)
            gewijzigd = planning.gewijzigde_variabelen(ctx, vorige)
            if vorige is not None and not gewijzigd:
                continue  # the common case: decided without loading the template
            try:
                sjabloon = templates.get(soort)
                sjablonen.controleer_variabelen(sjabloon, ctx)
                opdracht = planning.plan(k.klachtnummer, soort, ctx, sjabloon.variabelen, vorige, gewijzigd)
                if soort == procedure.ONTVANGSTBEVESTIGING:
                    self._bijlage(k, config, journaal)
                self._maak(opdracht, templates.renderer(sjabloon), journaal)
            except SjabloonFout as exc:
                self._sjabloon_melding(soort, str(exc))

    def _sjabloon_melding(self, soort: str, tekst: str) -> None:
        if soort not in self._sjabloon_meldingen:
            log.error("%s", tekst)
            self._sjabloon_meldingen[soort] = Melding(
                FOUT, tekst + " Tot dan worden deze documenten niet gemaakt.", None, "", "", "sjablonen"
            )

    # -- writing -----------------------------------------------------------------------
    def _map(self, klachtnummer: str) -> Path:
        return self.werkmap.archief / veilige_naam(klachtnummer)

    def _vrij_pad(self, folder: Path, stem: str, soort: str, versie: int, ext: str) -> tuple[Path, int]:
        while (folder / f"{stem}_{soort}_v{versie}{ext}").exists():
            versie += 1  # a file we did not record (someone else's): never overwrite it
        return folder / f"{stem}_{soort}_v{versie}{ext}", versie

    def _relatief(self, path: Path) -> str:
        return path.relative_to(self.werkmap.root).as_posix()

    def _maak(self, o: planning.Opdracht, renderer: sjablonen.Renderer, journaal: Journaal) -> None:
        folder = self._map(o.klachtnummer)
        target, versie = self._vrij_pad(folder, veilige_naam(o.klachtnummer), o.soort, o.versie, ".docx")
        kenmerk = sjablonen.kenmerk(o.klachtnummer, o.soort, versie)
        data = renderer.render(o.context, kenmerk, self.nu)
        self._schrijf(journaal, Document(o.klachtnummer, o.soort, versie, self._relatief(target),
                                         o.variabelen, sha256(data), self.nu, o.reden), target, data)  # fmt: skip

    def _bijlage(self, k: Klacht, config: Config, journaal: Journaal) -> None:
        """Copy the klachtenreglement beside the ontvangstbevestiging, once per content."""
        bron = self.werkmap.sjablonen / config.bijlage_ontvangstbevestiging
        try:
            data = bron.read_bytes()
        except OSError:
            raise SjabloonFout(f"De bijlage {bron.name} (het klachtenreglement, art. 5) ontbreekt "
                               "in de map sjablonen. Zet het bestand terug.") from None  # fmt: skip
        digest = sha256(data)
        versies = journaal.versies(k.klachtnummer, BIJLAGE)
        if any(d.sha256 == digest for d in versies):
            return
        folder = self._map(k.klachtnummer)
        stem = veilige_naam(k.klachtnummer)
        naam = veilige_naam(Path(bron.name).stem)
        target, versie = self._vrij_pad(folder, stem, f"{BIJLAGE}_{naam}", len(versies) + 1, bron.suffix)
        doc = Document(k.klachtnummer, BIJLAGE, versie, self._relatief(target), {"bijlage": digest},
                       digest, self.nu, "nieuw" if not versies else "klachtenreglement gewijzigd")  # fmt: skip
        self._schrijf(journaal, doc, target, data)

    def _schrijf(self, journaal: Journaal, doc: Document, target: Path, data: bytes) -> None:
        ident = secrets.token_hex(8)
        journaal.start(ident, doc)
        try:
            schrijf_nieuw(target, data)
        except OSError as exc:
            journaal.vergeten(ident)
            raise BestandFout(f"{target} kan niet geschreven worden ({exc}).") from exc
        journaal.gemaakt(ident, doc)
        self.resultaat.gemaakt.append(doc)
        log.info("Gemaakt: %s (%s)", doc.bestand, doc.reden)

    def _herstel(self, journaal: Journaal) -> None:
        """Finish what an interrupted pass started: adopt written files, forget the rest."""
        for ident, r in list(journaal.onvoltooid.items()):
            target = self.werkmap.root / r["bestand"]
            ruim_tijdelijke_bestanden(target.parent)
            try:
                data = target.read_bytes()
            except OSError:
                journaal.vergeten(ident)
                continue
            ours = r["soort"] == BIJLAGE or sjablonen.lees_kenmerk(data) == sjablonen.kenmerk(
                r["klachtnummer"], r["soort"], r["versie"])  # fmt: skip
            if not ours:
                journaal.vergeten(ident)
                continue
            doc = Document.van_regel(r | {"sha256": sha256(data), "reden": "hersteld na onderbreking"})
            journaal.gemaakt(ident, doc)
            log.warning("Hersteld na onderbreking: %s", r["bestand"])

    # -- overzicht.xlsx ----------------------------------------------------------------
    def _schrijf_overzicht(self, overzicht: Overzicht) -> None:
        """Write overzicht.xlsx when its content changed; keep a copy someone edited."""
        inhoud = planning.waarde_hash([overzicht.termijnen, overzicht.meldingen, overzicht.brieven])
        uitkomst = schrijf_uitvoer(self.werkmap, self.werkmap.overzicht, inhoud,
                                   lambda: naar_bytes(overzicht), self.nu)  # fmt: skip
        self.resultaat.overzicht_geschreven = uitkomst is Uitkomst.GESCHREVEN


def _termijn_rij(k: Klacht, t, b: procedure.Beoordeling) -> tuple:
    if t is None:
        return (k.klachtnummer, b.status, b.volgende_stap, None, None, None, None, "")
    te_laat = "ja: " + ", ".join(b.te_laat) if b.te_laat else "nee"
    return (k.klachtnummer, b.status, b.volgende_stap, t.ontvangstbevestiging_uiterlijk,
            t.afwijzing_uiterlijk, t.streefdatum_afhandeling, t.afhandeling_uiterlijk, te_laat)  # fmt: skip


def verwerk(root: Path, nu: datetime | None = None, wachttijd: float = 60.0,
            meld_onleesbaar: bool = True) -> Resultaat:  # fmt: skip
    """Run one pass over the workspace at *root* and return what it did."""
    return Verwerking(root, nu).run(wachttijd, meld_onleesbaar)


