"""Dependencies: every library klachtdocs imports is declared, and a steady pass imports none of the heavy ones."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from klachtdocs.processing import Resultaat, verwerk
from tests.conftest import NU
from tests.registers import klacht, schrijf
from tests.test_opslag import adres_ingevuld

REPO = Path(__file__).resolve().parent.parent
#: libraries a pass that finds nothing changed has no use for (each costs tens to hundreds of ms to import)
ZWAAR = {
    "numpy",
    "pandas",
    "docxtpl",
    "docx",
    "jinja2",
    "openpyxl",
    "watchdog",
    "xlsxwriter",
    "lxml",
    "dateutil",
    "klachtdocs.rules.validatie",
    "klachtdocs.documents.templates",
    "klachtdocs.reports.overzicht",
}


def _norm(naam: str) -> str:
    return re.sub(r"[-_.]+", "-", naam).lower()


def afhankelijkheden() -> dict[str, str]:
    """Return normalised distribution name -> its requirement, from pyproject.toml."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return {_norm(re.match(r"[A-Za-z0-9_.-]+", eis).group()): eis for eis in project["dependencies"]}


def test_elke_geimporteerde_bibliotheek_staat_in_pyproject():
    modules = set()
    for pad in (REPO / "klachtdocs").rglob("*.py"):
        for node in ast.walk(ast.parse(pad.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    derden = sorted(
        m for m in modules - set(sys.stdlib_module_names) if m not in ("klachtdocs", "__future__")
    )
    distributies = packages_distributions()
    verklaard = afhankelijkheden()
    ontbreekt = [(m, d) for m in derden for d in distributies[m] if _norm(d) not in verklaard]
    assert ontbreekt == []
    assert {"python-docx", "jinja2", "xlsxwriter"} <= verklaard.keys()  # xlsxwriter: pandas' engine
    assert "numpy" not in verklaard  # klachtdocs imports it nowhere; pandas brings its own


def test_bibliotheken_waarvan_de_snelle_weg_de_binnenkant_gebruikt_hebben_een_bovengrens():
    verklaard = afhankelijkheden()
    for naam in ("docxtpl", "python-docx"):
        assert "<" in verklaard[naam], verklaard[naam]


def test_een_ronde_zonder_wijziging_laadt_geen_zware_bibliotheken(werkmap):
    adres_ingevuld(werkmap)
    schrijf(werkmap, [klacht("K1")])
    verwerk(werkmap, nu=NU)
    verwerk(werkmap)  # today's pass: the next one with the same inputs stops after reading the register
    r = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "klachtdocs", "verwerk", str(werkmap)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout == Resultaat(klachten=1).samenvatting() + "\n"
    geladen = {m.group(1) for m in re.finditer(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", r.stderr, re.M)}
    assert geladen, r.stderr[:500]
    assert sorted(m for m in geladen if m in ZWAAR or m.split(".")[0] in ZWAAR) == []
