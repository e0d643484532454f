"""Turn the documents a klacht needs into work: its template checked, a free file name, its journal record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import jinja2

from klachtdocs.cache import Cache
from klachtdocs.documents import templates as sjablonen
from klachtdocs.documents import workers
from klachtdocs.exceptions import PadFout, SjabloonFout
from klachtdocs.processing.result import Notes
from klachtdocs.rules import brieven, planning, procedure
from klachtdocs.rules import register as rf
from klachtdocs.rules.brieven import BIJLAGE
from klachtdocs.rules.config import Config
from klachtdocs.rules.filenames import veilige_naam
from klachtdocs.rules.model import WAARSCHUWING, Document, Klacht, Melding, Register
from klachtdocs.rules.planning import Due, KlachtRecord
from klachtdocs.rules.termijnen import Termijnen
from klachtdocs.storage.files import sha256
from klachtdocs.storage.workspace import Workspace, check_folder, is_taken, read_inside


@dataclass(frozen=True)
class Work:
    """One document to make: its journal record, where it goes, and what to render (or copy)."""

    doc: Document
    target: Path
    taak: workers.Task | None  # None: a copy of *data*
    data: bytes = b""


class Templates:
    """The templates of one workspace, each loaded on first use."""

    def __init__(self, folder: Path, env: jinja2.Environment) -> None:
        self.folder, self.env = folder, env
        self._loaded: dict[str, sjablonen.Sjabloon] = {}
        self._renderers: dict[str, sjablonen.Renderer] = {}
        self.onbruikbaar: set[str] = set()  # kinds whose template failed to load

    def get(self, soort: str, pad: Path | None = None) -> sjablonen.Sjabloon:
        """Return the template of *soort* (at *pad*, default ``sjablonen/<soort>.docx``).

        Raise SjabloonFout when it cannot be loaded; its kind is then in *onbruikbaar*, and
        callers ask for it no more (a broken template is loaded once).
        """
        if soort not in self._loaded:
            try:
                self._loaded[soort] = sjablonen.load(soort, pad or self.folder / f"{soort}.docx", self.env)
            except SjabloonFout:
                self.onbruikbaar.add(soort)
                raise
        return self._loaded[soort]

    def renderer(self, sjabloon: sjablonen.Sjabloon) -> sjablonen.Renderer:
        """Return the Renderer of *sjabloon*, made once."""
        if sjabloon.soort not in self._renderers:
            self._renderers[sjabloon.soort] = sjablonen.Renderer(sjabloon, self.env)
        return self._renderers[sjabloon.soort]


def templates_for(wm: Workspace, omgeving: str, cache: Cache | None) -> Templates:
    """Return the workspace's templates; from *cache* while *omgeving* (every file in sjablonen/) is unchanged."""

    def load() -> Templates:
        return Templates(wm.sjablonen, sjablonen.make_environment())

    return load() if cache is None else cache(("templates", str(wm.root), omgeving), load)


class Reglement:
    """The klachtenreglement sent with the ontvangstbevestiging (art. 5), read once a pass."""

    def __init__(self, wm: Workspace, config: Config) -> None:
        self.bron = wm.sjablonen / config.bijlage_ontvangstbevestiging
        self._folder = wm.sjablonen
        self._read: tuple[bytes, str] | None = None

    def get(self) -> tuple[bytes, str]:
        """Return its bytes and hash; raise SjabloonFout when it is missing or outside sjablonen/."""
        if self._read is None:
            try:
                data = read_inside(self.bron, self._folder)
            except PadFout as exc:
                raise SjabloonFout(
                    f"De bijlage van de ontvangstbevestiging (brieven.bijlage_ontvangstbevestiging "
                    f"in klachtdocs.toml): {exc}"
                ) from None
            except OSError:
                raise SjabloonFout(
                    f"De bijlage {self.bron.name} (het klachtenreglement, art. 5) ontbreekt "
                    "in de map sjablonen. Zet het bestand terug."
                ) from None
            self._read = (data, sha256(data))
        return self._read


def klacht_folder(wm: Workspace, klachtnummer: str) -> Path:
    """Return the folder in archief/ of one klacht."""
    return wm.archief / veilige_naam(klachtnummer)


def relative(wm: Workspace, path: Path) -> str:
    """Return *path* as the journal records it: relative to the workspace, with "/"."""
    return path.relative_to(wm.root).as_posix()


def free_path(folder: Path, stem: str, soort: str, versie: int, ext: str) -> tuple[Path, int]:
    """Return the first free file name of a document, from *versie* on, and its version.

    Raise PadFout for a link or a file where the klacht's folder belongs, or a link at a name.
    """
    check_folder(folder)
    while is_taken(folder / f"{stem}_{soort}_v{versie}{ext}"):
        versie += 1  # a file we did not record (someone else's): never overwrite it
    return folder / f"{stem}_{soort}_v{versie}{ext}", versie


class Preparer:
    """Turns the documents klachten need (planning.Due) into Work, for one pass."""

    def __init__(
        self,
        wm: Workspace,
        config: Config,
        register: Register,
        templates: Templates,
        reglement: Reglement,
        notes: Notes,
        nu: datetime,
    ) -> None:
        self.wm, self.config, self.register, self.templates = wm, config, register, templates
        self.reglement, self.notes, self.nu = reglement, notes, nu

    def prepare(self, k: Klacht, t: Termijnen, dues: list[Due], record: KlachtRecord) -> list[Work]:
        """Return the Work for *dues* of klacht *k*; a broken template is a melding, its documents wait.

        Raise PadFout when a link or a file in archief/ stands where the klacht's documents go.
        """
        werk: list[Work] = []
        for due in dues:
            soort, ctx, vorige = due.soort, due.context, due.vorige
            if soort in self.templates.onbruikbaar:
                continue  # its template failed to load: its melding is made, the template not loaded again
            bewerkt = ""
            if soort == procedure.KLACHTENFORMULIER and vorige is not None:
                bewerkt = self._hand_edited(vorige)
                ctx = ctx | {"vorige_versie_bewerkt": bewerkt}
            try:
                sjabloon = self.templates.get(soort)
                sjablonen.check_variables(sjabloon, ctx)
                opdracht = planning.plan(
                    k.klachtnummer, soort, ctx, sjabloon.variabelen, vorige, due.gewijzigd
                )
                if soort == procedure.ONTVANGSTBEVESTIGING or ctx.get("eerste_brief"):
                    if BIJLAGE in self.templates.onbruikbaar:
                        continue  # the letter goes with its bijlage: both wait (melding made once)
                    bijlage = self._bijlage(k, t, record)
                    if bijlage is not None:
                        werk.append(bijlage)
            except SjabloonFout as exc:
                self.notes.template(soort, str(exc))
                continue
            stem = veilige_naam(k.klachtnummer)
            folder = klacht_folder(self.wm, k.klachtnummer)
            target, versie = free_path(folder, stem, soort, opdracht.versie, ".docx")
            if bewerkt:
                self.notes.documents.append(
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
                relative(self.wm, target),
                opdracht.variabelen,
                "",
                self.nu,
                opdracht.reden,
            )
            taak = workers.Task(
                soort, ctx, sjablonen.kenmerk(k.klachtnummer, soort, versie), self.nu, opdracht.variabelen
            )
            werk.append(Work(doc, target, taak))
        return werk

    def _bijlage(self, k: Klacht, t: Termijnen, record: KlachtRecord) -> Work | None:
        """Return the klachtenreglement to put beside the letter that acknowledges receipt, if due.

        A .docx is rendered like the letters (the organisation's name and address fill in,
        and it carries a kenmerk); any other file (a PDF) is copied as it is. A new copy is
        made only when the source file changed since the klacht's last one.
        """
        bron = self.reglement.bron
        data, digest = self.reglement.get()
        versies = record.versions.get(BIJLAGE, ())
        if any(d.variabelen.get(BIJLAGE) == digest for d in versies):
            return None
        is_docx = bron.suffix.lower() == ".docx"
        if is_docx:
            sjabloon = self.templates.get(BIJLAGE, bron)
            medewerker = self.register.medewerkers.get(rf.fold_key(k.klachtbehandelaar))
            ctx = brieven.bijlage_context(k, t, self.config, medewerker, self.nu.date())
            sjablonen.check_variables(sjabloon, ctx)
        stem = veilige_naam(k.klachtnummer)
        naam = veilige_naam(Path(bron.name).stem)
        target, versie = free_path(
            klacht_folder(self.wm, k.klachtnummer), stem, f"{BIJLAGE}_{naam}", len(versies) + 1, bron.suffix
        )
        taak = None
        if is_docx:
            taak = workers.Task(
                BIJLAGE, ctx, sjablonen.kenmerk(k.klachtnummer, BIJLAGE, versie), self.nu, {BIJLAGE: digest}
            )
        doc = Document(
            k.klachtnummer,
            BIJLAGE,
            versie,
            relative(self.wm, target),
            {BIJLAGE: digest},
            digest,
            self.nu,
            "nieuw" if not versies else "klachtenreglement gewijzigd",
        )
        return Work(doc, target, taak, data if taak is None else b"")

    def _hand_edited(self, vorige: Document) -> str:
        """Return the file name of *vorige* when someone changed it since klachtdocs made it, else ""."""
        try:
            pad = self.wm.archiefbestand(vorige.bestand)  # a journal line never leads out of archief/
            return pad.name if vorige.sha256 and sha256(pad.read_bytes()) != vorige.sha256 else ""
        except (OSError, PadFout):
            return ""  # gone, unreadable or elsewhere: nothing of it can be carried over by us
