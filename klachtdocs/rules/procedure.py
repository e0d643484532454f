"""Decide, for one klacht, which documents are due, its status and the next step; no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from klachtdocs.rules import register as rf
from klachtdocs.rules.config import CONFIG_BESTAND, Config
from klachtdocs.rules.dutch import aantal, datum_kort
from klachtdocs.rules.kalender import GELIJKGESTELDE_DAGEN_TOT_EN_MET
from klachtdocs.rules.model import WAARSCHUWING, Klacht, Melding, Register
from klachtdocs.rules.termijnen import Termijnen

ONTVANGSTBEVESTIGING = "ontvangstbevestiging"
AFSCHRIFT = "afschrift"
AFWIJZING = "afwijzing"
VERDAGING = "verdaging"
AFSLUITING = "afsluiting"
KLACHTENFORMULIER = "klachtenformulier"
#: Every kind of document, in the order a pass makes them (the form comes last: it lists the rest).
SOORTEN = (ONTVANGSTBEVESTIGING, AFSCHRIFT, AFWIJZING, VERDAGING, AFSLUITING, KLACHTENFORMULIER)
BRIEVEN = SOORTEN[:-1]


@dataclass(frozen=True)
class Beoordeling:
    """What the procedure says about one klacht today."""

    status: str
    volgende_stap: str
    te_laat: tuple[str, ...]  # names of the terms that were or are exceeded
    afhandeling_deadline: date | None


def verdaging_te_laat(
    k: Klacht, t: Termijnen, gemaakt: dict[str, date], vandaag: date, brieven_vanaf: date
) -> bool:
    """Return whether *k*'s verdaging was (or will be, today) first made after the streefdatum.

    Art. 9.2 extends the term only by a verdaging made within it. When klachtdocs makes no
    letters for *k* (received before *brieven_vanaf*) the register is all there is: its
    verdaging counts as made in time.
    """
    if not k.verdaagd_tot or k.besluit == rf.NIET_IN_BEHANDELING or k.datum_ontvangst < brieven_vanaf:
        return False
    return (gemaakt.get(VERDAGING) or vandaag) > t.streefdatum_afhandeling


def afhandeling_deadline(k: Klacht, t: Termijnen, verdaging_geldig: bool = True) -> date:
    """Return the date by which *k* must be closed: the streefdatum, or the verdaging.

    A verdaging made after the streefdatum (*verdaging_geldig* False) does not move it.
    """
    if k.verdaagd_tot and k.besluit != rf.NIET_IN_BEHANDELING and verdaging_geldig:
        return min(k.verdaagd_tot, t.afhandeling_uiterlijk)
    return t.streefdatum_afhandeling


def afgesloten_bij_eerste_brief(k: Klacht, gemaakt: dict[str, date] | set[str]) -> bool:
    """Return whether *k* was already closed (afgehandeld or afgewezen) before its ontvangstbevestiging was made.

    Such a klacht (typed in after the fact) gets no ontvangstbevestiging and no verdaging
    that would promise what its afsluiting or afwijzing already contradicts: that letter
    acknowledges the receipt and carries the klachtenreglement instead (art. 5).
    """
    if ONTVANGSTBEVESTIGING in gemaakt:
        return False
    # Closed means its afwijzing or afsluiting can be made now: a Datum afgehandeld still
    # waiting for its Beslissing does not hold the ontvangstbevestiging back (art. 5).
    return k.besluit == rf.NIET_IN_BEHANDELING or bool(
        k.datum_afgehandeld and (k.beslissing or k.voortijdig_gesloten)
    )


def status(k: Klacht) -> str:
    """Return the status of *k* in a word or two."""
    if k.besluit == rf.NIET_IN_BEHANDELING:
        return "Niet in behandeling"
    if k.datum_afgehandeld:
        return "Voortijdig gesloten" if k.voortijdig_gesloten else "Afgehandeld"
    if k.verdaagd_tot:
        return "Verdaagd"
    if k.besluit == rf.IN_BEHANDELING:
        return "In behandeling"
    return "Ontvangen"


def verschuldigd(
    k: Klacht, t: Termijnen, brieven_vanaf: date, gemaakt: dict[str, date] | set[str] = frozenset()
) -> tuple[str, ...]:
    """Return the kinds of document *k* needs now, in the order they are made.

    *gemaakt* holds the kinds already made for *k* (see ``afgesloten_bij_eerste_brief``).
    """
    if k.heeft_fout or k.datum_ontvangst is None or k.datum_ontvangst < brieven_vanaf:
        return ()
    niet = k.besluit == rf.NIET_IN_BEHANDELING
    al_gesloten = afgesloten_bij_eerste_brief(k, gemaakt)
    due = []
    if k.klachtbehandelaar and not al_gesloten:
        due.append(ONTVANGSTBEVESTIGING)
    if k.afschrift:
        due.append(AFSCHRIFT)
    if niet:
        due.append(AFWIJZING)
    if (
        k.verdaagd_tot
        and not niet
        and k.verdaagd_tot <= t.afhandeling_uiterlijk
        and (not al_gesloten or VERDAGING in gemaakt)
    ):
        due.append(VERDAGING)
    if k.datum_afgehandeld and not niet and (k.beslissing or k.voortijdig_gesloten):
        due.append(AFSLUITING)
    due.append(KLACHTENFORMULIER)
    return tuple(due)


def te_laat(
    k: Klacht, t: Termijnen, gemaakt: dict[str, date], vandaag: date, brieven_vanaf: date
) -> tuple[str, ...]:
    """Return the terms *k* exceeded (letters by their first-made date, else by today)."""
    late = []

    def missed(soort: str, uiterlijk: date) -> bool:
        made = gemaakt.get(soort)
        return made > uiterlijk if made else vandaag > uiterlijk

    if k.datum_ontvangst >= brieven_vanaf:
        bevestigd = gemaakt.get(ONTVANGSTBEVESTIGING)
        if bevestigd is None and afgesloten_bij_eerste_brief(k, gemaakt):
            # The afwijzing or afsluiting acknowledged the receipt (see afgesloten_bij_eerste_brief).
            bevestigd = gemaakt.get(AFWIJZING if k.besluit == rf.NIET_IN_BEHANDELING else AFSLUITING)
        if (bevestigd or vandaag) > t.ontvangstbevestiging_uiterlijk:
            late.append("ontvangstbevestiging")
        if k.besluit == rf.NIET_IN_BEHANDELING and missed(AFWIJZING, t.afwijzing_uiterlijk):
            late.append("afwijzing")
        if verdaging_te_laat(k, t, gemaakt, vandaag, brieven_vanaf):
            late.append("verdaging (na de streefdatum)")
    if k.besluit != rf.NIET_IN_BEHANDELING:
        closed_on = k.datum_afgehandeld or vandaag
        geldig = not verdaging_te_laat(k, t, gemaakt, vandaag, brieven_vanaf)
        if closed_on > afhandeling_deadline(k, t, geldig):
            late.append("afhandeling")
    return tuple(late)


def volgende_stap(
    k: Klacht, t: Termijnen, vandaag: date, brieven_vanaf: date, verdaging_geldig: bool = True
) -> str:
    """Return the next thing the staff should do for *k*, in Dutch."""
    if k.heeft_fout:
        return "Herstel eerst de fouten op het blad Meldingen; tot dan worden er geen brieven gemaakt."
    voor = "" if k.datum_ontvangst >= brieven_vanaf else " (ontvangen vóór brieven_vanaf: geen brieven)"
    if k.besluit == rf.NIET_IN_BEHANDELING:
        return "Geen: de klacht is niet in behandeling genomen." + voor
    if k.datum_afgehandeld:
        if not (k.beslissing or k.voortijdig_gesloten):
            return "Vul de Beslissing in; de afsluitingsbrief wacht daarop." + voor
        return "Geen: de klacht is afgesloten. Archiveer conform het privacybeleid (art. 11)." + voor
    if not k.klachtbehandelaar:
        return (
            "Vul de Klachtbehandelaar in; de ontvangstbevestiging moet uiterlijk "
            f"{datum_kort(t.ontvangstbevestiging_uiterlijk)} verstuurd zijn.{voor}"
        )
    if not k.besluit:
        return (
            "Vul het Besluit in: 'niet in behandeling' kan tot en met "
            f"{datum_kort(t.afwijzing_uiterlijk)}, anders 'in behandeling'.{voor}"
        )
    deadline = afhandeling_deadline(k, t, verdaging_geldig)
    if vandaag > deadline:
        stap = (
            f"De termijn ({datum_kort(deadline)}) is verstreken: handel de klacht zo snel "
            "mogelijk af (Beslissing, Maatregelen en Datum afgehandeld)."
        )
        if not k.verdaagd_tot and vandaag <= t.afhandeling_uiterlijk:
            stap += (
                " Een verdaging die nu nog wordt ingevuld, telt als procedurele afwijking: "
                "verdagen moet vóór de streefdatum (art. 9.2)."
            )
        return stap + voor
    stap = (
        f"Handel de klacht af uiterlijk {datum_kort(deadline)}: vul Beslissing, Maatregelen "
        "en Datum afgehandeld in."
    )
    if not k.verdaagd_tot:
        stap += (
            " Lukt dat niet, verdaag dan vóór die datum (Verdaagd tot, uiterlijk "
            f"{datum_kort(t.afhandeling_uiterlijk)}, en Reden verdaging)."
        )
    return stap + voor


def beoordeel(
    k: Klacht, t: Termijnen | None, gemaakt: dict[str, date], vandaag: date, brieven_vanaf: date
) -> Beoordeling:
    """Return the Beoordeling of *k* on *vandaag*, given the first-made dates in *gemaakt*."""
    if t is None or k.datum_ontvangst is None:
        return Beoordeling(
            "Fout in register",
            volgende_stap(k, t, vandaag, brieven_vanaf) if k.heeft_fout else "",
            (),
            None,
        )
    geldig = not verdaging_te_laat(k, t, gemaakt, vandaag, brieven_vanaf)
    return Beoordeling(
        status="Fout in register" if k.heeft_fout else status(k),
        volgende_stap=volgende_stap(k, t, vandaag, brieven_vanaf, geldig),
        te_laat=te_laat(k, t, gemaakt, vandaag, brieven_vanaf),
        afhandeling_deadline=afhandeling_deadline(k, t, geldig),
    )


def voor_brieven_vanaf_meldingen(klachten: list[Klacht], brieven_vanaf: date) -> list[Melding]:
    """Return one waarschuwing naming the open klachten received before *brieven_vanaf* (they get no letters)."""
    open_ = [
        k.klachtnummer
        for k in klachten
        if not k.heeft_fout
        and k.datum_ontvangst is not None
        and k.datum_ontvangst < brieven_vanaf
        and not afgesloten_bij_eerste_brief(k, ())
    ]
    if not open_:
        return []
    namen = ", ".join(open_[:10]) + (f" en {len(open_) - 10} andere" if len(open_) > 10 else "")
    zijn = "is" if len(open_) == 1 else "zijn"
    return [
        Melding(
            WAARSCHUWING,
            f"{aantal(len(open_), 'open klacht', 'open klachten')} {zijn} ontvangen "
            f"vóór brieven_vanaf ({datum_kort(brieven_vanaf)}): {namen}. klachtdocs maakt daarvoor "
            "geen brieven. Stuur de ontvangstbevestiging en de andere brieven zelf, of zet "
            "brieven_vanaf in klachtdocs.toml op een eerdere datum als klachtdocs ze moet maken.",
            None,
            "",
            "",
            "klachtdocs",
        )
    ]


def kalender_meldingen(jaren: set[int], vandaag: date) -> list[Melding]:
    """Return one waarschuwing when a deadline (or today) falls in a year the gelijkgestelde dagen do not cover.

    *jaren* holds the years of the klachten's last deadlines (Afhandeling uiterlijk).
    """
    buiten = sorted(j for j in {*jaren, vandaag.year} if j > GELIJKGESTELDE_DAGEN_TOT_EN_MET)
    if not buiten:
        return []
    lijst = buiten[0] if len(buiten) == 1 else ", ".join(map(str, buiten[:-1])) + f" en {buiten[-1]}"
    return [
        Melding(
            WAARSCHUWING,
            f"Er vallen termijnen in {lijst}, maar de tabel met gelijkgestelde "
            "dagen (Algemene termijnenwet art. 3 lid 3) loopt tot en met "
            f"{GELIJKGESTELDE_DAGEN_TOT_EN_MET}. Voeg de gelijkgestelde dagen van {lijst} (het "
            "Besluit gelijkstelling in de Staatscourant) toe aan GELIJKGESTELDE_DAGEN in "
            "klachtdocs/rules/kalender.py, of werk klachtdocs bij; tot dan kan een termijn op zo'n dag "
            "vallen.",
            None,
            "",
            "",
            "klachtdocs",
        )
    ]


VOORBEELD_ORGANISATIE = {
    "adres": "Voorbeeldstraat 1",
    "postcode_plaats": "1234 AB Voorbeeldstad",
    "plaats": "Voorbeeldstad",
}


def plaatsvervangers(config: Config, register: Register | None = None) -> list[Melding]:
    """Return a waarschuwing for each example value still in place: the config's address, no Medewerkers."""
    meldingen = []
    org = config.organisatie
    nog = [
        sleutel for sleutel, voorbeeld in VOORBEELD_ORGANISATIE.items() if getattr(org, sleutel) == voorbeeld
    ]
    if nog:
        meldingen.append(
            Melding(
                WAARSCHUWING,
                f"In {CONFIG_BESTAND} staat onder [organisatie] "
                f"nog het voorbeeld bij {', '.join(nog)} ({getattr(org, nog[0])}); dat komt zo in het "
                "briefhoofd van elke brief. Vul het echte adres van de organisatie in.",
                None,
                "",
                "",
                CONFIG_BESTAND,
            )
        )
    if (
        register is not None
        and not register.medewerkers
        and not any(m.blad == rf.BLAD_MEDEWERKERS for m in register.meldingen)
    ):
        meldingen.append(
            Melding(
                WAARSCHUWING,
                f"Het blad {rf.BLAD_MEDEWERKERS} is leeg; de brieven noemen "
                "daarom bij elke klachtbehandelaar de algemene contactgegevens (art. 5). Vul per "
                "klachtbehandelaar Naam, Functie, E-mailadres en Telefoonnummer in.",
                None,
                "",
                "",
                rf.BLAD_MEDEWERKERS,
            )
        )
    return meldingen
