"""Ctrl+C and SIGTERM to a whole process group while a pass renders in worker processes.

The parent decides: the pass finishes, every letter is written whole, the journal agrees,
and the next pass makes nothing twice. Real processes, real signals (Linux: /proc finds
the workers).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from klachtdocs.processing import verwerk
from klachtdocs.scaffold import init
from tests.conftest import bestanden
from tests.registers import schrijf
from tests.test_betrouwbaarheid import controleer_archief, vandaag_rijen

pytestmark = [
    pytest.mark.traag,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds worker processes in /proc"),
]

KLACHTEN = 300  # 375 letters in the first wave, 300 klachtenformulieren in the second: both use workers


def werkers(pid: int) -> list[int]:
    """Return the pids of the spawned worker processes of *pid* (not its resource tracker)."""
    gevonden = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ouder = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if ouder == pid and b"spawn_main" in cmdline:
            gevonden.append(int(entry.name))
    return gevonden


def in_eigen_procesgroep(opdracht: str, root: Path, ingreep) -> tuple[int, str]:
    """Run `klachtdocs OPDRACHT ROOT` in a process group of its own, do *ingreep(proc)*, then wait.

    Return its exit code and output; the group is killed if anything fails on the way.
    """
    proc = subprocess.Popen(
        [sys.executable, "-m", "klachtdocs", opdracht, str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
        start_new_session=True,
    )
    try:
        ingreep(proc)
        out, _ = proc.communicate(timeout=240)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc.returncode, out


@pytest.mark.parametrize(
    ("opdracht", "sig"),
    [
        ("verwerk", signal.SIGINT),
        ("verwerk", signal.SIGTERM),
        ("watch", signal.SIGINT),
        ("watch", signal.SIGTERM),
    ],
)
def test_stopsignaal_aan_de_procesgroep_tijdens_het_renderen_laat_de_ronde_afmaken(tmp_path, opdracht, sig):
    root = tmp_path / "w"
    init(root, vandaag=date.today() - timedelta(days=30))
    schrijf(root, vandaag_rijen(KLACHTEN))

    def stop_tijdens_het_renderen(proc: subprocess.Popen) -> None:
        deadline = time.monotonic() + 120
        while not werkers(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert werkers(proc.pid), "the pass rendered without worker processes"
        time.sleep(0.3)  # the workers are rendering (or still starting: both must hold)
        os.killpg(proc.pid, sig)  # what Ctrl+C in a terminal, or a service manager, does

    returncode, out = in_eigen_procesgroep(opdracht, root, stop_tijdens_het_renderen)
    assert returncode == 0, out
    assert "Stopsignaal ontvangen" in out and "Traceback" not in out, out
    if opdracht == "verwerk":
        assert f"{KLACHTEN} klachten gelezen" in out, out
    else:
        assert "Bewaking gestopt." in out, out
    journaal = controleer_archief(root)  # every file recorded, with its hash; no temp files, no open starts
    soorten = {}
    for doc in journaal.all_documents():
        soorten.setdefault(doc.klachtnummer, set()).add(doc.soort)
    verwacht = {"ontvangstbevestiging", "bijlage", "klachtenformulier"}
    for i in range(KLACHTEN):
        nummer = f"K{i:03d}"
        assert soorten.get(nummer) == verwacht | ({"afschrift"} if i % 4 == 0 else set()), nummer
    for pad in (root / "archief").rglob("*.docx"):
        with zipfile.ZipFile(pad) as z:
            assert z.testzip() is None, pad
    voor = bestanden(root / "archief")
    assert verwerk(root).gemaakt == [] and bestanden(root / "archief") == voor


def test_een_gedood_werkproces_en_de_ronde_maakt_de_rest_zelf(tmp_path):
    """A worker that dies all the same (out of memory, killed; on Windows a Ctrl+C while it starts)."""
    root = tmp_path / "w"
    init(root, vandaag=date.today() - timedelta(days=30))
    schrijf(root, vandaag_rijen(1000))  # long enough to kill a worker that has started

    def dood_een_werkproces(proc: subprocess.Popen) -> None:
        gezien: dict[int, float] = {}
        deadline = time.monotonic() + 120
        gedood = None
        while gedood is None and proc.poll() is None and time.monotonic() < deadline:
            for pid in werkers(proc.pid):
                # a worker that has read its start data: killing one while the parent still writes that
                # data hangs the parent in multiprocessing's spawn (CPython), which no pass can help
                if time.monotonic() - gezien.setdefault(pid, time.monotonic()) > 2.0:
                    gedood = pid
            time.sleep(0.02)
        assert gedood, "the pass rendered without worker processes"
        os.kill(gedood, signal.SIGKILL)

    returncode, out = in_eigen_procesgroep("verwerk", root, dood_een_werkproces)
    assert returncode == 0, out
    assert "1000 klachten gelezen" in out and "Traceback" not in out, out
    journaal = controleer_archief(root)
    assert {d.klachtnummer for d in journaal.all_documents() if d.soort == "klachtenformulier"} == {
        f"K{i:03d}" for i in range(1000)
    }
    voor = bestanden(root / "archief")
    assert verwerk(root).gemaakt == [] and bestanden(root / "archief") == voor
