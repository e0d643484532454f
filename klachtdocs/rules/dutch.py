"""Dutch text for dates and the parsing of dates typed as text."""

from __future__ import annotations

import re
from datetime import date, datetime

MAANDEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
#: The usual Dutch abbreviations (maart is "mrt", not "maa").
MAANDEN_KORT = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")

_DMY = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def aantal(n: int, enkelvoud: str, meervoud: str) -> str:
    """Return "1 rij" or "3 rijen": *n* with the noun in the right number."""
    return f"{n} {enkelvoud if n == 1 else meervoud}"


def datum_tekst(day: date | None) -> str:
    """Return *day* written as in a Dutch letter, "5 mei 2026"; "" for None."""
    if day is None:
        return ""
    return f"{day.day} {MAANDEN[day.month - 1]} {day.year}"


def datum_kort(day: date | None) -> str:
    """Return *day* as dd-mm-jjjj; "" for None."""
    return "" if day is None else f"{day.day:02d}-{day.month:02d}-{day.year}"


def datum_buiten_bereik(day: date, eerste: date, laatste: date) -> str:
    """Return the Dutch sentence saying that *day* lies outside *eerste*..*laatste*."""
    return (
        f"De datum {day.day:02d}-{day.month:02d}-{day.year:04d} ligt buiten de datums die klachtdocs "
        f"verwerkt ({eerste.year} tot en met {laatste.year}). Controleer het jaartal."
    )


def parse_datum_tekst(text: str) -> date | None:
    """Return the date in *text* (dd-mm-jjjj, d-m-jjjj or jjjj-mm-dd), or None."""
    text = text.strip()
    if m := _DMY.match(text):
        d, mth, y = (int(g) for g in m.groups())
    elif m := _YMD.match(text):
        y, mth, d = (int(g) for g in m.groups())
    else:
        return None
    try:
        return date(y, mth, d)
    except ValueError:
        return None


def als_datum(value: object) -> date | None:
    """Return *value* as a date when it is a date or datetime, else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None
