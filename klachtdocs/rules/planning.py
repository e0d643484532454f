"""Decide which documents a klacht needs now, from its row, its record of documents made and today; pure."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from pathlib import PurePosixPath

from klachtdocs.rules import brieven
from klachtdocs.rules import procedure as p
from klachtdocs.rules import register as rf
from klachtdocs.rules.brieven import VLUCHTIG
from klachtdocs.rules.config import Config
from klachtdocs.rules.model import Document, Klacht, Register
from klachtdocs.rules.termijnen import Termijnen


@dataclass(frozen=True)
class Opdracht:
    """A document to make: which klacht, which kind, which version, from what."""

    klachtnummer: str
    soort: str
    versie: int
    context: dict
    variabelen: dict[str, str]
    reden: str


def waarde_hash(value: object) -> str:
    """Return a short, stable hash of a context value."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def hashes(context: dict, namen: set[str] | frozenset[str]) -> dict[str, str]:
    """Return name -> hash of the value in *context*, for *namen* present in it."""
    return {n: waarde_hash(context[n]) for n in sorted(namen) if n in context}


def gewijzigde_variabelen(context: dict, vorige: Document | None) -> list[str]:
    """Return the variables the previous version used whose value in *context* changed."""
    if vorige is None:
        return []
    return sorted(n for n, h in vorige.variabelen.items() if n in context and waarde_hash(context[n]) != h)


def plan(
    klachtnummer: str,
    soort: str,
    context: dict,
    sjabloon_variabelen: frozenset[str],
    vorige: Document | None,
    gewijzigd: list[str],
) -> Opdracht | None:
    """Return the Opdracht for this document, or None when the existing version still holds.

    A new version is due only when a value that the previous version *used* has changed
    (*gewijzigd*, from ``gewijzigde_variabelen``); editing a template, or changing the
    organisation's address, makes nothing new.
    """
    if vorige is not None and not gewijzigd:
        return None
    reden = "gewijzigd: " + ", ".join(gewijzigd) if vorige is not None else "nieuw"
    versie = vorige.versie + 1 if vorige is not None else 1
    namen = (sjabloon_variabelen & context.keys()) - VLUCHTIG
    return Opdracht(klachtnummer, soort, versie, context, hashes(context, namen), reden)


@dataclass(frozen=True)
class KlachtRecord:
    """What the record of documents made holds for one klacht: per kind, its versions, oldest first."""

    versions: Mapping[str, tuple[Document, ...]]

    def latest(self, soort: str) -> Document | None:
        """Return the newest version of *soort*, or None."""
        found = self.versions.get(soort)
        return found[-1] if found else None

    def first_made(self) -> dict[str, date]:
        """Return letter kind -> the date its first version was made."""
        return {s: found[0].gemaakt_op.date() for s in p.BRIEVEN if (found := self.versions.get(s))}

    def bestanden(self) -> set[str]:
        """Return the paths of the documents recorded."""
        return {d.bestand for found in self.versions.values() for d in found}

    def met(self, docs: Iterable[Document]) -> KlachtRecord:
        """Return this record with *docs* added, each in version order."""
        versies = {s: list(found) for s, found in self.versions.items()}
        for doc in docs:
            versies.setdefault(doc.soort, []).append(doc)
        return KlachtRecord(
            {s: tuple(sorted(found, key=attrgetter("versie"))) for s, found in versies.items()}
        )


@dataclass(frozen=True)
class Due:
    """A document a klacht needs now: its kind, the context to render, the version it follows and why."""

    soort: str
    context: dict
    vorige: Document | None
    gewijzigd: list[str]


def context(
    soort: str,
    k: Klacht,
    t: Termijnen,
    record: KlachtRecord,
    config: Config,
    register: Register,
    vandaag: date,
) -> dict:
    """Return the template context of *soort* for *k*; a klachtenformulier lists the letters in *record*."""
    brieflijst = []
    if soort == p.KLACHTENFORMULIER:
        brieflijst = [
            {
                "soort": d.soort,
                "versie": d.versie,
                "bestand": PurePosixPath(d.bestand).name,
                "gemaakt_op": d.gemaakt_op.strftime("%d-%m-%Y %H:%M"),
            }
            for s in p.BRIEVEN
            for d in record.versions.get(s, ())
        ]
    return brieven.context(
        soort,
        k,
        t,
        config,
        register.medewerkers.get(rf.fold_key(k.klachtbehandelaar)),
        vandaag,
        register.contactmomenten.get(k.klachtnummer, []),
        brieflijst,
        record.first_made(),
    )


def due(
    k: Klacht,
    t: Termijnen,
    verschuldigd: tuple[str, ...],
    record: KlachtRecord,
    config: Config,
    register: Register,
    vandaag: date,
) -> list[Due]:
    """Return the documents of the kinds in *verschuldigd* that *k* needs made now, given its *record*.

    A kind needs a document when none was made, or when a value its newest version used has
    changed; the klachtenformulier gets at most one new version a day.
    """
    result = []
    for soort in verschuldigd:
        ctx = context(soort, k, t, record, config, register, vandaag)
        vorige = record.latest(soort)
        gewijzigd = gewijzigde_variabelen(ctx, vorige)
        if vorige is not None and not gewijzigd:
            continue  # the common case: decided without loading the template
        if soort == p.KLACHTENFORMULIER and vorige is not None and vorige.gemaakt_op.date() == vandaag:
            continue  # the working form gets at most one new version a day: the rest waits
        result.append(Due(soort, ctx, vorige, gewijzigd))
    return result
