from dataclasses import replace
from datetime import date

from klachtdocs.rules import procedure as p
from klachtdocs.rules.kalender import Kalender
from klachtdocs.rules.model import Klacht
from klachtdocs.rules.termijnen import bereken

VANAF = date(2026, 1, 1)
ONTVANGEN = date(2026, 11, 2)
T = bereken(ONTVANGEN, Kalender())


def klacht(**velden) -> Klacht:
    basis = {
        "rij": 2,
        "klachtnummer": "K1",
        "datum_ontvangst": ONTVANGEN,
        "naam_indiener": "A",
        "email": "a@x",
        "contactpersoon": "B",
        "datum_voorval": date(2026, 10, 1),
        "omschrijving": "C",
        "klachtbehandelaar": "D",
    }
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


def test_open_klachten_van_voor_brieven_vanaf_krijgen_een_waarschuwing():
    vanaf = date(2026, 11, 3)
    open_, gesloten = (
        klacht(klachtnummer="K-open"),
        klacht(klachtnummer="K-dicht", beslissing="x", datum_afgehandeld=date(2026, 11, 2)),
    )
    fout, later = (
        klacht(klachtnummer="K-fout", heeft_fout=True),
        klacht(klachtnummer="K-later", datum_ontvangst=vanaf),
    )
    (m,) = p.voor_brieven_vanaf_meldingen([open_, gesloten, fout, later], vanaf)
    assert m.tekst.startswith(
        "1 open klacht is ontvangen vóór brieven_vanaf (03-11-2026): K-open. klachtdocs "
        "maakt daarvoor geen brieven."
    )
    veel = [klacht(klachtnummer=f"K{i}") for i in range(12)]
    (m,) = p.voor_brieven_vanaf_meldingen(veel, vanaf)
    assert m.tekst.startswith("12 open klachten zijn ontvangen") and "K9 en 2 andere." in m.tekst
    assert p.voor_brieven_vanaf_meldingen([later, gesloten], vanaf) == []


def test_brieven_wachten_op_wat_ze_nodig_hebben():
    assert p.ONTVANGSTBEVESTIGING not in p.verschuldigd(klacht(klachtbehandelaar=""), T, VANAF)
    zonder_beslissing = klacht(datum_afgehandeld=date(2026, 11, 20))
    assert p.AFSLUITING not in p.verschuldigd(zonder_beslissing, T, VANAF)
    te_ver = klacht(
        verdaagd_tot=T.afhandeling_uiterlijk.replace(day=T.afhandeling_uiterlijk.day + 1), reden_verdaging="r"
    )
    assert p.VERDAGING not in p.verschuldigd(te_ver, T, VANAF)
    niet_verdaagd = klacht(besluit="niet in behandeling", grond="g", verdaagd_tot=date(2026, 12, 1))
    assert p.VERDAGING not in p.verschuldigd(niet_verdaagd, T, VANAF)


def test_te_laat_op_datum_van_eerste_brief_of_vandaag():
    k = klacht()
    assert p.te_laat(k, T, {p.ONTVANGSTBEVESTIGING: date(2026, 11, 4)}, date(2026, 11, 5), VANAF) == ()
    assert p.te_laat(k, T, {p.ONTVANGSTBEVESTIGING: date(2026, 11, 5)}, date(2026, 11, 5), VANAF) == (
        "ontvangstbevestiging",
    )
    assert p.te_laat(k, T, {}, date(2026, 11, 5), VANAF) == ("ontvangstbevestiging",)
    # Not closed after the streefdatum (30 Nov) and not verdaagd: afhandeling is late.
    assert "afhandeling" in p.te_laat(k, T, {}, date(2026, 12, 1), VANAF)
    verdaagd = klacht(verdaagd_tot=date(2026, 12, 14), reden_verdaging="r")
    op_tijd = {p.ONTVANGSTBEVESTIGING: ONTVANGEN, p.VERDAGING: date(2026, 11, 27)}
    assert p.te_laat(verdaagd, T, op_tijd, date(2026, 12, 1), VANAF) == ()


def test_status_en_volgende_stap():
    assert p.status(klacht()) == "Ontvangen"
    assert p.status(klacht(besluit="in behandeling")) == "In behandeling"
    assert p.status(klacht(verdaagd_tot=date(2026, 12, 1))) == "Verdaagd"
    assert p.status(klacht(datum_afgehandeld=date(2026, 12, 1))) == "Afgehandeld"
    assert (
        p.status(klacht(datum_afgehandeld=date(2026, 12, 1), voortijdig_gesloten=True))
        == "Voortijdig gesloten"
    )
    assert p.volgende_stap(klacht(), T, date(2026, 11, 3), VANAF) == (
        "Vul het Besluit in: 'niet in behandeling' kan tot en met 23-11-2026, anders 'in behandeling'."
    )
    stap = p.volgende_stap(klacht(besluit="in behandeling"), T, date(2026, 11, 3), VANAF)
    assert stap.startswith("Handel de klacht af uiterlijk 30-11-2026")
    assert "uiterlijk 28-12-2026" in stap


def test_volgende_stap_na_verstreken_termijn():
    stap = p.volgende_stap(klacht(besluit="in behandeling"), T, date(2026, 12, 2), VANAF)
    assert stap == (
        "De termijn (30-11-2026) is verstreken: handel de klacht zo snel mogelijk af "
        "(Beslissing, Maatregelen en Datum afgehandeld). Een verdaging die nu nog wordt "
        "ingevuld, telt als procedurele afwijking: verdagen moet vóór de streefdatum (art. 9.2)."
    )


def test_verdaging_na_de_streefdatum_is_een_procedurele_afwijking():
    """A verdaging first made after the streefdatum (30 Nov) does not erase the lateness (art. 9.2)."""
    verdaagd = klacht(besluit="in behandeling", verdaagd_tot=date(2026, 12, 14), reden_verdaging="r")
    ob = {p.ONTVANGSTBEVESTIGING: ONTVANGEN}
    # Typed in on 1 December, letter made that day: late, and the term stays the streefdatum.
    laat = p.beoordeel(verdaagd, T, ob, date(2026, 12, 1), VANAF)
    assert laat.te_laat == ("verdaging (na de streefdatum)", "afhandeling")
    assert laat.afhandeling_deadline == T.streefdatum_afhandeling
    assert p.beoordeel(
        verdaagd, T, ob | {p.VERDAGING: date(2026, 12, 1)}, date(2026, 12, 3), VANAF
    ).te_laat == ("verdaging (na de streefdatum)", "afhandeling")
    # Made on the streefdatum itself: in time, the verdaging is the deadline.
    tijdig = p.beoordeel(verdaagd, T, ob | {p.VERDAGING: date(2026, 11, 30)}, date(2026, 12, 3), VANAF)
    assert tijdig.te_laat == () and tijdig.afhandeling_deadline == date(2026, 12, 14)
    # Closed within the verdaging, but the verdaging itself was late: still a deviation.
    dicht = replace(verdaagd, beslissing="x", datum_afgehandeld=date(2026, 12, 10))
    assert "verdaging (na de streefdatum)" in p.te_laat(
        dicht, T, ob | {p.VERDAGING: date(2026, 12, 2)}, date(2026, 12, 10), VANAF
    )


def test_al_gesloten_klacht_krijgt_geen_ontvangstbevestiging():
    """A klacht typed in after it was closed: the afsluiting or afwijzing acknowledges it (art. 5)."""
    dicht = klacht(
        besluit="in behandeling",
        beslissing="x",
        datum_afgehandeld=date(2026, 11, 20),
        verdaagd_tot=date(2026, 12, 14),
        reden_verdaging="r",
    )
    assert p.verschuldigd(dicht, T, VANAF, {}) == (p.AFSLUITING, p.KLACHTENFORMULIER)
    niet = klacht(besluit="niet in behandeling", grond="ouder dan een jaar (art. 6.2b)")
    assert p.verschuldigd(niet, T, VANAF, {}) == (p.AFWIJZING, p.KLACHTENFORMULIER)
    # Acknowledged before it was closed: the normal route.
    eerder = {p.ONTVANGSTBEVESTIGING: ONTVANGEN}
    assert p.verschuldigd(niet, T, VANAF, eerder) == (
        p.ONTVANGSTBEVESTIGING,
        p.AFWIJZING,
        p.KLACHTENFORMULIER,
    )
    # The afwijzing made on time counts as the ontvangstbevestiging's date.
    assert p.te_laat(niet, T, {p.AFWIJZING: ONTVANGEN}, date(2026, 11, 10), VANAF) == ()
