"""All zip access for the .docx files klachtdocs writes: unchanged members are copied raw.

A letter's package is mostly the template's: styles, theme, fonts (about 800 KB of XML in
the default templates). Compressing those again for every letter costs more than filling
in the letter, so ``Pakket`` keeps their compressed bytes and writes only the few members
that change. The result is an ordinary zip that python-docx, Word and LibreOffice read.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")


@dataclass(frozen=True)
class Member:
    """One member of a zip: its name and its compressed bytes with their checksum and sizes."""

    naam: str
    crc: int
    gecomprimeerd: bytes
    grootte: int
    methode: int  # zipfile.ZIP_DEFLATED or ZIP_STORED

    @classmethod
    def from_content(cls, naam: str, inhoud: bytes) -> Member:
        """Return the Lid for *inhoud*, deflated."""
        comp = zlib.compressobj(6, zlib.DEFLATED, -15)
        data = comp.compress(inhoud) + comp.flush()
        return cls(naam, zlib.crc32(inhoud), data, len(inhoud), zipfile.ZIP_DEFLATED)


def members(data: bytes) -> list[Member]:
    """Return the members of the zip in *data*, in order, with their compressed bytes as stored."""
    result = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            kop = data[info.header_offset : info.header_offset + _LOCAL.size]
            naam_len, extra_len = struct.unpack("<HH", kop[26:30])
            start = info.header_offset + _LOCAL.size + naam_len + extra_len
            result.append(
                Member(
                    info.filename,
                    info.CRC,
                    data[start : start + info.compress_size],
                    info.file_size,
                    info.compress_type,
                )
            )
    return result


def schrijf(leden_: list[Member], wanneer: datetime) -> bytes:
    """Return the bytes of a zip holding *leden_* in order, each dated *wanneer*."""
    tijd = (wanneer.hour << 11) | (wanneer.minute << 5) | (wanneer.second // 2)
    datum = ((max(wanneer.year, 1980) - 1980) << 9) | (wanneer.month << 5) | wanneer.day
    uit, centraal = [], []
    offset = 0
    for lid in leden_:
        naam = lid.naam.encode("utf-8")
        vlag = 0x800 if not lid.naam.isascii() else 0
        kop = _LOCAL.pack(
            0x04034B50,
            20,
            vlag,
            lid.methode,
            tijd,
            datum,
            lid.crc,
            len(lid.gecomprimeerd),
            lid.grootte,
            len(naam),
            0,
        )
        uit += [kop, naam, lid.gecomprimeerd]
        centraal.append(
            _CENTRAL.pack(
                0x02014B50,
                20,
                20,
                vlag,
                lid.methode,
                tijd,
                datum,
                lid.crc,
                len(lid.gecomprimeerd),
                lid.grootte,
                len(naam),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + naam
        )
        offset += len(kop) + len(naam) + len(lid.gecomprimeerd)
    cd = b"".join(centraal)
    einde = _END.pack(0x06054B50, 0, 0, len(leden_), len(leden_), len(cd), offset, 0)
    return b"".join(uit) + cd + einde
