"""A candidate sentence and the small helpers over its text and jieba tokens."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .tables import CN_DIGITS

Token = tuple[str, str]  # (word, POS flag)
Change = tuple[str, str]  # (claim, note)


@dataclass(frozen=True)
class Sentence:
    doc: str
    index: int  # position among the document's sentences (the cap of items per sentence counts by it)
    claim: str
    window: str
    tokens: tuple[Token, ...]
    section: str  # "review" (the past year) or "plan" (the new one) in a government report, else ""


def split_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans: cut after 。！？；and at newlines; whitespace-only pieces dropped."""
    spans = []
    for m in re.finditer(r"[^。！？；\n]+[。！？；]?|[。！？；]", text):
        if m.group().strip():
            spans.append((m.start(), m.end()))
    return spans


def as_claim(piece: str) -> str:
    body = piece.strip()
    if body.endswith("；"):
        body = body[:-1] + "。"
    return body


def chinese(n: int) -> str:
    """1–99 in Chinese numerals as a report writes a count (两个, 十二名, 三十名)."""
    if n == 2:
        return "两"
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def occurs_number(value: str, text: str) -> bool:
    return re.search(rf"(?<![\d.]){re.escape(value)}(?![\d])", text) is not None


def join(tokens: Iterable[Token]) -> str:
    return "".join(w for w, _ in tokens)


def replace_tokens(tokens: tuple[Token, ...], old: str, new: str) -> str:
    return "".join(new if w == old else w for w, _ in tokens)


def is_verb(tokens: tuple[Token, ...], i: int) -> bool:
    """The token at i is a verb, or an adverb directly before one (要进一步加强)."""
    if i >= len(tokens):
        return False
    if tokens[i][1].startswith("v"):
        return True
    return tokens[i][1] == "d" and i + 1 < len(tokens) and tokens[i + 1][1].startswith("v")
