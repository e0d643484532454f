"""Hostile registers: each gives a clear Dutch melding or refusal, no partial output, and
every other row is still processed. The bombs also run in a child process with a memory
limit and a time-out, so a regression shows as a failure instead of a hung machine."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from klachtdocs.exceptions import RegisterOnleesbaar
from klachtdocs.processing import verwerk
from tests.conftest import NU, docx_tekst
from tests.registers import klacht, register

GOED = klacht("GOED", date(2026, 11, 23))


def archief(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root / "archief").as_posix() for p in (root / "archief").rglob("*") if p.is_file()
    )


def zet(root: Path, data: bytes) -> None:
    (root / "klachtenregister.xlsx").write_bytes(data)


def _herpak(data: bytes, wijzig) -> bytes:
    """Return the .xlsx *data* with each part passed through wijzig(name, bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for naam in zin.namelist():
            zout.writestr(naam, wijzig(naam, zin.read(naam)))
    return out.getvalue()


def xml_bom() -> bytes:
    lagen = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    dtd = f'<?xml version="1.0"?><!DOCTYPE lolz [{lagen}]>'.encode()

    def wijzig(naam, inhoud):
        if naam == "xl/worksheets/sheet1.xml":
            return dtd + re.sub(rb"^<\?xml[^>]*\?>", b"", inhoud).replace(b"Jan Jansen", b"&lol9;", 1)
        return inhoud

    return _herpak(register([GOED]), wijzig)


def zip_bom(megabytes: int = 300) -> bytes:
    """Return a small .xlsx whose sheet inflates to *megabytes* MB of spaces."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(register([GOED]))) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout,
    ):
        for naam in zin.namelist():
            if naam == "xl/worksheets/sheet1.xml":
                with zout.open(naam, "w", force_zip64=True) as fh:
                    blok = b" " * (1024 * 1024)
                    for _ in range(megabytes):
                        fh.write(blok)
            else:
                zout.writestr(naam, zin.read(naam))
    return out.getvalue()


def wachtwoord() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(register([GOED]))).encrypt("geheim", out)
    return out.getvalue()


WEIGERINGEN = {
    "tekstbestand": (lambda: b"Klachtnummer;Datum ontvangst\nK1;05-04-2026\n", "geen volledig Excel-bestand"),
    "leeg": (lambda: b"", "is leeg (0 bytes)"),
    "afgebroken": (lambda: register([GOED])[:3000], "geen volledig Excel-bestand"),
    "word-bestand": (
        lambda: (Path(__file__).parent.parent / "sjablonen/afwijzing.docx").read_bytes(),
        "kan niet gelezen worden als Excel-bestand",
    ),
    "wachtwoord": (wachtwoord, "beveiligd met een wachtwoord"),
    "xml-bom": (xml_bom, "DOCTYPE of ENTITY"),
    "zip-bom": (zip_bom, "zip-bom"),
}


@pytest.mark.parametrize("soort", list(WEIGERINGEN))
def test_onleesbare_registers_worden_geweigerd_zonder_uitvoer(werkmap, soort):
    maak, boodschap = WEIGERINGEN[soort]
    zet(werkmap, maak())
    with pytest.raises(RegisterOnleesbaar, match=re.escape(boodschap)):
        verwerk(werkmap, nu=NU)
    assert archief(werkmap) == []
    meldingen = list(load_workbook(werkmap / "overzicht.xlsx")["Meldingen"].values)
    assert boodschap in meldingen[1][4]


@pytest.mark.skipif(os.name != "posix", reason="resource limits are POSIX-only")
def test_bommen_blijven_binnen_tijd_en_geheugen(werkmap, tmp_path):
    """A zip bomb of 1 GB and an XML entity bomb, each in a child limited to 1.5 GB of memory."""
    for naam, data in (("zip", zip_bom(1024)), ("xml", xml_bom())):
        pad = tmp_path / f"{naam}.xlsx"
        pad.write_bytes(data)
        assert pad.stat().st_size < 2_000_000
        code = (
            "import resource, sys\n"
            "resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))\n"
            "from klachtdocs.storage.workbook import read_workbook\n"
            "from klachtdocs.exceptions import RegisterOnleesbaar\n"
            "try:\n    read_workbook(open(sys.argv[1], 'rb').read())\n"
            "except RegisterOnleesbaar as exc:\n    print('GEWEIGERD', exc)\n"
        )
        r = subprocess.run(
            [sys.executable, "-c", code, str(pad)], capture_output=True, text=True, timeout=120
        )
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith("GEWEIGERD"), r.stdout


def _pas_aan(rows: list[dict], wijzig) -> bytes:
    wb = load_workbook(io.BytesIO(register(rows)))
    wijzig(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _meldingen(resultaat) -> list[tuple]:
    return [(m.rij, m.kolom, m.niveau, m.tekst) for m in resultaat.meldingen]


def _goed_heeft_zijn_brieven(root: Path) -> None:
    assert "GOED/GOED_ontvangstbevestiging_v1.docx" in archief(root)


def test_samengevoegde_cellen(werkmap):
    data = _pas_aan([GOED, klacht("M1"), klacht("M2")], lambda wb: wb["Klachten"].merge_cells("C3:C4"))
    zet(werkmap, data)
    r = verwerk(werkmap, nu=NU)
    assert (
        3,
        "Naam indiener",
        "waarschuwing",
        "De cellen C3:C4 zijn samengevoegd; klachtdocs leest alleen de eerste cel (C3), de andere lijken "
        "leeg. Maak het samenvoegen ongedaan (Start > Samenvoegen en centreren) en vul elke cel zelf in.",
    ) in _meldingen(r)
    assert (4, "Naam indiener", "fout") in [m[:3] for m in _meldingen(r)]
    _goed_heeft_zijn_brieven(werkmap)
    assert any(p.startswith("M1/") for p in archief(werkmap)) and not any(
        p.startswith("M2/") for p in archief(werkmap)
    )


def test_formule_zonder_uitkomst_is_een_fout_met_uitleg(werkmap):
    def formule(wb):
        wb["Klachten"]["C3"] = '="Jan"&" Jansen"'

    zet(werkmap, _pas_aan([GOED, klacht("F1")], formule))
    r = verwerk(werkmap, nu=NU)
    assert (
        3,
        "Naam indiener",
        "fout",
        "Cel C3 bevat een formule zonder opgeslagen uitkomst (het bestand is "
        "niet met Excel opgeslagen). Open het register in Excel en sla het op, of typ de waarde zelf in.",
    ) in _meldingen(r)
    _goed_heeft_zijn_brieven(werkmap)
    assert not any(p.startswith("F1/") for p in archief(werkmap))


def test_formule_met_opgeslagen_uitkomst_telt_als_waarde(werkmap):
    data = register([GOED, klacht("PLACEHOLDER", Naam_indiener="Oud")])

    def wijzig(naam, inhoud):  # what Excel writes: the formula and its cached result
        if naam == "xl/worksheets/sheet1.xml":
            inhoud = re.sub(
                rb'<c r="C3"[^>]*>.*?</c>',
                b'<c r="C3" t="str"><f>"Fien"&amp;" Formule"</f><v>Fien Formule</v></c>',
                inhoud,
            )
            inhoud = re.sub(
                rb'<c r="A3"[^>]*>.*?</c>', b'<c r="A3" t="str"><f>"K"&amp;"9"</f><v>K9</v></c>', inhoud
            )
        return inhoud

    zet(werkmap, _herpak(data, wijzig))
    r = verwerk(werkmap, nu=NU)
    assert r.fouten == 0, _meldingen(r)
    assert "Geachte Fien Formule," in docx_tekst(werkmap / "archief/K9/K9_ontvangstbevestiging_v1.docx")


def test_datumsysteem_1904(werkmap):
    def epoch(wb):
        wb.epoch = CALENDAR_MAC_1904

    rows = [klacht("GOED", date(2026, 11, 23))]
    wb = load_workbook(io.BytesIO(register(rows)))
    wb.epoch = CALENDAR_MAC_1904
    wb["Klachten"]["B2"] = date(2026, 11, 23)  # rewritten as a 1904-based serial
    out = io.BytesIO()
    wb.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zf:
        assert b'date1904="1"' in zf.read("xl/workbook.xml")
    zet(werkmap, out.getvalue())
    r = verwerk(werkmap, nu=NU)
    assert r.fouten == 0, _meldingen(r)
    assert "Op 23 november 2026 hebben wij uw klacht ontvangen" in docx_tekst(
        werkmap / "archief/GOED/GOED_ontvangstbevestiging_v1.docx"
    )


def test_tekst_en_getallen_in_datumcellen(werkmap):
    def getal(wb):
        ws = wb["Klachten"]
        ws["B4"] = 46000
        ws["B4"].number_format = "General"

    zet(werkmap, _pas_aan([GOED, klacht("T1", "gisteren"), klacht("G1")], getal))
    r = verwerk(werkmap, nu=NU)
    meldingen = _meldingen(r)
    assert (
        3,
        "Datum ontvangst",
        "fout",
        "'gisteren' is geen datum. Typ de datum als dd-mm-jjjj (bijvoorbeeld "
        "05-04-2026) of kies een datum in Excel.",
    ) in meldingen
    assert (
        4,
        "Datum ontvangst",
        "fout",
        "De cel bevat het getal 46000 in plaats van een datum. Geef de cel de "
        "opmaak Datum of typ de datum als dd-mm-jjjj.",
    ) in meldingen
    _goed_heeft_zijn_brieven(werkmap)
    assert {p.split("/")[0] for p in archief(werkmap)} == {"GOED"}


def test_lange_cellen_stuurtekens_emoji_en_rechts_naar_links(werkmap):
    lang = ("Een lange omschrijving. " * 1400)[:32_767]
    rows = [
        GOED,
        klacht("L1", Omschrijving=lang, Afschrift_aan_contactpersoon="ja"),
        klacht("S1", Naam_indiener="STUURTEKENS", Omschrijving="tab\there en verticaal"),
        klacht("E1", Naam_indiener="Zoë 😀 مرحبا שלום", Omschrijving="‮omgekeerd‬ en \u200bzero-width"),
    ]

    def stuurtekens(naam, inhoud):  # how Excel stores control characters: _xHHHH_ escapes
        return inhoud.replace(b"STUURTEKENS", b"Jan_x0001__x0002_ _x001F_Jansen_x007F_")

    zet(werkmap, _herpak(register(rows), stuurtekens))
    r = verwerk(werkmap, nu=NU)
    assert r.fouten == 0, _meldingen(r)
    assert lang.strip() in docx_tekst(werkmap / "archief/L1/L1_afschrift_v1.docx")
    assert "Geachte Jan Jansen," in docx_tekst(werkmap / "archief/S1/S1_ontvangstbevestiging_v1.docx")
    assert "Geachte Zoë 😀 مرحبا שלום," in docx_tekst(werkmap / "archief/E1/E1_ontvangstbevestiging_v1.docx")
    for pad in (werkmap / "archief").rglob("*.docx"):
        docx_tekst(pad)  # every document opens


def test_dubbele_nummers_en_vreemde_nummers_blijven_binnen_de_werkmap(werkmap):
    buiten_voor = sorted(
        p.as_posix() for p in werkmap.parent.rglob("*") if werkmap not in p.parents and p != werkmap
    )
    nummers = ["../x", "a/b", "CON", "nul.txt", "..\\..\\y", "/etc/passwd", "C:\\Windows\\z"]
    rows = [GOED, klacht("D1"), klacht("d1"), *[klacht(n) for n in nummers], klacht("x" * 300)]
    zet(werkmap, register(rows))
    r = verwerk(werkmap, nu=NU)
    fouten = {(m[0], m[1]) for m in _meldingen(r) if m[2] == "fout"}
    assert fouten == {(3, "Klachtnummer"), (4, "Klachtnummer"), (12, "Klachtnummer")}
    mappen = {p.split("/")[0] for p in archief(werkmap)}
    assert len(mappen) == 1 + len(nummers) and "GOED" in mappen
    buiten_na = sorted(
        p.as_posix() for p in werkmap.parent.rglob("*") if werkmap not in p.parents and p != werkmap
    )
    assert buiten_na == buiten_voor
    for p in werkmap.rglob("*"):
        assert p.resolve().is_relative_to(werkmap.resolve())


@pytest.mark.parametrize(
    "wijziging, boodschap",
    [
        (
            lambda wb: setattr(wb["Klachten"], "title", "Blad1"),
            "Het blad 'Klachten' ontbreekt (bladen in het bestand: ",
        ),
        (
            lambda wb: wb["Klachten"].cell(row=1, column=3, value="Naam"),
            "De kolom 'Naam indiener' ontbreekt in rij 1",
        ),
        (
            lambda wb: wb["Klachten"].cell(row=1, column=26, value="Omschrijving"),
            "De kolom 'Omschrijving' staat meer dan eens",
        ),
    ],
)
def test_blad_of_kolomkop_kwijt_geeft_geen_enkele_brief(werkmap, wijziging, boodschap):
    zet(werkmap, _pas_aan([GOED, klacht("K2")], wijziging))
    r = verwerk(werkmap, nu=NU)
    assert any(m.tekst.startswith(boodschap) for m in r.meldingen), _meldingen(r)
    assert archief(werkmap) == []
    assert json.loads((werkmap / ".klachtdocs/uitvoer.json").read_text())  # overzicht was written


@pytest.mark.parametrize(
    "regel",
    [
        [1, 2],
        "gemaakt",
        {
            "op": "gemaakt",
            "klachtnummer": "K1",
            "soort": "ontvangstbevestiging",
            "versie": 1,
            "bestand": 5,
            "gemaakt_op": "2026-11-24T10:00:00",
        },
        {
            "op": "gemaakt",
            "klachtnummer": "K1",
            "soort": "ontvangstbevestiging",
            "versie": 1,
            "bestand": "archief/K1/x.docx",
            "variabelen": [1, 2],
            "gemaakt_op": "2026-11-24T10:00:00",
        },
        {
            "op": "gemaakt",
            "klachtnummer": "K1",
            "soort": "ontvangstbevestiging",
            "versie": 10**30,
            "bestand": "archief/K1/x.docx",
            "variabelen": {},
            "gemaakt_op": "2026-11-24T10:00:00",
        },
        {
            "op": "gemaakt",
            "klachtnummer": "K1",
            "soort": "ontvangstbevestiging",
            "versie": 9,
            "bestand": "archief/K1/x.docx",
            "variabelen": {},
            "gemaakt_op": "2026-11-24T10:00:00+01:00",
        },
        {"op": "start", "id": "abc", "klachtnummer": "K1", "versie": 2, "bestand": "archief/K1/y.docx"},
    ],
)
def test_met_de_hand_bewerkte_journaalregel_wordt_overgeslagen(werkmap, regel):
    from tests.registers import schrijf

    schrijf(werkmap, [klacht("K1")])
    verwerk(werkmap, nu=NU)
    with open(werkmap / ".klachtdocs/journaal.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(regel) + "\n")
    schrijf(werkmap, [klacht("K1", Naam_indiener="Mevrouw B. Andere")])  # a real change: a new version
    r = verwerk(werkmap, nu=NU)
    assert [(d.soort, d.versie) for d in r.gemaakt if d.soort == "ontvangstbevestiging"] == [
        ("ontvangstbevestiging", 2)
    ]
    assert verwerk(werkmap, nu=NU).gemaakt == []
