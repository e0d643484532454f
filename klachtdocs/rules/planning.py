"""Decide whether a document needs a (new) version, from its context and the journal; pure."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from klachtdocs.rules.brieven import VLUCHTIG
from klachtdocs.rules.model import Document


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
