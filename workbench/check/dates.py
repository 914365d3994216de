"""Dates and periods: 2020年5月, 4月29日, 2021-06-30, 上半年, 第三季度, "十四五", 第36个教师节."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.lexicon import CN_NUM, chinese_to_number

_NUM = rf"(?:\d{{1,4}}|[{CN_NUM}]{{1,4}})"
_DATE = re.compile(
    rf"(?:(?P<y>\d{{4}}|[{CN_NUM}]{{4}})\s*年)?\s*(?:(?P<m>{_NUM})\s*月)?\s*(?:(?P<d>{_NUM})\s*[日号])?"
)
_ISO = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")
_PERIOD = re.compile(
    r"上半年|下半年|上半学期|下半学期|第[一二三四1-4]季度|[一二三四1-4]季度|寒假|暑假|春季学期|秋季学期|"
    r"年初|年中|年末|年底|岁末|(?<![一二三四五六七八九十百千两\d])“?[十]?[一二三四五六七八九十]五”?(?:规划|期间|时期)?"
    r"(?![一二三四五六七八九项个条名人次万亿千百年岁])|"
    r"第[\d一二三四五六七八九十百]+个(?:教师节|国际[\u4e00-\u9fff]{1,6}日|[\u4e00-\u9fff]{1,6}日|[\u4e00-\u9fff]{1,4}节)"
)
_PLAN = re.compile(r"“?([十]?[一二三四五六七八九十])五”?")


@dataclass(frozen=True)
class DateMention:
    """A date with the fields the text gives (None where not given), or a named period."""

    year: int | None
    month: int | None
    day: int | None
    period: str
    start: int
    end: int
    text: str


def _n(raw: str | None) -> int | None:
    if not raw:
        return None
    if raw.isdigit():
        return int(raw)
    v = chinese_to_number(raw)
    return int(v) if v is not None else None


def _canonical_period(text: str) -> str:
    text = text.strip("“”")
    m = _PLAN.fullmatch(text) or _PLAN.match(text)
    if m and "五" in text and "个" not in text:
        return f"{m.group(1)}五"
    return (
        text.replace("1季度", "一季度")
        .replace("2季度", "二季度")
        .replace("3季度", "三季度")
        .replace("4季度", "四季度")
        .removeprefix("第")
    )


def dates(text: str) -> list[DateMention]:
    """Every date and named period in the text, with offsets, in order."""
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for m in _ISO.finditer(text):
        out.append(DateMention(int(m["y"]), int(m["m"]), int(m["d"]), "", m.start(), m.end(), m.group(0)))
        taken.append((m.start(), m.end()))
    for m in _DATE.finditer(text):
        if m.end() == m.start() or not (m["y"] or m["m"]):
            continue
        if any(s <= m.start() < e for s, e in taken):
            continue
        y, mo, d = _n(m["y"]), _n(m["m"]), _n(m["d"])
        if (mo is not None and not 1 <= mo <= 12) or (d is not None and not 1 <= d <= 31):
            continue
        if y is not None and not 1900 <= y <= 2100:
            continue
        start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        end, period = m.end(), ""
        if y is not None and mo is None and text[end : end + 1] in ("初", "底", "末", "中"):
            end, period = end + 1, "年" + text[end]  # 2024年初: a part of that year
        out.append(DateMention(y, mo, d, period, start, end, text[start:end].strip()))
        taken.append((start, end))
    for m in _PERIOD.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        out.append(
            DateMention(None, None, None, _canonical_period(m.group(0)), m.start(), m.end(), m.group(0))
        )
    return sorted(out, key=lambda d: d.start)


# The months a relative period covers: a paraphrase may say 年底 for 12月底 of that year.
PERIOD_MONTHS: dict[str, frozenset[int]] = {
    "年底": frozenset({12}),
    "年末": frozenset({12}),
    "岁末": frozenset({12}),
    "年初": frozenset({1, 2}),
    "年中": frozenset({6, 7}),
    "上半年": frozenset(range(1, 7)),
    "下半年": frozenset(range(7, 13)),
    "一季度": frozenset({1, 2, 3}),
    "二季度": frozenset({4, 5, 6}),
    "三季度": frozenset({7, 8, 9}),
    "四季度": frozenset({10, 11, 12}),
    "寒假": frozenset({1, 2}),
    "暑假": frozenset({7, 8}),
}


def _period_backed(sources: list[DateMention], claim: DateMention) -> bool:
    """A period is backed by the same period, or by a source date whose month it covers (the year agreeing
    when both give one)."""
    months = PERIOD_MONTHS.get(claim.period, frozenset())
    for s in sources:
        if claim.year is not None and s.year is not None and s.year != claim.year:
            continue
        if s.period == claim.period or (s.month is not None and s.month in months):
            return claim.year is None or s.year is not None or claim.year in {x.year for x in sources}
    return False


def supports(sources: list[DateMention], claim: DateMention) -> bool:
    """A claim's date is backed when a source date agrees on every field both give, and the claim's other
    fields are stated somewhere in the source (a year named elsewhere, say)."""
    if claim.period:
        return _period_backed(sources, claim)
    years = {s.year for s in sources if s.year is not None}
    for s in sources:
        if s.period:
            continue
        fields = ((claim.year, s.year), (claim.month, s.month), (claim.day, s.day))
        if any(c is not None and v is not None and c != v for c, v in fields):
            continue
        if claim.month is not None and s.month is None:
            continue
        if claim.day is not None and s.day is None:
            continue
        if claim.year is not None and s.year is None and claim.year not in years:
            continue
        return True
    return False


def conflicts(sources: list[DateMention], claim: DateMention) -> bool:
    """Does a source date give the same fields as the claim with other values (2023年 against 2024年)?"""
    for s in sources:
        if s.period or claim.period:
            continue
        given = [
            (c, v)
            for c, v in ((claim.year, s.year), (claim.month, s.month), (claim.day, s.day))
            if c is not None
        ]
        if given and all(v is not None for _, v in given) and any(c != v for c, v in given):
            return True
    return False
