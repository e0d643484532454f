"""The journal: an append-only record of every document klachtdocs made.

One JSON object per line in ``.klachtdocs/journaal.jsonl``. Appending one line is the
cheapest durable write on a network share (where SQLite's locking is unreliable), and a
line torn by a crash is simply ignored. Before a document is written a ``start`` line is
appended; after its atomic rename a ``gemaakt`` line. A ``start`` without ``gemaakt`` tells
the next pass exactly which folder to check after a crash.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from operator import attrgetter
from pathlib import Path

from klachtdocs.storage.files import vervang, vervang_stroom

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Document:
    """One document klachtdocs made, as recorded in the journal."""

    klachtnummer: str
    soort: str
    versie: int
    bestand: str  # path relative to the workspace, with "/" separators
    #: variable -> short hash of its value when made; or the _Index that holds them (see variabelen).
    #: Only inside Journaal.lees: the offset of the journal line that holds them (an int).
    hashes: Mapping[str, str] | _Index | int
    sha256: str
    gemaakt_op: datetime
    reden: str = ""

    @property
    def variabelen(self) -> Mapping[str, str]:
        """Return variable -> short hash of its value when this document was made."""
        if isinstance(self.hashes, _Index):  # read from disk on first use: few documents need them
            return self.hashes.variabelen((self.klachtnummer, self.soort, self.versie))
        return self.hashes

    def als_regel(self) -> dict:
        return {
            "op": "gemaakt",
            "klachtnummer": self.klachtnummer,
            "soort": self.soort,
            "versie": self.versie,
            "bestand": self.bestand,
            "variabelen": dict(self.variabelen),
            "sha256": self.sha256,
            "gemaakt_op": self.gemaakt_op.isoformat(timespec="seconds"),
            "reden": self.reden,
        }

    @classmethod
    def van_regel(cls, r: dict, plek: int | None = None) -> Document:
        """Return the Document of journal line *r*; with *plek*, its hashes stay in the journal at that offset."""
        hashes = compact(r.get("variabelen", {})) if plek is None else plek
        return cls(
            sys.intern(r["klachtnummer"]),
            sys.intern(r["soort"]),
            int(r["versie"]),
            r["bestand"],
            hashes,
            r.get("sha256", ""),
            _tijdstip(r["gemaakt_op"]),
            sys.intern(r.get("reden", "")),
        )


_MAX_VERSIE = 1_000_000


def _geldig(r: object) -> dict:
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
        if type(versie) is not int or not 1 <= versie <= _MAX_VERSIE:
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


_NAMEN: dict[tuple[str, ...], tuple[str, ...]] = {}
_TIJDEN: dict[str, datetime] = {}


def _tijdstip(iso: str) -> datetime:
    """Return the datetime of *iso*, shared between the many documents made in the same second."""
    found = _TIJDEN.get(iso)
    if found is None:
        if len(_TIJDEN) > 100_000:
            _TIJDEN.clear()
        found = _TIJDEN[iso] = datetime.fromisoformat(iso)
    return found


def vergeet_tijdstippen() -> None:
    """Empty the cache of parsed times (the documents keep theirs)."""
    _TIJDEN.clear()


class _Hashes(Mapping):
    """Variable hashes stored compactly: a shared tuple of names and 8 bytes per hash.

    A journal of years holds hundreds of thousands of documents, each with some twenty
    variable hashes; as dicts of strings they would take gigabytes.
    """

    __slots__ = ("_namen", "_waarden")

    def __init__(self, namen: tuple[str, ...], waarden: bytes) -> None:
        self._namen, self._waarden = namen, waarden

    def __getitem__(self, key: str) -> str:
        try:
            i = self._namen.index(key)
        except ValueError:
            raise KeyError(key) from None
        return self._waarden[8 * i : 8 * i + 8].hex()

    def __iter__(self):
        return iter(self._namen)

    def __len__(self) -> int:
        return len(self._namen)

    def __eq__(self, other) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    def __repr__(self) -> str:
        return repr(dict(self.items()))


def compact(variabelen: Mapping[str, str]) -> Mapping[str, str]:
    """Return *variabelen* stored compactly when every hash is 16 hex digits (else as a dict)."""
    if not variabelen:
        return {}
    try:
        waarden = b"".join(bytes.fromhex(v) for v in variabelen.values())
    except (ValueError, TypeError):
        return dict(variabelen)
    if len(waarden) != 8 * len(variabelen):
        return dict(variabelen)
    namen = tuple(variabelen)
    namen = _NAMEN.setdefault(namen, namen)
    return _Hashes(namen, waarden)


@dataclass
class Journaal:
    """The journal's contents, indexed by klacht and kind."""

    pad: Path
    #: (klachtnummer, soort) -> its one Document, or its versions oldest first (most have one)
    documenten: dict[tuple[str, str], Document | list[Document]] = field(default_factory=dict)
    onvoltooid: dict[str, dict] = field(default_factory=dict)  # start lines without gemaakt

    #: bytes of the journal not covered by its index file (parsed or appended); decides a new index
    niet_geindexeerd: int = 0
    #: the journal offset this object reflects, and the hash of the bytes before it (None: unknown)
    einde: int | None = None
    staart: str = ""

    @classmethod
    def lees(cls, pad: Path, vorige: Journaal | None = None) -> Journaal:
        """Return the Journaal stored at *pad* (empty when the file does not exist).

        The index beside it (``journaal.index.json``, see ``bewaar_index``) holds what the
        journal said up to a byte offset; only the lines after it are parsed here. A *vorige*
        Journaal of the same file (kept by a long-running process) serves the same way: when
        the journal still holds exactly the bytes it reflects, it is brought up to date with
        the lines after them and returned.
        """
        try:
            fh = open(pad, "rb")
        except FileNotFoundError:
            return cls(pad, einde=0, staart=hashlib.sha256(b"").hexdigest())  # as _staart_hash(fh, 0)
        with fh:
            if vorige is not None and vorige._past_op(pad, fh):
                journaal, start, docs = vorige, vorige.einde, vorige.documenten
            else:
                journaal, docs = cls(pad), {}
                start = _Index.lees(pad, fh, docs, journaal.onvoltooid)
            # A large journal without an index: each document's hashes stay in the journal (their
            # line's offset) until the index is written below, so they never all sit in memory.
            plekken = start == 0 and fh.seek(0, 2) > GROOT_ZONDER_INDEX
            regels = _Regels(fh, start)
            gewijzigd = {
                key
                for n, line in enumerate(regels, start=1)
                if (
                    key := journaal._neem_op(line, n, docs, regels.einde - len(line) - 1 if plekken else None)
                )
                is not None
            }
            journaal.niet_geindexeerd += fh.tell() - start  # every byte read, a torn last line included
            journaal.einde, journaal.staart = regels.einde, _staart_hash(fh, regels.einde)
        for key in docs if journaal is not vorige else gewijzigd:
            if isinstance(docs[key], list):
                docs[key].sort(key=lambda d: d.versie)
        journaal.documenten = docs
        if plekken:
            journaal._los_plekken_op()
        return journaal

    def _los_plekken_op(self) -> None:
        """Write the index of a journal read without one, and point its documents' hashes to it.

        Read under the workspace lock only (as every pass does). Where the index cannot be
        written, the hashes are read from the journal into memory instead.
        """
        token = self._schrijf_index()
        index = _Index(self.pad, token) if token is not None else None
        with open(self.pad, "rb") as fh:
            for key, found in self.documenten.items():
                if isinstance(found, list):
                    found[-1] = _opgelost(found[-1], index, fh)
                else:
                    self.documenten[key] = _opgelost(found, index, fh)

    def _past_op(self, pad: Path, fh) -> bool:
        """Return whether the open journal *fh* at *pad* starts with exactly what this object reflects."""
        if self.pad != pad or self.einde is None:
            return False
        fh.seek(0, 2)
        return fh.tell() >= self.einde and _staart_hash(fh, self.einde) == self.staart

    def _neem_op(
        self, line: bytes, n: int, docs: dict[tuple[str, str], list[Document]], plek: int | None = None
    ) -> tuple | None:
        """Take one journal line (at offset *plek*, see lees) into *docs* and onvoltooid.

        Return the (klacht, soort) it added a document to, or None.
        """
        if not line.strip():
            return None
        try:
            r = _geldig(json.loads(line))
            if r.get("op") == "start":
                self.onvoltooid[r["id"]] = r
            elif r.get("op") == "gemaakt":
                doc = Document.van_regel(r, plek)
                self.onvoltooid.pop(r.get("id", ""), None)
                return _voeg_toe(docs, doc)
            elif r.get("op") == "gemaakt-niet":
                self.onvoltooid.pop(r.get("id", ""), None)
        except (ValueError, KeyError, TypeError):
            log.warning("Journaalregel %d (na de index) is onleesbaar en wordt overgeslagen.", n)
        return None

    def bewaar_index(self, minimum: int | None = None) -> None:
        """Write the index of the journal as it is now, when more than *minimum* bytes are not in it.

        By default that is 256 KB and a 32nd of the journal: parsing what the index lacks costs
        a pass about 10 ms a megabyte, rewriting the index about 4 s for ten years of 100,000
        klachten. Call it only when no other process can append (under the workspace lock).
        """
        if minimum is None:
            try:
                minimum = max(256 * 1024, self.pad.stat().st_size // 32)
            except OSError:
                return
        if self.niet_geindexeerd >= minimum:
            self._schrijf_index()

    def _schrijf_index(self) -> str | None:
        """Write the index of the journal as it is now; return its token, or None when that failed."""
        try:
            token = _Index.schrijf(self)
        except OSError as exc:
            log.info("Journaalindex niet bijgewerkt (%s).", exc)
            return None
        self.niet_geindexeerd = 0
        return token

    def versies(self, klachtnummer: str, soort: str) -> list[Document]:
        """Return the recorded versions of one document, oldest first."""
        found = self.documenten.get((klachtnummer, soort))
        return [] if found is None else found if isinstance(found, list) else [found]

    def laatste(self, klachtnummer: str, soort: str) -> Document | None:
        """Return the newest recorded version of one document, or None."""
        found = self.documenten.get((klachtnummer, soort))
        return found[-1] if isinstance(found, list) else found

    def eerst_gemaakt(self, klachtnummer: str, soorten: tuple[str, ...]) -> dict[str, date]:
        """Return soort -> the date its first version was made, for one klacht."""
        result = {}
        for soort in soorten:
            found = self.documenten.get((klachtnummer, soort))
            if found is not None:
                result[soort] = (found[0] if isinstance(found, list) else found).gemaakt_op.date()
        return result

    def alle(self) -> list[Document]:
        """Return every recorded document, by klachtnummer, kind and version."""
        alle: list[Document] = []
        for found in self.documenten.values():
            if isinstance(found, list):
                alle += found
            else:
                alle.append(found)
        return alle

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
            self.niet_geindexeerd += len(data)
            if self.einde == lengte:  # nobody else wrote since this object last matched the file
                self.einde = lengte + len(data)
                self.staart = (
                    hashlib.sha256(data[-_STAART:]).hexdigest()
                    if len(data) >= _STAART
                    else _staart_hash(fh, self.einde)
                )
            else:
                self.einde = None

    def stand(self) -> dict:
        """Return the journal's length and the hash of its last bytes, as they are on disk now."""
        try:
            with open(self.pad, "rb") as fh:
                lengte = fh.seek(0, 2)
                return {"lengte": lengte, "staart": _staart_hash(fh, lengte)}
        except FileNotFoundError:
            return {"lengte": 0, "staart": hashlib.sha256(b"").hexdigest()}

    def bevat(self, stand: object) -> bool:
        """Return whether the journal on disk holds at least what *stand* (from ``stand``) describes."""
        try:
            lengte, staart = int(stand["lengte"]), stand["staart"]
            with open(self.pad, "rb") as fh:
                return fh.seek(0, 2) >= lengte and _staart_hash(fh, lengte) == staart
        except FileNotFoundError:
            return stand == self.stand()
        except (OSError, KeyError, TypeError, ValueError):
            return False

    def start_reeks(self, docs: list[tuple[str, Document]]) -> None:
        """Record that each (ident, doc) is about to be written (all but its file hash)."""
        records = [doc.als_regel() | {"op": "start", "id": ident} for ident, doc in docs]
        self._append(*records)
        for r in records:
            self.onvoltooid[r["id"]] = r

    def gemaakt_reeks(self, docs: list[tuple[str, Document]]) -> None:
        """Record that each (ident, doc) is on disk."""
        self._append(*(doc.als_regel() | {"id": ident} for ident, doc in docs))
        for ident, doc in docs:
            self.onvoltooid.pop(ident, None)
            _voeg_toe(self.documenten, doc)

    def gemaakt(self, ident: str, doc: Document) -> None:
        """Record that *doc* is on disk."""
        self.gemaakt_reeks([(ident, doc)])

    def vergeten(self, ident: str) -> None:
        """Record that a started document was never written (nothing is on disk)."""
        self._append({"op": "gemaakt-niet", "id": ident})
        self.onvoltooid.pop(ident, None)


def _voeg_toe(docs: dict, doc: Document) -> tuple[str, str]:
    """Add *doc* to the documenten map *docs*; return its key."""
    key = (doc.klachtnummer, doc.soort)
    found = docs.get(key)
    if found is None:
        docs[key] = doc
        return key
    if not isinstance(found, list):
        found = docs[key] = [found]
    if found[-1].versie <= doc.versie:
        if found[-1].versie < doc.versie:  # only the newest version's hashes are ever used
            found[-1] = replace(found[-1], hashes={})
        found.append(doc)
    else:  # an older version found later (see verwerking's herkenning): kept in order, without hashes
        plek = next(i for i, d in enumerate(found) if d.versie >= doc.versie)
        found.insert(plek, replace(doc, hashes={}))
    return key


INDEX = "journaal.index.json"
GROOT_ZONDER_INDEX = 8 * 1024 * 1024  # bytes: a journal read without index above this keeps hashes on disk
INDEX_VARIABELEN = "journaal.variabelen.jsonl"
_INDEX_VERSIE = 3


class _Index:
    """The journal's contents up to a byte offset, in two files beside it."""

    def __init__(self, pad: Path, token: str) -> None:
        self.pad, self.token = pad, token
        self._uit_journaal: dict[tuple, Mapping[str, str]] | None = None  # when the file is unusable

    def variabelen(self, sleutel: tuple[str, str, int]) -> Mapping[str, str]:
        """Return the variable hashes of document *sleutel* (klachtnummer, soort, versie), or {}.

        The file beside the index holds them one document per line, sorted by key, so one is
        found by a binary search of some twenty short reads: nothing of it stays in memory.
        """
        if self._uit_journaal is None:
            try:
                with self._open_variabelen() as fh:
                    gevonden = _zoek(fh, fh.tell(), sleutel)
                if gevonden is None:  # every document read from this index has its line: damaged
                    raise ValueError(f"{sleutel} missing")
                return compact(gevonden)
            except (OSError, ValueError, KeyError, TypeError):
                self.uit_journaal()
        return self._uit_journaal.get(sleutel, {})

    def _open_variabelen(self):
        """Return the hashes file, open after its header line; raise ValueError when it is not this index's.

        A file another pass wrote since (with another token) is this index's too when its
        index is of this journal: see _neem_over.
        """
        fh = open(self.pad.with_name(INDEX_VARIABELEN), "rb")
        try:
            token = json.loads(fh.readline()).get("token")
            if token != self.token and not self._neem_over(token):
                raise ValueError("token")
        except BaseException:
            fh.close()
            raise
        return fh

    def _neem_over(self, token: object) -> bool:
        """Return whether the index files now beside the journal, rewritten by another pass, serve too.

        They do when the index is of this journal (its tail hash matches) and carries *token*:
        it then holds the hashes of every document that is still the newest, ours included.
        """
        try:
            with open(self.pad, "rb") as fh:
                kop = _geldige_kop(self.pad, fh)
        except OSError:
            return False
        if kop is None or kop.get("token") != token:
            return False
        self.token = token
        return True

    def uit_journaal(self) -> None:
        """Take every variable hash from the journal itself from now on (the file is unusable)."""
        if self._uit_journaal is None:
            log.info("Journaalindex: de variabelen worden uit het journaal zelf gelezen.")
            self._uit_journaal = _variabelen_uit_journaal(self.pad)

    @classmethod
    def lees(cls, pad: Path, fh, docs: dict, onvoltooid: dict) -> int:
        """Fill *docs* and *onvoltooid* from the index; return the journal offset it covers (0: none).

        The index is JSON lines: a header, then one document per line, read one at a time.
        """
        try:
            with open(pad.with_name(INDEX), "rb") as ih:
                kop = _geldige_kop(pad, fh, ih)
                if kop is None:
                    return 0
                lengte = int(kop["lengte"])
                index = cls(pad, kop["token"])
                aantal = 0
                for line in ih:
                    k, soort, versie, bestand, sha, wanneer, reden = json.loads(line)
                    k, soort, reden = sys.intern(k), sys.intern(soort), sys.intern(reden)
                    _voeg_toe(
                        docs, Document(k, soort, versie, bestand, index, sha, _tijdstip(wanneer), reden)
                    )
                    aantal += 1
                if aantal != kop["documenten"]:
                    raise ValueError("index incomplete")
            onvoltooid.update(kop.get("onvoltooid", {}))
            return lengte
        except (OSError, ValueError, KeyError, TypeError):
            docs.clear()
            onvoltooid.clear()
            return 0

    @classmethod
    def schrijf(cls, journaal: Journaal) -> str:
        """Write the index of *journaal* as it is now; return its token."""
        pad = journaal.pad
        with open(pad, "rb") as fh:
            fh.seek(0, 2)
            lengte = fh.tell()
            staart = _staart_hash(fh, lengte)
            token = secrets.token_hex(8)
            cls._schrijf(journaal, fh, lengte, staart, token)
        return token

    @classmethod
    def _schrijf(cls, journaal: Journaal, fh, lengte: int, staart: str, token: str) -> None:
        pad = journaal.pad
        alle = journaal.alle()

        laatste = [d for d in alle if d is journaal.laatste(d.klachtnummer, d.soort)]
        bronnen = {id(d.hashes): d.hashes for d in laatste if isinstance(d.hashes, _Index)}

        def variabelen(vorige: _Index | None):
            yield json.dumps({"token": token}).encode() + b"\n"
            # The previous index's lines still newest, merged by key with those of the documents
            # parsed or made since (sorted alike; see _zoek): years of hashes are copied, not looked up.
            nieuw = [d for d in laatste if vorige is None or d.hashes is not vorige]
            for veld in ("versie", "soort", "klachtnummer"):  # stable sorts, without key tuples
                nieuw.sort(key=attrgetter(veld))
            oud = vorige.regels(journaal) if vorige is not None else iter(())
            yield from _samenvoegen(oud, (((d.klachtnummer, d.soort, d.versie), d) for d in nieuw), fh)

        def index():
            kop = {
                "versie": _INDEX_VERSIE,
                "lengte": lengte,
                "staart": staart,
                "token": token,
                "documenten": len(alle),
                "onvoltooid": journaal.onvoltooid,
            }
            yield json.dumps(kop, ensure_ascii=False).encode() + b"\n"
            for d in alle:
                rij = [
                    d.klachtnummer,
                    d.soort,
                    d.versie,
                    d.bestand,
                    d.sha256,
                    d.gemaakt_op.isoformat(timespec="seconds"),
                    d.reden,
                ]
                yield json.dumps(rij, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"

        try:  # normally one previous index: the one this journal was read from
            vervang_stroom(
                pad.with_name(INDEX_VARIABELEN),
                variabelen(next(iter(bronnen.values())) if len(bronnen) == 1 else None),
            )
        except ValueError:  # its file is damaged or not its own: take the hashes from the journal
            for bron in bronnen.values():
                bron.uit_journaal()
            vervang_stroom(pad.with_name(INDEX_VARIABELEN), variabelen(None))
        vervang_stroom(pad.with_name(INDEX), index())
        for bron in bronnen.values():  # the documents read from the old index now read the new one
            bron.token = token

    def regels(self, journaal: Journaal) -> Iterator[tuple[tuple[str, str, int], bytes]]:
        """Yield (key, line) of this index's variable hashes whose document is still the newest.

        Raise ValueError when the file is not this index's (its token), a line is damaged or
        the lines are out of order (the binary search needs them sorted).
        """
        if self._uit_journaal is not None:
            raise ValueError("the file was found unusable before")
        try:
            with self._open_variabelen() as fh:
                vorige_sleutel: tuple | None = None
                for line in fh:
                    klachtnummer, soort, versie, _ = json.loads(line)
                    if not line.endswith(b"\n") or (
                        vorige_sleutel is not None and (klachtnummer, soort, versie) <= vorige_sleutel
                    ):
                        raise ValueError("torn or out of order")
                    vorige_sleutel = (klachtnummer, soort, versie)
                    doc = journaal.laatste(klachtnummer, soort)
                    if doc is not None and doc.versie == versie and doc.hashes is self:
                        yield (klachtnummer, soort, versie), line
        except (OSError, KeyError, TypeError) as exc:
            raise ValueError(str(exc)) from None


def _geldige_kop(pad: Path, fh, ih=None) -> dict | None:
    """Return the header of the index beside the journal *pad* (open as *fh*), or None when it does not fit.

    It fits when it is of this index version and the journal holds, up to the offset the
    index covers, the bytes it was made from (the hash of the 256 before that offset).
    *ih*: the index file, already open; else it is opened and closed here.
    """
    try:
        if ih is None:
            with open(pad.with_name(INDEX), "rb") as eigen:
                return _geldige_kop(pad, fh, eigen)
        kop = json.loads(ih.readline())
        lengte = int(kop["lengte"])
        if (
            kop.get("versie") != _INDEX_VERSIE
            or fh.seek(0, 2) < lengte
            or _staart_hash(fh, lengte) != kop["staart"]
        ):
            return None
        return kop
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _regel(d: Document, journaal_fh) -> bytes:
    """Return the line of *d* in the variable hashes file (*journaal_fh*: the journal, open)."""
    rij = [d.klachtnummer, d.soort, d.versie, dict(_hashes(d, journaal_fh))]
    return json.dumps(rij, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def _hashes(d: Document, journaal_fh) -> Mapping[str, str]:
    """Return *d*'s variable hashes, read from the open journal when they are still there (see lees)."""
    if not isinstance(d.hashes, int):
        return d.variabelen
    journaal_fh.seek(d.hashes)
    return compact(json.loads(journaal_fh.readline()).get("variabelen", {}))


def _opgelost(d: Document, index: _Index | None, journaal_fh) -> Document:
    """Return *d* with its hashes in *index* (or, without one, in memory) instead of in the journal."""
    if not isinstance(d.hashes, int):
        return d
    return replace(d, hashes=index if index is not None else _hashes(d, journaal_fh))


def _samenvoegen(
    oud: Iterator[tuple[tuple, bytes]], nieuw: Iterator[tuple[tuple, Document]], journaal_fh
) -> Iterator[bytes]:
    """Yield the lines of two streams sorted by key, in key order; on an equal key, the new one."""
    a, b = next(oud, None), next(nieuw, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a[0] < b[0]):
            yield a[1]
            a = next(oud, None)
        else:
            if a is not None and a[0] == b[0]:
                a = next(oud, None)
            yield _regel(b[1], journaal_fh)
            b = next(nieuw, None)


def _zoek(fh, begin: int, sleutel: tuple[str, str, int]) -> dict | None:
    """Return the hashes on the line of *sleutel* in the open file *fh*, sorted by key from *begin*; or None."""
    fh.seek(0, 2)
    laag, hoog = begin, fh.tell()  # the line of sleutel, if any, starts in [laag, hoog)
    while laag < hoog:
        midden = (laag + hoog) // 2
        fh.seek(midden - 1 if midden > begin else midden)
        if midden > begin:
            fh.readline()  # to the first line that starts at or after midden
        start = fh.tell()
        if start >= hoog:
            hoog = midden
            continue
        line = fh.readline()
        klachtnummer, soort, versie, hashes = json.loads(line)
        key = (klachtnummer, soort, versie)
        if key == sleutel:
            return hashes
        if key < sleutel:
            laag = start + len(line)
        else:
            hoog = midden
    return None


def _variabelen_uit_journaal(pad: Path) -> dict[tuple, Mapping[str, str]]:
    """Return every newest document's variable hashes, read from the journal itself (the slow way)."""
    result: dict[tuple, Mapping[str, str]] = {}
    try:
        fh = open(pad, "rb")
    except OSError:
        return result
    with fh:
        for line in _Regels(fh, 0):
            if b'"op": "gemaakt"' not in line:
                continue
            try:
                r = _geldig(json.loads(line))
                result[(r["klachtnummer"], r["soort"], int(r["versie"]))] = compact(r.get("variabelen", {}))
            except (ValueError, KeyError, TypeError):
                continue
    return result


EERST_GEMAAKT_CACHE = "eerst_gemaakt.json"
_CACHE_VERSIE = 1
_STAART = 256  # bytes before the cached offset that must still match
_BLOK = 8 * 1024 * 1024


def _staart_hash(fh, lengte: int) -> str:
    """Return the hash of the _STAART bytes before *lengte* in the open file *fh*."""
    fh.seek(max(lengte - _STAART, 0))
    return hashlib.sha256(fh.read(min(lengte, _STAART))).hexdigest()


class _Regels:
    """The complete lines of an open journal from an offset; ``einde`` is the offset after the last.

    Read in blocks, so that years of journal never sit in memory at once. An unfinished
    (torn) last line is not yielded: it waits for the next read, or is never completed.
    """

    def __init__(self, fh, start: int) -> None:
        self.fh, self.einde = fh, start

    def __iter__(self) -> Iterator[bytes]:
        self.fh.seek(self.einde)
        rest = b""
        while blok := self.fh.read(_BLOK):
            regels = (rest + blok).split(b"\n")
            rest = regels.pop()
            for line in regels:
                self.einde += len(line) + 1
                yield line


def _neem_eerste_op(line: bytes, soorten: tuple[str, ...], datums: dict[str, dict[str, datetime]]) -> None:
    try:
        r = _geldig(json.loads(line))
        nummer, soort, wanneer = r["klachtnummer"], r["soort"], datetime.fromisoformat(r["gemaakt_op"])
    except (ValueError, KeyError, TypeError):
        return
    if r.get("op") != "gemaakt" or soort not in soorten:
        return
    per_soort = datums.setdefault(nummer, {})
    if soort not in per_soort or wanneer < per_soort[soort]:
        per_soort[soort] = wanneer


def eerst_gemaakt(pad: Path, soorten: tuple[str, ...]) -> dict[str, dict[str, datetime]]:
    """Return klachtnummer -> soort -> when klachtdocs first made that document.

    The journal is the durable record; this reads it incrementally. A cache beside it
    (``eerst_gemaakt.json``) remembers the answer up to a byte offset, so only lines
    appended since are parsed. A journal that was replaced or truncated is read anew.
    """
    cache_pad = pad.with_name(EERST_GEMAAKT_CACHE)
    try:
        fh = open(pad, "rb")
    except FileNotFoundError:
        return {}
    with fh:
        cache = _lees_cache(cache_pad, fh, soorten)
        start = cache["lengte"] if cache else 0
        datums = {
            k: {s: datetime.fromisoformat(t) for s, t in v.items()}
            for k, v in (cache["datums"] if cache else {}).items()
        }
        merkers = [f'"soort": {json.dumps(s)}'.encode() for s in soorten]
        regels = _Regels(fh, start)
        for line in regels:
            if b'"op": "gemaakt"' in line and any(m in line for m in merkers):
                _neem_eerste_op(line, soorten, datums)
        einde = regels.einde
    if einde != start:
        _schrijf_cache(cache_pad, pad, einde, soorten, datums)
    return datums


def _lees_cache(cache_pad: Path, journaal, soorten: tuple[str, ...]) -> dict | None:
    try:
        cache = json.loads(cache_pad.read_bytes())
        lengte = int(cache["lengte"])
        if cache.get("versie") != _CACHE_VERSIE or sorted(cache["soorten"]) != sorted(soorten):
            return None
        if _staart_hash(journaal, lengte) != cache["staart"]:
            return None
        if not isinstance(cache["datums"], dict):
            return None
        return cache
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _schrijf_cache(
    cache_pad: Path, pad: Path, lengte: int, soorten: tuple[str, ...], datums: dict[str, dict[str, datetime]]
) -> None:
    try:
        with open(pad, "rb") as fh:
            staart = _staart_hash(fh, lengte)
        cache = {
            "versie": _CACHE_VERSIE,
            "soorten": sorted(soorten),
            "lengte": lengte,
            "staart": staart,
            "datums": {
                k: {s: t.isoformat(timespec="seconds") for s, t in v.items()} for k, v in datums.items()
            },
        }
        vervang(cache_pad, json.dumps(cache, ensure_ascii=False, separators=(",", ":")).encode())
    except OSError as exc:
        log.info("Cache %s niet bijgewerkt (%s).", cache_pad.name, exc)
