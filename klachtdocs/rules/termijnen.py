"""The regulation's deadlines for one klacht, computed from its Datum ontvangst."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from klachtdocs.rules.kalender import Kalender

ONTVANGSTBEVESTIGING_WERKDAGEN = 2  # art. 5
AFWIJZING_WEKEN = 3  # art. 6.3
AFHANDELING_WEKEN = 4  # art. 9.1 (streefdatum)
VERDAGING_MAX_WEKEN = 4  # art. 9.2


@dataclass(frozen=True)
class Termijnen:
    """The deadlines that follow from one Datum ontvangst."""

    datum_ontvangst: date
    ontvangstbevestiging_uiterlijk: date
    afwijzing_uiterlijk: date
    streefdatum_afhandeling: date
    afhandeling_uiterlijk: date
    grens_een_jaar: date  # a voorval before this date is older than a year (art. 6.2b)


def week_termijn(kalender: Kalender, start: date, weeks: int) -> date:
    """Return the end of a term of *weeks* weeks from *start* (Atw art. 1 applied)."""
    return kalender.volgende_werkdag(start + timedelta(weeks=weeks))


def bereken(datum_ontvangst: date, kalender: Kalender) -> Termijnen:
    """Return the Termijnen of a klacht received on *datum_ontvangst* (kept per Kalender and date)."""
    found = kalender.termijnen_cache.get(datum_ontvangst)
    if found is None:
        found = kalender.termijnen_cache[datum_ontvangst] = _bereken(datum_ontvangst, kalender)
    return found


def _bereken(datum_ontvangst: date, kalender: Kalender) -> Termijnen:
    return Termijnen(
        datum_ontvangst=datum_ontvangst,
        ontvangstbevestiging_uiterlijk=kalender.plus_werkdagen(
            datum_ontvangst, ONTVANGSTBEVESTIGING_WERKDAGEN
        ),
        afwijzing_uiterlijk=week_termijn(kalender, datum_ontvangst, AFWIJZING_WEKEN),
        streefdatum_afhandeling=week_termijn(kalender, datum_ontvangst, AFHANDELING_WEKEN),
        afhandeling_uiterlijk=week_termijn(
            kalender, datum_ontvangst, AFHANDELING_WEKEN + VERDAGING_MAX_WEKEN
        ),
        # A calendar year back, never extended; 29 February falls back to the 28th.
        grens_een_jaar=datum_ontvangst - relativedelta(years=1),
    )
