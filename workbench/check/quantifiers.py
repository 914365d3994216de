"""Quantity words: 全部 vs 部分, 首次 vs 再次. Either way round, the claim says something else."""

from __future__ import annotations

from .markers import find

SCOPES: dict[str, tuple[str, ...]] = {
    "all": ("全部", "所有", "全体", "均", "都", "全员", "一律", "悉数", "无一例外"),
    "part": ("部分", "大部分", "多数", "大多数", "少数", "个别", "一些", "半数"),
}
TIMES: dict[str, tuple[str, ...]] = {
    "first": ("首次", "第一次", "首届", "首个", "首批", "率先"),
    "again": ("再次", "又一次", "第二次", "连续", "继续", "再度", "第二届"),
}


def changed(claim: str, evidence: str) -> str | None:
    """A reason when claim and evidence both use a word of one class and the words disagree."""
    for table in (SCOPES, TIMES):
        mine, theirs = find(claim, table), find(evidence, table)
        if mine and theirs and mine.label != theirs.label:
            return f"范围或次数不符：原文是“{theirs.word}”，这里写成“{mine.word}”"
    return None
