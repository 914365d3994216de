"""What a number is the number of: the nouns it is attached to in its clause.

"已建成智慧教室6间，拟新建智慧教室10间": 10间 belongs to the planned classrooms. A claim's figure is backed
only by a source figure whose clause mentions the same thing; a figure whose thing the source gives another
value is bound to the wrong subject. Anchors are the nearest noun before the figure and the noun right after
it (10间智慧教室), found by jieba's part-of-speech tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.tokens import bigrams, tagged
from .dates import DateMention, dates
from .numbers import Quantity, quantities, same_unit

_CLAUSE = re.compile(r"[^，,；;。！？!?：:\n]+")
# A figure's own segment: list items (一年级30人、二年级28人) each name their own thing.
_SEGMENT = re.compile(r"[^，,；;。！？!?：:\n、]+")
_TOTAL = re.compile(r"(?:共|合计|总计|总共|一共|累计|总数|总量|总额)(?:有|达|计|为)?$")
_NOUN_TAGS = ("n", "nr", "ns", "nt", "nz", "nrt", "nrfg", "nsf", "vn", "an")


@dataclass(frozen=True)
class Clause:
    text: str
    start: int  # offset in the text it was cut from


def clauses(text: str) -> list[Clause]:
    """Clauses at commas, semicolons, colons and sentence ends."""
    return [Clause(m.group(0), m.start()) for m in _CLAUSE.finditer(text) if m.group(0).strip()]


def clause_at(text: str, pos: int, pattern: re.Pattern[str] = _CLAUSE) -> Clause:
    for m in pattern.finditer(text):
        if m.start() <= pos < m.end():
            return Clause(m.group(0), m.start())
    return Clause(text, 0)


def anchors(clause: str, start: int, end: int) -> frozenset[str]:
    """The nouns a figure at [start, end) of ``clause`` attaches to: the nearest noun before it, the first noun
    after it (10间智慧教室, 29名入党积极分子), and the object of a verb right after it (512人达到分数线)."""
    spans = [(at, at + len(word), word, flag) for word, flag, at in tagged(clause)]
    out: set[str] = set()
    for _, e, word, flag in reversed(spans):
        if e <= start and _is_noun(word, flag):
            out.add(word)
            break
    after = [(w, f) for s, _, w, f in spans if s >= end]
    first = next((i for i, (w, f) in enumerate(after[:3]) if _is_noun(w, f)), None)
    if first is not None:
        out.add(after[first][0])
        rest = after[first + 1 : first + 3]  # 7名教师获得二等奖: and what the count is of
        if len(rest) == 2 and rest[0][1].startswith("v") and _is_noun(*rest[1]):
            out.add(rest[1][0])
    if not out:  # 按期转正2名: no noun, the verb says what was counted
        verb = next(
            (w for _, e, w, f in reversed(spans) if e <= start and f.startswith("v") and len(w) >= 2), ""
        )
        if verb:
            out.add(verb)
    return frozenset(out)


def _is_noun(word: str, flag: str) -> bool:
    # People are who did it, not what is counted: 林慧敏为29名积极分子 counts 积极分子.
    # nor where it happened: 40名师范生到江北第二中学 counts 师范生.
    return flag.startswith(_NOUN_TAGS) and not flag.startswith(("nr", "ns", "nt")) and len(word) >= 2


@dataclass(frozen=True)
class Fact:
    """A figure of the source with its clause and the nouns it attaches to."""

    quantity: Quantity
    clause: str
    anchors: frozenset[str]


def facts(text: str, skip: list[tuple[int, int]] | None = None) -> list[Fact]:
    out = []
    for q in quantities(text, skip=skip):
        c = clause_at(text, q.start, _SEGMENT)
        out.append(Fact(q, c.text, anchors(c.text, q.start - c.start, q.end - c.start)))
    return out


def is_total(fact: Fact) -> bool:
    """共58人, 合计58人: a figure stated as a total."""
    before = fact.clause[: max(0, fact.clause.find(fact.quantity.text))]
    return bool(_TOTAL.search(before.strip())) or fact.quantity.text.startswith(("共", "计"))


def _mentions(clause: str, nouns: frozenset[str]) -> bool:
    return any(n in clause for n in nouns)


def bound(claim: Fact, matches: list[Fact], source: list[Fact]) -> tuple[list[Fact], Fact | None]:
    """(the matching source figures attached to the claim's thing, a source figure of that thing with another
    value). A match is attached when its clause names as many of the claim's anchors as any rival figure of the
    same unit does; with no anchors, or anchors the source never names beside a figure, every match counts."""
    if not claim.anchors:
        return matches, None
    totals = [m for m in matches if is_total(m)]
    if totals:  # 共58人 totals the parts before it: it is "of" all of their things
        return totals, None
    score = {id(f): sum(a in f.clause for a in claim.anchors) for f in source}
    best = max((score[id(m)] for m in matches), default=0)
    rivals = [
        f
        for f in source
        if f not in matches and same_unit(f.quantity.unit, claim.quantity.unit) and score[id(f)] > best
    ]
    if rivals:
        return [], max(rivals, key=lambda f: score[id(f)])
    return [m for m in matches if score[id(m)] == best], None


# -- dates: which event a date is the date of -------------------------------------------------------------
def _content(text: str, start: int, end: int) -> frozenset[str]:
    """The clause's character bigrams without the date at [start, end)."""
    return frozenset(bigrams(text[:start] + text[end:]) - {""})


@dataclass(frozen=True)
class Dated:
    """A source clause that gives a date of the day or month: what happened then."""

    clause: str
    date: DateMention
    grams: frozenset[str]


def dated(text: str) -> list[Dated]:
    out = []
    for c in clauses(text):
        for d in dates(c.text):
            if d.month is not None and not d.period:
                out.append(Dated(c.text.strip(), d, _content(c.text, d.start, d.end)))
    return out


def _same_day(a: DateMention, b: DateMention) -> bool:
    return (a.month, a.day) == (b.month, b.day) and (a.year is None or b.year is None or a.year == b.year)


def date_rival(text: str, date: DateMention, source: list[Dated]) -> str:
    """The source clause that gives the claim's event another date ("" when none): 3月15日举办开放日 where the
    source has 3月15日召开家委会会议，3月22日举办开放日. It must fit the claim's clause well (half its words) and
    clearly better than every source clause with the claim's date."""
    if date.month is None or date.period:
        return ""
    parts = clauses(text)
    at = next((i for i, c in enumerate(parts) if c.start <= date.start < c.start + len(c.text)), None)
    if at is None:
        return ""
    c = parts[at]
    mine = _content(c.text, date.start - c.start, date.end - c.start)
    if len(mine) < 4 and at + 1 < len(parts):  # 4月9日，学校举行…: the date leads the clause after it
        mine |= _content(parts[at + 1].text, 0, 0)
    if len(mine) < 4:
        return ""

    def fit(x: Dated) -> float:
        return len(mine & x.grams) / len(mine)

    same = max((fit(x) for x in source if _same_day(x.date, date)), default=0.0)
    others = [x for x in source if not _same_day(x.date, date) and (x.date.day is None) == (date.day is None)]
    best = max(others, key=fit, default=None)
    return best.clause if best is not None and fit(best) >= 0.5 and fit(best) >= same + 0.3 else ""
