import json
import os
import socket
import subprocess
import sys
import time

import pytest

from klachtdocs.exceptions import WerkmapBezet
from klachtdocs.slot import Slot


def schrijf_slot(pad, host, pid):
    pad.parent.mkdir(parents=True, exist_ok=True)
    pad.write_text(json.dumps({"host": host, "pid": pid, "sinds": "2026-11-24T09:00:00"}))


def test_slot_van_een_levend_proces_wordt_geweigerd_met_naam(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        pad = tmp_path / "bewaking.lock"
        schrijf_slot(pad, socket.gethostname(), proc.pid)
        with pytest.raises(WerkmapBezet, match=f"er loopt al een bewaking \\(proces {proc.pid} op computer"):
            Slot(pad, "bewaking").neem(0)
    finally:
        proc.kill()
        proc.wait()


def test_slot_van_een_verdwenen_proces_wordt_overgenomen(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    pad = tmp_path / "bewaking.lock"
    schrijf_slot(pad, socket.gethostname(), proc.pid)
    slot = Slot(pad, "bewaking")
    slot.neem(0)
    assert slot.overgenomen.pid == proc.pid
    assert json.loads(pad.read_text())["pid"] == os.getpid()
    slot.geef_vrij()
    assert not pad.exists()


def test_slot_van_een_andere_computer_verloopt_zonder_hartslag(tmp_path):
    pad = tmp_path / "bewaking.lock"
    schrijf_slot(pad, "andere-pc", 1234)
    with pytest.raises(WerkmapBezet, match="andere-pc"):
        Slot(pad, "bewaking").neem(0)
    oud = time.time() - 3600
    os.utime(pad, (oud, oud))
    slot = Slot(pad, "bewaking")
    slot.neem(0)
    assert slot.overgenomen.host == "andere-pc"


def test_twee_verwerkingen_tegelijk_de_tweede_wacht(werkmap):
    eerste = Slot(werkmap / ".klachtdocs/verwerking.lock", "verwerking")
    eerste.neem()
    t0 = time.monotonic()
    with pytest.raises(WerkmapBezet, match="er loopt al een verwerking"):
        Slot(werkmap / ".klachtdocs/verwerking.lock", "verwerking").neem(wachttijd=0.5)
    assert time.monotonic() - t0 >= 0.5
    eerste.geef_vrij()
