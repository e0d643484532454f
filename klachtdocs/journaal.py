"""The journal: an append-only record of every document klachtdocs made.

One JSON object per line in ``.klachtdocs/journaal.jsonl``. Appending one line is the
cheapest durable write on a network share (where SQLite's locking is unreliable), and a
line torn by a crash is simply ignored. Before a document is written a ``start`` line is
appended; after its atomic rename a ``gemaakt`` line. A ``start`` without ``gemaakt`` tells
the next pass exactly which folder to check after a crash.
"""

from __future__ import annotations

import json
import logging
import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Document:
    """One document klachtdocs made, as recorded in the journal."""

    klachtnummer: str
    soort: str
    versie: int
    bestand: str  # path relative to the workspace, with "/" separators
    variabelen: dict[str, str]  # variable -> short hash of its value when made
    sha256: str
    gemaakt_op: datetime
    reden: str = ""

    def als_regel(self) -> dict:
        return {
            "op": "gemaakt", "klachtnummer": self.klachtnummer, "soort": self.soort,
            "versie": self.versie, "bestand": self.bestand, "variabelen": self.variabelen,
            "sha256": self.sha256, "gemaakt_op": self.gemaakt_op.isoformat(timespec="seconds"),
            "reden": self.reden,
        }  # fmt: skip

    @classmethod
    def van_regel(cls, r: dict) -> Document:
        return cls(r["klachtnummer"], r["soort"], int(r["versie"]), r["bestand"],
                   dict(r.get("variabelen", {})), r.get("sha256", ""),
                   datetime.fromisoformat(r["gemaakt_op"]), r.get("reden", ""))  # fmt: skip


@dataclass
class Journaal:
    """The journal's contents, indexed by klacht and kind."""

    pad: Path
    documenten: dict[tuple[str, str], list[Document]] = field(default_factory=dict)
    onvoltooid: dict[str, dict] = field(default_factory=dict)  # start lines without gemaakt

    @classmethod
    def lees(cls, pad: Path) -> Journaal:
        """Return the Journaal stored at *pad* (empty when the file does not exist)."""
        journaal = cls(pad)
        docs: dict[tuple[str, str], list[Document]] = defaultdict(list)
        try:
            raw = pad.read_bytes()
        except FileNotFoundError:
            return journaal
        for n, line in enumerate(raw.split(b"\n"), start=1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                if r.get("op") == "start":
                    journaal.onvoltooid[r["id"]] = r
                elif r.get("op") == "gemaakt":
                    doc = Document.van_regel(r)
                    journaal.onvoltooid.pop(r.get("id", ""), None)
                    docs[(doc.klachtnummer, doc.soort)].append(doc)
                elif r.get("op") == "gemaakt-niet":
                    journaal.onvoltooid.pop(r.get("id", ""), None)
            except (ValueError, KeyError, TypeError):
                log.warning("Journaal regel %d is onleesbaar en wordt overgeslagen.", n)
        for versions in docs.values():
            versions.sort(key=lambda d: d.versie)
        journaal.documenten = dict(docs)
        return journaal

    def versies(self, klachtnummer: str, soort: str) -> list[Document]:
        """Return the recorded versions of one document, oldest first."""
        return self.documenten.get((klachtnummer, soort), [])

    def laatste(self, klachtnummer: str, soort: str) -> Document | None:
        """Return the newest recorded version of one document, or None."""
        versions = self.versies(klachtnummer, soort)
        return versions[-1] if versions else None

    def eerst_gemaakt(self, klachtnummer: str, soorten: tuple[str, ...]) -> dict[str, date]:
        """Return soort -> the date its first version was made, for one klacht."""
        result = {}
        for soort in soorten:
            versions = self.documenten.get((klachtnummer, soort))
            if versions:
                result[soort] = versions[0].gemaakt_op.date()
        return result

    def alle(self) -> list[Document]:
        """Return every recorded document, by klachtnummer, kind and version."""
        return [d for versions in self.documenten.values() for d in versions]

    def _append(self, record: dict) -> None:
        self.pad.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
        with open(self.pad, "ab") as fh:
            fh.write(line.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())

    def start(self, ident: str, doc: Document) -> None:
        """Record that *doc* is about to be written (all but its file hash)."""
        record = doc.als_regel() | {"op": "start", "id": ident}
        self._append(record)
        self.onvoltooid[ident] = record

    def gemaakt(self, ident: str, doc: Document) -> None:
        """Record that *doc* is on disk."""
        self._append(doc.als_regel() | {"id": ident})
        self.onvoltooid.pop(ident, None)
        self.documenten.setdefault((doc.klachtnummer, doc.soort), []).append(doc)

    def vergeten(self, ident: str) -> None:
        """Record that a started document was never written (nothing is on disk)."""
        self._append({"op": "gemaakt-niet", "id": ident})
        self.onvoltooid.pop(ident, None)
