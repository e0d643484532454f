"""The monthly analysis for the kwaliteitsfunctionaris: read, compute, write analyse/klachtenanalyse-JJJJ-MM.xlsx."""

from __future__ import annotations

import hashlib
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from klachtdocs import __version__
from klachtdocs.analysis import figures as kengetallen
from klachtdocs.analysis import workbook as analysewerkboek
from klachtdocs.exceptions import BestandFout, InvoerFout, OutputInUse, StorageError
from klachtdocs.rules import register as rf
from klachtdocs.rules.dutch import aantal
from klachtdocs.rules.kalender import Kalender
from klachtdocs.rules.validatie import valideer
from klachtdocs.storage.files import sha256
from klachtdocs.storage.journal import first_made_by_klacht
from klachtdocs.storage.lock import Lock
from klachtdocs.storage.outputs import Outcome, in_use, read_state, write_output, write_state
from klachtdocs.storage.workbook import read_file_bytes, read_workbook
from klachtdocs.storage.workspace import Workspace, read_config

log = logging.getLogger(__name__)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
MONTHLY_KEY = (
    "maandanalyse"  # key in uitvoer.json: the month the watcher last brought up to date, and from what
)


@dataclass(frozen=True)
class AnalysisResult:
    """What make_analysis did."""

    pad: Path
    uitkomst: Outcome
    analyse: kengetallen.Analyse

    def samenvatting(self) -> str:
        """Return one Dutch line about the analysis."""
        wat = {
            Outcome.WRITTEN: "geschreven",
            Outcome.UNCHANGED: "ongewijzigd (al actueel)",
            Outcome.FAILED: "NIET geschreven (bestand geopend?)",
        }[self.uitkomst]
        a = self.analyse
        extra = (
            f"; {aantal(a.zonder_datum, 'rij', 'rijen')} zonder leesbare Datum ontvangst"
            if a.zonder_datum
            else ""
        )
        gelezen = aantal(a.klachten, "klacht", "klachten")
        return f"Klachtenanalyse {a.maand.kop}: {self.pad.name} {wat} ({gelezen} gelezen{extra})."


def parse_month(tekst: str) -> tuple[int, int]:
    """Return (jaar, maand) from "JJJJ-MM", or raise InvoerFout with the fix."""
    m = _MONTH.match(tekst.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InvoerFout(f"'{tekst}' is geen maand. Schrijf de maand als JJJJ-MM, bijvoorbeeld 2026-10.")
    return int(m.group(1)), int(m.group(2))


def bestandsnaam(jaar: int, maand: int) -> str:
    """Return the file name of a month's analysis."""
    return f"klachtenanalyse-{jaar:04d}-{maand:02d}.xlsx"


def make_analysis(
    root: Path,
    jaar_maand: tuple[int, int] | None = None,
    nu: datetime | None = None,
    wachttijd: float = 60.0,
    run_monthly: bool = False,
) -> AnalysisResult:
    """Write the analysis of one month (default: the last complete month) and return what happened.

    With *maandelijks* (the watcher), record the month and a fingerprint of its sources in
    uitvoer.json, and do not make an analysis someone deleted again while its figures are the same.
    """
    werkmap = Workspace(Path(root))
    nu = (nu or datetime.now()).replace(microsecond=0)
    vandaag = nu.date()
    jaar, mnd = jaar_maand or kengetallen.laatste_volledige_maand(vandaag)
    if jaar < 2000:  # before date(): there is no year 0
        raise InvoerFout(f"Het jaar {jaar} ligt te ver terug. Kies een maand vanaf 2000.")
    if date(jaar, mnd, 1) >= vandaag:
        raise InvoerFout(
            f"{kengetallen.maandnaam(jaar, mnd)} heeft nog geen hele dag achter de rug. "
            "Kies een eerdere maand."
        )
    if not werkmap.root.is_dir():
        raise BestandFout(f"De map {werkmap.root} bestaat niet. Maak een werkmap met 'klachtdocs init MAP'.")
    werkmap.controleer()
    try:
        return _make_analysis(werkmap, jaar, mnd, nu, wachttijd, run_monthly)
    except OSError as exc:  # a full disk, a read-only folder
        raise StorageError.van(exc, map_=werkmap.root) from exc


def _make_analysis(
    werkmap: Workspace, jaar: int, mnd: int, nu: datetime, wachttijd: float, run_monthly: bool
) -> AnalysisResult:
    vandaag = nu.date()
    slot = Lock(werkmap.staat / "verwerking.lock", "analyse")
    slot.acquire(wachttijd)
    try:
        bronnen = _sources(werkmap, f"{jaar:04d}-{mnd:02d}")  # before reading them: a change meanwhile shows
        config = read_config(werkmap.config)
        data = read_file_bytes(werkmap.register)
        with ThreadPoolExecutor(1) as pool:  # calamine releases the GIL: read the journal meanwhile
            gelezen = pool.submit(
                read_workbook,
                data,
                werkmap.register.name,
                alleen=(rf.BLAD_KLACHTEN,),
                formules=False,
            )
            eerst = first_made_by_klacht(werkmap.journaal, kengetallen.BRIEF_SOORTEN)
            werkboek = gelezen.result()
        kalender = Kalender(config.sluitingsdagen)
        register = valideer(werkboek, kalender, vandaag, config.categorieen)
        if register.structuur_fout:
            raise InvoerFout(
                "Het blad Klachten ontbreekt, of een van zijn kolommen ontbreekt of staat er dubbel in; "
                "zie overzicht.xlsx, blad Meldingen. Herstel dat eerst."
            )
        a = kengetallen.analyseer(
            register.klachten,
            eerst,
            kalender,
            config.brieven_vanaf,
            jaar,
            mnd,
            vandaag,
            config.categorieen,
        )
        pad = werkmap.analyse / bestandsnaam(jaar, mnd)
        inhoud = _content(a)
        staat = read_state(werkmap)
        vorig, gedaan = staat.get(pad.relative_to(werkmap.root).as_posix(), {}), staat.get(MONTHLY_KEY)
        al_gemaakt = (gedaan.get("maand") if isinstance(gedaan, dict) else gedaan) == f"{jaar:04d}-{mnd:02d}"
        if run_monthly and al_gemaakt and not pad.exists() and vorig.get("inhoud") == inhoud:
            uitkomst = (
                Outcome.UNCHANGED
            )  # written, then deleted by someone; figures unchanged: not made again
        else:
            uitkomst = write_output(werkmap, pad, inhoud, lambda: analysewerkboek.naar_bytes(a, nu), nu)
        if run_monthly and uitkomst is not Outcome.FAILED:
            staat = read_state(werkmap)
            staat[MONTHLY_KEY] = {"maand": f"{jaar:04d}-{mnd:02d}", "bron": _source(bronnen, data)}
            write_state(werkmap, staat)
    finally:
        slot.release()
    return AnalysisResult(pad, uitkomst, a)


def _content(a: kengetallen.Analyse) -> str:
    """Return a hash of the figures the workbook shows.

    Not of when it was made, nor of the number of klachten in the whole register (a line
    in Toelichting): a klacht received later does not make an earlier month's analysis new.
    """
    h = hashlib.sha256()
    for frame in (a.samenvatting, a.trend, a.termijnnaleving, *a.verdelingen.values(), a.afwijkingen):
        h.update(frame.to_csv().encode())
    h.update(f"{a.maand}|{a.zonder_datum}".encode())
    return h.hexdigest()


def _sources(werkmap: Workspace, maand: str) -> str:
    """Return a fingerprint of the analysis's sources other than the register: config, journal, version."""
    try:
        config = sha256(werkmap.config.read_bytes())
    except OSError:
        config = "-"
    try:
        st = werkmap.journaal.stat()
        journaal = f"{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        journaal = "-"
    return f"{maand}|{__version__}|{config}|{journaal}"


def _source(bronnen: str, register: bytes) -> str:
    return sha256(f"{bronnen}|{sha256(register)}".encode())


def run_monthly(root: Path, vandaag: date) -> Path | None:
    """Bring last month's analysis up to date for the watcher; return its path when written now, else None.

    Nothing is computed while register, config and journal are as they were at the last run
    for that month; otherwise the analysis is made and written when its figures changed (an
    entry typed late). A copy someone edited is kept aside first (uitvoer.schrijf_uitvoer);
    one someone deleted is not made again until its figures change. Raise OutputInUse when
    the file is open in another program (the watcher tries again soon).
    """
    werkmap = Workspace(Path(root))
    jaar, mnd = kengetallen.laatste_volledige_maand(vandaag)
    sleutel = f"{jaar:04d}-{mnd:02d}"
    vorige = read_state(werkmap).get(MONTHLY_KEY)
    if isinstance(vorige, dict) and vorige.get("maand") == sleutel:
        bronnen = _sources(werkmap, sleutel)
        try:
            if vorige.get("bron") == _source(bronnen, werkmap.register.read_bytes()):
                return None
        except OSError:
            pass  # make_analysis says what is wrong with the register
    resultaat = make_analysis(
        root, (jaar, mnd), datetime.combine(vandaag, datetime.now().time()), run_monthly=True
    )
    if resultaat.uitkomst is Outcome.FAILED:
        raise OutputInUse(
            in_use(
                resultaat.pad.relative_to(werkmap.root).as_posix(),
                "de bewaking probeert het elke halve minuut opnieuw",
            )
        )
    log.info("%s", resultaat.samenvatting())
    return resultaat.pad if resultaat.uitkomst is Outcome.WRITTEN else None
