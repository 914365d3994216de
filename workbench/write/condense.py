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
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..backends.llm import LLM
from ..check import CheckReport
from ..check.claims import split_claims
from ..check.numbers import quantities
from ..errors import InputError
from ..prompts import load, with_rules
from ..text.structure import heading_level, sections, split_top_sections
from ..text.tokens import char_count, tokenize
from .generate import Progress, generate

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
    gen = generate(llm, with_rules(prompt), int(chars * 1.6) + 64, on_token, cancelled)
    extras = [s.text for s in sorted(chosen, key=lambda s: -s.score) if not s.heading]
    return fit_length(gen.text, chars, extras), gen.first_token_seconds, chosen


def condense(
    llm: LLM,
    text: str,
    chars: int,
    title: str,
    budget: int,
    check: Callable[[str, Sequence[str]], CheckReport],
    on_token: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Summary:
    """A summary of about ``chars`` characters (±15 %), checked against the report itself. Far beyond 60 KB,
    each ~60 KB part is summarised first (unchecked), then the parts' summaries are summarised."""
    if chars < 50:
        raise InputError("摘要字数太少", "请给出至少 50 字。")
    if not text.strip():
        raise InputError("要压缩的报告为空")
    start = time.perf_counter()
    part_texts = [text]
    if len(text) > MAP_REDUCE_CHARS:
        parts = split_top_sections(text)
        per = max(120, 3 * chars // max(1, len(parts)))
        part_texts = [summarise(llm, p, per, title, budget)[0] for p in parts]
    summary, first, chosen = summarise(llm, "\n".join(part_texts), chars, title, budget, on_token, cancelled)
    result = Summary(
        summary,
        char_count(summary),
        time.perf_counter() - start,
        len(text),
        first,
        [s.text for s in chosen],
    )
    if summary:
        result.check = check(summary, [text])  # against the report itself, never the part summaries
    return result
