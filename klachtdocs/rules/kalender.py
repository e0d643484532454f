"""Werkdagen under the Algemene termijnenwet, plus NextBest's own sluitingsdagen."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

from dateutil.easter import easter

# Days equated with algemeen erkende feestdagen by Royal Decree under art. 3(3)
# Algemene termijnenwet. They cannot be computed: each decree is published in the
# Staatscourant and usually covers three years. Add the next decree here when it
# appears (search the Staatscourant for "Besluit gelijkstelling ... met een
# algemeen erkende feestdag").
GELIJKGESTELDE_DAGEN: dict[date, str] = {
    # Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024,
    # 27 december 2024 en 30 mei 2025 met een algemeen erkende feestdag.
    date(2023, 4, 28): "gelijkgestelde dag (vrijdag na Koningsdag)",
    date(2023, 5, 19): "gelijkgestelde dag (vrijdag na Hemelvaartsdag)",
    date(2024, 5, 10): "gelijkgestelde dag (vrijdag na Hemelvaartsdag)",
    date(2024, 12, 27): "gelijkgestelde dag (vrijdag na Kerstmis)",
    date(2025, 5, 30): "gelijkgestelde dag (vrijdag na Hemelvaartsdag)",
    # Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027,
    # 28 april 2028 en 26 mei 2028 met een algemeen erkende feestdag.
    date(2026, 1, 2): "gelijkgestelde dag (vrijdag na Nieuwjaarsdag)",
    date(2026, 5, 15): "gelijkgestelde dag (vrijdag na Hemelvaartsdag)",
    date(2027, 5, 7): "gelijkgestelde dag (vrijdag na Hemelvaartsdag)",
    date(2028, 4, 28): "gelijkgestelde dag (vrijdag na Koningsdag)",
    date(2028, 5, 26): "gelijkgestelde dag (vrijdag na Hemelvaartsdag)",
}
#: The last year the table above is known to cover; later years get a warning.
GELIJKGESTELDE_DAGEN_TOT_EN_MET = 2028


@lru_cache(maxsize=256)
def feestdagen(year: int) -> dict[date, str]:
    """Return the algemeen erkende feestdagen of art. 3 Atw in *year*, with names."""
    pasen = easter(year)
    koningsdag = date(year, 4, 27)
    if koningsdag.weekday() == 6:  # a Sunday: celebrated on Saturday the 26th
        koningsdag = date(year, 4, 26)
    days = {
        date(year, 1, 1): "Nieuwjaarsdag",
        pasen - timedelta(days=2): "Goede Vrijdag",
        pasen + timedelta(days=1): "tweede Paasdag",
        koningsdag: "Koningsdag",
        date(year, 5, 5): "5 mei",
        pasen + timedelta(days=39): "Hemelvaartsdag",
        pasen + timedelta(days=50): "tweede Pinksterdag",
        date(year, 12, 25): "eerste Kerstdag",
        date(year, 12, 26): "tweede Kerstdag",
    }
    days.update({d: n for d, n in GELIJKGESTELDE_DAGEN.items() if d.year == year})
    return days


class Kalender:
    """A calendar of werkdagen: Monday to Friday minus feestdagen and sluitingsdagen."""

    def __init__(self, sluitingsdagen: Iterable[date] = ()) -> None:
        self.sluitingsdagen = frozenset(sluitingsdagen)
        #: Datum ontvangst -> Termijnen, filled by termijnen.bereken.
        self.termijnen_cache: dict = {}

    def is_werkdag(self, day: date) -> bool:
        """Return True when *day* counts as a werkdag."""
        if day.weekday() >= 5 or day in self.sluitingsdagen:
            return False
        return day not in feestdagen(day.year)

    def reden_geen_werkdag(self, day: date) -> str | None:
        """Return why *day* is not a werkdag, or None when it is one."""
        if day.weekday() == 5:
            return "zaterdag"
        if day.weekday() == 6:
            return "zondag"
        naam = feestdagen(day.year).get(day)
        if naam:
            return naam
        if day in self.sluitingsdagen:
            return "sluitingsdag"
        return None

    def volgende_werkdag(self, day: date) -> date:
        """Return *day* when it is a werkdag, else the first werkdag after it."""
        while not self.is_werkdag(day):
            day += timedelta(days=1)
        return day

    def plus_werkdagen(self, day: date, n: int) -> date:
        """Return the n-th werkdag after *day*; *day* itself never counts."""
        while n > 0:
            day += timedelta(days=1)
            if self.is_werkdag(day):
                n -= 1
        return day

    def werkdagen_tussen(self, start: date, end: date) -> int:
        """Return the number of werkdagen after *start* up to and including *end*."""
        if end <= start:
            return 0
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_werkdag(day):
                count += 1
        return count
