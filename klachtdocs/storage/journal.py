"""The journal: an append-only record of every document klachtdocs made.

One JSON object per line in ``.klachtdocs/journaal.jsonl``. Appending one line is the
cheapest durable write on a network share (where SQLite's locking is unreliable), and a
line torn by a crash is simply ignored. Before a document is written a ``start`` line is
appended; after its atomic rename a ``gemaakt`` line. A ``start`` without ``gemaakt`` tells
the next pass exactly which folder to check after a crash.

Reading the journal writes nothing. Files that earlier versions kept beside it
(``journaal.index.json``, ``journaal.variabelen.jsonl``, ``eerst_gemaakt.json``) are ignored.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from klachtdocs.rules.model import Document

__all__ = ["Document", "Journal", "first_made_by_klacht"]

log = logging.getLogger(__name__)

_MAX_VERSION = 1_000_000
_TAIL = 256  # bytes before an offset whose hash tells that a journal still holds what was read


def _is_valid(r: object) -> dict:
    """Return journal line *r* when its fields have the types klachtdocs writes; raise ValueError if not.

    The journal is a file in a shared folder: a line someone edited or that another program
    wrote must be skipped, never crash a pass or stand for a document it does not describe.
    """
    if not isinstance(r, dict):
        raise ValueError("not an object")
    op = r.get("op")
    if op in ("start", "gemaakt"):
        for veld in ("klachtnummer", "soort", "bestand"):
            if not isinstance(r.get(veld), str) or not r[veld]:
                raise ValueError(veld)
        versie = r.get("versie")
        if type(versie) is not int or not 1 <= versie <= _MAX_VERSION:
            raise ValueError("versie")
        if op == "start" and not isinstance(r.get("id"), str):
            raise ValueError("id")
    if op == "gemaakt":
        variabelen = r.get("variabelen", {})
        if not isinstance(variabelen, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in variabelen.items()
        ):
            raise ValueError("variabelen")
        if not isinstance(r.get("sha256", ""), str) or not isinstance(r.get("reden", ""), str):
            raise ValueError("sha256")
        wanneer = datetime.fromisoformat(r["gemaakt_op"]) if isinstance(r.get("gemaakt_op"), str) else None
        if wanneer is None or wanneer.tzinfo is not None:
            raise ValueError("gemaakt_op")
    return r


def _tail_hash(fh, lengte: int) -> str:
    """Return the hash of the _TAIL bytes before offset *lengte* in the open file *fh*."""
    fh.seek(max(lengte - _TAIL, 0))
    return hashlib.sha256(fh.read(min(lengte, _TAIL))).hexdigest()


def _lines(fh, start: int) -> Iterator[bytes]:
    """Yield the complete lines of the open file *fh* from offset *start*; a torn last line is left out."""
    fh.seek(start)
    for line in fh:
        if not line.endswith(b"\n"):
            return
        yield line


@dataclass
class Journal:
    """The journal's contents, by klacht and kind."""

    pad: Path
    #: (klachtnummer, soort) -> its versions, oldest first
    documenten: dict[tuple[str, str], list[Document]] = field(default_factory=dict)
    unfinished: dict[str, dict] = field(default_factory=dict)  # start lines without gemaakt
    #: the journal offset this object reflects, and the hash of the bytes before it (end None: unknown)
    end: int | None = None
    tail: str = ""

    @classmethod
    def read(cls, pad: Path, vorige: Journal | None = None) -> Journal:
        """Return the Journaal stored at *pad* (empty when the file does not exist); write nothing.

        A *vorige* Journaal of the same file (kept by a long-running process) is continued
        when the journal only grew since: still holds exactly the bytes it reflects. It is then
        brought up to date with the lines after them and returned; otherwise the whole journal
        is read anew.
        """
        try:
            fh = open(pad, "rb")
        except FileNotFoundError:
            return cls(pad, end=0, tail=hashlib.sha256(b"").hexdigest())
        with fh:
            journaal = vorige if vorige is not None and vorige._grew_into(pad, fh) else cls(pad, end=0)
            for line in _lines(fh, journaal.end):
                journaal._take(line, journaal.end)
                journaal.end += len(line)
            journaal.tail = _tail_hash(fh, journaal.end)
        return journaal

    def _grew_into(self, pad: Path, fh) -> bool:
        """Return whether the open journal *fh* at *pad* starts with exactly what this object reflects."""
        if self.pad != pad or self.end is None:
            return False
        return fh.seek(0, 2) >= self.end and _tail_hash(fh, self.end) == self.tail

    def _take(self, line: bytes, offset: int) -> None:
        """Take one journal line (at byte *offset*) into documenten and onvoltooid; skip it if unreadable."""
        if not line.strip():
            return
        try:
            r = _is_valid(json.loads(line))
            if r.get("op") == "start":
                self.unfinished[r["id"]] = r
            elif r.get("op") == "gemaakt":
                doc = Document.van_regel(r)
                self.unfinished.pop(r.get("id", ""), None)
                _add(self.documenten, doc)
            elif r.get("op") == "gemaakt-niet":
                self.unfinished.pop(r.get("id", ""), None)
        except (ValueError, KeyError, TypeError):
            log.warning("Journaalregel op positie %d is onleesbaar en wordt overgeslagen.", offset)

    def versions(self, klachtnummer: str, soort: str) -> list[Document]:
        """Return the recorded versions of one document, oldest first."""
        return list(self.documenten.get((klachtnummer, soort), ()))

    def latest(self, klachtnummer: str, soort: str) -> Document | None:
        """Return the newest recorded version of one document, or None."""
        found = self.documenten.get((klachtnummer, soort))
        return found[-1] if found else None

    def first_made(self, klachtnummer: str, soorten: tuple[str, ...]) -> dict[str, date]:
        """Return soort -> the date its first version was made, for one klacht."""
        result = {}
        for soort in soorten:
            found = self.documenten.get((klachtnummer, soort))
            if found:
                result[soort] = found[0].gemaakt_op.date()
        return result

    def all_documents(self) -> list[Document]:
        """Return every recorded document, by klachtnummer, kind and version."""
        return [doc for found in self.documenten.values() for doc in found]

    def _append(self, *records: dict) -> None:
        """Append *records* as lines, durably, with one write and one fsync."""
        if not records:
            return
        self.pad.parent.mkdir(parents=True, exist_ok=True)
        data = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records).encode()
        # Unbuffered, so that a failed write leaves nothing in a buffer to be written on close.
        with open(self.pad, "a+b", buffering=0) as fh:  # writes always go to the end; reads are allowed
            lengte = fh.seek(0, 2)
            if lengte:
                fh.seek(lengte - 1)
                if fh.read(1) != b"\n":  # a line torn by a crash: end it, so it cannot swallow ours
                    data = b"\n" + data
            try:
                rest = memoryview(data)
                while rest:
                    rest = rest[fh.write(rest) :]
                os.fsync(fh.fileno())
            except OSError:
                with contextlib.suppress(OSError):
                    os.ftruncate(fh.fileno(), lengte)  # a full disk took part of it: leave no torn line
                raise
            if self.end == lengte:  # nobody else wrote since this object last matched the file
                self.end = lengte + len(data)
                self.tail = _tail_hash(fh, self.end)
            else:
                self.end = None

    def position(self) -> dict:
        """Return the journal's length and the hash of its last bytes, as they are on disk now."""
        try:
            with open(self.pad, "rb") as fh:
                lengte = fh.seek(0, 2)
                return {"lengte": lengte, "staart": _tail_hash(fh, lengte)}
        except FileNotFoundError:
            return {"lengte": 0, "staart": hashlib.sha256(b"").hexdigest()}

    def contains(self, stand: object) -> bool:
        """Return whether the journal on disk holds at least what *stand* (from ``stand``) describes."""
        try:
            lengte, staart = int(stand["lengte"]), stand["staart"]
            with open(self.pad, "rb") as fh:
                return fh.seek(0, 2) >= lengte and _tail_hash(fh, lengte) == staart
        except FileNotFoundError:
            return stand == self.position()
        except (OSError, KeyError, TypeError, ValueError):
            return False

    def start_batch(self, docs: list[tuple[str, Document]]) -> None:
        """Record that each (ident, doc) is about to be written (all but its file hash)."""
        records = [doc.als_regel() | {"op": "start", "id": ident} for ident, doc in docs]
        self._append(*records)
        for r in records:
            self.unfinished[r["id"]] = r

    def made_batch(self, docs: list[tuple[str, Document]]) -> None:
        """Record that each (ident, doc) is on disk."""
        self._append(*(doc.als_regel() | {"id": ident} for ident, doc in docs))
        for ident, doc in docs:
            self.unfinished.pop(ident, None)
            _add(self.documenten, doc)

    def gemaakt(self, ident: str, doc: Document) -> None:
        """Record that *doc* is on disk."""
        self.made_batch([(ident, doc)])

    def forget(self, ident: str) -> None:
        """Record that a started document was never written (nothing is on disk)."""
        self._append({"op": "gemaakt-niet", "id": ident})
        self.unfinished.pop(ident, None)


def _add(docs: dict[tuple[str, str], list[Document]], doc: Document) -> None:
    """Add *doc* to the documenten map *docs*, in version order.

    Only the newest version keeps its variable hashes: only they decide whether a new version
    is due. An older version can be recorded after a newer one (a document adopted from archief/).
    """
    versies = docs.setdefault((doc.klachtnummer, doc.soort), [])
    if not versies or versies[-1].versie <= doc.versie:
        if versies and versies[-1].versie < doc.versie:
            versies[-1] = replace(versies[-1], variabelen={})
        versies.append(doc)
    else:
        bisect.insort_left(versies, replace(doc, variabelen={}), key=_version)


def _version(doc: Document) -> int:
    return doc.versie


def first_made_by_klacht(pad: Path, soorten: tuple[str, ...]) -> dict[str, dict[str, datetime]]:
    """Return klachtnummer -> soort -> when klachtdocs first made that document, read from the journal."""
    datums: dict[str, dict[str, datetime]] = {}
    try:
        fh = open(pad, "rb")
    except FileNotFoundError:
        return datums
    with fh:
        for line in _lines(fh, 0):
            try:
                r = _is_valid(json.loads(line))
                if r.get("op") != "gemaakt" or r["soort"] not in soorten:
                    continue
                nummer, soort, wanneer = (
                    r["klachtnummer"],
                    r["soort"],
                    datetime.fromisoformat(r["gemaakt_op"]),
                )
            except (ValueError, KeyError, TypeError):
                continue
            per_soort = datums.setdefault(nummer, {})
            if soort not in per_soort or wanneer < per_soort[soort]:
                per_soort[soort] = wanneer
    return datums
