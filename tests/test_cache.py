"""A pass with a Cache (the watcher's) does exactly what a pass without one does."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from klachtdocs.cache import Cache
from klachtdocs.processing import verwerk
from klachtdocs.reports.overzicht import Overzicht, content_hash, naar_bytes
from klachtdocs.scaffold import init
from klachtdocs.storage.journal import Journal
from tests.conftest import NU
from tests.registers import MEDEWERKERS, klacht, schrijf

JOURNAAL = ".klachtdocs/journaal.jsonl"


def journaal_inhoud(j: Journal, sha: bool = True) -> list:
    return sorted(
        (
            d.klachtnummer,
            d.soort,
            d.versie,
            d.bestand,
            d.sha256 if sha else "",
            d.gemaakt_op,
            d.reden,
            dict(d.variabelen) if d is j.latest(d.klachtnummer, d.soort) else None,
        )
        for d in j.all_documents()
    )


def delen(pad) -> list:
    """Return the parts of a .docx (their zip entries carry the wall-clock time of writing)."""
    with zipfile.ZipFile(pad) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def overzicht_waarden(root) -> dict:
    wb = load_workbook(root / "overzicht.xlsx")
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def test_rondes_met_cache_doen_hetzelfde_als_zonder(tmp_path):
    """Two workspaces get the same saves; one is processed as the watcher does, one pass per process.

    The saves cover what a Cache must notice: an edited row, a row inserted above others
    (every row number shifts), a changed Medewerkers sheet, a pass by another process in
    between, a torn journal line, a journal restored from an older copy, and a new day.
    """
    met, zonder = tmp_path / "met", tmp_path / "zonder"
    for root in (met, zonder):
        init(root, vandaag=date(2026, 1, 1))
    geheugen = Cache()
    rows = [klacht(f"K{i}", Afschrift_aan_contactpersoon="ja" if i == 3 else None) for i in range(5)]
    medewerkers = list(MEDEWERKERS)
    contact: tuple = ()
    nu = NU
    hergebruikt = []

    def ronde(anders: bool = False) -> None:
        """Save the register in both workspaces, run a pass in each and compare everything."""
        for root in (met, zonder):
            schrijf(root, rows, medewerkers=medewerkers, contactmomenten=contact)
        vorig_journaal = geheugen.journal
        a = verwerk(met, nu=nu) if anders else verwerk(met, nu=nu, cache=geheugen)
        b = verwerk(zonder, nu=nu)
        hergebruikt.append(geheugen.journal is vorig_journaal and vorig_journaal is not None)
        assert not a.ongewijzigd and not b.ongewijzigd
        assert [(d.bestand, d.versie, d.reden) for d in a.gemaakt] == [
            (d.bestand, d.versie, d.reden) for d in b.gemaakt
        ]
        for d in a.gemaakt:
            assert delen(met / d.bestand) == delen(zonder / d.bestand), d.bestand
        assert a.meldingen == b.meldingen and a.klachten == b.klachten
        assert overzicht_waarden(met) == overzicht_waarden(zonder)
        assert journaal_inhoud(Journal.read(met / JOURNAAL), sha=False) == journaal_inhoud(
            Journal.read(zonder / JOURNAAL), sha=False
        )
        if not anders:  # the journal the Cache keeps is the journal on disk
            assert journaal_inhoud(geheugen.journal) == journaal_inhoud(Journal.read(met / JOURNAAL))
            assert geheugen.journal.unfinished == {}

    ronde()
    rows[2]["Naam indiener"] = "Jan & <Piet>"
    ronde()
    kopie = {root: (root / JOURNAAL).read_bytes() for root in (met, zonder)}
    rows.insert(
        1,
        klacht(
            "K9", Datum_afgehandeld=date(2026, 11, 20), Besluit="gegrond", Beslissing="Excuses aangeboden."
        ),
    )
    contact = (("K0", date(2026, 11, 3), "telefoon", "Gebeld over de klacht."),)
    ronde()
    medewerkers = [(*MEDEWERKERS[0][:3], "030 7654321")]
    ronde()
    rows[0]["Omschrijving"] = "Afspraak twee keer niet nagekomen."
    ronde(anders=True)  # a pass by `klachtdocs verwerk` while the watcher runs
    rows[4]["Telefoonnummer"] = "06 12345678"
    ronde()
    for root in (met, zonder):
        with open(root / JOURNAAL, "ab") as fh:
            fh.write(b'{"op": "gemaakt", "klachtn')  # a pass killed while it wrote
    rows[3]["Omschrijving"] = "Ook de vervolgafspraak ging niet door."
    rows[3]["Naam indiener"] = "Karel Klaassen"  # a new letter version: this pass appends past the torn line
    ronde()
    rows.append(klacht("K10"))
    ronde()
    for root in (met, zonder):  # an older copy of the journal put back
        (root / JOURNAAL).write_bytes(kopie[root])
    ronde()
    nu = NU + timedelta(days=1)
    rows[2] |= {"Datum afgehandeld": date(2026, 11, 24), "Besluit": "ongegrond", "Beslissing": "Geen fout."}
    ronde()
    # The journal kept is continued, except after a torn line (our own append moved past it),
    # and when the journal on disk is not the one it reflects.
    assert hergebruikt == [False, True, True, True, True, True, True, False, False, True]


def test_journaal_vervolgt_van_het_vorige(tmp_path):
    pad = tmp_path / "journaal.jsonl"
    a = Journal.read(pad)
    from klachtdocs.rules.model import Document

    def doc(n: int, versie: int = 1) -> Document:
        return Document(
            f"K{n}",
            "ontvangstbevestiging",
            versie,
            f"archief/K{n}/K{n}_v{versie}.docx",
            {"naam": "00" * 8},
            "ab" * 32,
            NU,
        )

    a.made_batch([(f"i{n}", doc(n)) for n in range(3)])
    b = Journal.read(pad)  # another process appends
    b.start_batch([("x", doc(7))])
    b.made_batch([("y", doc(1, 2))])
    vervolg = Journal.read(pad, a)
    assert vervolg is a and journaal_inhoud(a) == journaal_inhoud(Journal.read(pad))
    assert a.unfinished.keys() == {"x"} and [d.versie for d in a.versions("K1", "ontvangstbevestiging")] == [
        1,
        2,
    ]
    pad.write_bytes(pad.read_bytes()[:300])  # replaced by an older or other journal
    opnieuw = Journal.read(pad, a)
    assert opnieuw is not a and journaal_inhoud(opnieuw) == journaal_inhoud(Journal.read(pad))


def test_overzicht_met_geheugen_is_hetzelfde_werkboek(tmp_path):
    rijen = tuple((f"K{i}", "ontvangstbevestiging", 1, f"archief/K{i}/K{i}.docx", NU) for i in range(700))
    termijnen = tuple(
        (f"K{i}", "open", "Wachten.", date(2026, 11, 3), None, None, None, "nee") for i in range(600)
    )
    memo, hashes = Cache(), {}
    for stap, brieven in enumerate((rijen, rijen, rijen[:300] + (("K", "x", 2, "y", NU),) + rijen[300:])):
        o = Overzicht(termijnen, (), brieven)
        met, zonder = naar_bytes(o, memo), naar_bytes(o)
        with zipfile.ZipFile(io.BytesIO(met)) as zm, zipfile.ZipFile(io.BytesIO(zonder)) as zz:
            for naam in zz.namelist():
                if naam != "docProps/core.xml":  # its creation time
                    assert zm.read(naam) == zz.read(naam), (stap, naam)
        hashes[stap] = content_hash(o, memo), content_hash(o)
        assert hashes[stap][0] == hashes[stap][1]
        memo.end_pass()
    assert hashes[0] == hashes[1] != hashes[2]
    with pytest.raises(TypeError):
        naar_bytes(Overzicht(((True,),), (), ()))


def test_overzicht_met_een_memo_geeft_dezelfde_waarden():
    """With a memo (here a plain dict), naar_bytes makes the same workbook and reuses what it made."""
    kept: dict = {}
    gemaakt: list = []

    def memo(key, compute):
        if key not in kept:
            gemaakt.append(key[0])
            kept[key] = compute()
        return kept[key]

    brieven = tuple((f"K{i}", "ontvangstbevestiging", 1, f"archief/K{i}.docx", NU) for i in range(600))
    o = Overzicht((), (("3", "K1", "Naam indiener", "fout", "Vul de naam in."),), brieven)
    zonder = naar_bytes(o)
    for keer in range(2):
        gemaakt.clear()
        met = naar_bytes(o, memo)
        assert gemaakt == ([] if keer else ["xlsx-rijen"] * 4)  # 3 blocks of Brieven, 1 of Meldingen
        wb_met, wb_zonder = load_workbook(io.BytesIO(met)), load_workbook(io.BytesIO(zonder))
        assert [[[c.value for c in r] for r in ws.iter_rows()] for ws in wb_met.worksheets] == [
            [[c.value for c in r] for r in ws.iter_rows()] for ws in wb_zonder.worksheets
        ]
    assert content_hash(o, memo) == content_hash(o) == content_hash(o, memo)


def test_cache_houdt_wat_de_laatste_ronde_gebruikte():
    cache, berekend = Cache(), []

    def waarde(key):
        return cache(key, lambda: berekend.append(key) or len(berekend))

    assert [waarde(("a", 1)), waarde(("a", 2)), waarde(("b", 1)), waarde(("a", 1))] == [1, 2, 3, 1]
    cache.end_pass()
    assert waarde(("a", 2)) == 2 and len(cache) == 3  # used again this pass
    cache.end_pass()  # ("a", 1) was not used: dropped; "b" was not asked for at all: kept
    assert len(cache) == 2 and cache.holds("b") and waarde(("a", 1)) == 4
    cache.end_pass()
    cache.end_pass()  # a pass that asked for nothing keeps everything
    assert len(cache) == 2 and waarde(("a", 1)) == 4 and waarde(("b", 1)) == 3
