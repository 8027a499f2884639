"""Babel's extraction of every text the code marks for the message catalogue."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file

from resolvers.catalogue import KEYWORDS

ROOT = Path(__file__).resolve().parent.parent
# Where texts for people are written: the layers, not the tests or benches.
SOURCES = ("app.py", "schema", "resolvers", "orm")


def source_files() -> list[Path]:
    files: list[Path] = []
    for name in SOURCES:
        path = ROOT / name
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def extracted() -> Catalog:
    """Every marked text (singular, or singular and plural), with where it is written."""
    catalog = Catalog()
    for path in source_files():
        for line, message, _comments, _context in extract_from_file(
            "python", path, keywords=KEYWORDS
        ):
            catalog.add(message, locations=[(str(path.relative_to(ROOT)), line)])
    return catalog
