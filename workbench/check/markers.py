"""Word classes that change what a clause asserts: a table of words per class, found in the text.

A one-character marker counts only outside the common words that contain it: 拟 in 模拟, 应 in 应急, 要 in
主要 are not a plan or a duty. Used by the state, modality, decision and quantifier rules; each owns its
table and its comparison, this module only finds.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

# Words that contain a one-character marker without meaning it.
COMPOUNDS = frozenset(
    [
        "模拟",
        "虚拟",
        "草拟",
        "应用",
        "应急",
        "相应",
        "响应",
        "适应",
        "对应",
        "供应",
        "反应",
        "应对",
        "应届",
        "应邀",
        "应聘",
        "答应",
        "效应",
        "要求",
        "主要",
        "重要",
        "需要",
        "要点",
        "要素",
        "纪要",
        "提要",
        "摘要",
        "要闻",
        "只要",
        "必要",
        "概要",
        "简要",
        "可能",
        "可持续",
        "可靠",
        "认可",
        "许可",
        "可行",
        "可视",
        "可见",
        "可喜",
        "可贵",
        "可观",
        "可控",
        "可以",
        "不可",
        "须知",
        "而已",
        "不得已",
        "平均",
        "均衡",
        "人均",
        "均等",
        "首都",
        "都市",
        "未来",
        "正式",
        "正常",
        "公正",
        "正确",
        "纠正",
        "真正",
        "正面",
        "正向",
        "正能量",
        "将近",
        "将领",
        "即将",
        "将要",
        "已经",
        "已于",
        "业已",
        "必须",
        "务必",
        "应当",
        "应该",
        "尚未",
        "未能",
        "还未",
        "不得",
        "正在",
        "拟于",
        "拟定",
        "将于",
        "研究生",
        "通过率",
        "全部门",
    ]
)


@dataclass(frozen=True)
class Marker:
    label: str  # the class, e.g. "planned"
    word: str  # the word as written in the clause
    start: int


@lru_cache(maxsize=64)
def _compiled(table: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    by_word = {w: label for label, ws in table for w in ws}
    ordered = sorted(by_word, key=len, reverse=True)  # 未作决定 before 决定, 已经 before 已
    return re.compile("|".join(map(re.escape, ordered))), by_word


_COMPOUND_RE = re.compile("|".join(map(re.escape, sorted(COMPOUNDS, key=len, reverse=True))))


def _inside_compound(text: str, start: int, end: int) -> bool:
    """Is [start, end) part of a longer common word that is not itself the marker?"""
    word = text[start:end]
    for m in _COMPOUND_RE.finditer(text, max(0, start - 3), min(len(text), end + 3)):
        if m.start() <= start and end <= m.end() and m.group(0) != word and len(m.group(0)) > len(word):
            return True
    return False


def find_all(text: str, table: Mapping[str, Sequence[str]]) -> list[Marker]:
    pattern, by_word = _compiled(tuple((k, tuple(v)) for k, v in table.items()))
    return [
        Marker(by_word[m.group(0)], m.group(0), m.start())
        for m in pattern.finditer(text)
        if not _inside_compound(text, m.start(), m.end())
    ]


def find(text: str, table: Mapping[str, Sequence[str]]) -> Marker | None:
    """The first marker of ``text`` that belongs to a class of ``table``."""
    found = find_all(text, table)
    return found[0] if found else None
