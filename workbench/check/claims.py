"""Split a text into claims with character offsets: sentences and clauses, or one claim per line."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A claim ends at a sentence end or a semicolon; a list item (a line) is a claim of its own.
_END = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*[”’」』）)]*")
_MIN_CHARS = 4


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int


def split_claims(text: str, lines: bool = False) -> list[Span]:
    """Claims in order. ``lines``: each non-empty line is one claim (evaluation sets)."""
    out: list[Span] = []
    pattern = re.compile(r"[^\n]+") if lines else _END
    for m in pattern.finditer(text):
        raw = m.group(0)
        stripped = raw.strip()
        if len(stripped) < _MIN_CHARS and not lines:
            continue
        if not stripped:
            continue
        start = m.start() + (len(raw) - len(raw.lstrip()))
        out.append(Span(stripped, start, start + len(stripped)))
    return out


def sentences(text: str) -> list[str]:
    """Source sentences, for evidence: the same boundaries as claims."""
    return [s.text for s in split_claims(text)]
