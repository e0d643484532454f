"""LibreOffice headless is the independent client that must open everything we write."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from klachtdocs.demo import make_demo
from klachtdocs.processing import verwerk
from tests.conftest import NU

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    if not SOFFICE:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) ontbreekt in CI: .ci/run moet het installeren.")
        pytest.skip("LibreOffice (soffice) is niet geïnstalleerd")
    root = tmp_path_factory.mktemp("lo") / "demo"
    make_demo(root, NU.date())
    verwerk(root, nu=NU)
    return root


def converteer(bestanden: list[Path], naar: str, out: Path) -> list[Path]:
    profiel = out / "profiel"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profiel}",
            "--headless",
            "--convert-to",
            naar,
            "--outdir",
            str(out),
            *map(str, bestanden),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return sorted(p for p in out.iterdir() if p.is_file())


def test_elke_soort_brief_opent_in_libreoffice(demo, tmp_path):
    soorten = {}
    for path in sorted((demo / "archief").rglob("*.docx")):
        soort = path.stem.split("_")[1]
        soorten.setdefault(soort, path)
    assert sorted(soorten) == [
        "afschrift",
        "afsluiting",
        "afwijzing",
        "bijlage",
        "klachtenformulier",
        "ontvangstbevestiging",
        "verdaging",
    ]
    pdfs = converteer(list(soorten.values()), "pdf", tmp_path)
    assert len(pdfs) == len(soorten)
    assert all(p.stat().st_size > 5000 for p in pdfs)


def test_overzicht_opent_in_libreoffice(demo, tmp_path):
    out = converteer([demo / "overzicht.xlsx"], "csv", tmp_path)
    tekst = out[0].read_text(encoding="utf-8", errors="replace")
    assert tekst.startswith("Klachtnummer,Status,Volgende stap")
    assert "K2026-001" in tekst


def test_analyse_opent_in_libreoffice_met_dezelfde_cijfers_en_grafieken(demo, tmp_path):
    import zipfile

    from openpyxl import load_workbook

    from klachtdocs.monthly import make_analysis

    origineel = make_analysis(demo, (2026, 11), nu=NU).pad
    uit = tmp_path / "lo"
    uit.mkdir()
    (omgezet,) = [p for p in converteer([origineel], "xlsx", uit) if p.suffix == ".xlsx"]

    def waarden(path):
        wb = load_workbook(path)
        return {ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in wb}

    voor, na = waarden(origineel), waarden(omgezet)
    assert list(na) == list(voor)
    for blad, rows in voor.items():
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                terug = na[blad][r][c] if r < len(na[blad]) and c < len(na[blad][r]) else None
                if isinstance(value, float):
                    assert terug == pytest.approx(value), (blad, r, c)
                else:
                    assert terug == value, (blad, r, c)
    with zipfile.ZipFile(omgezet) as zf:
        assert len([n for n in zf.namelist() if n.startswith("xl/charts/chart")]) == 4
