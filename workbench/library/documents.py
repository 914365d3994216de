"""read → clean → metadata: one file becomes a Document with a content-hash id."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path

from ..errors import InputError
from ..types import Document
from .cleaning import clean_text
from .metadata import classify, extract_date, extract_title, extract_unit
from .reading import read_file

_MIN_CHARS = 10
# Controls a reader may pass through (PDF text layers hold \x03 and the like); \v is Word's line break.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def has_words(text: str, at_least: int = 1) -> bool:
    """Whether ``text`` holds ``at_least`` letters, digits or CJK characters (stops as soon as it does).

    Punctuation, spaces and invisible characters alone make no searchable text: such a chunk would be an
    empty vector and an empty keyword row.
    """
    found = 0
    for ch in text:
        if ch.isalnum():
            found += 1
            if found >= at_least:
                return True
    return False


def content_id(text: str) -> str:
    """A document's id: the hash of its cleaned text, so the same content under any path is one document."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def make_document(raw: str, path: str = "", file_date: str = "") -> Document:
    """Clean raw text and extract metadata; raises InputError when nothing usable is left."""
    text = clean_text(_CONTROLS.sub("", raw.replace("\v", "\n")))
    if not has_words(text, _MIN_CHARS):
        name = Path(path).name or "文本"
        raise InputError(f"{name}：清理后没有可用的正文", "请确认文件里有报告正文，而不只是标题或图片。")
    lines = text.split("\n")
    title = extract_title(lines)
    return Document(
        doc_id=content_id(text),
        text=text,
        title=title,
        type=classify(title, text),
        unit=extract_unit(lines, title),
        date=extract_date(lines, title, fallback=file_date),
        path=path,
    )


def load_document(path: Path, max_bytes: int) -> Document:
    """Read one file and make a Document of it."""
    raw = read_file(path, max_bytes)
    mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    return make_document(raw, str(path), file_date=mtime.strftime("%Y-%m-%d"))
