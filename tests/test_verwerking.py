"""End to end: real registers in, real letters and overzicht.xlsx out."""

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from klachtdocs.exceptions import BestandFout, RegisterOnleesbaar
from klachtdocs.processing import verwerk
from tests.conftest import NU, bestanden, docx_tekst
from tests.registers import klacht, schrijf


def archief(root: Path) -> list[str]:
    return sorted(p.relative_to(root / "archief").as_posix() for p in (root / "archief").rglob("*.docx"))


def test_nieuwe_klacht_krijgt_ontvangstbevestiging_met_bijlage_en_formulier(werkmap):
    schrijf(werkmap, [klacht("K1", date(2026, 11, 23))])
    resultaat = verwerk(werkmap, nu=NU)
    assert archief(werkmap) == [
        "K1/K1_bijlage_klachtenreglement_v1.docx",
        "K1/K1_klachtenformulier_v1.docx",
        "K1/K1_ontvangstbevestiging_v1.docx",
    ]
    assert resultaat.fouten == 0 and len(resultaat.gemaakt) == 3
    tekst = docx_tekst(werkmap / "archief/K1/K1_ontvangstbevestiging_v1.docx")
    for verwacht in [
        "Jan Jansen\nPer e-mail: jan@example.nl",
        "Voorbeeldstad, 24 november 2026",
        "Kenmerk: K1",
        "Betreft: Ontvangstbevestiging van uw klacht",
        "Geachte Jan Jansen,",
        "Op 23 november 2026 hebben wij uw klacht ontvangen",
        "uiterlijk op 21 december 2026",
        "Anouk de Vries, klachtbehandelaar",
        "a.devries@next-best.nl of telefonisch op 030 1234568",
        "Bijlage: Klachtenreglement re-integratiediensten NextBest",
    ]:
        assert verwacht in tekst


def test_tweede_ronde_schrijft_niets(werkmap):
    schrijf(
        werkmap,
        [
            klacht("K1"),
            klacht(
                "K2", Besluit="niet in behandeling", Grond_niet_in_behandeling="geen directe relatie (art. 1)"
            ),
        ],
    )
    verwerk(werkmap, nu=NU)
    voor = bestanden(werkmap)
    resultaat = verwerk(werkmap, nu=NU)
    assert resultaat.gemaakt == [] and not resultaat.overzicht_geschreven
    assert bestanden(werkmap) == voor


def test_tekst_uit_het_register_blijft_tekst(werkmap):
    naam = "Jan & <Piet> {{ naam_indiener }} {% if x %}"
    schrijf(
        werkmap,
        [
            klacht(
                "K1",
                Naam_indiener=naam,
                Afschrift_aan_contactpersoon="ja",
                Omschrijving='=HYPERLINK("http://x","klik") & </w:t>',
            )
        ],
    )
    verwerk(werkmap, nu=NU)
    assert f"Geachte {naam}," in docx_tekst(werkmap / "archief/K1/K1_ontvangstbevestiging_v1.docx")
    memo = docx_tekst(werkmap / "archief/K1/K1_afschrift_v1.docx")
    assert 'Omschrijving | =HYPERLINK("http://x","klik") & </w:t>' in memo


def test_elke_brief_van_het_reglement(werkmap):
    schrijf(
        werkmap,
        [
            klacht(
                "A",
                Besluit="niet in behandeling",
                Grond_niet_in_behandeling="ouder dan een jaar (art. 6.2b)",
                Toelichting_besluit="Het voorval was in 2024.",
            ),
            klacht(
                "V",
                Besluit="in behandeling",
                Verdaagd_tot=date(2026, 12, 14),
                Reden_verdaging="Wachten op X.",
            ),
            klacht(
                "S",
                Besluit="in behandeling",
                Beslissing="Gegrond.",
                Maatregelen="Training.",
                Datum_afgehandeld=date(2026, 11, 20),
            ),
            klacht("P", Voortijdig_gesloten_op_verzoek="ja", Datum_afgehandeld=date(2026, 11, 20)),
            klacht(
                "G",
                Gemachtigde="mr. De Wit",
                Correspondentie_per_post="ja",
                Postadres="Dorpsstraat 1, 1234 AB Dorp",
            ),
        ],
    )
    verwerk(werkmap, nu=NU)
    afwijzing = docx_tekst(werkmap / "archief/A/A_afwijzing_v1.docx")
    assert (
        "niet in behandeling te nemen, omdat uw klacht gaat over een gedraging of voorval die meer dan een jaar"
        in afwijzing
    )
    assert "Het voorval was in 2024." in afwijzing
    verdaging = docx_tekst(werkmap / "archief/V/V_verdaging_v1.docx")
    assert "verdagen wij de afhandeling tot uiterlijk 14 december 2026" in verdaging
    assert "Wachten op X." in verdaging
    afsluiting = docx_tekst(werkmap / "archief/S/S_afsluiting_v1.docx")
    assert "Onze beslissing\nGegrond." in afsluiting and "Training." in afsluiting
    assert "bevestigen wij de afsluiting van uw klacht per 20 november 2026" in afsluiting
    voortijdig = docx_tekst(werkmap / "archief/P/P_afsluiting_v1.docx")
    assert "voortijdig af te sluiten" in voortijdig and "Onze beslissing" not in voortijdig
    gemachtigd = docx_tekst(werkmap / "archief/G/G_ontvangstbevestiging_v1.docx")
    assert "Jan Jansen\np/a mr. De Wit\nDorpsstraat 1\n1234 AB Dorp" in gemachtigd


def test_gewijzigde_gegevens_geven_een_nieuwe_versie_naast_de_oude(werkmap):
    schrijf(werkmap, [klacht("K1")])
    verwerk(werkmap, nu=NU)
    oud = (werkmap / "archief/K1/K1_ontvangstbevestiging_v1.docx").read_bytes()
    schrijf(werkmap, [klacht("K1", Omschrijving="Andere omschrijving")])  # not in the letter
    assert verwerk(werkmap, nu=NU).gemaakt == []  # the form: at most one new version a day
    morgen, overmorgen = NU + timedelta(days=1), NU + timedelta(days=2)
    assert [d.soort for d in verwerk(werkmap, nu=morgen).gemaakt] == ["klachtenformulier"]
    schrijf(werkmap, [klacht("K1", Naam_indiener="Jan Janssen", Omschrijving="Andere omschrijving")])
    gemaakt = verwerk(werkmap, nu=overmorgen).gemaakt
    assert [(d.soort, d.versie, d.reden) for d in gemaakt] == [
        ("ontvangstbevestiging", 2, "gewijzigd: aanhef, adres"),
        ("klachtenformulier", 3, "gewijzigd: brieven, naam_indiener"),
    ]
    assert (werkmap / "archief/K1/K1_ontvangstbevestiging_v1.docx").read_bytes() == oud
    assert "Geachte Jan Janssen," in docx_tekst(werkmap / "archief/K1/K1_ontvangstbevestiging_v2.docx")


def test_sjabloonwijziging_maakt_geen_nieuwe_versies(werkmap):
    schrijf(werkmap, [klacht("K1")])
    verwerk(werkmap, nu=NU)
    (werkmap / "sjablonen/ontvangstbevestiging.docx").write_bytes(
        (werkmap / "sjablonen/afwijzing.docx").read_bytes()
    )
    assert verwerk(werkmap, nu=NU).gemaakt == []


def test_klachten_voor_brieven_vanaf_krijgen_geen_brieven(werkmap):
    schrijf(werkmap, [klacht("OUD", date(2025, 12, 31)), klacht("NIEUW", date(2026, 1, 2))])
    verwerk(werkmap, nu=NU)
    assert not (werkmap / "archief/OUD").exists() and (werkmap / "archief/NIEUW").exists()


def test_bestaand_bestand_van_een_ander_wordt_nooit_overschreven(werkmap):
    (werkmap / "archief/K1").mkdir(parents=True)
    vreemd = werkmap / "archief/K1/K1_ontvangstbevestiging_v1.docx"
    vreemd.write_bytes(b"van iemand anders")
    schrijf(werkmap, [klacht("K1")])
    verwerk(werkmap, nu=NU)
    assert vreemd.read_bytes() == b"van iemand anders"
    assert (werkmap / "archief/K1/K1_ontvangstbevestiging_v2.docx").exists()


def test_onveilige_klachtnummers_blijven_in_het_archief(werkmap):
    nummers = ["../x", "a/b", "a_b", "CON", "nul.txt", "x" * 100]
    schrijf(werkmap, [klacht(n) for n in nummers])
    verwerk(werkmap, nu=NU)
    mappen = [p for p in (werkmap / "archief").iterdir()]
    assert len(mappen) == len(nummers)
    assert not (werkmap / "x").exists() and not (werkmap.parent / "x").exists()
    for p in (werkmap / "archief").rglob("*"):
        assert p.resolve().is_relative_to((werkmap / "archief").resolve())


def test_overzicht_termijnen_meldingen_brieven(werkmap):
    schrijf(
        werkmap,
        [
            klacht("K1", date(2026, 11, 2)),
            klacht("K2", Omschrijving=None),
            klacht('=HYPERLINK("x")', date(2026, 11, 20)),
        ],
    )
    resultaat = verwerk(werkmap, nu=NU)
    assert resultaat.fouten == 1
    wb = load_workbook(werkmap / "overzicht.xlsx")
    assert wb.sheetnames == ["Termijnen", "Meldingen", "Brieven"]
    rows = list(wb["Termijnen"].values)
    assert rows[0] == (
        "Klachtnummer",
        "Status",
        "Volgende stap",
        "Ontvangstbevestiging uiterlijk",
        "Afwijzing uiterlijk",
        "Streefdatum afhandeling",
        "Afhandeling uiterlijk",
        "Te laat",
    )
    assert rows[1][:2] == ("K1", "Ontvangen")
    # Received 2 Nov, letter made 24 Nov: the ontvangstbevestiging was late.
    assert rows[1][3:] == (
        datetime(2026, 11, 4),
        datetime(2026, 11, 23),
        datetime(2026, 11, 30),
        datetime(2026, 12, 28),
        "ja: ontvangstbevestiging",
    )
    assert rows[2][1] == "Fout in register"
    assert rows[3][0] == '=HYPERLINK("x")' and wb["Termijnen"]["A4"].data_type == "s"
    assert list(wb["Meldingen"].values)[1] == (
        3,
        "K2",
        "Omschrijving",
        "fout",
        "Omschrijving ontbreekt. Vul een korte omschrijving van de feiten in (art. 4.2e).",
    )
    brieven = list(wb["Brieven"].values)
    assert brieven[0] == ("Klachtnummer", "Soort", "Versie", "Bestand", "Gemaakt op")
    assert ("K1", "ontvangstbevestiging", 1, "archief/K1/K1_ontvangstbevestiging_v1.docx", NU) in brieven


def test_te_laat_in_overzicht(werkmap):
    schrijf(werkmap, [klacht("K1", date(2026, 10, 1))])
    verwerk(werkmap, nu=NU)
    rij = list(load_workbook(werkmap / "overzicht.xlsx")["Termijnen"].values)[1]
    assert rij[-1] == "ja: ontvangstbevestiging, afhandeling"


def test_door_iemand_gewijzigd_overzicht_wordt_bewaard(werkmap):
    schrijf(werkmap, [klacht("K1")])
    verwerk(werkmap, nu=NU)
    (werkmap / "overzicht.xlsx").write_bytes(b"aantekeningen van iemand")
    schrijf(werkmap, [klacht("K1"), klacht("K2")])
    verwerk(werkmap, nu=NU)
    bewaard = list(werkmap.glob("overzicht (bewaard *).xlsx"))
    assert len(bewaard) == 1 and bewaard[0].read_bytes() == b"aantekeningen van iemand"


def test_sjabloonfouten_worden_gemeld_en_de_rest_gaat_door(werkmap):
    from docx import Document

    for soort, tekst in [
        ("afwijzing", "{{ onbekend }}"),
        ("afsluiting", "{{ ''.__class__.__mro__ }}"),
        ("verdaging", "{% if %}"),
    ]:
        doc = Document(werkmap / f"sjablonen/{soort}.docx")
        doc.add_paragraph(tekst)
        doc.save(werkmap / f"sjablonen/{soort}.docx")
    schrijf(
        werkmap,
        [
            klacht(
                "A", Besluit="niet in behandeling", Grond_niet_in_behandeling="geen directe relatie (art. 1)"
            ),
            klacht("S", Beslissing="x", Datum_afgehandeld=date(2026, 11, 20)),
            klacht("V", Verdaagd_tot=date(2026, 12, 14), Reden_verdaging="r"),
        ],
    )
    resultaat = verwerk(werkmap, nu=NU)
    teksten = sorted(m.tekst for m in resultaat.meldingen if m.blad == "sjablonen")
    assert len(teksten) == 3
    assert teksten[0].startswith("Sjabloon afsluiting.docx bij alinea")
    assert "probeert iets wat niet mag" in teksten[0]
    assert "gebruikt variabelen die klachtdocs niet kent: onbekend" in teksten[1]
    assert "fout in de sjabloontaal" in teksten[2]
    assert not list((werkmap / "archief").rglob("*_afwijzing_*")) and not list(
        (werkmap / "archief").rglob("*_afsluiting_*")
    )
    # A and S were closed when first seen: their afwijzing/afsluiting acknowledges them; V goes on.
    assert [p.name for p in (werkmap / "archief").rglob("*_ontvangstbevestiging_v1.docx")] == [
        "V_ontvangstbevestiging_v1.docx"
    ]


def test_herstel_na_onderbreking(werkmap):
    schrijf(werkmap, [klacht("K1")])
    verwerk(werkmap, nu=NU)
    journaal = werkmap / ".klachtdocs/journaal.jsonl"
    regels = journaal.read_text().splitlines()
    # Simulate a crash after the rename of the form but before its "gemaakt" line,
    # plus a torn last line.
    laatste = json.loads(regels[-1])
    assert laatste["soort"] == "klachtenformulier" and laatste["op"] == "gemaakt"
    journaal.write_text("\n".join(regels[:-1]) + '\n{"op": "gemaakt", "klachtn')
    (werkmap / "archief/K1/.~klachtdocs-abc.tmp").write_bytes(b"half")
    assert verwerk(werkmap, nu=NU).gemaakt == []
    assert not (werkmap / "archief/K1/.~klachtdocs-abc.tmp").exists()
    assert sorted(p.name for p in (werkmap / "archief/K1").iterdir()) == [
        "K1_bijlage_klachtenreglement_v1.docx",
        "K1_klachtenformulier_v1.docx",
        "K1_ontvangstbevestiging_v1.docx",
    ]
    assert "hersteld na onderbreking" in journaal.read_text()


def test_halve_staat_van_een_gedode_ronde_wordt_opgeruimd(werkmap):
    """A pass killed while it replaced its own state leaves a temp file; the next pass removes it.

    Also when that next pass finds nothing changed and stops early.
    """
    schrijf(werkmap, [klacht("K1")])
    verwerk(werkmap, nu=NU)
    resten = [
        werkmap / ".klachtdocs/.~klachtdocs-abc.tmp",
        werkmap / ".~klachtdocs-def.tmp",
        werkmap / "analyse/.~klachtdocs-0123.tmp",
    ]
    for pad in resten:
        pad.parent.mkdir(exist_ok=True)
        pad.write_bytes(b"half")
    vreemd = werkmap / ".klachtdocs/~$notitie.tmp"  # not ours: stays
    vreemd.write_bytes(b"x")
    assert verwerk(werkmap, nu=NU).ongewijzigd
    assert [p for p in resten if p.exists()] == [] and vreemd.exists()


def test_onleesbaar_register_wordt_gemeld_in_overzicht(werkmap):
    (werkmap / "klachtenregister.xlsx").write_bytes(b"PK\x03\x04 half opgeslagen")
    with pytest.raises(RegisterOnleesbaar, match="geen volledig Excel-bestand"):
        verwerk(werkmap, nu=NU)
    meldingen = list(load_workbook(werkmap / "overzicht.xlsx")["Meldingen"].values)
    assert "geen volledig Excel-bestand" in meldingen[1][4]


def test_map_bestaat_niet(tmp_path):
    with pytest.raises(BestandFout, match="bestaat niet"):
        verwerk(tmp_path / "nergens", nu=NU)


def test_ongewijzigde_werkmap_slaat_de_ronde_over_met_dezelfde_meldingen(werkmap):
    from datetime import timedelta

    from docx import Document

    schrijf(werkmap, [klacht("K1"), klacht("K2", Naam_indiener=None)])
    eerste = verwerk(werkmap, nu=NU)
    assert eerste.fouten == 1 and len(eerste.gemaakt) == 3
    tweede = verwerk(werkmap, nu=NU)
    assert (tweede.klachten, tweede.meldingen, tweede.gemaakt) == (2, eerste.meldingen, [])
    assert tweede.ongewijzigd and not eerste.ongewijzigd
    # Each input is part of the fingerprint: a new day, a template edit, a changed register.
    assert not verwerk(werkmap, nu=NU + timedelta(days=1)).ongewijzigd
    assert verwerk(werkmap, nu=NU + timedelta(days=1)).ongewijzigd
    doc = Document(werkmap / "sjablonen/afwijzing.docx")
    doc.add_paragraph("{{ onbekend }}")
    doc.save(werkmap / "sjablonen/afwijzing.docx")
    schrijf(
        werkmap,
        [
            klacht("K1"),
            klacht(
                "K2",
                Naam_indiener="Piet",
                Besluit="niet in behandeling",
                Grond_niet_in_behandeling="geen directe relatie (art. 1)",
            ),
        ],
    )
    r = verwerk(werkmap, nu=NU + timedelta(days=1))
    assert r.fouten == 1 and "gebruikt variabelen die klachtdocs niet kent: onbekend" in r.meldingen[-1].tekst
