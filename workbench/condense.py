"""Condense: a long report → a summary of a chosen length in characters, keeping the key figures.

The report never goes through the model whole. Salient sentences are selected first (structure, figures,
keyword centrality), in document order, within a token budget; the model writes the summary from them in one
call; the length is then fitted to ±15 % at sentence boundaries, topping up with selected source sentences
(verbatim, so still faithful) when the model wrote too little. Only inputs far beyond 60 KB go map-reduce
by top-level section.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .backends.llm import LLM
from .check import CheckReport
from .check.claims import split_claims
from .check.numbers import quantities
from .chunking import heading_level, sections
from .draft import generate, trim_repetition
from .keyword import tokenize
from .prompts import load, with_rules

TOLERANCE = 0.15
MAP_REDUCE_CHARS = 200_000  # beyond this, select per section and summarise each first
_WS = re.compile(r"\s+")


@dataclass
class Summary:
    summary: str
    chars: int
    seconds: float
    source_chars: int
    first_token_seconds: float = 0.0
    selected: list[str] | None = None
    check: CheckReport | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "chars": self.chars,
            "seconds": round(self.seconds, 3),
            "source_chars": self.source_chars,
            "first_token_seconds": round(self.first_token_seconds, 3),
            "check": self.check.to_json() if self.check else None,
        }


def char_count(text: str) -> int:
    """Length as staff count it: characters without whitespace."""
    return len(_WS.sub("", text))


@dataclass(frozen=True)
class Scored:
    index: int
    text: str
    score: float
    heading: int  # 0 body, 1–4 heading level


def score_sentences(text: str) -> list[Scored]:
    """Every sentence with a salience score: keyword centrality, figures, position under a heading."""
    units: list[tuple[str, int, bool]] = []  # (sentence, heading level, first under its heading)
    for section in sections(text):
        first = True
        for para in section.paragraphs:
            level = heading_level(para)
            for span in split_claims(para):
                units.append((span.text, level if span.start == 0 else 0, first and not level))
                if not level:
                    first = False
    tokens = [set(tokenize(u[0])) for u in units]
    df = Counter(t for ts in tokens for t in ts)
    n = max(1, len(units))
    weight = {t: math.log(1 + n / c) for t, c in df.items()}
    # Centrality: how much of the document's shared vocabulary a sentence carries.
    out = []
    for i, ((sentence, level, first), ts) in enumerate(zip(units, tokens, strict=True)):
        central = sum(weight[t] * min(df[t] - 1, 5) for t in ts) / math.sqrt(len(ts) + 1)
        figures = len(quantities(sentence))
        out.append(Scored(i, sentence, central + 2.0 * min(figures, 3) + (1.5 if first else 0.0), level))
    return out


def select(text: str, budget: int, count: Callable[[str], int]) -> list[Scored]:
    """Top-level headings (the structure) plus the best sentences that fit, in document order."""
    scored = score_sentences(text)
    chosen: dict[int, Scored] = {}
    seen: set[str] = set()  # a repeated sentence or heading adds nothing the first copy did not
    used = 0
    for s in scored:
        key = _WS.sub("", s.text)
        if s.heading in (1, 2) and len(s.text) <= 40 and key not in seen:
            cost = count(s.text)
            if used + cost <= budget // 4:  # structure takes at most a quarter of the budget
                chosen[s.index] = s
                seen.add(key)
                used += cost
    for s in sorted(scored, key=lambda s: -s.score):
        key = _WS.sub("", s.text)
        if s.index in chosen or key in seen:
            continue
        cost = count(s.text)
        if used + cost > budget:
            continue
        chosen[s.index] = s
        seen.add(key)
        used += cost
    return [chosen[i] for i in sorted(chosen)]


def fit_length(summary: str, chars: int, extras: list[str]) -> str:
    """Cut at a sentence end when too long; add verbatim source sentences when too short."""
    high = int(chars * (1 + TOLERANCE))
    low = math.ceil(chars * (1 - TOLERANCE))
    text = summary.strip()
    if char_count(text) > high:
        pieces = split_claims(text)
        kept = ""
        for p in pieces:
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


def split_top_sections(text: str, max_chars: int = 60_000) -> list[str]:
    """The report cut at 一、 headings and regrouped into parts of at most ``max_chars`` (a section longer
    than that is a part of its own), so a huge report costs a handful of model calls, not one per section."""
    sections_: list[list[str]] = [[]]
    for line in text.split("\n"):
        if heading_level(line) == 1 and sections_[-1]:
            sections_.append([])
        sections_[-1].append(line)
    parts: list[str] = []
    for lines in sections_:
        block = "\n".join(lines)
        if parts and len(parts[-1]) + len(block) + 1 <= max_chars:
            parts[-1] += "\n" + block
        else:
            parts.append(block)
    return [p for p in parts if p.strip()]


def summarise(
    llm: LLM,
    text: str,
    chars: int,
    title: str,
    budget: int,
    on_token: Callable[[str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[str, float, list[Scored]]:
    """Select salient sentences within ``budget`` tokens, let the model write from them once, fit the length:
    (summary, seconds to first token, the sentences selected)."""
    chosen = select(text, budget, llm.count_tokens)
    excerpt = "\n".join(s.text for s in chosen)
    prompt = load("condense").render(chars=str(chars), title=title or "报告", excerpt=excerpt)
    written, first, _, _ = generate(llm, with_rules(prompt), int(chars * 1.6) + 64, on_token, cancelled)
    extras = [s.text for s in sorted(chosen, key=lambda s: -s.score) if not s.heading]
    return fit_length(trim_repetition(written), chars, extras), first, chosen
