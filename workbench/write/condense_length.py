"""Condense's length: a summary within ±15 % of its target — cut at a sentence end, topped up with verbatim
source sentences, trimmed where a stretch ran furthest over its share."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from ..check.claims import split_claims
from ..text.structure import as_sentence
from ..text.tokens import char_count
from .condense_parts import Scored

TOLERANCE = 0.15
_CLAUSE_END = re.compile(r"[，；,;]")


def fit_length(summary: str, chars: int, extras: list[str]) -> str:
    """Cut at a sentence end when too long; add verbatim source sentences when too short."""
    high = int(chars * (1 + TOLERANCE))
    low = math.ceil(chars * (1 - TOLERANCE))
    text = summary.strip()
    if char_count(text) > high:
        kept = ""
        for p in split_claims(text):
            candidate = text[: p.end]
            if char_count(candidate) > high:
                break
            kept = candidate
        text = kept or text[:high]
    for sentence in extras:
        if char_count(text) >= low:
            break
        if sentence in text or char_count(text) + char_count(sentence) > high:
            continue
        text = f"{text}\n{sentence}" if text else sentence
    return text.strip()


def clauses_that_fit(sentence: str, room: int) -> str:
    """The longest run of whole clauses (up to a ，or ；) of ``sentence`` within ``room`` characters, closed
    as a sentence; "" when that is under 15 characters."""
    best = ""
    for m in _CLAUSE_END.finditer(sentence):
        if char_count(sentence[: m.start()]) + 1 > room:
            break
        best = sentence[: m.start()]
    return best + "。" if char_count(best) >= 15 else ""


def fill(
    written: list[list[str]],
    pools: list[list[Scored]],
    want: Sequence[int],
    upto: float,
    limits: Sequence[int],
    most: int,
) -> int:
    """Add source sentences, verbatim, from each stretch's pool (best first) to the stretches in ``want``
    order until the summary has ``upto`` characters or ``most`` were added; first only sentences that keep it
    within ``limits[0]``, then within each further limit (a short one that fits beats a long one that
    overshoots). Nothing the summary already says, even in part. The number added."""
    total = sum(char_count(s) for unit in written for s in unit)
    added = 0
    for limit in limits:
        for i in want:
            for s in pools[i]:
                n = char_count(s.text)
                if total >= upto or added >= most:
                    return added
                said = any(w.rstrip("。") in s.text or s.text in w for unit in written for w in unit)
                if s.heading or total + n > limit or said:
                    continue
                written[i].append(as_sentence(s.text))
                total += n
                added += 1
    return added


def trim(written: list[list[str]], budgets: list[int], chars: int) -> None:
    """Drop last sentences of the stretches furthest over their share until the summary is within +15 %."""
    high = int(chars * (1 + TOLERANCE))
    while sum(char_count(s) for unit in written for s in unit) > high:
        over = [i for i in range(len(written)) if len(written[i]) > 1]
        if not over:
            return
        written[max(over, key=lambda i: sum(map(char_count, written[i])) - budgets[i])].pop()
