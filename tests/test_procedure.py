from datetime import date

from klachtdocs import procedure as p
from klachtdocs.kalender import Kalender
from klachtdocs.model import Klacht
from klachtdocs.termijnen import bereken

VANAF = date(2026, 1, 1)
ONTVANGEN = date(2026, 11, 2)
T = bereken(ONTVANGEN, Kalender())


def klacht(**velden) -> Klacht:
    basis = {"rij": 2, "klachtnummer": "K1", "datum_ontvangst": ONTVANGEN, "naam_indiener": "A",
             "email": "a@x", "contactpersoon": "B", "datum_voorval": date(2026, 10, 1),
             "omschrijving": "C", "klachtbehandelaar": "D"}  # fmt: skip
    return Klacht(**(basis | velden))


def test_nieuwe_klacht_krijgt_ontvangstbevestiging_en_formulier():
    assert p.verschuldigd(klacht(), T, VANAF) == (p.ONTVANGSTBEVESTIGING, p.KLACHTENFORMULIER)


def test_elke_route_van_het_reglement():
    niet = klacht(besluit="niet in behandeling", grond="ouder dan een jaar (art. 6.2b)")
    assert p.AFWIJZING in p.verschuldigd(niet, T, VANAF)
    verdaagd = klacht(besluit="in behandeling", verdaagd_tot=date(2026, 12, 14), reden_verdaging="r")
    assert p.VERDAGING in p.verschuldigd(verdaagd, T, VANAF)
    gesloten = klacht(besluit="in behandeling", beslissing="x", datum_afgehandeld=date(2026, 11, 20))
    assert p.AFSLUITING in p.verschuldigd(gesloten, T, VANAF)
    voortijdig = klacht(voortijdig_gesloten=True, datum_afgehandeld=date(2026, 11, 20))
    assert p.AFSLUITING in p.verschuldigd(voortijdig, T, VANAF)
    assert p.AFSCHRIFT in p.verschuldigd(klacht(afschrift=True), T, VANAF)


def test_geen_documenten_bij_fout_of_voor_brieven_vanaf():
    assert p.verschuldigd(klacht(heeft_fout=True), T, VANAF) == ()
    assert p.verschuldigd(klacht(), T, date(2026, 11, 3)) == ()


def test_brieven_wachten_op_wat_ze_nodig_hebben():
    assert p.ONTVANGSTBEVESTIGING not in p.verschuldigd(klacht(klachtbehandelaar=""), T, VANAF)
    zonder_beslissing = klacht(datum_afgehandeld=date(2026, 11, 20))
    assert p.AFSLUITING not in p.verschuldigd(zonder_beslissing, T, VANAF)
    te_ver = klacht(verdaagd_tot=T.afhandeling_uiterlijk.replace(day=T.afhandeling_uiterlijk.day + 1),
                    reden_verdaging="r")  # fmt: skip
    assert p.VERDAGING not in p.verschuldigd(te_ver, T, VANAF)
    niet_verdaagd = klacht(besluit="niet in behandeling", grond="g", verdaagd_tot=date(2026, 12, 1))
    assert p.VERDAGING not in p.verschuldigd(niet_verdaagd, T, VANAF)


def test_te_laat_op_datum_van_eerste_brief_of_vandaag():
    k = klacht()
    assert p.te_laat(k, T, {p.ONTVANGSTBEVESTIGING: date(2026, 11, 4)}, date(2026, 11, 5), VANAF) == ()
    assert p.te_laat(k, T, {p.ONTVANGSTBEVESTIGING: date(2026, 11, 5)}, date(2026, 11, 5), VANAF) == (
        "ontvangstbevestiging",)
    assert p.te_laat(k, T, {}, date(2026, 11, 5), VANAF) == ("ontvangstbevestiging",)
    # Not closed after the streefdatum (30 Nov) and not verdaagd: afhandeling is late.
    assert "afhandeling" in p.te_laat(k, T, {}, date(2026, 12, 1), VANAF)
    verdaagd = klacht(verdaagd_tot=date(2026, 12, 14), reden_verdaging="r")
    assert "afhandeling" not in p.te_laat(verdaagd, T, {}, date(2026, 12, 1), VANAF)


def test_status_en_volgende_stap():
    assert p.status(klacht()) == "Ontvangen"
    assert p.status(klacht(besluit="in behandeling")) == "In behandeling"
    assert p.status(klacht(verdaagd_tot=date(2026, 12, 1))) == "Verdaagd"
    assert p.status(klacht(datum_afgehandeld=date(2026, 12, 1))) == "Afgehandeld"
    assert p.status(klacht(datum_afgehandeld=date(2026, 12, 1), voortijdig_gesloten=True)) == "Voortijdig gesloten"
    assert p.volgende_stap(klacht(), T, date(2026, 11, 3), VANAF) == (
        "Vul het Besluit in: 'niet in behandeling' kan tot en met 23-11-2026, anders 'in behandeling'.")
    stap = p.volgende_stap(klacht(besluit="in behandeling"), T, date(2026, 11, 3), VANAF)
    assert stap.startswith("Handel de klacht af uiterlijk 30-11-2026")
    assert "uiterlijk 28-12-2026" in stap


def test_volgende_stap_na_verstreken_termijn():
    stap = p.volgende_stap(klacht(besluit="in behandeling"), T, date(2026, 12, 2), VANAF)
    assert stap == ("De termijn (30-11-2026) is verstreken: handel de klacht zo snel mogelijk af "
                    "(Beslissing, Maatregelen en Datum afgehandeld). Verdagen kan nog tot uiterlijk "
                    "28-12-2026 (Verdaagd tot en Reden verdaging).")
