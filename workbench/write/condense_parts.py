"""The parts of a report a summary is shared among, the figures that count, and where a summary sentence
came from: pure functions for the condenser, the eval and the benchmark.

Top-level sections are 一、 headings numbered in sequence (a list that restarts at 一、 inside a section — the
十件民生实事 of an appendix — stays in it); a short opening goes with the first section; a report without
headings is cut into even parts; far beyond 60 KB the units are ~60 KB parts. A figure is a quantity outside
a date, weighted by what it says (a rate or a 万/亿 total most).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..check.claims import sentences, split_claims
from ..check.dates import dates
from ..check.numbers import Quantity, quantities
from ..text.lexicon import chinese_to_number
from ..text.structure import heading_label, heading_level, marker_end, sections, split_top_sections
from ..text.tokens import tokenize

MAP_REDUCE_CHARS = 200_000  # beyond this, the units are ~60 KB parts instead of single sections
PART_CHARS = 60_000
MIN_PART_CHARS = 60  # every unit gets at least about one sentence
STRETCH_CHARS = 600  # a unit's share beyond this is written in several calls (a long reply drifts)
EVEN_CHARS = 4_000  # a report without 一、 headings is cut into parts of about this size
OPENING_SHARE = 0.15  # a shorter opening (banner, 各位代表) goes with the first section
TRACE_MIN = 0.3  # share of a summary sentence's bigrams its closest source sentence must hold
_NON_WORD = re.compile(r"[\W_]+")
_WS = re.compile(r"\s+")
_CLAUSE = re.compile(r"[^，；：,;:]+")
_ENDS = ("。", "！", "？", "；", "!", "?", ";")
FRAGMENT_CHARS = 16  # shorter "sentences" are mostly clauses cut off at a semicolon
_ORDINAL = re.compile(r"\s*([一二三四五六七八九十百零〇]{1,3})\s*[、.．]")


@dataclass(frozen=True)
class Part:
    """A top-level section of the report (or an even part of one without headings)."""

    heading: str
    text: str
    start: int  # offset in the report


def _ordinal(line: str) -> int:
    m = _ORDINAL.match(line)
    value = chinese_to_number(m.group(1)) if m else None
    return int(value) if value else 0


def top_level(text: str) -> list[Part]:
    """The report's top-level sections: 一、 blocks numbered in sequence (a list restarting at 一、 inside a
    section stays in it), a short opening folded into the first; no headings → even parts."""
    blocks: list[list[Any]] = [["", 0, 0]]  # heading, start, end
    number, nested, at = 0, 0, 0  # the outer count, and the count of a list inside a section
    for line in text.split("\n"):
        stripped = line.strip()
        n = _ordinal(stripped) if heading_level(stripped) == 1 else 0
        if n and number and (n == 1 or (nested and n == nested + 1)):
            nested = n  # 附件: 十件民生实事 一、二、三、四、… follow 三、 of the report; still one list
        elif n == number + 1:
            number, nested = n, 0
            blocks.append([stripped, at, at])
        blocks[-1][2] = at + len(line)
        at += len(line) + 1
    headed = blocks[1:]
    if len(headed) < 2:
        return _even(text)
    opening = blocks[0]
    if opening[2] - opening[1] < OPENING_SHARE * len(text) or not text[opening[1] : opening[2]].strip():
        headed[0][1] = 0
        blocks = headed
    return [Part(h, text[s:e], s) for h, s, e in blocks if text[s:e].strip()]


def _even(text: str, n: int = 0, heading: str = "", base: int = 0) -> list[Part]:
    """``text`` in ``n`` stretches of about equal length cut at line ends (by default one per 4,000
    characters); offsets are ``base`` plus those in ``text``."""
    n = n or max(1, round(len(text) / EVEN_CHARS))
    parts: list[Part] = []
    start = 0
    for i in range(1, n + 1):
        end = len(text) if i == n else text.find("\n", i * len(text) // n)
        end = len(text) if end < 0 else end
        if end > start and text[start:end].strip():
            parts.append(Part(heading, text[start:end], base + start))
        start = max(start, end + 1)
    return parts or [Part(heading, text, base)]


def units_of(text: str, chars: int) -> list[Part]:
    """What gets one model call each: the top-level sections (~60 KB parts far beyond that), adjacent ones
    merged when the summary is too short to give each a sentence."""
    if len(text) > MAP_REDUCE_CHARS:
        parts, at = [], 0
        for block in split_top_sections(text, PART_CHARS):
            at = max(0, text.find(block[:200], at))
            parts.append(Part("", block, at))  # many sections each: named by position, not a heading
    else:
        parts = top_level(text)
    most = max(1, chars // MIN_PART_CHARS)
    if len(parts) <= most:
        return parts
    merged: list[Part] = []
    size = len(text) / most
    for p in parts:  # greedy: fill each group to an even share of the text
        if merged and (len(merged[-1].text) + len(p.text) <= size or len(merged) == most):
            last = merged[-1]
            first = heading_label(last.heading.split(" 至 ")[0])
            heading = f"{first} 至 {heading_label(p.heading)}" if first and p.heading else ""
            merged[-1] = Part(heading, text[last.start : p.start + len(p.text)], last.start)
        else:
            merged.append(p)
    return merged


@dataclass(frozen=True)
class Share:
    """One model call's worth: a stretch of a unit, and its share of the summary."""

    unit: int  # which of the units it belongs to
    part: Part
    chars: int
    stretch: tuple[int, int]  # (j, k): the j-th of its unit's k stretches


def key_weight(text: str) -> float:
    """The summed weight of a text's key figures (rates, totals, counts with a measure)."""
    return sum(w for w in map(figure_weight, figures(text)) if w >= 1)


def plan(text: str, chars: int) -> tuple[list[Part], list[Share]]:
    """The units and the calls that write them: each unit's share of ``chars`` (``allocate``), a large share
    cut into stretches of about ``STRETCH_CHARS`` so no prompt is long — the first sentence comes sooner
    and each reply is short enough to stop on time."""
    units = units_of(text, chars)
    budgets = allocate([(len(u.text), key_weight(u.text)) for u in units], chars)
    shares: list[Share] = []
    for i, (unit, budget) in enumerate(zip(units, budgets, strict=True)):
        k = max(1, min(math.ceil(budget / STRETCH_CHARS), len(unit.text) // 1_000))
        pieces = _even(unit.text, k, unit.heading, unit.start) if k > 1 else [unit]
        sub = allocate([(len(p.text), key_weight(p.text)) for p in pieces], budget)
        shares += [
            Share(i, p, c, (j + 1, len(pieces))) for j, (p, c) in enumerate(zip(pieces, sub, strict=True))
        ]
    return units, shares


def allocate(sizes: Sequence[tuple[int, float]], chars: int, floor: int = MIN_PART_CHARS) -> list[int]:
    """Characters for each unit from (length, weight of its figures): at least ``floor`` each, the rest
    half by length, half by figures; the shares add up to ``chars``."""
    if not sizes:
        return []
    floor = min(floor, chars // len(sizes))
    length = sum(s for s, _ in sizes) or 1
    weight = sum(w for _, w in sizes)
    shares = [0.5 * s / length + (0.5 * w / weight if weight else 0.5 * s / length) for s, w in sizes]
    spare = chars - floor * len(sizes)
    out = [floor + int(spare * share) for share in shares]
    out[max(range(len(out)), key=lambda i: shares[i])] += chars - sum(out)
    return out


def figure_weight(q: Quantity) -> float:
    """How much a figure says: rates and 万/亿 totals most, counts with a measure, a bare small number little
    (三大任务, 两个确保 are words)."""
    if q.unit in ("%", "个百分点", "百分点") or "万" in q.text or "亿" in q.text:
        return 1.5
    if q.text[:1].isdigit() or q.text[1:2].isdigit():
        return 1.0 if q.unit else 0.5
    return 0.3 if q.value <= 10 else 1.0


def figures(text: str) -> list[Quantity]:
    """The text's figures: quantities outside dates (2025年 and 3月 say when, not how much)."""
    return quantities(text, [(d.start, d.end) for d in dates(text)])


def _key(q: Quantity) -> tuple[float, str]:
    return (round(q.value, 6), q.unit)


def figures_kept(summary: str, source: str) -> tuple[int, int]:
    """(distinct key figures of the summary that the source states, distinct key figures in the source)."""
    have = {_key(q) for q in figures(source) if figure_weight(q) >= 1}
    kept = {_key(q) for q in figures(summary) if figure_weight(q) >= 1} & have
    return len(kept), len(have)


def _grams(text: str) -> set[str]:
    s = _NON_WORD.sub("", text)
    return {s[i : i + 2] for i in range(len(s) - 1)}


def trace(summary: str, parts: Sequence[Part]) -> list[int | None]:
    """For each summary sentence, the part holding its closest source sentence (None when nothing is close)."""
    pool = [(i, _grams(s)) for i, p in enumerate(parts) for s in sentences(p.text)]
    out: list[int | None] = []
    for span in split_claims(summary):
        text = span.text.strip("#*-• ")
        if len(text) < 8 or (heading_level(text) and len(text) <= 30):
            out.append(None)  # a heading line (#### 一、工作回顾) names a section, it does not cover it
            continue
        grams = _grams(text)
        best, where = 0.0, None
        for i, g in pool:
            overlap = len(grams & g) / max(1, len(grams))
            if overlap > best:
                best, where = overlap, i
        out.append(where if best >= TRACE_MIN else None)
    return out


def coverage(summary: str, parts: Sequence[Part]) -> float:
    """Share of the parts with at least one summary sentence traced to them."""
    return len({i for i in trace(summary, parts) if i is not None}) / max(1, len(parts))


# -- salience -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scored:
    index: int
    text: str
    score: float
    heading: int  # 0 body, 1–4 heading level


def score_sentences(text: str) -> list[Scored]:
    """Every sentence with a salience score: keyword centrality, key figures, position under a heading."""
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
    out = []
    for i, ((sentence, level, first), ts) in enumerate(zip(units, tokens, strict=True)):
        # Centrality: how much of the section's shared vocabulary a sentence carries, per word (summed, a
        # long sentence of set phrases — 深入贯彻…全面落实… — would beat every sentence with a fact).
        central = sum(weight[t] * min(df[t] - 1, 5) for t in ts) / (len(ts) + 1)
        # A growth rate or a total says more than a count, and a count more than 三大 or 两个.
        facts = sum(figure_weight(q) for q in figures(sentence))
        score = 2.0 * central + 4.0 * min(facts, 6.0) + (1.5 if first else 0.0)
        # A clause cut off at ；(产值达到780亿元) has a figure but no subject: it reads well only in place.
        out.append(Scored(i, sentence, score * (0.5 if len(sentence) < FRAGMENT_CHARS else 1.0), level))
    return out


def select(text: str, budget: int, count: Callable[[str], int], structure: bool = True) -> list[Scored]:
    """Top-level headings (the structure, unless ``structure`` is off) plus the best sentences that fit, in
    document order. Without headings: given a list of headings, a small model writes a list of headings."""
    scored = score_sentences(text)
    if not structure:  # nor a title, a byline, a signature or a date line: short and no sentence end
        scored = [
            s
            for s in scored
            if not (s.heading in (1, 2) and len(s.text) <= 40)
            and (len(s.text) > 30 or s.text.endswith(_ENDS))
        ]
    chosen: dict[int, Scored] = {}
    seen: set[str] = set()  # a repeated sentence or heading adds nothing the first copy did not
    used = 0
    for s in scored:
        key = _WS.sub("", s.text)
        if structure and s.heading in (1, 2) and len(s.text) <= 40 and key not in seen:
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


def must_keep(chosen: Sequence[Scored], n: int) -> list[str]:
    """The ``n`` weightiest figures of the selected sentences, each with the words just before it
    (地区生产总值增长5.3%): short, since every prompt token costs time on a small machine."""
    found: list[tuple[float, str]] = []
    for s in chosen:
        for clause in _CLAUSE.findall(s.text[marker_end(s.text) :]):
            for q in figures(clause):
                if figure_weight(q) >= 1:
                    found.append(
                        (figure_weight(q) + s.score / 100, clause[max(0, q.start - 10) : q.end].strip())
                    )
    out: list[str] = []
    for _, clause in sorted(found, key=lambda x: -x[0]):
        if clause not in out:
            out.append(clause)
    return out[:n]
