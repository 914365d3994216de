"""Decisions and approvals: 建议 is not 决定, 未作决定 is not 决定, and 经……批准 must be in the source."""

from __future__ import annotations

from .markers import Marker, find

KINDS: dict[str, tuple[str, ...]] = {
    "undecided": ("未作决定", "未作出决定", "暂缓", "未通过", "未批准", "搁置", "待定", "尚未决定"),
    "proposed": ("建议", "提出", "提议", "倡议", "讨论", "酝酿", "征求意见"),
    # Not 通过 alone: "通过开展活动" means "by", not "passed".
    "decided": (
        "决定",
        "研究决定",
        "会议决定",
        "审议通过",
        "表决通过",
        "会议通过",
        "批准",
        "同意",
        "决议",
        "作出决定",
        "批复",
        "核准",
    ),
}
APPROVALS = ("批准", "同意", "审议通过", "批复", "核准", "研究决定")


def decision(clause: str) -> Marker | None:
    return find(clause, KINDS)


def changed(claim: str, evidence: str, source: str) -> str | None:
    """A reason when the claim decides or approves what its evidence only proposes or leaves open, or adds an
    approval the whole source never mentions; the reverse (a decision reported as a proposal) too."""
    mine, theirs = decision(claim), decision(evidence)
    if mine is None:
        return None
    if mine.label == "decided":
        if mine.word in APPROVALS and mine.word not in source:
            return f"原文没有“{mine.word}”这一审批环节"
        if theirs is None or theirs.label != "decided":
            said = f"原文是“{theirs.word}”" if theirs else "原文没有说作出了决定"
            return f"决定不符：{said}，这里写成“{mine.word}”"
        return None
    if mine.label == "proposed" and theirs is not None and theirs.label == "decided":
        return f"决定不符：原文是“{theirs.word}”，这里写成“{mine.word}”"
    return None
