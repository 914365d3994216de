"""Obligation strength: 可以 < 要 < 必须. Making a permission an obligation, or weakening a duty, is a change."""

from __future__ import annotations

from .markers import Marker, find

LEVELS: dict[str, tuple[str, ...]] = {
    "1": ("可以", "可", "鼓励", "支持", "允许", "提倡", "自愿", "力争", "争取"),
    "2": ("要", "应", "应当", "应该", "需", "需要", "不宜", "原则上", "尽量", "要求"),
    "3": ("必须", "须", "务必", "严禁", "不得", "一律", "禁止", "坚决", "确保"),
}
_NAMES = {"1": "允许或鼓励", "2": "应当", "3": "必须"}


def strength(clause: str) -> Marker | None:
    return find(clause, LEVELS)


def changed(claim: str, evidence: str) -> str | None:
    """A reason when the claim's obligation differs from its evidence's; a 必须 the evidence lacks counts."""
    mine, theirs = strength(claim), strength(evidence)
    if mine is None or (theirs is not None and mine.label == theirs.label):
        return None
    if theirs is None:
        if mine.label != "3":
            return None
        return f"要求加重：原文没有强制要求，这里写成“{mine.word}”"
    return (
        f"要求强度不符：原文是“{theirs.word}”（{_NAMES[theirs.label]}），"
        f"这里写成“{mine.word}”（{_NAMES[mine.label]}）"
    )
