from datetime import date
from pathlib import Path

from click.testing import CliRunner

from klachtdocs import __version__
from klachtdocs.cli import main
from tests.registers import klacht, schrijf


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_version():
    assert run("--version").output == f"klachtdocs {__version__}\n"


def test_init_maakt_werkmap_en_weigert_daarna(tmp_path):
    root = tmp_path / "w"
    r = run("init", root)
    assert r.exit_code == 0
    assert r.output.startswith(f"Werkmap gemaakt in {root} (9 bestanden).\nNog in te vullen:\n- ")
    assert r.output.endswith(
        f"Vul de klachten in {root / 'klachtenregister.xlsx'} en start 'klachtdocs watch {root}'.\n"
    )
    assert sorted(p.name for p in root.iterdir()) == [
        "archief",
        "klachtdocs.toml",
        "klachtenregister.xlsx",
        "sjablonen",
    ]
    assert f"brieven_vanaf = {date.today().isoformat()}" in (root / "klachtdocs.toml").read_text()
    again = CliRunner().invoke(main, ["init", str(root)])
    assert again.exit_code == 2
    assert f"Fout: {root / 'klachtenregister.xlsx'} bestaat al" in again.output


def _echt_adres(toml: str) -> str:
    """Return *toml* with the organisation's real address instead of the example."""
    return (
        toml.replace("Voorbeeldstraat 1", "Stationsplein 8")
        .replace("1234 AB Voorbeeldstad", "3511 ED Utrecht")
        .replace('plaats = "Voorbeeldstad"', 'plaats = "Utrecht"')
    )


def test_init_en_controleer_noemen_wat_nog_voorbeeld_is(tmp_path):
    root = tmp_path / "w"
    r = run("init", root)
    assert "Nog in te vullen:" in r.output
    assert "voorbeeld bij adres, postcode_plaats, plaats (Voorbeeldstraat 1)" in r.output
    assert "Het blad Medewerkers is leeg" in r.output
    schrijf(root, [klacht("K1")], medewerkers=[])
    r = run("controleer", root)
    assert (
        "WAARSCHUWING (klachtdocs.toml): In klachtdocs.toml staat onder [organisatie] nog het "
        "voorbeeld bij adres, postcode_plaats, plaats (Voorbeeldstraat 1)" in r.output
    )
    assert "WAARSCHUWING (blad Medewerkers): Het blad Medewerkers is leeg" in r.output
    (root / "klachtdocs.toml").write_text(_echt_adres((root / "klachtdocs.toml").read_text()))
    schrijf(root, [klacht("K1"), klacht("K2")])
    r = run("verwerk", root)
    assert "voorbeeld" not in r.output and "Medewerkers" not in r.output
    schrijf(root, [klacht("K1"), klacht("K2")], medewerkers=[])
    r = run("verwerk", root)
    assert r.output.count("Het blad Medewerkers is leeg") == 1  # once a pass, not per row
    from openpyxl import load_workbook

    meldingen = [
        row[4]
        for row in load_workbook(root / "overzicht.xlsx")["Meldingen"].iter_rows(values_only=True)
        if row and isinstance(row[4], str) and "Medewerkers is leeg" in row[4]
    ]
    assert len(meldingen) == 1


def test_verwerk_exitcodes(tmp_path):
    root = tmp_path / "w"
    run("init", root)
    (root / "klachtdocs.toml").write_text(
        _echt_adres(
            (root / "klachtdocs.toml")
            .read_text()
            .replace(f"brieven_vanaf = {date.today().isoformat()}", "brieven_vanaf = 2020-01-01")
        )
    )
    schrijf(root, [klacht("K1", date.today())])
    ok = run("verwerk", root)
    assert ok.exit_code == 0, ok.output
    assert ok.output.endswith(
        "1 klacht gelezen, 3 documenten gemaakt (3 nieuw, 0 nieuwe versies), 0 fouten en 0 waarschuwingen.\n"
    )
    schrijf(root, [klacht("K1", date.today()), klacht("K2", date.today(), Naam_indiener=None)])
    fout = run("verwerk", root)
    assert fout.exit_code == 1
    assert fout.output.startswith("FOUT (rij 3, K2, kolom Naam indiener): Naam indiener ontbreekt.")
    (root / "klachtenregister.xlsx").unlink()
    weg = run("verwerk", root)
    assert weg.exit_code == 2
    assert weg.output == "Fout: klachtenregister.xlsx bestaat niet (gezocht in " + str(root) + ").\n"
    assert run("verwerk", tmp_path / "nergens").exit_code == 2


def test_controleer_schrijft_niets_en_vindt_sjabloonfouten(tmp_path):
    root = tmp_path / "w"
    run("init", root)
    (root / "klachtdocs.toml").write_text(_echt_adres((root / "klachtdocs.toml").read_text()))
    schrijf(root, [klacht("K1", date.today())])
    voor = sorted(p.as_posix() for p in root.rglob("*"))
    r = run("controleer", root)
    assert r.exit_code == 0 and r.output.endswith(
        "1 klacht gecontroleerd: 0 fouten, 0 waarschuwingen. Er is niets geschreven.\n"
    )
    (root / "sjablonen/verdaging.docx").write_bytes(b"kapot")
    r = run("controleer", root)
    assert r.exit_code == 1
    assert "FOUT (sjablonen): Sjabloon verdaging.docx is geen leesbaar Word-bestand" in r.output
    assert sorted(p.as_posix() for p in root.rglob("*")) == voor


def test_demo(tmp_path):
    r = run("demo", tmp_path / "demo")
    assert r.exit_code == 0, r.output
    assert r.output.startswith(
        f"Demowerkmap gemaakt: {tmp_path / 'demo'}\n13 klachten gelezen, 35 documenten"
    )
    for soort in (
        "afschrift: 1",
        "afsluiting: 2",
        "afwijzing: 3",
        "klachtenformulier: 11",
        "ontvangstbevestiging: 6",
        "verdaging: 1",
    ):
        assert f"  {soort}\n" in r.output
    again = run("demo", tmp_path / "demo")
    assert "Bestaande demowerkmap opnieuw verwerkt" in again.output and "0 documenten gemaakt" in again.output
    assert Path(tmp_path / "demo/overzicht.xlsx").exists()


def test_analyse(tmp_path):
    root = tmp_path / "w"
    run("init", root)
    schrijf(root, [klacht("K1", date(2026, 10, 5)), klacht("K2", None)])
    r = run("analyse", root, "--maand", "2026-10")
    pad = root / "analyse" / "klachtenanalyse-2026-10.xlsx"
    assert r.exit_code == 0, r.output
    assert r.output == (
        "Klachtenanalyse oktober 2026: klachtenanalyse-2026-10.xlsx geschreven (1 klacht "
        f"gelezen; 1 rij zonder leesbare Datum ontvangst).\nBestand: {pad}\n"
    )
    again = run("analyse", root, "--maand", "2026-10")
    assert again.exit_code == 0 and "klachtenanalyse-2026-10.xlsx ongewijzigd (al actueel)" in again.output
    fout = run("analyse", root, "--maand", "2026-13")
    assert fout.exit_code == 2
    assert "'2026-13' is geen maand. Schrijf de maand als JJJJ-MM, bijvoorbeeld 2026-10." in fout.output
    toekomst = run("analyse", root, "--maand", "2999-01")
    assert toekomst.exit_code == 2
    assert (
        toekomst.output
        == "Fout: januari 2999 heeft nog geen hele dag achter de rug. Kies een eerdere maand.\n"
    )
    (root / "klachtenregister.xlsx").write_bytes(b"geen excel")
    kapot = run("analyse", root, "--maand", "2026-10")
    assert kapot.exit_code == 2 and kapot.output.startswith("Fout: klachtenregister.xlsx is geen volledig")


def test_gebruiksfouten_en_hulp_in_het_nederlands(tmp_path):
    """Click's own texts (usage, help headings, usage errors) are Dutch too, with exit code 2."""
    onbekend = run("verwerkt", tmp_path)
    assert onbekend.exit_code == 2
    assert onbekend.output == (
        "Gebruik: klachtdocs [OPTIES] OPDRACHT [ARGUMENTEN]...\n"
        "Zie 'klachtdocs --help' voor uitleg.\n\n"
        "Fout: Onbekende opdracht 'verwerkt'. Bedoelt u verwerk?\n"
    )
    zonder = run("verwerk")
    assert zonder.exit_code == 2
    assert zonder.output == (
        "Gebruik: klachtdocs verwerk [OPTIES] MAP\nZie 'klachtdocs verwerk --help' voor "
        "uitleg.\n\nFout: MAP ontbreekt.\n"
    )
    assert run("verwerk", "--x", tmp_path).output.endswith("Fout: Onbekende optie --x.\n")
    assert run("verwerk", tmp_path, "b").output.endswith("Fout: Onverwachte extra invoer: b.\n")
    assert run("analyse", tmp_path, "--maand").output.endswith(
        "Fout: De optie --maand heeft een waarde nodig.\n"
    )
    kort = run("watch", tmp_path, "--poll", "0,1")
    assert kort.exit_code == 2
    assert kort.output.endswith(
        "Fout: Ongeldige waarde voor --poll: 0,1 seconden is te kort; kies minstens 0,5.\n"
    )
    assert run("watch", tmp_path, "--poll", "x").output.endswith(
        "Fout: Ongeldige waarde voor --poll: 'x' is geen aantal seconden; schrijf bijvoorbeeld 2 of 0,5.\n"
    )
    komma = run(
        "watch", tmp_path / "nergens", "--poll", "0,5"
    )  # a decimal comma is a number: the map is next
    assert komma.exit_code == 2 and komma.output.startswith(
        f"Fout: De map {tmp_path / 'nergens'} bestaat niet."
    )
    for opdracht in ((), ("init",), ("verwerk",), ("controleer",), ("demo",), ("watch",), ("analyse",)):
        hulp = run(*opdracht, "--help")
        assert hulp.exit_code == 0
        assert hulp.output.startswith(f"Gebruik: klachtdocs {' '.join(opdracht)}".rstrip() + " [OPTIES]")
        assert (
            "Opties:\n" in hulp.output
            and "-h, --help  " in hulp.output
            and "Toon deze hulp en stop." in hulp.output
        )
        for engels in ("Usage", "Options", "Commands", "Show this message", "Error"):
            assert engels not in hulp.output, (opdracht, engels)
    assert "Opdrachten:\n  analyse " in run("--help").output


def test_analyse_van_een_onmogelijke_maand_is_een_nederlandse_weigering(tmp_path):
    root = tmp_path / "w"
    run("init", root)
    gebruik = "Gebruik: klachtdocs analyse [OPTIES] MAP\nZie 'klachtdocs analyse --help' voor uitleg.\n\n"
    verwacht = {
        "0000-01": "Fout: Het jaar 0 ligt te ver terug. Kies een maand vanaf 2000.\n",
        "0001-01": "Fout: Het jaar 1 ligt te ver terug. Kies een maand vanaf 2000.\n",
        "1999-12": "Fout: Het jaar 1999 ligt te ver terug. Kies een maand vanaf 2000.\n",
        "9999-12": "Fout: december 9999 heeft nog geen hele dag achter de rug. Kies een eerdere maand.\n",
        "2026-13": gebruik
        + "Fout: Ongeldige waarde voor --maand: '2026-13' is geen maand. Schrijf de maand als "
        "JJJJ-MM, bijvoorbeeld 2026-10.\n",
        "abc": gebruik
        + "Fout: Ongeldige waarde voor --maand: 'abc' is geen maand. Schrijf de maand als JJJJ-MM, "
        "bijvoorbeeld 2026-10.\n",
    }
    for maand, uitvoer in verwacht.items():
        r = run("analyse", root, "--maand", maand)
        assert (r.exit_code, r.output) == (2, uitvoer), maand
    assert not (root / "analyse").exists()
