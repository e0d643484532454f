import re

import pytest

from klachtdocs.rules.filenames import veilige_naam

WINDOWS_VERBODEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@pytest.mark.parametrize(
    "nummer",
    [
        "../x",
        "a/b",
        "a\\b",
        "CON",
        "con",
        "nul.txt",
        "LPT1",
        "x" * 300,
        "..",
        ".",
        " K1 ",
        "K1.",
        "a:b",
        "é€😀",
        "a~b",
        "",
    ],
)
def test_onveilige_nummers_worden_veilige_unieke_namen(nummer):
    naam = veilige_naam(nummer)
    assert naam and not WINDOWS_VERBODEN.search(naam)
    assert naam not in (".", "..") and not naam.endswith((".", " "))
    assert naam.split(".")[0].upper() not in {"CON", "NUL", "LPT1", "PRN", "AUX"}
    assert len(naam) <= 60


def test_veilige_nummers_blijven_zoals_ze_zijn():
    assert veilige_naam("K2026-001") == "K2026-001"


def test_twee_nummers_delen_nooit_een_naam():
    nummers = ["a/b", "a_b", "a\\b", "a:b", "a b", "x" * 300, "x" * 299, "CON", "CON~", "nul.txt"]
    namen = [veilige_naam(n) for n in nummers]
    assert len({n.casefold() for n in namen}) == len(nummers)
