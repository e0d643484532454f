"""The command line: each command builds one object, calls one library function, prints Dutch."""

from __future__ import annotations

import logging
import math
import sys
from pathlib import Path

import click

from klachtdocs import __version__
from klachtdocs.cli_nl import Opdrachten
from klachtdocs.exceptions import KlachtdocsError, StorageError
from klachtdocs.rules.dutch import aantal
from klachtdocs.rules.model import Melding

OK, MET_FOUTEN, KAN_NIET = 0, 1, 2
MAP = click.Path(file_okay=False, path_type=Path)


def _stop(exc: KlachtdocsError | OSError) -> None:
    if isinstance(exc, OSError):  # the library raises StorageError; this is the last line of defence
        exc = StorageError.van(exc)
    click.echo(f"Fout: {exc}", err=True)
    sys.exit(KAN_NIET)


_NO_SHEET = ("klachtdocs.toml", "sjablonen", "archief")  # places of a melding that are not a sheet


def melding_line(m: Melding) -> str:
    """Return one line for a melding on the console."""
    # A sheet of the register is "blad X"; the other places a melding can name by their own name.
    if m.blad in ("", "klachtdocs", "Klachten"):
        waar = [""]
    else:
        waar = [m.blad if m.blad in _NO_SHEET else f"blad {m.blad}"]
    waar += [f"rij {m.rij}" if m.rij else "", m.klachtnummer, f"kolom {m.kolom}" if m.kolom else ""]
    plaats = ", ".join(w for w in waar if w)
    return f"{m.niveau.upper()}{' (' + plaats + ')' if plaats else ''}: {m.tekst}"


def _show_meldingen(meldingen: list[Melding], maximum: int = 30) -> None:
    for m in meldingen[:maximum]:
        click.echo(melding_line(m))
    if len(meldingen) > maximum:
        click.echo(
            f"... en nog {aantal(len(meldingen) - maximum, 'melding', 'meldingen')}: zie overzicht.xlsx, "
            "blad Meldingen."
        )


class _Progress:
    """A progress bar on stderr when it is a terminal; nothing otherwise (the log counts then)."""

    def __init__(self) -> None:
        self.aan = sys.stderr.isatty()
        self.getoond = False

    def __call__(self, gedaan: int, totaal: int) -> None:
        if not self.aan or totaal < 50:
            return
        breedte = 30
        vol = breedte * gedaan // totaal
        click.echo(
            f"\rDocumenten maken [{'#' * vol}{'.' * (breedte - vol)}] {gedaan}/{totaal}", err=True, nl=False
        )
        self.getoond = True

    def done(self) -> None:
        if self.getoond:
            click.echo("", err=True)


def _pass(map_: Path):
    """Run one pass over *map_* on all cores, with a progress bar on a terminal."""
    import threading

    from klachtdocs.documents.workers import process_count, stop_signals_deferred
    from klachtdocs.processing import verwerk

    voortgang = _Progress()
    melding = lambda: click.echo("\nStopsignaal ontvangen; de ronde wordt eerst afgemaakt.", err=True)  # noqa: E731
    try:
        with stop_signals_deferred(threading.Event(), melding):  # Ctrl+C, SIGTERM: the pass finishes first
            return verwerk(map_, voortgang=voortgang, processen=process_count())
    finally:
        voortgang.done()


def _poll(ctx: click.Context, param: click.Parameter, tekst: str | None) -> float | None:
    """Return the --poll interval in seconds (a decimal comma is fine), or None."""
    if tekst is None:
        return None
    try:
        waarde = float(tekst.replace(",", "."))
    except ValueError:
        waarde = math.nan
    if not math.isfinite(waarde):  # "inf" would never look again
        raise click.BadParameter(f"'{tekst}' is geen aantal seconden; schrijf bijvoorbeeld 2 of 0,5.")
    if waarde < 0.5:
        raise click.BadParameter(f"{tekst} seconden is te kort; kies minstens 0,5.")
    return waarde


def _logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(message)s",
        datefmt="%H:%M:%S",
    )


@click.group("klachtdocs", cls=Opdrachten, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, prog_name="klachtdocs", message="%(prog)s %(version)s", help="Toon de versie en stop."
)
def main() -> None:
    """klachtdocs: de klachtenprocedure van NextBest vanuit een Excel-register."""


@main.command()
@click.argument("map_", metavar="MAP", type=MAP)
def init(map_: Path) -> None:
    """Maak een nieuwe werkmap met register, instellingen, sjablonen en archief."""
    from klachtdocs.scaffold import init as maak

    try:
        gemaakt = maak(map_)
    except (KlachtdocsError, OSError) as exc:
        _stop(exc)
    click.echo(f"Werkmap gemaakt in {map_} ({aantal(len(gemaakt), 'bestand', 'bestanden')}).")
    from klachtdocs.scaffold import still_to_fill

    nog = still_to_fill(map_)
    if nog:
        click.echo("Nog in te vullen:\n" + "\n".join(f"- {tekst}" for tekst in nog))
    click.echo(f"Vul de klachten in {map_ / 'klachtenregister.xlsx'} en start 'klachtdocs watch {map_}'.")


@main.command()
@click.argument("map_", metavar="MAP", type=MAP)
@click.option("-v", "--verbose", is_flag=True, help="Toon elk gemaakt document.")
def verwerk(map_: Path, verbose: bool) -> None:
    """Verwerk het register één keer: controleer, maak de verschuldigde brieven, werk overzicht.xlsx bij.

    Exitcode 0: klaar zonder fouten; 1: klaar, met fouten in het register; 2: kon niet draaien.
    """
    _logging(verbose)
    try:
        resultaat = _pass(map_)
    except (KlachtdocsError, OSError) as exc:
        _stop(exc)
    _show_meldingen(resultaat.meldingen)
    for doc in resultaat.gemaakt:
        click.echo(f"Gemaakt: {doc.bestand}" + (f" ({doc.reden})" if doc.versie > 1 else ""))
    click.echo(resultaat.samenvatting())
    sys.exit(MET_FOUTEN if resultaat.fouten else OK)


@main.command()
@click.argument("map_", metavar="MAP", type=MAP)
def controleer(map_: Path) -> None:
    """Controleer register en sjablonen zonder iets te schrijven."""
    from klachtdocs.check import controleer as check

    try:
        meldingen, klachten = check(map_)
    except (KlachtdocsError, OSError) as exc:
        _stop(exc)
    _show_meldingen(meldingen, maximum=200)
    fouten = sum(m.niveau == "fout" for m in meldingen)
    click.echo(
        f"{aantal(klachten, 'klacht', 'klachten')} gecontroleerd: {aantal(fouten, 'fout', 'fouten')}, "
        f"{aantal(len(meldingen) - fouten, 'waarschuwing', 'waarschuwingen')}. Er is niets geschreven."
    )
    sys.exit(MET_FOUTEN if fouten else OK)


@main.command()
@click.argument("map_", metavar="[MAP]", type=MAP, default=Path("klachtdocs-demo"), required=False)
def demo(map_: Path) -> None:
    """Maak een demowerkmap met een twaalftal klachten en verwerk die."""
    from klachtdocs.demo import make_demo

    try:
        nieuw = make_demo(map_)
        resultaat = _pass(map_)
    except (KlachtdocsError, OSError) as exc:
        _stop(exc)
    click.echo(("Demowerkmap gemaakt: " if nieuw else "Bestaande demowerkmap opnieuw verwerkt: ") + str(map_))
    click.echo(resultaat.samenvatting())
    per_soort: dict[str, int] = {}
    for doc in resultaat.gemaakt:
        per_soort[doc.soort] = per_soort.get(doc.soort, 0) + 1
    for soort, n in sorted(per_soort.items()):
        click.echo(f"  {soort}: {n}")
    click.echo(f"Brieven:   {map_ / 'archief'}  (een map per klacht)")
    click.echo(f"Overzicht: {map_ / 'overzicht.xlsx'}  (termijnen, meldingen, brieven)")
    click.echo(
        f"Register:  {map_ / 'klachtenregister.xlsx'}  (wijzig het en draai 'klachtdocs verwerk {map_}')"
    )


@main.command()
@click.argument("map_", metavar="MAP", type=MAP)
@click.option(
    "--poll",
    "poll",
    callback=_poll,
    default=None,
    metavar="SECONDEN",
    help="Kijk elke SECONDEN seconden (voor netwerkschijven en gesynchroniseerde mappen).",
)
def watch(map_: Path, poll: float | None) -> None:
    """Bewaak de werkmap en verwerk het register na elke opslag."""
    from klachtdocs.watcher import run_watcher

    try:
        run_watcher(map_, poll=poll)
    except (KlachtdocsError, OSError) as exc:
        _stop(exc)


@main.command()
@click.argument("map_", metavar="MAP", type=MAP)
@click.option(
    "--maand",
    "maand",
    metavar="JJJJ-MM",
    default=None,
    help="De maand, bijvoorbeeld 2026-10. Zonder deze optie: de laatste volledige maand.",
)
def analyse(map_: Path, maand: str | None) -> None:
    """Maak de klachtenanalyse van een maand voor de kwaliteitsfunctionaris, zonder persoonsgegevens.

    Schrijft MAP/analyse/klachtenanalyse-JJJJ-MM.xlsx. Exitcode 0: geschreven of al actueel;
    2: kon niet (register onleesbaar, bestand geopend, ongeldige maand).
    """
    from klachtdocs.monthly import make_analysis, parse_month
    from klachtdocs.storage.outputs import Outcome

    try:
        jaar_maand = parse_month(maand) if maand is not None else None
    except KlachtdocsError as exc:
        raise click.BadParameter(str(exc), param_hint="--maand") from None
    try:
        resultaat = make_analysis(map_, jaar_maand)
    except (KlachtdocsError, OSError) as exc:
        _stop(exc)
    click.echo(resultaat.samenvatting())
    if resultaat.uitkomst is Outcome.FAILED:
        click.echo(
            f"Fout: {resultaat.pad} kon niet geschreven worden. Sluit het bestand in Excel en "
            "probeer het opnieuw.",
            err=True,
        )
        sys.exit(KAN_NIET)
    click.echo(f"Bestand: {resultaat.pad}")
