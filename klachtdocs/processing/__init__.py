"""One idempotent pass over a workspace: read the register, validate, plan, write documents and overzicht.xlsx.

``run.verwerk`` takes the workspace lock and stops early when nothing the pass depends on
changed (``state.fingerprint``); otherwise ``steps.full_pass`` runs the steps in order. The
decisions (which documents a klacht needs, with which data) are pure and live in
``klachtdocs.rules``; this package reads, writes and remembers.
"""

from klachtdocs.processing.result import TERUGGEVONDEN, Resultaat
from klachtdocs.processing.run import verwerk
from klachtdocs.processing.state import STAND

__all__ = ["STAND", "TERUGGEVONDEN", "Resultaat", "verwerk"]
