import json
import os
import socket
import subprocess
import sys
import time

import pytest

from klachtdocs.exceptions import WerkmapBezet
from klachtdocs.storage.lock import Lock


def schrijf_slot(pad, host, pid):
    pad.parent.mkdir(parents=True, exist_ok=True)
    pad.write_text(json.dumps({"host": host, "pid": pid, "sinds": "2026-11-24T09:00:00"}))


def test_slot_van_een_levend_proces_wordt_geweigerd_met_naam(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        pad = tmp_path / "bewaking.lock"
        schrijf_slot(pad, socket.gethostname(), proc.pid)
        with pytest.raises(WerkmapBezet, match=f"er loopt al een bewaking \\(proces {proc.pid} op computer"):
            Lock(pad, "bewaking").acquire(0)
    finally:
        proc.kill()
        proc.wait()


def test_slot_van_een_verdwenen_proces_wordt_overgenomen(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    pad = tmp_path / "bewaking.lock"
    schrijf_slot(pad, socket.gethostname(), proc.pid)
    slot = Lock(pad, "bewaking")
    slot.acquire(0)
    assert slot.overgenomen.pid == proc.pid
    assert json.loads(pad.read_text())["pid"] == os.getpid()
    slot.release()
    assert not pad.exists()


def test_slot_van_een_andere_computer_verloopt_zonder_hartslag(tmp_path):
    pad = tmp_path / "bewaking.lock"
    schrijf_slot(pad, "andere-pc", 1234)
    with pytest.raises(WerkmapBezet, match="andere-pc"):
        Lock(pad, "bewaking").acquire(0)
    oud = time.time() - 3600
    os.utime(pad, (oud, oud))
    slot = Lock(pad, "bewaking")
    slot.acquire(0)
    assert slot.overgenomen.host == "andere-pc"


def test_twee_verwerkingen_tegelijk_de_tweede_wacht(werkmap):
    eerste = Lock(werkmap / ".klachtdocs/verwerking.lock", "verwerking")
    eerste.acquire()
    t0 = time.monotonic()
    with pytest.raises(WerkmapBezet, match="er loopt al een verwerking"):
        Lock(werkmap / ".klachtdocs/verwerking.lock", "verwerking").acquire(wachttijd=0.5)
    assert time.monotonic() - t0 >= 0.5
    eerste.release()


# -- real processes racing for one lock ---------------------------------------------------------

#: Runs in each racing process: a file system with SMB-like round trips (20-80 ms before every
#: open, rename and listing in the lock's folder, and 600 ms for half the removes: one slow round
#: trip is enough to break a protocol that relies on timing), then one attempt at the lock once
#: all racers are ready. The winner holds it (heartbeat running) while the others try.
RENNER = """
import random, sys, time
from pathlib import Path
pad, os_slot = Path(sys.argv[1]), sys.argv[2] == "1"
folder = str(pad.parent)
def traag(event, args):
    if event in ("open", "os.remove", "os.rename", "os.listdir", "os.scandir", "os.utime") and args \\
            and str(args[0]).startswith(folder):
        time.sleep(0.6 if event == "os.remove" and random.random() < 0.5 else random.uniform(0.02, 0.08))
sys.addaudithook(traag)
from klachtdocs.storage.lock import Lock
slot = Lock(pad, "verwerking", verlooptijd=2.0, os_slot=os_slot)
print("KLAAR", flush=True)
start = float(sys.stdin.readline())
while time.time() < start:
    time.sleep(0.001)
gewonnen = slot.try_acquire()
print("GEWONNEN" if gewonnen else "VERLOREN", slot.overgenomen.pid if slot.overgenomen else "", flush=True)
time.sleep(4)
slot.release()
"""

HOUDER = """
import sys, time
from pathlib import Path
from klachtdocs.storage.lock import Lock
pad, os_slot, host = Path(sys.argv[1]), sys.argv[2] == "1", sys.argv[3] or None
slot = Lock(pad, "verwerking", verlooptijd=1.0, os_slot=os_slot, host=host)
slot.acquire(0)
print("GENOMEN", flush=True)
time.sleep(float(sys.argv[4]))
slot.release()
print("VRIJ", flush=True)
"""


def race(pad, os_slot: bool, n: int = 6) -> list[str]:
    renners = [
        subprocess.Popen(
            [sys.executable, "-c", RENNER, str(pad), "1" if os_slot else "0"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(n)
    ]
    for renner in renners:
        assert renner.stdout.readline().strip() == "KLAAR"
    start = time.time() + 0.5
    for renner in renners:
        renner.stdin.write(f"{start}\n")
        renner.stdin.flush()
    return [r.communicate(timeout=60)[0].strip() for r in renners]


@pytest.mark.traag
@pytest.mark.parametrize("ronde", range(3))
def test_verlopen_slot_van_een_andere_computer_wordt_door_precies_een_van_zes_overgenomen(tmp_path, ronde):
    # Machines whose OS locks do not reach each other (os_slot off): only the lock file decides.
    pad = tmp_path / "verwerking.lock"
    schrijf_slot(pad, "andere-pc", 1234)
    oud = time.time() - 3600
    os.utime(pad, (oud, oud))
    uitkomsten = race(pad, os_slot=False)
    assert sum(u.startswith("GEWONNEN") for u in uitkomsten) == 1, uitkomsten
    assert not list(tmp_path.glob("*.overname-*")), "claims left behind"


@pytest.mark.traag
def test_slot_van_een_gedood_proces_wordt_door_precies_een_van_zes_overgenomen(tmp_path):
    pad = tmp_path / "verwerking.lock"
    houder = subprocess.Popen(
        [sys.executable, "-c", HOUDER, str(pad), "1", "", "600"], stdout=subprocess.PIPE, text=True
    )
    assert houder.stdout.readline().strip() == "GENOMEN"
    houder.kill()
    houder.communicate()
    uitkomsten = race(pad, os_slot=True)
    winnaars = [u for u in uitkomsten if u.startswith("GEWONNEN")]
    assert len(winnaars) == 1, uitkomsten
    assert winnaars[0] == f"GEWONNEN {houder.pid}"


@pytest.mark.traag
def test_een_lange_ronde_met_hartslag_wordt_niet_overgenomen(tmp_path):
    # The holder plays another machine (its OS lock does not reach us) and holds the lock for
    # four times the stale age; its heartbeat keeps the lock fresh the whole time.
    pad = tmp_path / "verwerking.lock"
    houder = subprocess.Popen(
        [sys.executable, "-c", HOUDER, str(pad), "0", "andere-pc", "4"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert houder.stdout.readline().strip() == "GENOMEN"
        eind = time.monotonic() + 3.5
        pogingen = 0
        while time.monotonic() < eind:
            slot = Lock(pad, "verwerking", verlooptijd=1.0, os_slot=False)
            with pytest.raises(WerkmapBezet, match="andere-pc"):
                slot.acquire(0)
            pogingen += 1
            time.sleep(0.25)
        assert pogingen >= 10
        assert houder.stdout.readline().strip() == "VRIJ"
        houder.wait(10)
    finally:
        houder.kill()
        houder.communicate()
    assert houder.returncode == 0
    # Without a heartbeat (the holder was killed), the lock is stale after the stale age.
    schrijf_slot(pad, "andere-pc", 1234)
    time.sleep(1.2)
    slot = Lock(pad, "verwerking", verlooptijd=1.0, os_slot=False)
    slot.acquire(0)
    assert slot.overgenomen.host == "andere-pc"
    slot.release()


def test_hergebruikt_pid_met_een_andere_starttijd_blokkeert_niet(tmp_path):
    from klachtdocs.storage.lock import process_start

    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        time.sleep(0.2)
        pad = tmp_path / "bewaking.lock"
        echt = process_start(proc.pid)
        pad.write_text(
            json.dumps(
                {"host": socket.gethostname(), "pid": proc.pid, "sinds": "2026-11-24T09:00:00", "start": echt}
            )
        )
        with pytest.raises(WerkmapBezet, match=f"proces {proc.pid}"):
            Lock(pad, "bewaking").acquire(0)
        # The same pid after a reboot: another process, started at another time.
        pad.write_text(
            json.dumps(
                {
                    "host": socket.gethostname(),
                    "pid": proc.pid,
                    "sinds": "2026-11-24T09:00:00",
                    "start": echt - 86400,
                }
            )
        )
        slot = Lock(pad, "bewaking")
        slot.acquire(0)
        assert slot.overgenomen.pid == proc.pid
        slot.release()
    finally:
        proc.kill()
        proc.wait()


def test_een_levende_houder_op_deze_computer_houdt_het_os_slot(tmp_path):
    # The OS lock alone refuses a second process, even when the lock file is gone.
    pad = tmp_path / "verwerking.lock"
    houder = subprocess.Popen(
        [sys.executable, "-c", HOUDER, str(pad), "1", "", "30"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert houder.stdout.readline().strip() == "GENOMEN"
        pad.unlink()
        with pytest.raises(WerkmapBezet):
            Lock(pad, "verwerking").acquire(0)
    finally:
        houder.kill()
        houder.communicate()
    slot = Lock(pad, "verwerking")
    slot.acquire(0)
    slot.release()


def test_hartslag_merkt_een_overgenomen_slot_en_vrijgeven_is_stil(tmp_path, caplog):
    pad = tmp_path / "verwerking.lock"
    slot = Lock(pad, "verwerking", hartslag=0.05)
    slot.acquire(0)
    oud = time.time() - 100
    os.utime(pad, (oud, oud))
    time.sleep(0.3)
    assert time.time() - pad.stat().st_mtime < 1, "de hartslag ververst het slot"
    for _ in range(20):  # releasing while the heartbeat runs never looks like a lost lock
        tweede = Lock(tmp_path / "b.lock", "verwerking", hartslag=0.001)
        tweede.acquire(0)
        time.sleep(0.005)
        tweede.release()
    assert not [r for r in caplog.records if "overgenomen" in r.getMessage()]
    schrijf_slot(pad, "andere-pc", 1234)
    time.sleep(0.3)
    assert slot.kwijt
    assert any(
        "is overgenomen door proces 1234 op computer andere-pc" in r.getMessage() for r in caplog.records
    )
    slot.release()
    assert pad.exists(), "never remove a lock another process holds"


@pytest.mark.parametrize(
    "velden", [{"pid": "x"}, {"pid": None}, {"pid": 1.5}, {"start": "gisteren"}, {"host": 5}]
)
def test_slotbestand_met_velden_van_het_verkeerde_soort_is_onleesbaar_geen_crash(tmp_path, velden):
    pad = tmp_path / "verwerking.lock"
    pad.write_text(json.dumps({"host": socket.gethostname(), "pid": 1, "sinds": "nu"} | velden))
    oud = time.time() - 3600
    os.utime(pad, (oud, oud))  # unreadable and old: stale
    slot = Lock(pad, "verwerking")
    slot.acquire(0)
    assert json.loads(pad.read_text())["pid"] == os.getpid()
    slot.release()
