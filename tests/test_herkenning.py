"""Nothing doubled when klachtdocs' own records are lost: the documents in archief/ are enough.

Each case loses or rolls back .klachtdocs/ for real (deleted, an older copy put back, the
workspace copied without its dot-folders) and checks that the next pass makes no file,
that the journal then records every document, and that a real change after that makes
exactly one new version with the right reason.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from klachtdocs.cache import Cache
from klachtdocs.documents import templates
from klachtdocs.processing import STAND, TERUGGEVONDEN, verwerk
from klachtdocs.rules.filenames import veilige_naam
from klachtdocs.storage.files import sha256
from klachtdocs.storage.journal import Journal
from tests.conftest import NU, bestanden
from tests.registers import klacht, schrijf
from tests.test_betrouwbaarheid import controleer_archief

MORGEN = NU + timedelta(days=1)
OVERMORGEN = NU + timedelta(days=2)


def rijen() -> list[dict]:
    return [
        klacht("K1"),
        klacht("K2", Afschrift_aan_contactpersoon="ja"),
        klacht(
            "K3", Besluit="niet in behandeling", Grond_niet_in_behandeling="geen directe relatie (art. 1)"
        ),
        klacht("a/b"),
    ]


def archief(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "archief").rglob("*"))
        if p.is_file()
    }


def wijziging_geeft_een_versie(
    root: Path, rows: list[dict], ontvangst: int, formulier: int, geheugen: Cache | None = None, nu=MORGEN
) -> None:
    """Rename K1's indiener: exactly one new ontvangstbevestiging and one new form, with their reasons."""
    rows[0]["Naam indiener"] = "Jan Janssen"
    schrijf(root, rows)
    gemaakt = verwerk(root, nu=nu, cache=geheugen).gemaakt
    assert [(d.bestand, d.reden) for d in gemaakt] == [
        (f"archief/K1/K1_ontvangstbevestiging_v{ontvangst}.docx", "gewijzigd: aanhef, adres"),
        (f"archief/K1/K1_klachtenformulier_v{formulier}.docx", "gewijzigd: brieven, naam_indiener"),
    ]
    controleer_archief(root)


def herkend_zonder_nieuwe_bestanden(root: Path, geheugen: Cache | None = None, nu=MORGEN) -> None:
    """Run a pass; assert it wrote nothing in archief/ and the journal records every file there."""
    voor = archief(root)
    resultaat = verwerk(root, nu=nu, cache=geheugen)
    assert resultaat.gemaakt == []
    assert archief(root) == voor
    journaal = controleer_archief(root)
    assert resultaat.teruggevonden and {d.reden for d in resultaat.teruggevonden} == {TERUGGEVONDEN}
    assert len(journaal.all_documents()) == len(voor)
    na = bestanden(root)  # and the pass after it changes nothing at all
    assert verwerk(root, nu=nu, cache=geheugen).gemaakt == [] and bestanden(root) == na


def test_staat_verwijderd(werkmap):
    rows = rijen()
    schrijf(werkmap, rows)
    verwerk(werkmap, nu=NU)
    shutil.rmtree(werkmap / ".klachtdocs")
    herkend_zonder_nieuwe_bestanden(werkmap)
    # The adopted letters keep when they were made (Te laat, the form's list of letters).
    journaal = Journal.read(werkmap / ".klachtdocs/journaal.jsonl")
    assert journaal.latest("K1", "ontvangstbevestiging").gemaakt_op == NU
    assert journaal.latest("K1", "bijlage").gemaakt_op == NU  # with its ontvangstbevestiging, not the clock
    wijziging_geeft_een_versie(werkmap, rows, 2, 2)


@pytest.mark.parametrize("met_geheugen", [False, True])
def test_oudere_kopie_van_de_staat_teruggezet(werkmap, tmp_path, met_geheugen):
    """A copy of .klachtdocs taken after the first pass is put back after a second pass made more.

    With a Cache the same watcher process runs all passes (it keeps the journal it read).
    """
    geheugen = Cache() if met_geheugen else None
    rows = rijen()
    schrijf(werkmap, rows)
    verwerk(werkmap, nu=NU, cache=geheugen)
    kopie = tmp_path / "kopie"
    shutil.copytree(werkmap / ".klachtdocs", kopie)
    rows[0]["Naam indiener"] = "Jan de Boer"  # new versions of K1's letter and form
    rows[2] |= {"Besluit": "in behandeling", "Grond niet in behandeling": None}
    rows[1] |= {
        "Besluit": "in behandeling",
        "Verdaagd tot": date(2026, 12, 21),
        "Reden verdaging": "Wachten.",
    }
    rows.append(klacht("K4"))  # a new klacht: its folder is only on disk
    schrijf(werkmap, rows)
    tweede = verwerk(werkmap, nu=MORGEN, cache=geheugen).gemaakt  # another day: the forms change too
    assert {(d.klachtnummer, d.soort, d.versie) for d in tweede} >= {
        ("K1", "ontvangstbevestiging", 2),
        ("K1", "klachtenformulier", 2),
        ("K2", "verdaging", 1),
        ("K4", "ontvangstbevestiging", 1),
    }
    shutil.rmtree(werkmap / ".klachtdocs")
    shutil.copytree(kopie, werkmap / ".klachtdocs")
    herkend_zonder_nieuwe_bestanden(werkmap, geheugen, nu=OVERMORGEN)
    journaal = Journal.read(werkmap / ".klachtdocs/journaal.jsonl")
    assert journaal.latest("K1", "ontvangstbevestiging").versie == 2
    wijziging_geeft_een_versie(werkmap, rows, 3, 3, geheugen, nu=OVERMORGEN)


@pytest.mark.parametrize("alleen_mappen", [False, True])
def test_werkmap_gekopieerd_zonder_verborgen_mappen(werkmap, tmp_path, alleen_mappen):
    """A copy leaves out every name starting with '.', or only such folders (the stand file comes along)."""
    rows = rijen()
    schrijf(werkmap, rows)
    verwerk(werkmap, nu=NU)
    kopie = tmp_path / "kopie"
    shutil.copytree(
        werkmap,
        kopie,
        ignore=lambda map_, namen: [
            n for n in namen if n.startswith(".") and (not alleen_mappen or (Path(map_) / n).is_dir())
        ],
    )
    assert not (kopie / ".klachtdocs").exists() and (kopie / STAND).exists() == alleen_mappen
    herkend_zonder_nieuwe_bestanden(kopie)
    wijziging_geeft_een_versie(kopie, rows, 2, 2)


def test_oudere_kopie_met_haar_stand_teruggezet(werkmap, tmp_path):
    """.klachtdocs and the stand beside it both put back from before the last pass: a letter due is not made
    twice, and the pass after it looks through the whole archief."""
    rows = rijen()
    schrijf(werkmap, rows)
    verwerk(werkmap, nu=NU)
    kopie = tmp_path / "kopie"
    shutil.copytree(werkmap / ".klachtdocs", kopie / ".klachtdocs")
    shutil.copy2(werkmap / STAND, kopie / STAND)
    rows[0]["Naam indiener"] = "Jan de Boer"
    rows[1]["Omschrijving"] = "Iets anders."  # only K2's form has it
    schrijf(werkmap, rows)
    verwerk(werkmap, nu=MORGEN)
    shutil.rmtree(werkmap / ".klachtdocs")
    shutil.copytree(kopie / ".klachtdocs", werkmap / ".klachtdocs")
    shutil.copy2(kopie / STAND, werkmap / STAND)
    voor = archief(werkmap)
    rows[3]["Omschrijving"] = "Nog iets anders."  # a save, so the pass is not skipped
    schrijf(werkmap, rows)
    eerste = verwerk(werkmap, nu=OVERMORGEN)
    stem = veilige_naam("a/b")
    assert {d.bestand for d in eerste.gemaakt} == {f"archief/{stem}/{stem}_klachtenformulier_v2.docx"}
    assert set(archief(werkmap)) - set(voor) == {d.bestand for d in eerste.gemaakt}
    assert not (werkmap / STAND).exists()
    tweede = verwerk(werkmap, nu=OVERMORGEN)
    assert tweede.gemaakt == [] and not tweede.ongewijzigd and (werkmap / STAND).exists()
    controleer_archief(werkmap)
    wijziging_geeft_een_versie(werkmap, rows, 3, 3, nu=OVERMORGEN)


def _zonder_merk(data: bytes) -> bytes:
    """Return a .docx as an older klachtdocs made it: without the custom properties part."""
    uit = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(uit, "w", zipfile.ZIP_DEFLATED) as zuit:
        for info in zin.infolist():
            if info.filename == "docProps/custom.xml":
                continue
            inhoud = zin.read(info)
            if info.filename == "_rels/.rels":
                inhoud = inhoud.replace(
                    b'<Relationship Id="rIdKlachtdocs" Type="http://schemas.openxmlformats.org'
                    b'/officeDocument/2006/relationships/custom-properties" '
                    b'Target="docProps/custom.xml"/>',
                    b"",
                )
            elif info.filename == "[Content_Types].xml":
                inhoud = inhoud.replace(
                    b'<Override PartName="/docProps/custom.xml" ContentType="application/vnd.'
                    b'openxmlformats-officedocument.custom-properties+xml"/>',
                    b"",
                )
            zuit.writestr(info.filename, inhoud)
    return uit.getvalue()


def test_documenten_van_een_oudere_klachtdocs_worden_overgenomen(werkmap):
    """Letters without the variable hashes (an older klachtdocs made them) are adopted as they are."""
    rows = rijen()
    schrijf(werkmap, rows)
    verwerk(werkmap, nu=NU)
    for pad in (werkmap / "archief").rglob("*.docx"):
        if "bijlage" not in pad.name:
            oud = _zonder_merk(pad.read_bytes())
            pad.write_bytes(oud)
            mark = templates.read_mark(pad)
            assert mark.variabelen is None and mark.kenmerk and mark.gemaakt_op == NU
    shutil.rmtree(werkmap / ".klachtdocs")
    herkend_zonder_nieuwe_bestanden(werkmap)
    wijziging_geeft_een_versie(werkmap, rows, 2, 2)


def test_gewijzigde_brief_wordt_overgenomen_zoals_hij_is(werkmap):
    """A letter someone opened and changed is still that letter: adopted as it is, never overwritten, no v2."""
    from docx import Document

    schrijf(werkmap, [klacht("K1")])
    verwerk(werkmap, nu=NU)
    brief = werkmap / "archief/K1/K1_ontvangstbevestiging_v1.docx"
    doc = Document(brief)
    doc.add_paragraph("Met vriendelijke groet, ook van mij.")
    doc.save(brief)
    gewijzigd = brief.read_bytes()
    mark = templates.read_mark(brief)
    assert mark.kenmerk == templates.kenmerk("K1", "ontvangstbevestiging", 1) and mark.ongewijzigd is False
    shutil.rmtree(werkmap / ".klachtdocs")
    resultaat = verwerk(werkmap, nu=MORGEN)
    assert brief.read_bytes() == gewijzigd
    assert [d for d in resultaat.gemaakt if d.soort == "ontvangstbevestiging"] == []
    teruggevonden = {d.bestand: d.reden for d in resultaat.teruggevonden}
    assert (
        teruggevonden["archief/K1/K1_ontvangstbevestiging_v1.docx"]
        == "teruggevonden in archief (met de hand gewijzigd)"
    )
    assert "archief/K1/K1_bijlage_klachtenreglement_v1.docx" in teruggevonden
    journaal = Journal.read(werkmap / ".klachtdocs/journaal.jsonl")
    assert [(d.versie, d.sha256) for d in journaal.versions("K1", "ontvangstbevestiging")] == [
        (1, sha256(gewijzigd))
    ]
    assert verwerk(werkmap, nu=MORGEN).gemaakt == []
    # A real change of the data afterwards: exactly one new version beside the edited letter.
    schrijf(werkmap, [klacht("K1", Naam_indiener="Mevrouw B. Andere")])
    nieuw = verwerk(werkmap, nu=MORGEN + timedelta(days=1)).gemaakt
    assert [(d.soort, d.versie) for d in nieuw if d.soort == "ontvangstbevestiging"] == [
        ("ontvangstbevestiging", 2)
    ]
    assert brief.read_bytes() == gewijzigd


def test_merk_in_elk_document(werkmap):
    """Every letter carries its kenmerk, when it was made and the variable hashes the journal keeps."""
    schrijf(werkmap, [klacht("K1")])
    verwerk(werkmap, nu=NU)
    journaal = Journal.read(werkmap / ".klachtdocs/journaal.jsonl")
    for doc in journaal.all_documents():
        if doc.soort == "bijlage":
            continue
        mark = templates.read_mark(werkmap / doc.bestand)
        assert mark.kenmerk == templates.kenmerk("K1", doc.soort, doc.versie)
        assert (
            mark.variabelen == dict(doc.variabelen) and mark.gemaakt_op == doc.gemaakt_op and mark.ongewijzigd
        )


def test_gekopieerd_reglement_wordt_herkend_aan_zijn_bytes(werkmap):
    """A klachtenreglement sent as it is (a PDF) is adopted when its bytes are the reglement's."""
    (werkmap / "sjablonen/klachtenreglement.pdf").write_bytes(b"%PDF-1.4 het klachtenreglement\n%%EOF\n")
    cfg = werkmap / "klachtdocs.toml"
    cfg.write_text(
        cfg.read_text().replace(
            'bijlage_ontvangstbevestiging = "klachtenreglement.docx"',
            'bijlage_ontvangstbevestiging = "klachtenreglement.pdf"',
        )
    )
    rows = rijen()
    schrijf(werkmap, rows)
    verwerk(werkmap, nu=NU)
    assert (werkmap / "archief/K1/K1_bijlage_klachtenreglement_v1.pdf").exists()
    shutil.rmtree(werkmap / ".klachtdocs")
    herkend_zonder_nieuwe_bestanden(werkmap)
    journaal = Journal.read(werkmap / ".klachtdocs/journaal.jsonl")
    assert journaal.latest("K1", "bijlage").gemaakt_op == NU
    wijziging_geeft_een_versie(werkmap, rows, 2, 2)
