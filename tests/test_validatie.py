from datetime import date, datetime, timedelta

from klachtdocs.rules import register as rf
from klachtdocs.rules.kalender import Kalender
from klachtdocs.rules.model import FOUT, WAARSCHUWING
from klachtdocs.rules.validatie import valideer
from klachtdocs.storage.workbook import read_workbook
from tests.registers import klacht, register

VANDAAG = date(2026, 11, 24)


def check(rows, **kwargs):
    return valideer(read_workbook(register(rows, **kwargs)), Kalender(), VANDAAG)


def meldingen(reg, niveau=None):
    return [(m.rij, m.kolom, m.niveau) for m in reg.meldingen if niveau in (None, m.niveau)]


def test_een_geldige_rij_geeft_geen_meldingen():
    reg = check([klacht()])
    assert reg.meldingen == []
    k = reg.klachten[0]
    assert (k.klachtnummer, k.datum_ontvangst, k.rol_indiener) == ("K1", date(2026, 11, 2), "cliënt")


def test_verplichte_velden_van_art_4_2():
    rows = [
        klacht("K1", Naam_indiener=None),
        klacht("K2", E_mailadres=None),
        klacht("K3", Correspondentie_per_post="ja"),
        klacht("K4", Contactpersoon=None),
        klacht("K5", Datum_voorval=None),
        klacht("K6", Omschrijving="  "),
        klacht("K7", Datum_ontvangst=None),
        klacht(None),
    ]
    reg = check(rows)
    assert meldingen(reg, FOUT) == [
        (2, "Naam indiener", FOUT),
        (3, "E-mailadres", FOUT),
        (4, "Postadres", FOUT),
        (5, "Contactpersoon", FOUT),
        (6, "Datum voorval", FOUT),
        (7, "Omschrijving", FOUT),
        (8, "Datum ontvangst", FOUT),
        (9, "Klachtnummer", FOUT),
    ]
    assert all(k.heeft_fout for k in reg.klachten)
    telefoon_alleen = check([klacht(E_mailadres=None, Telefoonnummer="0612345678")])
    assert telefoon_alleen.fouten == []
    # ... but no letter can reach such an indiener: a waarschuwing until an e-mail or post address is there.
    assert meldingen(telefoon_alleen, WAARSCHUWING) == [(2, "E-mailadres", WAARSCHUWING)]
    assert "kunnen niet per e-mail of per post worden verstuurd" in telefoon_alleen.meldingen[0].tekst
    met_adres = check([klacht(E_mailadres=None, Telefoonnummer="0612345678", Postadres="Dorpsstraat 1")])
    assert meldingen(met_adres, WAARSCHUWING) == []


def test_melding_noemt_rij_kolom_wat_en_hoe():
    m = check([klacht(Datum_voorval="31-02-2026")]).meldingen[0]
    assert (m.rij, m.klachtnummer, m.kolom, m.niveau) == (2, "K1", "Datum voorval", FOUT)
    assert m.tekst == (
        "'31-02-2026' is geen datum. Typ de datum als dd-mm-jjjj (bijvoorbeeld "
        "05-04-2026) of kies een datum in Excel."
    )


def test_datums_als_excel_datum_en_als_tekst():
    rows = [
        klacht("K1", Datum_ontvangst="05-04-2026"),
        klacht("K2", Datum_ontvangst="5-4-2026"),
        klacht("K3", Datum_ontvangst="2026-04-05"),
        klacht("K4", Datum_ontvangst=datetime(2026, 4, 5, 9, 30)),
        klacht("K5", Datum_ontvangst="april 5"),
        klacht("K6", Datum_ontvangst=46000),
    ]
    reg = check(rows)
    assert [k.datum_ontvangst for k in reg.klachten[:4]] == [date(2026, 4, 5)] * 4
    assert meldingen(reg, FOUT) == [(6, "Datum ontvangst", FOUT), (7, "Datum ontvangst", FOUT)]
    assert "het getal 46000" in reg.fouten[1].tekst


def test_vocabulaires_hoofdletterongevoelig_en_client_zonder_trema():
    reg = check([klacht(Rol_indiener="CLIENT", Dienst="werkfit MAKEN", Besluit=" In behandeling ")])
    k = reg.klachten[0]
    assert (k.rol_indiener, k.dienst, k.besluit) == ("cliënt", "Werkfit maken", "in behandeling")
    fout = check([klacht(Dienst="Coaching")]).meldingen[0]
    assert fout.tekst == "'Coaching' is geen geldige waarde. Kies uit: Naar werk, Werkfit maken."


def test_samenhang_fouten():
    reg = check(
        [
            klacht("K1", Besluit="niet in behandeling"),
            klacht("K2", Verdaagd_tot=date(2026, 12, 10)),
            klacht("K3", Afschrift_aan_contactpersoon="misschien"),
        ]
    )
    assert meldingen(reg, FOUT) == [
        (2, "Grond niet in behandeling", FOUT),
        (3, "Reden verdaging", FOUT),
        (4, "Afschrift aan contactpersoon", FOUT),
    ]


def test_dubbel_klachtnummer_is_fout_voor_beide_rijen_ook_met_andere_hoofdletters():
    reg = check([klacht("K1"), klacht("k1"), klacht("K2")])
    assert meldingen(reg, FOUT) == [(2, "Klachtnummer", FOUT), (3, "Klachtnummer", FOUT)]
    assert [k.heeft_fout for k in reg.klachten] == [True, True, False]


def test_waarschuwingen():
    rows = [
        klacht("K1", Datum_voorval=date(2025, 11, 1)),  # > 1 year before 2 Nov 2026
        klacht("K2", Datum_ontvangst=date(2026, 12, 1), Datum_voorval=date(2026, 11, 30)),
        klacht("K3", Verdaagd_tot=date(2027, 1, 30), Reden_verdaging="drukte"),
        klacht("K4", Klachtbehandelaar="Onbekend Persoon"),
        klacht("K5", Naam_indiener="Piet", Datum_afgehandeld=date(2026, 11, 10), Beslissing="ok"),
        klacht("K6", Naam_indiener="piet ", Datum_ontvangst=date(2026, 11, 16)),
    ]
    reg = check(rows)
    assert meldingen(reg, WAARSCHUWING) == [
        (2, "Datum voorval", WAARSCHUWING),
        (3, "Datum ontvangst", WAARSCHUWING),
        (4, "Verdaagd tot", WAARSCHUWING),
        (5, "Klachtbehandelaar", WAARSCHUWING),
        (7, "Naam indiener", WAARSCHUWING),
    ]
    assert reg.fouten == []
    assert "K5" in reg.meldingen[-1].tekst and "6.2a" in reg.meldingen[-1].tekst


def test_ontbrekende_of_dubbele_kolom_is_een_fout_voor_het_hele_blad():
    kolommen = tuple(k for k in rf.KLACHTEN_KOLOMMEN if k != "Dienst") + ("Klachtnummer",)
    reg = check([klacht()], kolommen=kolommen)
    assert reg.structuur_fout
    assert [m.tekst for m in reg.meldingen] == [
        "De kolom 'Klachtnummer' staat meer dan eens in rij 1 (kolommen A en Y). Laat er één over.",
        "De kolom 'Dienst' ontbreekt in rij 1 van blad 'Klachten'. Voeg de kolomkop precies zo toe.",
    ]


def test_kolomkoppen_in_elke_volgorde_en_spelling():
    kolommen = tuple(reversed([k.upper().replace(" ", "  ") for k in rf.KLACHTEN_KOLOMMEN])) + ("Extra",)
    rows = [{k.upper().replace(" ", "  "): v for k, v in klacht().items()}]
    reg = check(rows, kolommen=kolommen)
    assert reg.meldingen == [] and reg.klachten[0].naam_indiener == "Jan Jansen"


def test_tekst_wordt_opgeschoond():
    reg = check([klacht(Omschrijving="regel 1\r\nregel 2\r  ", Klachtnummer=" K9 ")])
    k = reg.klachten[0]
    assert (k.klachtnummer, k.omschrijving) == ("K9", "regel 1\nregel 2")


def test_contactmomenten_en_medewerkers():
    reg = check(
        [klacht()],
        contactmomenten=[
            ("K1", date(2026, 11, 5), "telefoon", "Gebeld", ""),
            ("K99", date(2026, 11, 5), "mail", "", ""),
        ],
    )
    assert [c.soort for c in reg.contactmomenten["K1"]] == ["telefoon"]
    assert meldingen(reg) == [(3, "Klachtnummer", WAARSCHUWING)]
    assert reg.meldingen[0].blad == "Contactmomenten"
    assert "anouk de vries" in reg.medewerkers


def test_verdaagd_tot_voor_de_streefdatum_is_een_waarschuwing():
    # Received 2 Nov 2026: streefdatum 30 Nov. A verdaging to 20 Nov shortens the term.
    reg = check(
        [klacht("K1", Besluit="in behandeling", Verdaagd_tot=date(2026, 11, 20), Reden_verdaging="r")]
    )
    verkort = [m for m in reg.meldingen if m.kolom == "Verdaagd tot"]
    assert [(m.niveau, m.rij) for m in verkort] == [(WAARSCHUWING, 2)]
    assert "ligt vóór de streefdatum 30-11-2026" in verkort[0].tekst and "art. 9.2" in verkort[0].tekst
    goed = check(
        [klacht("K1", Besluit="in behandeling", Verdaagd_tot=date(2026, 12, 14), Reden_verdaging="r")]
    )
    assert not [m for m in goed.meldingen if m.kolom == "Verdaagd tot"]


def test_met_memo_hetzelfde_register_en_een_gewijzigde_cel_wordt_opnieuw_gelezen():
    kept: dict = {}
    gelezen: list = []

    def memo(key, compute):
        if key not in kept:
            gelezen.append(key)
            kept[key] = compute()
        return kept[key]

    rows = [
        klacht("K1"),
        klacht("K2", Verdaagd_tot=date(2026, 11, 10), Reden_verdaging="Ziek."),
        klacht("K3", Naam_indiener=None),
        klacht("k1"),
    ]

    def met_en_zonder(vandaag=VANDAAG):
        werkboek = read_workbook(register(rows))
        gelezen.clear()
        return valideer(werkboek, Kalender(), vandaag, memo=memo), valideer(werkboek, Kalender(), vandaag)

    met, zonder = met_en_zonder()
    assert met == zonder and met.meldingen and met.termijnen.keys() == {2, 3, 4, 5}
    assert met.termijnen[3].datum_ontvangst == date(2026, 11, 2)
    assert sorted(k[2] for k in gelezen if k[0] == "rij") == [2, 3, 4, 5]
    met, zonder = met_en_zonder()
    assert met == zonder and [k for k in gelezen if k[0] == "rij"] == []
    rows[2]["Naam indiener"] = "Karel Klaassen"
    met, zonder = met_en_zonder()
    assert met == zonder and not any(m.rij == 4 for m in met.meldingen)
    assert [k[2] for k in gelezen if k[0] == "rij"] == [4]  # only the changed row is read again
    met, zonder = met_en_zonder(VANDAAG + timedelta(days=1))
    assert met == zonder and len([k for k in gelezen if k[0] == "rij"]) == 4  # another day: all again
