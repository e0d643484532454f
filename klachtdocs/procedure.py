"""Decide, for one klacht, which documents are due, its status and the next step; no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from klachtdocs import registerformaat as rf
from klachtdocs.model import Klacht
from klachtdocs.nl import datum_kort
from klachtdocs.termijnen import Termijnen

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
    verschuldigd: tuple[str, ...]  # kinds of document due (made or still to make)
    te_laat: tuple[str, ...]  # names of the terms that were or are exceeded
    afhandeling_deadline: date | None


def afhandeling_deadline(k: Klacht, t: Termijnen) -> date:
    """Return the date by which *k* must be closed: the streefdatum, or the verdaging."""
    if k.verdaagd_tot and k.besluit != rf.NIET_IN_BEHANDELING:
        return min(k.verdaagd_tot, t.afhandeling_uiterlijk)
    return t.streefdatum_afhandeling


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


def verschuldigd(k: Klacht, t: Termijnen, brieven_vanaf: date) -> tuple[str, ...]:
    """Return the kinds of document *k* needs now, in the order they are made."""
    if k.heeft_fout or k.datum_ontvangst is None or k.datum_ontvangst < brieven_vanaf:
        return ()
    niet = k.besluit == rf.NIET_IN_BEHANDELING
    due = []
    if k.klachtbehandelaar:
        due.append(ONTVANGSTBEVESTIGING)
    if k.afschrift:
        due.append(AFSCHRIFT)
    if niet:
        due.append(AFWIJZING)
    if k.verdaagd_tot and not niet and k.verdaagd_tot <= t.afhandeling_uiterlijk:
        due.append(VERDAGING)
    if k.datum_afgehandeld and not niet and (k.beslissing or k.voortijdig_gesloten):
        due.append(AFSLUITING)
    due.append(KLACHTENFORMULIER)
    return tuple(due)


def te_laat(k: Klacht, t: Termijnen, gemaakt: dict[str, date], vandaag: date,
            brieven_vanaf: date) -> tuple[str, ...]:  # fmt: skip
    """Return the terms *k* exceeded (letters by their first-made date, else by today)."""
    late = []

    def missed(soort: str, uiterlijk: date) -> bool:
        made = gemaakt.get(soort)
        return made > uiterlijk if made else vandaag > uiterlijk

    if k.datum_ontvangst >= brieven_vanaf:
        if missed(ONTVANGSTBEVESTIGING, t.ontvangstbevestiging_uiterlijk):
            late.append("ontvangstbevestiging")
        if k.besluit == rf.NIET_IN_BEHANDELING and missed(AFWIJZING, t.afwijzing_uiterlijk):
            late.append("afwijzing")
    if k.besluit != rf.NIET_IN_BEHANDELING:
        closed_on = k.datum_afgehandeld or vandaag
        if closed_on > afhandeling_deadline(k, t):
            late.append("afhandeling")
    return tuple(late)


def volgende_stap(k: Klacht, t: Termijnen, vandaag: date, brieven_vanaf: date) -> str:
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
        return ("Vul de Klachtbehandelaar in; de ontvangstbevestiging moet uiterlijk "
                f"{datum_kort(t.ontvangstbevestiging_uiterlijk)} verstuurd zijn.{voor}")  # fmt: skip
    if not k.besluit:
        return ("Vul het Besluit in: 'niet in behandeling' kan tot en met "
                f"{datum_kort(t.afwijzing_uiterlijk)}, anders 'in behandeling'.{voor}")  # fmt: skip
    deadline = afhandeling_deadline(k, t)
    if vandaag > deadline:
        stap = (f"De termijn ({datum_kort(deadline)}) is verstreken: handel de klacht zo snel "
                "mogelijk af (Beslissing, Maatregelen en Datum afgehandeld).")  # fmt: skip
        if not k.verdaagd_tot and vandaag <= t.afhandeling_uiterlijk:
            stap += (" Verdagen kan nog tot uiterlijk "
                     f"{datum_kort(t.afhandeling_uiterlijk)} (Verdaagd tot en Reden verdaging).")  # fmt: skip
        return stap + voor
    stap = (f"Handel de klacht af uiterlijk {datum_kort(deadline)}: vul Beslissing, Maatregelen "
            "en Datum afgehandeld in.")  # fmt: skip
    if not k.verdaagd_tot:
        stap += (" Lukt dat niet, verdaag dan vóór die datum (Verdaagd tot, uiterlijk "
                 f"{datum_kort(t.afhandeling_uiterlijk)}, en Reden verdaging).")  # fmt: skip
    return stap + voor


def beoordeel(k: Klacht, t: Termijnen | None, gemaakt: dict[str, date], vandaag: date,
              brieven_vanaf: date) -> Beoordeling:  # fmt: skip
    """Return the Beoordeling of *k* on *vandaag*, given the first-made dates in *gemaakt*."""
    if t is None or k.datum_ontvangst is None:
        return Beoordeling("Fout in register", volgende_stap(k, t, vandaag, brieven_vanaf)
                           if k.heeft_fout else "", (), (), None)  # fmt: skip
    return Beoordeling(
        status="Fout in register" if k.heeft_fout else status(k),
        volgende_stap=volgende_stap(k, t, vandaag, brieven_vanaf),
        verschuldigd=verschuldigd(k, t, brieven_vanaf),
        te_laat=te_laat(k, t, gemaakt, vandaag, brieven_vanaf),
        afhandeling_deadline=afhandeling_deadline(k, t),
    )
