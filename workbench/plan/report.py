"""The 对照 of a plan and the year's facts: per item its status, facts with sources and targets vs figures.

``PlanCheck.to_json()`` is the CLI/UI contract (README, "对照要点"):
``{"title", "sections": [{"id", "title", "items"}], "items": [{"id", "section", "title", "status", "facts":
[{"text", "source"}], "targets": [{"text", "value", "unit", "bound", "deadline", "wording", "reported",
"met"}]}], "unmatched_facts": [{"text", "source"}], "counts": {status: n}}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..check.numbers import Quantity
from ..errors import InputError
from .compare import STATUSES, UNSEEN, TargetCheck, compare
from .match import Embed, Fact, Progress, match
from .parse import Item, Plan, figures

_BULLET = re.compile(r"^\s*(?:[-•·*]|\d{1,3}(?:[、．)）]|\.(?!\d))|[（(]\d{1,3}[)）])\s*")  # not 3.5万
_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
MIN_FACT_CHARS = 8  # a shorter library sentence is a heading or a fragment, not a fact


@dataclass
class ItemResult:
    item: Item
    status: str
    facts: list[Fact] = field(default_factory=list)
    targets: list[TargetCheck] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.item.id,
            "section": self.item.section,
            "title": self.item.title,
            "status": self.status,
            "facts": [f.to_json() for f in self.facts],
            "targets": [t.to_json() for t in self.targets],
        }


@dataclass
class PlanCheck:
    plan: Plan
    items: list[ItemResult]
    unmatched_facts: list[Fact] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)  # every fact in the order given (a mapping's numbers)

    def item(self, item_id: str) -> ItemResult:
        return next(r for r in self.items if r.item.id == item_id)

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(r.status == s for r in self.items) for s in STATUSES}

    @property
    def unseen(self) -> list[ItemResult]:
        return [r for r in self.items if r.status == UNSEEN]

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.plan.title,
            "sections": [s.to_json() for s in self.plan.sections],
            "items": [r.to_json() for r in self.items],
            "unmatched_facts": [f.to_json() for f in self.unmatched_facts],
            "counts": self.counts,
        }


def facts_from_text(text: str, source: str = "") -> list[Fact]:
    """A facts file: one fact a line, list markers dropped."""
    lines = (_BULLET.sub("", ln).strip() for ln in text.splitlines())
    return [Fact(ln, source) for ln in lines if ln]


def facts_from_document(text: str, source: str) -> list[Fact]:
    """A library document as facts: its sentences (headings and fragments left out), its title the source."""
    out = []
    for line in text.split("\n"):
        for m in _SENTENCE.finditer(line.strip()):
            sentence = _BULLET.sub("", m.group(0)).strip()
            if len(sentence) >= MIN_FACT_CHARS and sentence.endswith(("。", "！", "？", "；")):
                out.append(Fact(sentence, source))
    return out


def check(
    plan: Plan,
    facts: Sequence[Fact],
    embed: Embed | None,
    mapping: Mapping[str, str | None] | None = None,
    progress: Progress | None = None,
) -> PlanCheck:
    """Match the facts to the plan's items, then compare each item's targets with its facts' figures."""
    if not facts:
        raise InputError(
            "没有提供本年度的事实",
            "用 --facts 给出事实文件（每行一条），或用 --from-library 从库中取同单位同年的材料。",
        )
    assigned = match(plan.items, facts, embed, mapping, progress)
    results = []
    for item in plan.items:
        mine = [f for f, a in zip(facts, assigned, strict=True) if a == item.id]
        found: list[Quantity] = [q for f in mine for q in figures(f.text)]
        status, checks = compare(item.targets, found, len(mine))
        results.append(ItemResult(item, status, mine, checks))
    unmatched = [f for f, a in zip(facts, assigned, strict=True) if a is None]
    return PlanCheck(plan, results, unmatched, list(facts))
