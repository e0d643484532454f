"""Letters made late read right on the day they are made; the enclosure is the real regulation."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from klachtdocs.documents import templates
from klachtdocs.processing import verwerk
from tests.conftest import NU, docx_tekst
from tests.registers import klacht, schrijf

ROOT = Path(__file__).resolve().parent.parent
REGLEMENT = ROOT / "tools" / "klachtenreglement.md"
# Received Monday 12 October 2026: ontvangstbevestiging by 14 Oct, afwijzing by 2 Nov, streefdatum 9 Nov,
# at the latest 7 Dec. Typed in on NU (24 November 2026): a catch-up entry.
LAAT = date(2026, 10, 12)


def _voettekst(path: Path) -> str:
    return "\n".join(p.text for s in Document(path).sections for p in s.footer.paragraphs)


def test_ingehaalde_klacht_belooft_geen_datum_die_voorbij_is(werkmap):
    schrijf(
        werkmap,
        [
            klacht("K1", LAAT, Besluit="in behandeling"),
            klacht(
                "K2",
                LAAT,
                Besluit="in behandeling",
                Verdaagd_tot=date(2026, 11, 20),
                Reden_verdaging="Wij wachten op een verslag.",
            ),
        ],
    )
    verwerk(werkmap, nu=NU)
    ob = docx_tekst(werkmap / "archief/K1/K1_ontvangstbevestiging_v1.docx")
    assert "24 november 2026" in ob and "9 november 2026" in ob
    assert "uiterlijk op 9 november 2026" not in ob and "uiterlijk op" not in ob
    assert "voor uw klacht was dat 9 november 2026" in ob
    assert "Wij handelen uw klacht zo snel mogelijk af." in ob
    assert "Dat laten wij u dan uiterlijk drie weken na ontvangst" not in ob  # that term passed on 2 Nov
    assert "kunnen wij de afhandeling met ten hoogste vier weken verdagen" not in ob
    # Verdaagd tot 20 Nov, also passed: neither letter promises it.
    for naam in ("K2_ontvangstbevestiging_v1.docx", "K2_verdaging_v1.docx"):
        tekst = docx_tekst(werkmap / "archief/K2" / naam)
        assert "uiterlijk op 20 november 2026" not in tekst and "uiterlijk op 9 november" not in tekst, naam
    verdaging = docx_tekst(werkmap / "archief/K2/K2_verdaging_v1.docx")
    assert "voor uw klacht was dat 9 november 2026" in verdaging
    assert "Ook die datum is inmiddels voorbij" in verdaging
    # The same klacht on time: the promise as before.
    schrijf(werkmap, [klacht("K3", date(2026, 11, 23), Besluit="in behandeling")])
    verwerk(werkmap, nu=NU)
    op_tijd = docx_tekst(werkmap / "archief/K3/K3_ontvangstbevestiging_v1.docx")
    assert (
        "dat wil zeggen uiterlijk op 21 december 2026" in op_tijd
        and "Dat laten wij u dan uiterlijk drie weken" in op_tijd
    )
    assert "Het spijt ons" not in op_tijd  # received yesterday: on time
    # Three weeks late for its own term of two werkdagen, before the streefdatum: an apology, the promise stands.
    schrijf(werkmap, [klacht("K4", date(2026, 11, 2), Besluit="in behandeling")])
    verwerk(werkmap, nu=NU)
    laat = docx_tekst(werkmap / "archief/K4/K4_ontvangstbevestiging_v1.docx")
    assert "later bereikt dan de twee werkdagen die ons klachtenreglement noemt" in laat
    assert "uiterlijk op 30 november 2026" in laat


def test_brief_die_op_tijd_was_krijgt_geen_nieuwe_versie_als_de_datum_voorbij_gaat(werkmap):
    schrijf(werkmap, [klacht("K1", date(2026, 11, 23), Besluit="in behandeling")])
    verwerk(werkmap, nu=NU)
    assert verwerk(werkmap, nu=NU + timedelta(days=40)).gemaakt == []


def test_al_gesloten_klacht_krijgt_geen_tegenstrijdige_ontvangstbevestiging(werkmap):
    schrijf(
        werkmap,
        [
            klacht(
                "S",
                LAAT,
                Besluit="in behandeling",
                Beslissing="Gegrond; excuses aangeboden.",
                Datum_afgehandeld=date(2026, 11, 10),
            ),
            klacht(
                "A",
                LAAT,
                Besluit="niet in behandeling",
                Grond_niet_in_behandeling="geen directe relatie (art. 1)",
            ),
        ],
    )
    verwerk(werkmap, nu=NU)
    assert sorted(p.name for p in (werkmap / "archief/S").iterdir()) == [
        "S_afsluiting_v1.docx",
        "S_bijlage_klachtenreglement_v1.docx",
        "S_klachtenformulier_v1.docx",
    ]
    assert sorted(p.name for p in (werkmap / "archief/A").iterdir()) == [
        "A_afwijzing_v1.docx",
        "A_bijlage_klachtenreglement_v1.docx",
        "A_klachtenformulier_v1.docx",
    ]
    for pad in (werkmap / "archief/S/S_afsluiting_v1.docx", werkmap / "archief/A/A_afwijzing_v1.docx"):
        tekst = docx_tekst(pad)
        assert "met deze brief bevestigen wij ook de ontvangst van uw klacht" in tekst.lower(), pad.name
        assert "Bijlage: Klachtenreglement re-integratiediensten NextBest" in tekst, pad.name
        assert "a.devries@next-best.nl" in tekst  # the klachtbehandelaar's contact details (art. 5)
    rijen = {
        r[0]: r for r in load_workbook(werkmap / "overzicht.xlsx")["Termijnen"].iter_rows(values_only=True)
    }
    assert "ontvangstbevestiging" in rijen["S"][7]  # acknowledged late (24 Nov), by the afsluiting
    # A klacht acknowledged before it was closed: the closing letter says nothing of the kind.
    schrijf(werkmap, [klacht("K", date(2026, 11, 23), Besluit="in behandeling")])
    verwerk(werkmap, nu=NU)
    schrijf(
        werkmap,
        [
            klacht(
                "K",
                date(2026, 11, 23),
                Besluit="in behandeling",
                Beslissing="Ongegrond.",
                Datum_afgehandeld=date(2026, 11, 25),
            )
        ],
    )
    verwerk(werkmap, nu=NU + timedelta(days=1))
    tekst = docx_tekst(werkmap / "archief/K/K_afsluiting_v1.docx")
    assert "bevestigen wij ook de ontvangst" not in tekst and "Bijlage:" not in tekst
    assert len(list((werkmap / "archief/K").glob("*bijlage*"))) == 1


def test_bijlage_is_het_echte_reglement_en_ingevuld(werkmap):
    schrijf(werkmap, [klacht("K1", date(2026, 11, 23))])
    verwerk(werkmap, nu=NU)
    pad = werkmap / "archief/K1/K1_bijlage_klachtenreglement_v1.docx"
    voet = _voettekst(pad)
    assert voet == "NextBest · Voorbeeldstraat 1 · 1234 AB Voorbeeldstad · www.next-best.nl"
    tekst = docx_tekst(pad)
    assert "{{" not in tekst + voet and "{%" not in tekst + voet
    koppen = [p.text for p in Document(pad).paragraphs if p.style.name.startswith("Heading")]
    assert [k for k in koppen if k.startswith("Artikel")] == [f"Artikel {i}" for i in range(1, 12)]
    assert "NextBest streeft ernaar de klacht binnen vier (4) weken na de indiening af te handelen" in tekst
    assert Document(pad).core_properties.identifier == templates.kenmerk("K1", "bijlage", 1)
    # A regulation in another format (a PDF) is enclosed as it is.
    (werkmap / "sjablonen/reglement.pdf").write_bytes(b"%PDF-1.4 echt reglement")
    toml = werkmap / "klachtdocs.toml"
    toml.write_text(toml.read_text().replace('"klachtenreglement.docx"', '"reglement.pdf"'))
    schrijf(werkmap, [klacht("K2", date(2026, 11, 23))])
    verwerk(werkmap, nu=NU)
    assert (werkmap / "archief/K2/K2_bijlage_reglement_v1.pdf").read_bytes() == b"%PDF-1.4 echt reglement"


def _reglement() -> dict[int, dict[int, set[str]]]:
    """Return artikel -> lid -> letters (onder a, b, ...) of NextBest's klachtenreglement."""
    artikelen: dict[int, dict[int, set[str]]] = {}
    artikel = lid = None
    for regel in REGLEMENT.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^#+ \**Artikel (\d+)", regel):
            artikel, lid = int(m.group(1)), None
            artikelen[artikel] = {}
        elif artikel and (m := re.match(r"^(\d+)\. ", regel)):
            lid = int(m.group(1))
            artikelen[artikel][lid] = set()
        elif artikel and lid and (m := re.match(r"^\s+- ([a-z])\. ", regel)):
            artikelen[artikel][lid].add(m.group(1))
    return artikelen


def _verwijzingen(tekst: str) -> set[tuple[int, int | None, str | None]]:
    found = set()
    for m in re.finditer(r"\bart\. (\d+)(?:\.(\d+)([a-z])?)?", tekst):
        omgeving = tekst[max(0, m.start() - 60) : m.end() + 20]
        if "termijnenwet" not in omgeving and "Atw" not in omgeving:
            found.add((int(m.group(1)), m.group(2) and int(m.group(2)), m.group(3)))
    for m in re.finditer(r"\bartikel (\d+)(?:, lid (\d+))?(?:, onder ([a-z]))?", tekst):
        found.add((int(m.group(1)), m.group(2) and int(m.group(2)), m.group(3)))
    return found


def test_elk_geciteerd_artikel_staat_in_het_meegeleverde_reglement():
    artikelen = _reglement()
    assert sorted(artikelen) == list(range(1, 12))
    meegeleverd = docx_tekst(ROOT / "sjablonen" / "klachtenreglement.docx")
    assert sorted({int(n) for n in re.findall(r"^Artikel (\d+)$", meegeleverd, re.M)}) == list(range(1, 12))
    teksten = {
        p.name: docx_tekst(p) for p in (ROOT / "sjablonen").glob("*.docx") if p.stem != "klachtenreglement"
    }
    teksten |= {
        p.name: p.read_text(encoding="utf-8")
        for p in (ROOT / "klachtdocs").rglob("*.py")
        if p.name != "kalender.py"
    }
    gezien = set()
    for naam, tekst in teksten.items():
        for artikel, lid, letter in _verwijzingen(tekst):
            gezien.add((artikel, lid, letter))
            assert artikel in artikelen, (naam, artikel)
            if lid is not None:
                assert lid in artikelen[artikel], (naam, f"{artikel}.{lid}")
            if letter is not None:
                assert letter in artikelen[artikel][lid], (naam, f"{artikel}.{lid}{letter}")
    for nodig in (
        (6, 2, "a"),
        (6, 2, "b"),
        (6, 3, None),
        (7, None, None),
        (9, 1, None),
        (9, 2, None),
        (10, None, None),
        (11, None, None),
        (4, 2, None),
        (5, None, None),
    ):
        assert nodig in gezien, nodig


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice/poppler ontbreekt"
)
def test_bijlage_als_pdf_toont_ingevulde_voettekst(werkmap, tmp_path):
    schrijf(werkmap, [klacht("K1", date(2026, 11, 23))])
    verwerk(werkmap, nu=NU)
    pad = werkmap / "archief/K1/K1_bijlage_klachtenreglement_v1.docx"
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(pad),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / (pad.stem + ".pdf")
    tekst = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "NextBest · Voorbeeldstraat 1" in tekst and "{{" not in tekst
    assert "Artikel 11" in tekst and "Paragraaf 6 Archivering, registratie en evaluatie" in tekst


def test_klachtenformulier_een_versie_per_dag_en_bewerkingen_blijven(werkmap):
    contact = [("K1", date(2026, 11, 24), "telefoon", f"Gesprek {i}", "") for i in range(1, 5)]
    schrijf(werkmap, [klacht("K1", date(2026, 11, 23))])
    verwerk(werkmap, nu=NU)
    for n in range(1, 5):  # four contact moments typed in during the first day
        schrijf(werkmap, [klacht("K1", date(2026, 11, 23))], contactmomenten=contact[:n])
        assert verwerk(werkmap, nu=NU + timedelta(hours=n)).gemaakt == []
    forms = werkmap / "archief/K1"
    assert sorted(p.name for p in forms.glob("*klachtenformulier*")) == ["K1_klachtenformulier_v1.docx"]
    # The klachtbehandelaar works in the form in Word.
    v1 = forms / "K1_klachtenformulier_v1.docx"
    doc = Document(v1)
    doc.add_paragraph("Aantekening van de klachtbehandelaar: terugbellen op vrijdag.")
    doc.save(v1)
    bewerkt = v1.read_bytes()
    gemaakt = verwerk(werkmap, nu=NU + timedelta(days=1)).gemaakt
    assert [(d.soort, d.versie) for d in gemaakt] == [("klachtenformulier", 2)]
    assert v1.read_bytes() == bewerkt  # never replaced
    v2 = docx_tekst(forms / "K1_klachtenformulier_v2.docx")
    assert "Gesprek 4" in v2
    assert "de vorige versie (K1_klachtenformulier_v1.docx) is met de hand bewerkt" in v2
    meldingen = load_workbook(werkmap / "overzicht.xlsx")["Meldingen"]
    teksten = [r[4] for r in meldingen.iter_rows(values_only=True) if r[1] == "K1"]
    assert any(
        "K1_klachtenformulier_v1.docx is met de hand bewerkt" in t and "K1_klachtenformulier_v2.docx" in t
        for t in teksten
    )


def test_ronde_waarschuwt_voor_jaren_zonder_gelijkgestelde_dagen(werkmap):
    schrijf(werkmap, [klacht("K1", date(2028, 12, 4)), klacht("K2", date(2028, 12, 11))])
    resultaat = verwerk(werkmap, nu=datetime(2028, 12, 12, 9, 0))
    kalender = [m for m in resultaat.meldingen if "gelijkgestelde dagen" in m.tekst]
    assert len(kalender) == 1 and kalender[0].niveau == "waarschuwing"
    assert "termijnen in 2029" in kalender[0].tekst and "klachtdocs/rules/kalender.py" in kalender[0].tekst
    schrijf(werkmap, [klacht("K1", date(2026, 11, 23))])
    assert not [m for m in verwerk(werkmap, nu=NU).meldingen if "gelijkgestelde dagen" in m.tekst]


def test_late_verdaging_staat_als_te_laat_in_het_overzicht(werkmap):
    # Received 2 Nov: streefdatum 30 Nov. The verdaging is typed in on 1 December.
    schrijf(werkmap, [klacht("K1", date(2026, 11, 2), Besluit="in behandeling")])
    verwerk(werkmap, nu=datetime(2026, 11, 3, 9, 0))
    schrijf(
        werkmap,
        [
            klacht(
                "K1",
                date(2026, 11, 2),
                Besluit="in behandeling",
                Verdaagd_tot=date(2026, 12, 14),
                Reden_verdaging="Wachten op een verslag.",
            )
        ],
    )
    verwerk(werkmap, nu=datetime(2026, 12, 1, 9, 0))
    rij = next(
        r
        for r in load_workbook(werkmap / "overzicht.xlsx")["Termijnen"].iter_rows(values_only=True)
        if r[0] == "K1"
    )
    assert rij[7] == "ja: verdaging (na de streefdatum), afhandeling"
