from datetime import date, timedelta

import pytest

from klachtdocs.rules.kalender import Kalender, feestdagen
from klachtdocs.rules.termijnen import bereken

VERWACHT = {
    2025: [
        date(2025, 1, 1),
        date(2025, 4, 18),
        date(2025, 4, 21),
        date(2025, 4, 26),
        date(2025, 5, 5),
        date(2025, 5, 29),
        date(2025, 5, 30),
        date(2025, 6, 9),
        date(2025, 12, 25),
        date(2025, 12, 26),
    ],
    2026: [
        date(2026, 1, 1),
        date(2026, 1, 2),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 4, 27),
        date(2026, 5, 5),
        date(2026, 5, 14),
        date(2026, 5, 15),
        date(2026, 5, 25),
        date(2026, 12, 25),
        date(2026, 12, 26),
    ],
    2027: [
        date(2027, 1, 1),
        date(2027, 3, 26),
        date(2027, 3, 29),
        date(2027, 4, 27),
        date(2027, 5, 5),
        date(2027, 5, 6),
        date(2027, 5, 7),
        date(2027, 5, 17),
        date(2027, 12, 25),
        date(2027, 12, 26),
    ],
}


@pytest.mark.parametrize("year", sorted(VERWACHT))
def test_feestdagen_van_de_algemene_termijnenwet(year):
    assert sorted(feestdagen(year)) == VERWACHT[year]


def test_koningsdag_op_zondag_wordt_zaterdag_26_april():
    assert feestdagen(2025)[date(2025, 4, 26)] == "Koningsdag"
    assert date(2025, 4, 27) not in feestdagen(2025)


def test_5_mei_is_elk_jaar_een_feestdag():
    for year in range(2025, 2031):
        assert not Kalender().is_werkdag(date(year, 5, 5))


def test_werkdagen_slaan_weekend_feestdagen_en_sluitingsdagen_over():
    k = Kalender([date(2026, 12, 24)])
    assert k.is_werkdag(date(2026, 12, 23))
    assert not k.is_werkdag(date(2026, 12, 24))  # sluitingsdag
    assert k.reden_geen_werkdag(date(2026, 12, 25)) == "eerste Kerstdag"
    assert k.reden_geen_werkdag(date(2026, 12, 27)) == "zondag"
    # Wednesday 23 Dec: the 2nd werkdag after is Monday 28 Dec (24 closed, 25/26 Christmas).
    assert k.plus_werkdagen(date(2026, 12, 23), 2) == date(2026, 12, 29)
    assert Kalender().plus_werkdagen(date(2026, 12, 23), 2) == date(2026, 12, 28)


def test_ontvangstbevestiging_twee_werkdagen_de_dag_van_ontvangst_telt_niet():
    k = Kalender()
    assert bereken(date(2026, 11, 2), k).ontvangstbevestiging_uiterlijk == date(2026, 11, 4)
    # Received Thursday before Easter 2026: Good Friday and Easter Monday do not count.
    assert bereken(date(2026, 4, 2), k).ontvangstbevestiging_uiterlijk == date(2026, 4, 8)
    # Received on Saturday: Monday and Tuesday.
    assert bereken(date(2026, 11, 7), k).ontvangstbevestiging_uiterlijk == date(2026, 11, 10)
    # Received the day before Hemelvaart 2026: Thursday 14 and Friday 15 May (gelijkgesteld) skip.
    assert bereken(date(2026, 5, 13), k).ontvangstbevestiging_uiterlijk == date(2026, 5, 19)


def test_weektermijnen_schuiven_naar_de_volgende_werkdag():
    k = Kalender()
    t = bereken(date(2026, 4, 14), k)  # +3 weeks = 5 May 2026 (feestdag) -> 6 May
    assert t.afwijzing_uiterlijk == date(2026, 5, 6)
    assert t.streefdatum_afhandeling == date(2026, 5, 12)
    assert t.afhandeling_uiterlijk == date(2026, 6, 9)
    t = bereken(date(2026, 4, 17), k)  # +4 weeks = 15 May 2026 (gelijkgesteld) -> 18 May
    assert t.streefdatum_afhandeling == date(2026, 5, 18)
    t = bereken(date(2026, 12, 5), k)  # a Saturday + 3 weeks = Saturday 26 Dec -> Monday 28 Dec
    assert t.afwijzing_uiterlijk == date(2026, 12, 28)


def test_een_jaar_is_een_kalenderjaar_terug_nooit_verlengd():
    assert bereken(date(2026, 3, 2), Kalender()).grens_een_jaar == date(2025, 3, 2)
    assert bereken(date(2028, 2, 29), Kalender()).grens_een_jaar == date(2027, 2, 28)
    # A Sunday a year back stays that Sunday.
    assert bereken(date(2026, 6, 7), Kalender()).grens_een_jaar == date(2025, 6, 7)


def test_werkdagen_tussen():
    assert Kalender().werkdagen_tussen(date(2026, 11, 2), date(2026, 11, 9)) == 5
    assert Kalender().werkdagen_tussen(date(2026, 11, 9), date(2026, 11, 2)) == 0


def test_the_analysis_takes_its_deadlines_from_bereken_every_day():
    """The monthly analysis and the letters never disagree on a deadline: both use bereken."""
    from klachtdocs.analysis.figures import klachtenframe
    from klachtdocs.rules.model import Klacht

    kalender = Kalender([date(2026, 12, 24), date(2027, 5, 7)])
    days = [date(2022, 12, 1) + timedelta(days=i) for i in range(365 * 6)]
    klachten = [Klacht(rij=i + 2, klachtnummer=f"K{i}", datum_ontvangst=d) for i, d in enumerate(days)]
    df = klachtenframe(klachten, {}, kalender, days[0])
    for day, rij in zip(days, df.to_dict("records"), strict=True):
        t = bereken(day, kalender)
        assert rij["ob_uiterlijk"].date() == t.ontvangstbevestiging_uiterlijk, day
        assert rij["afw_uiterlijk"].date() == t.afwijzing_uiterlijk, day
        assert rij["afh_uiterlijk"].date() == t.streefdatum_afhandeling, day
