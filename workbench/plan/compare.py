"""An item's status from its targets and the figures of the facts matched to it: pure rules, no model.

已落实: at least one fact, and every figure target met by a matched fact's figure of the same unit (万/亿 are
folded into values; 以内/以下/不超过/控制在 make a target an upper bound, anything else a lower one).
部分落实: facts, but a figure target has no figure of its unit among them, or every such figure misses it.
未见落实情况: no fact. Deadlines and 拟/计划/力争 wording are reported with the targets and decide nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..check.numbers import Quantity
from .parse import Target

DONE, PARTLY, UNSEEN = "已落实", "部分落实", "未见落实情况"
STATUSES = (DONE, PARTLY, UNSEEN)


_PEOPLE = frozenset({"人", "名", "位"})


def same_unit(a: str, b: str) -> bool:
    """The same unit; 人/名/位 all count people. (Not the checker's looser groups: 5个 groups are no 20所
    schools.)"""
    return a == b or (a in _PEOPLE and b in _PEOPLE)


@dataclass
class TargetCheck:
    """One target against the figures reported: ``met`` None for a target without a figure."""

    target: Target
    reported: list[str] = field(default_factory=list)  # the matched facts' figures of the target's unit
    met: bool | None = None

    def to_json(self) -> dict[str, Any]:
        return {**self.target.to_json(), "reported": self.reported, "met": self.met}


def meets(target: Target, figure: Quantity) -> bool:
    """Does ``figure`` meet ``target``: the same unit, and on the right side of its bound?"""
    if target.value is None or not same_unit(target.unit, figure.unit):
        return False
    if target.bound == "max":
        return figure.value <= target.value + 1e-9
    return figure.value >= target.value - 1e-9


def check_target(target: Target, figures: Sequence[Quantity]) -> TargetCheck:
    if target.value is None:
        return TargetCheck(target)
    same = [f for f in figures if same_unit(target.unit, f.unit)]
    return TargetCheck(target, [f.text for f in same], any(meets(target, f) for f in same))


def status(fact_count: int, checks: Sequence[TargetCheck]) -> str:
    """The item's status from how many facts it has and how its targets fared."""
    if not fact_count:
        return UNSEEN
    return DONE if all(c.met is not False for c in checks) else PARTLY


def compare(
    targets: Sequence[Target], figures: Sequence[Quantity], fact_count: int
) -> tuple[str, list[TargetCheck]]:
    """The status of an item and each of its targets against the figures of its ``fact_count`` facts."""
    checks = [check_target(t, figures) for t in targets]
    return status(fact_count, checks), checks
