"""Decide whether a document needs a (new) version, from its context and the journal; pure."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from klachtdocs.brieven import VLUCHTIG
from klachtdocs.journaal import Document


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


def plan(klachtnummer: str, soort: str, context: dict, sjabloon_variabelen: frozenset[str] | None,
         vorige: Document | None) -> Opdracht | None:  # fmt: skip
    """Return the Opdracht for this document, or None when the existing version still holds.

    A new version is due only when a value that the previous version *used* has changed;
    editing a template, or changing the organisation's address, makes nothing new.
    *sjabloon_variabelen* may be None when no new version can be due.
    """
    if vorige is not None:
        changed = [n for n, h in vorige.variabelen.items() if n in context and waarde_hash(context[n]) != h]
        if not changed:
            return None
        reden = "gewijzigd: " + ", ".join(sorted(changed))
        versie = vorige.versie + 1
    else:
        reden, versie = "nieuw", 1
    if sjabloon_variabelen is None:
        raise ValueError("sjabloon_variabelen is needed to plan a new version")
    namen = (sjabloon_variabelen & context.keys()) - VLUCHTIG
    return Opdracht(klachtnummer, soort, versie, context, hashes(context, namen), reden)


def moet_gemaakt(context: dict, vorige: Document | None) -> bool:
    """Return True when a new version is due (no template needed to decide that)."""
    if vorige is None:
        return True
    return any(n in context and waarde_hash(context[n]) != h for n, h in vorige.variabelen.items())
