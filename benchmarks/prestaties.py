"""Performance of a pass on a register of 10,000 klachten, each figure beside its baseline.

Run: .venv/bin/python benchmarks/prestaties.py [--klachten 10000] [--keer 3] [--geheugen 10000] [--snel]

1. Cold start: every letter made from nothing, against the plain docxtpl loop (a new
   DocxTemplate per letter, render, save) on a sample of the same letters, in the same run.
2. Steady pass: nothing changed since the last pass, against python-calamine reading the
   same register.
3. One new row: the pass that makes that row's letters (target: at most 1 s), in the
   watcher (one process, one Cache for all passes) and as a separate process.
4. Peak memory of a pass over a register of --geheugen rows, in a child process: as one
   `klachtdocs verwerk`, and as ten passes of the watcher in one process (target 300 MB).
--snel: 1,000 klachten, one run of each, the memory figures at 1,000 rows.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import python_calamine  # noqa: E402
from docxtpl import DocxTemplate  # noqa: E402

from benchmarks import grote_werkmap  # noqa: E402
from klachtdocs.cache import Cache  # noqa: E402
from klachtdocs.documents import templates as sjablonen  # noqa: E402
from klachtdocs.processing import verwerk  # noqa: E402
from klachtdocs.rules import brieven, procedure  # noqa: E402
from klachtdocs.rules import register as rf  # noqa: E402
from klachtdocs.rules.kalender import Kalender  # noqa: E402
from klachtdocs.rules.termijnen import bereken  # noqa: E402
from klachtdocs.rules.validatie import valideer  # noqa: E402
from klachtdocs.storage.workbook import read_workbook  # noqa: E402
from klachtdocs.storage.workspace import read_config  # noqa: E402

TOT = date.today() - timedelta(days=1)


def werkmap(n: int, jaren: int) -> tuple[Path, list[dict]]:
    """Return a fresh workspace with *n* klachten whose letters are all due (brieven_vanaf before them)."""
    root = Path(tempfile.mkdtemp(prefix="klachtdocs-prestaties-")) / "werkmap"
    rows = grote_werkmap.maak(root, n, TOT, jaren=jaren, journaal=False)
    cfg = root / "klachtdocs.toml"
    begin = TOT - timedelta(days=365 * jaren + 1)
    cfg.write_text(re.sub(r"brieven_vanaf = .*", f"brieven_vanaf = {begin.isoformat()}", cfg.read_text()))
    return root, rows


def calamine(path: Path) -> float:
    t0 = time.perf_counter()
    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    for naam in wb.sheet_names:
        wb.get_sheet_by_name(naam).to_python(skip_empty_area=False)
    return time.perf_counter() - t0


def gewone_lus(root: Path, aantal: int) -> tuple[int, float]:
    """Render *aantal* of the workspace's letters the plain way; return (letters, seconds)."""
    config = read_config(root / "klachtdocs.toml")
    kalender = Kalender(config.sluitingsdagen)
    register = valideer(
        read_workbook((root / rf.REGISTER_BESTAND).read_bytes()), kalender, TOT, config.categorieen
    )
    env = sjablonen.make_environment()
    taken = []
    for k in register.klachten:
        t = bereken(k.datum_ontvangst, kalender)
        medewerker = register.medewerkers.get(rf.fold_key(k.klachtbehandelaar))
        for soort in procedure.verschuldigd(k, t, config.brieven_vanaf):
            taken.append((soort, brieven.context(soort, k, t, config, medewerker, TOT, [], [])))
        if len(taken) >= aantal:
            break
    data = {s: (root / "sjablonen" / f"{s}.docx").read_bytes() for s in procedure.SOORTEN}
    t0 = time.perf_counter()
    for soort, ctx in taken:
        tpl = DocxTemplate(io.BytesIO(data[soort]))
        tpl.render(ctx, jinja_env=env)
        tpl.save(io.BytesIO())
    return len(taken), time.perf_counter() - t0


def nieuwe_rij(root: Path, rows: list[dict], i: int) -> None:
    """Append klacht NIEUW-*i*, received yesterday, and save the register as Excel does (replace)."""
    rows.append(
        rows[0]
        | {
            "Klachtnummer": f"NIEUW-{i}",
            "Datum ontvangst": TOT,
            "Datum afgehandeld": None,
            "Besluit": None,
            "Beslissing": None,
            "Verdaagd tot": None,
        }
    )
    pad = root / rf.REGISTER_BESTAND
    tmp = root / "~nieuw.tmp"
    grote_werkmap.schrijf_register(tmp, [{k: v for k, v in r.items() if v is not None} for r in rows])
    os.replace(tmp, pad)


def geheugen(n: int, journaal: bool = False) -> dict:
    """Run a pass over *n* rows in a child process; return its peak memory and time.

    With *journaal*, the workspace also holds the journal of every letter ten years of
    klachtdocs would have made (about four documents per klacht), all listed in overzicht.xlsx.
    """
    code = (
        "import json, resource, sys, time, re\n"
        "from datetime import date, timedelta\n"
        "from pathlib import Path\n"
        "sys.path.insert(0, sys.argv[2])\n"
        "from benchmarks import grote_werkmap\n"
        "root = Path(sys.argv[1])\n"
        "from klachtdocs.processing import verwerk\n"
        "from klachtdocs.cache import Cache\n"
        "if sys.argv[3] == 'bewaking':  # ten full passes in one process, as the watcher after ten saves\n"
        "    g = Cache(); t0 = time.perf_counter()\n"
        "    for _ in range(10):\n"
        "        (root / '.klachtdocs' / 'ronde.json').unlink(missing_ok=True)\n"
        "        r = verwerk(root, cache=g)\n"
        "    t1 = time.perf_counter()\n"
        "else:\n"
        "    t0 = time.perf_counter(); r = verwerk(root); t1 = time.perf_counter()\n"
        "piek = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "try:  # VmHWM is this program's own peak; ru_maxrss may carry the parent's from before exec\n"
        "    piek = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) / 1024\n"
        "except (OSError, AttributeError):\n"
        "    pass\n"
        "print(json.dumps({'seconden': t1 - t0, 'klachten': r.klachten, 'gemaakt': len(r.gemaakt),\n"
        "    'piek_mb': piek}))\n"
    )
    root = Path(tempfile.mkdtemp(prefix="klachtdocs-geheugen-")) / "werkmap"
    grote_werkmap.maak(root, n, TOT, jaren=10, journaal=journaal)
    cfg = root / "klachtdocs.toml"  # brieven_vanaf after all rows: the register's side of a pass, no letters
    cfg.write_text(
        re.sub(r"brieven_vanaf = .*", f"brieven_vanaf = {date.today().isoformat()}", cfg.read_text())
    )
    uitkomsten = []
    # Two passes in separate processes, then the watcher's way: ten passes in one process with a Cache.
    for wijze in ("los", "los", "bewaking"):
        (root / ".klachtdocs" / "ronde.json").unlink(missing_ok=True)  # a full pass, as after a change
        r = subprocess.run(
            [sys.executable, "-c", code, str(root), str(Path(__file__).resolve().parent.parent), wijze],
            capture_output=True,
            text=True,
            check=True,
        )
        uitkomsten.append(json.loads(r.stdout.strip().splitlines()[-1]))
    shutil.rmtree(root.parent, ignore_errors=True)
    return uitkomsten[0] | {
        "tweede_piek_mb": uitkomsten[1]["piek_mb"],
        "tweede_seconden": uitkomsten[1]["seconden"],
        "bewaking_piek_mb": uitkomsten[2]["piek_mb"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--klachten", type=int, default=10_000)
    parser.add_argument("--keer", type=int, default=3)
    parser.add_argument("--steekproef", type=int, default=400, help="letters in the plain-loop baseline")
    parser.add_argument("--geheugen", type=int, default=10_000, help="rows for the memory figures (0: none)")
    parser.add_argument("--snel", action="store_true", help="1,000 klachten, one run of each")
    args = parser.parse_args()
    if args.snel:
        args.klachten, args.keer, args.steekproef, args.geheugen = 1000, 1, 100, 1000
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()}"
    )
    root, rows = werkmap(args.klachten, jaren=3)
    register = root / rf.REGISTER_BESTAND
    print(f"Register: {args.klachten} klachten, {register.stat().st_size / 1e6:.1f} MB")

    letters, t_gewoon = gewone_lus(root, args.steekproef)
    t0 = time.perf_counter()
    koud = verwerk(root, nu=datetime.now(), processen=os.cpu_count() or 1)
    t_koud = time.perf_counter() - t0
    n_brieven = sum(d.soort != "bijlage" for d in koud.gemaakt)
    gewoon_ps, koud_ps = letters / t_gewoon, n_brieven / t_koud
    print(
        f"1. Koude start: {len(koud.gemaakt)} documenten ({n_brieven} brieven) in {t_koud:.1f} s = "
        f"{koud_ps:.0f} brieven/s; gewone docxtpl-lus {gewoon_ps:.0f} brieven/s ({letters} brieven in "
        f"{t_gewoon:.1f} s): {koud_ps / gewoon_ps:.1f}x (doel: minstens 5x)"
    )

    lezen = statistics.median(calamine(register) for _ in range(args.keer))
    stil = []
    for _ in range(args.keer):
        t0 = time.perf_counter()
        r = verwerk(root)
        stil.append(time.perf_counter() - t0)
        assert not r.gemaakt
    print(
        f"2. Ronde zonder wijziging: mediaan {statistics.median(stil):.3f} s; python-calamine leest het "
        f"register in {lezen:.3f} s: {statistics.median(stil) / lezen:.2f}x (doel: hoogstens 1.5x)"
    )

    bewaking = Cache()  # as `klachtdocs watch` keeps one; its first pass fills it
    verwerk(root, processen=os.cpu_count() or 1, cache=bewaking)
    nieuw, los = [], []
    for i in range(args.keer):
        nieuwe_rij(root, rows, i)
        t0 = time.perf_counter()
        r = verwerk(root, processen=os.cpu_count() or 1, cache=bewaking)
        nieuw.append(time.perf_counter() - t0)
        assert {d.klachtnummer for d in r.gemaakt} == {f"NIEUW-{i}"}, r.samenvatting()
    for i in range(args.keer):  # the same, as a separate `klachtdocs verwerk` process (start-up included)
        nieuwe_rij(root, rows, args.keer + i)
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "klachtdocs", "verwerk", str(root)],
            check=True,
            capture_output=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        los.append(time.perf_counter() - t0)
    print(
        f"3. Eén nieuwe rij, in de bewaking: mediaan {statistics.median(nieuw):.2f} s, max {max(nieuw):.2f} s "
        f"({', '.join(f'{t:.2f}' for t in nieuw)}) "
        f"(doel: hoogstens 1 s); als los proces 'klachtdocs verwerk': mediaan {statistics.median(los):.2f} s, "
        f"max {max(los):.2f} s"
    )
    shutil.rmtree(root.parent, ignore_errors=True)

    if args.geheugen:
        for journaal in (False, True):
            g = geheugen(args.geheugen, journaal)
            wat = "met het journaal van ~4 documenten per klacht" if journaal else "zonder journaal"
            print(
                f"4. Geheugen: ronde over {g['klachten']} rijen {wat}: piek {g['piek_mb']:.0f} MB in "
                f"{g['seconden']:.1f} s; volgende ronde {g['tweede_piek_mb']:.0f} MB in {g['tweede_seconden']:.1f} s; "
                f"tien rondes in de bewaking {g['bewaking_piek_mb']:.0f} MB (doel: hoogstens 300 MB)"
            )


if __name__ == "__main__":
    main()
