"""A 工作要点 as data: its 一、 sections, its numbered items (the work it promises) and the targets they state.

Items are the numbered entries one level under the 一、 sections (1. / 1、 / （1）, or （一） when that is the first
level under a section), numbered "1".."N" in document order across the whole plan, as real plans number them
(so a plan that restarts at 1. in every section is renumbered). Deeper entries and body lines fold into their
item. A plan without 一、 sections: its top numbered entries are the items, in section "". A target is a figure
with a unit the item states (万/亿 folded into the value), read as a lower bound unless 以内/以下/不超过/控制在
makes it an upper one; deadlines and 拟/计划/力争 wording are targets too, reported but never compared.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..check.dates import dates
from ..check.numbers import Quantity, quantities
from ..errors import InputError
from ..text.structure import heading_level, marker_end
from ..text.tokens import tokenize

_UPPER = ("不超过", "控制在", "以内", "以下")
_WORDING = re.compile(r"拟|计划|力争|争取")
_CN = "一二三四五六七八九十"
_DEADLINE = re.compile(
    rf"(?:(?:\d{{4}}|[{_CN}〇零]{{4}})年)?(?:\d{{1,2}}|[{_CN}]{{1,3}})月(?:份)?(?:底|末|中旬|上旬|下旬)?(?:前|之前|以前)"
    rf"|(?:\d{{4}}年)?(?:年内|年底前|年底|年末|上半年|下半年|学期末|本学期内|暑假前|寒假前)"
)
_LONG_NUMBER = re.compile(r"^\d{3}\s*(?:[、．]|\.(?!\d))")  # 100. — the shared pattern stops at two digits
_CLAUSE = re.compile(r"[^，,；;。！？\n]+")
_QUOTED = re.compile(r"“[^”]{0,30}”|《[^》]{0,40}》|\"[^\"]{0,30}\"")
_SENTENCE_END = ("。", "；", "！", "？", "：")
_MAX_KEYS = 8
_PLAN_WORDS = re.compile(r"要点|计划|思路|安排")
_NOT_AMOUNTS = ("届", "年")  # 十九届, 九年一贯制, 三年行动: names and spans, not amounts promised


@dataclass(frozen=True)
class Target:
    """What an item promises: a figure (``value`` with ``unit``, ``bound`` "min" or "max") or, with ``value``
    None, a deadline or 拟/计划/力争 wording only."""

    text: str
    value: float | None
    unit: str
    bound: str  # min | max | "" (no figure)
    deadline: str = ""
    wording: str = ""

    @property
    def numeric(self) -> bool:
        return self.value is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "bound": self.bound,
            "deadline": self.deadline,
            "wording": self.wording,
        }


@dataclass
class Item:
    id: str
    section: str  # the 一、 section's label ("一"), "" for a plan without sections
    title: str  # the lead phrase, up to the first 。
    text: str  # the item with everything folded into it, its marker removed
    keys: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "section": self.section,
            "title": self.title,
            "text": self.text,
            "keys": self.keys,
            "targets": [t.to_json() for t in self.targets],
        }


@dataclass
class PlanSection:
    label: str  # 一, 二 … ("" when the plan has no 一、 sections)
    title: str
    items: list[str] = field(default_factory=list)  # item ids

    @property
    def heading(self) -> str:
        return f"{self.label}、{self.title}" if self.label else self.title

    def to_json(self) -> dict[str, Any]:
        return {"id": self.label, "title": self.title, "items": self.items}


@dataclass
class Plan:
    title: str
    sections: list[PlanSection]
    items: list[Item]

    def item(self, item_id: str) -> Item:
        return next(i for i in self.items if i.id == item_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "sections": [s.to_json() for s in self.sections],
            "items": [i.to_json() for i in self.items],
        }


def _level(line: str) -> int:
    level = heading_level(line)
    return 3 if not level and _LONG_NUMBER.match(line) else level


def _strip_marker(line: str) -> str:
    end = marker_end(line) or (m.end() if (m := _LONG_NUMBER.match(line)) else 0)
    return line[end:].strip()


def _lead(text: str) -> str:
    return text.split("。", 1)[0].strip()


def _signature(lines: list[str]) -> list[str]:
    """The plan without its closing 落款 (unit and date lines after the last item), which is no item's text."""
    end = len(lines)
    while end and not _level(lines[end - 1]) and len(lines[end - 1]) <= 30:
        if lines[end - 1].endswith(_SENTENCE_END):
            break
        end -= 1
    return lines[:end]


def _title(lines: list[str], levels: list[int]) -> str:
    """The plan's title: the first line before the first heading that names a plan (a red-header's
    “……文件” line comes before it), else the first line."""
    first = next((i for i, lv in enumerate(levels) if lv), len(lines))
    head = [ln.lstrip("#").strip() for ln in lines[:first]]
    return next((ln for ln in head if _PLAN_WORDS.search(ln) and len(ln) <= 60), head[0] if head else "")


def parse(text: str) -> Plan:
    """The plan's sections and items; a text with no numbered items is a clear error."""
    lines = _signature([ln.strip() for ln in text.split("\n") if ln.strip()])
    levels = [_level(ln) for ln in lines]
    has_sections = 1 in levels
    sections: list[PlanSection] = []
    bodies: list[tuple[str, list[str]]] = []  # (section label, lines of the item)
    item_level = 0
    title = _title(lines, levels)
    if not has_sections:
        sections.append(PlanSection("", ""))
        item_level = min((lv for lv in levels if lv), default=0)
    for line, level in zip(lines, levels, strict=True):
        if has_sections and level == 1:
            head = _strip_marker(line)
            sections.append(PlanSection(re.sub(r"[\s、.．]", "", line[: marker_end(line)]), _lead(head)))
            item_level = 0
            continue
        if not sections or (not level and not bodies):
            continue  # the preamble, before the first section or item
        if level and (not item_level or level == item_level):
            item_level = item_level or level
            bodies.append((sections[-1].label, [_strip_marker(line)]))
        elif bodies and bodies[-1][0] == sections[-1].label and item_level:
            bodies[-1][1].append(line)  # a deeper entry or a paragraph: part of its item
    if not bodies:
        raise InputError(
            "没有找到编号的工作要点条目",
            "工作要点需要“一、二、……”分部分，部分下用“1. 2. ……”（或“（1）”）逐条编号；"
            "也可以不分部分，直接用“1. 2. ……”逐条列出。",
        )
    items = [_item(str(n), label, body) for n, (label, body) in enumerate(bodies, 1)]
    for it in items:
        next(s for s in sections if s.label == it.section).items.append(it.id)
    return Plan(title, [s for s in sections if s.items], items)


def _item(item_id: str, section: str, body: list[str]) -> Item:
    text = "\n".join(body)
    return Item(item_id, section, _lead(body[0]), text, keys(text, _lead(body[0])), targets(text))


def keys(text: str, title: str = "") -> list[str]:
    """An item's key phrases: the words of its title, then its most frequent words (two characters or more)."""
    counts = Counter(t for t in tokenize(text) if len(t) >= 2 and not t[0].isdigit())
    lead = [t for t in tokenize(title) if len(t) >= 2 and not t[0].isdigit()]
    ranked = [t for t, _ in counts.most_common()]
    return list(dict.fromkeys(lead + ranked))[:_MAX_KEYS]


def _bound(clause: str, q: Quantity) -> str:
    # the figure with a few characters either side (不超过 may be read into the figure as its 超过)
    near = clause[max(0, q.start - 4) : q.end + 3]
    return "max" if any(w in near for w in _UPPER) else "min"


def figures(text: str) -> list[Quantity]:
    """The figures with a unit a text states: dates and words in quotes or 《》 (“四个意识”) left out."""
    skip = [(d.start, d.end) for d in dates(text)]
    skip += [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    # 第二届、十九届: ordinals and sessions name an occasion, they promise no amount
    return [
        q
        for q in quantities(text, skip=skip)
        if q.unit and q.unit not in _NOT_AMOUNTS and text[max(0, q.start - 1) : q.start] != "第"
    ]


def targets(text: str) -> list[Target]:
    """The targets of an item, clause by clause: each figure (with the clause's deadline and wording), and a
    clause with a deadline or wording but no figure as a target without a value."""
    out: list[Target] = []
    for m in _CLAUSE.finditer(text):
        clause = _strip_marker(m.group(0).strip())
        if not clause:
            continue
        deadline = next((d.group(0) for d in _DEADLINE.finditer(clause)), "")
        wording = next((w.group(0) for w in _WORDING.finditer(clause)), "")
        found = figures(clause)
        for q in found:
            out.append(Target(clause, q.value, q.unit, _bound(clause, q), deadline, wording))
        if not found and (deadline or wording):
            out.append(Target(clause, None, "", "", deadline, wording))
    return out
