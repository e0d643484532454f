from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from klachtdocs.scaffold import init

NU = datetime(2026, 11, 24, 10, 0)


@pytest.fixture
def werkmap(tmp_path: Path) -> Path:
    """Return a fresh workspace with brieven_vanaf = 2026-01-01."""
    root = tmp_path / "werkmap"
    init(root, vandaag=date(2026, 1, 1))
    return root


def docx_tekst(path: Path) -> str:
    """Return all text of a .docx: paragraphs and table cells, one per line."""
    from docx import Document

    doc = Document(path)
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines)


def bestanden(root: Path) -> dict[str, float]:
    """Return relative path -> (size, mtime_ns) of every file under *root*."""
    return {
        p.relative_to(root).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
