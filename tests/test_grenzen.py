"""Bounds a template from a shared folder cannot escape: render time, output size, active content."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from klachtdocs.documents import templates, workers
from klachtdocs.exceptions import SjabloonBegrensd
from klachtdocs.processing import verwerk
from tests.conftest import NU
from tests.registers import klacht, register, schrijf
from tests.test_bewaking import wacht_op

EINDELOOS = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
GROOT = "{% for a in range(100000) %}{{ 'x' * 100000 }}{% endfor %}"


def zet_in_sjabloon(root: Path, soort: str, tekst: str) -> None:
    """Add a paragraph with *tekst* to the template of *soort*, saved by python-docx as Word would."""
    from docx import Document

    doc = Document(root / f"sjablonen/{soort}.docx")
    doc.add_paragraph(tekst)
    doc.save(root / f"sjablonen/{soort}.docx")


def klachten_voor_alle_soorten() -> list[dict]:
    return [
        klacht("A", Besluit="niet in behandeling", Grond_niet_in_behandeling="geen directe relatie (art. 1)"),
        klacht("S", Beslissing="x", Datum_afgehandeld=date(2026, 11, 20)),
        klacht("V", Verdaagd_tot=date(2026, 12, 14), Reden_verdaging="r"),
    ]


def klachtdocs(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "klachtdocs", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )


def archief(root: Path, soort: str) -> list[Path]:
    return sorted((root / "archief").rglob(f"*_{soort}_v*.docx"))


# -- bounded rendering -----------------------------------------------------------------------


@pytest.mark.traag
def test_eindeloos_sjabloon_houdt_verwerk_en_controleer_niet_op(werkmap):
    zet_in_sjabloon(werkmap, "afwijzing", EINDELOOS)
    schrijf(werkmap, klachten_voor_alle_soorten())
    t0 = time.monotonic()
    uit = klachtdocs("verwerk", str(werkmap))
    assert time.monotonic() - t0 < 60
    assert uit.returncode == 1, uit.stdout + uit.stderr
    assert "Traceback" not in uit.stderr
    assert (
        "Sjabloon afwijzing.docx bij alinea" in uit.stdout
        and "herhaalt meer dan 1.000.000 keer" in uit.stdout
    )
    assert not archief(werkmap, "afwijzing")
    assert (
        archief(werkmap, "afsluiting")
        and archief(werkmap, "verdaging")
        and archief(werkmap, "ontvangstbevestiging")
    )
    t0 = time.monotonic()
    uit = klachtdocs("controleer", str(werkmap))
    assert time.monotonic() - t0 < 60
    assert uit.returncode == 1, uit.stdout + uit.stderr
    assert "Sjabloon afwijzing.docx bij alinea" in uit.stdout and "Traceback" not in uit.stderr


@pytest.mark.parametrize(
    "tekst, wat",
    [
        (GROOT, "schrijft meer dan 20.000.000 tekens"),
        ("{{ 'x' * 10**9 }}", "meer dan 20.000.000 tekens"),
        (
            "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "meer dan 20.000.000 tekens",
        ),
        ("{{ ('x' * 100000).replace('x', 'x' * 100000) }}", "meer dan 20.000.000 tekens"),
        ("{{ 'x'|center(10**9) }}", "het filter center"),
        ("{{ (['x' * 100000] * 1000)|join }}", "meer dan 20.000.000 tekens"),
        ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "roept zichzelf te diep aan"),
        ("{{ 7 ** 10000000 }}", "100.000 bits"),
        ("{{ '%0999999999d' % 1 }}", "meer dan 20.000.000 tekens"),
        ("{{ '%*s' % (10**9, 'x') }}", "meer dan 20.000.000 tekens"),
        ("{{ '{:>{}}'.format('x', 10**9) }}", "meer dan 20.000.000 tekens"),
        ("{{ '%s'|format('x')|center(10**9) }}", "het filter center"),
        ("{{ '%0999999999d'|format(1) }}", "meer dan 20.000.000 tekens"),
        ("{{ 'x'.ljust(10**9) }}", "meer dan 20.000.000 tekens"),
    ],
)
def test_grote_uitvoer_is_begrensd_op_beide_wegen(werkmap, tekst, wat):
    zet_in_sjabloon(werkmap, "afwijzing", "{% if klachtnummer != 'A1' %}" + tekst + "{% endif %}")
    omgeving = templates.make_environment()
    sjabloon = templates.load("afwijzing", werkmap / "sjablonen/afwijzing.docx", omgeving)
    from klachtdocs.rules import brieven

    ctx = brieven.voorbeeld_context("afwijzing")
    renderer = templates.Renderer(sjabloon, omgeving)
    renderer.render(ctx | {"klachtnummer": "A1"}, "k", datetime(2026, 1, 1))  # the plain way: fine
    for _ in range(2):  # the fast way; the second time without spending the budget again
        t0 = time.monotonic()
        with pytest.raises(SjabloonBegrensd, match=wat):
            renderer.render(ctx | {"klachtnummer": "A2"}, "k", datetime(2026, 1, 1))
        assert time.monotonic() - t0 < 15
    with pytest.raises(SjabloonBegrensd, match="Sjabloon afwijzing.docx"):  # the plain way alone
        templates.render(sjabloon, ctx, omgeving, "k", datetime(2026, 1, 1))


def test_een_gewoon_sjabloon_met_lussen_en_macros_blijft_werken(werkmap):
    zet_in_sjabloon(
        werkmap,
        "afwijzing",
        "{% macro m(x) %}[{{ x }}]{% endmacro %}{% for i in range(3) %}"
        "{{ m(i) }}{{ loop.index }}{% endfor %} {{ 'a' ~ 'b' }} {{ 'ab' * 2 }} {{ 2 ** 10 }} "
        "{{ '%s-%d' % ('a', 3) }} {{ [1, 2]|join(',') }} {{ 'aXb'|replace('X', 'y') }} "
        "{{ 'Bel 0201234567 of %d'|format(123456789) }} {{ '%05d' % 42 }} {{ '{:>4}'.format('r') }}",
    )
    schrijf(werkmap, klachten_voor_alle_soorten())
    resultaat = verwerk(werkmap, nu=NU)
    assert resultaat.fouten == 0
    from tests.conftest import docx_tekst

    assert "[0]1[1]2[2]3 ab abab 1024 a-3 1,2 ayb Bel 0201234567 of 123456789 00042    r" in docx_tekst(
        archief(werkmap, "afwijzing")[0]
    )


@pytest.mark.traag
def test_eindeloos_sjabloon_in_werkprocessen(werkmap):
    zet_in_sjabloon(werkmap, "afwijzing", EINDELOOS)
    from klachtdocs.rules import brieven

    sjabloon = templates.load("afwijzing", werkmap / "sjablonen/afwijzing.docx", templates.make_environment())
    ctx = brieven.voorbeeld_context("afwijzing")
    taken = [
        workers.Task("afwijzing", ctx, f"k{i}", datetime(2026, 1, 1)) for i in range(workers.MIN_FOR_WORKERS)
    ]
    t0 = time.monotonic()
    uit = list(workers.render_all(taken, {"afwijzing": sjabloon}, {}, processen=2))
    assert time.monotonic() - t0 < 90
    assert len(uit) == len(taken) and all(isinstance(u.exception(), SjabloonBegrensd) for u in uit)


@pytest.mark.traag
def test_bewaking_met_eindeloos_sjabloon_verwerkt_opslagen_en_stopt_op_sigterm(werkmap):
    zet_in_sjabloon(werkmap, "afwijzing", EINDELOOS)
    afgewezen = klacht(
        "A",
        date.today(),
        Besluit="niet in behandeling",
        Grond_niet_in_behandeling="geen directe relatie (art. 1)",
    )
    schrijf(werkmap, [afgewezen, klacht("C", date.today())])
    proc = subprocess.Popen(
        [sys.executable, "-m", "klachtdocs", "watch", str(werkmap)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )
    brief = lambda n: werkmap / f"archief/{n}/{n}_ontvangstbevestiging_v1.docx"  # noqa: E731
    try:
        assert wacht_op(lambda: brief("C").exists(), 60), "eerste ronde"
        (werkmap / "klachtenregister.xlsx").write_bytes(
            register([afgewezen, klacht("C", date.today()), klacht("B", date.today())])
        )
        assert wacht_op(lambda: brief("B").exists(), 60), "een opslag na de ronde met het eindeloze sjabloon"
    finally:
        t0 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
            pytest.fail("de bewaking stopt niet op SIGTERM:\n" + out)
    assert time.monotonic() - t0 < 15
    assert proc.returncode == 0, out
    assert "Bewaking gestopt." in out and "afwijzing.docx" in out
    assert not archief(werkmap, "afwijzing")


# -- active content --------------------------------------------------------------------------


def _met_macros(data: bytes, docm: bool) -> bytes:
    """Return the .docx *data* with a vbaProject.bin part as Word writes it in a .docm."""
    uit = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(uit, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            inhoud = zin.read(info)
            if info.filename == "[Content_Types].xml":
                inhoud = inhoud.replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
                if docm:
                    inhoud = inhoud.replace(
                        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
                    )
            if info.filename == "word/_rels/document.xml.rels":
                inhoud = inhoud.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVba" Type="http://schemas.'
                    b'microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
                    b"</Relationships>",
                )
            zout.writestr(info, inhoud)
        zout.writestr(
            "word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + b"Attribute VB_Name"
        )
    return uit.getvalue()


@pytest.mark.parametrize("docm", [False, True], ids=["docx-met-vbaproject", "docm-hernoemd"])
def test_sjabloon_met_macros_wordt_geweigerd(werkmap, docm):
    pad = werkmap / "sjablonen/afwijzing.docx"
    pad.write_bytes(_met_macros(pad.read_bytes(), docm))
    schrijf(werkmap, klachten_voor_alle_soorten())
    resultaat = verwerk(werkmap, nu=NU)
    teksten = [m.tekst for m in resultaat.meldingen]
    assert any("Sjabloon afwijzing.docx bevat macro's" in t for t in teksten), teksten
    assert not archief(werkmap, "afwijzing")
    for brief in (werkmap / "archief").rglob("*.docx"):
        assert not any("vbaproject" in n.lower() for n in zipfile.ZipFile(brief).namelist())
    assert (
        archief(werkmap, "afsluiting")
        and archief(werkmap, "verdaging")
        and archief(werkmap, "ontvangstbevestiging")
    )
    uit = klachtdocs("controleer", str(werkmap))
    assert uit.returncode == 1 and "afwijzing.docx bevat macro's" in uit.stdout


def test_sjabloon_met_activex_of_extern_sjabloon_wordt_geweigerd(werkmap):
    pad = werkmap / "sjablonen/afsluiting.docx"
    data = pad.read_bytes()
    uit = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(uit, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr("word/activeX/activeX1.xml", b"<ax:ocx/>")
    pad.write_bytes(uit.getvalue())
    pad2 = werkmap / "sjablonen/verdaging.docx"
    uit = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(pad2.read_bytes())) as zin, zipfile.ZipFile(uit, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr(
            "word/_rels/settings.xml.rels",
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
            b'Target="http://example.invalid/x.dotm" TargetMode="External"/></Relationships>',
        )
    pad2.write_bytes(uit.getvalue())
    schrijf(werkmap, klachten_voor_alle_soorten())
    teksten = [m.tekst for m in verwerk(werkmap, nu=NU).meldingen]
    assert any("afsluiting.docx bevat ActiveX" in t for t in teksten), teksten
    assert any("verdaging.docx bevat een verwijzing naar een sjabloon" in t for t in teksten), teksten


@pytest.mark.parametrize(
    "tekst", ["{{ 1/0 }}", "{{ naam_indiener + 1 }}", "{{ '%Y'|format(1) }}", "{{ 10**5000 }}"]
)
def test_rekenfout_in_een_sjabloon_is_een_melding_en_de_rest_gaat_door(werkmap, tekst):
    zet_in_sjabloon(werkmap, "afwijzing", tekst)
    schrijf(werkmap, klachten_voor_alle_soorten())
    resultaat = verwerk(werkmap, nu=NU)
    (m,) = [m for m in resultaat.meldingen if m.blad == "sjablonen"]
    assert m.tekst.startswith("Sjabloon afwijzing.docx") and "Herstel het sjabloon in Word." in m.tekst
    assert archief(werkmap, "afwijzing") == []
    assert archief(werkmap, "afsluiting") and archief(werkmap, "verdaging")  # the other kinds are made
    r = klachtdocs("controleer", str(werkmap))
    assert r.returncode == 1 and "Traceback" not in r.stderr + r.stdout
    assert "FOUT (sjablonen): Sjabloon afwijzing.docx" in r.stdout
