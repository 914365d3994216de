"""A 工作总结 in the plan's order, through the one verified path (``write.trusted.draft``).

The outline has one section per plan section, carrying only the facts matched to its items; a section whose
items all lack facts is left out. Items with no fact (未见落实情况) never reach the model: their titles are
listed after the body under 「未见落实情况」, for the user to add facts or explain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..backends.llm import LLM
from ..errors import InputError
from ..write import ledger, outline, trusted
from ..write.draft import Draft
from .compare import UNSEEN
from .report import PlanCheck

UNSEEN_HEADING = "【未见落实情况】"
DOC_TYPE = "工作总结"


def unseen_list(check: PlanCheck) -> str:
    """The closing list of items with no fact: "第5项 title（一、section）" a line ("" when none)."""
    if not check.unseen:
        return ""
    lines = [f"{UNSEEN_HEADING}以下工作要点未找到落实情况的材料，请补充事实或说明："]
    lines += [f"第{r.item.id}项　{r.item.title}" for r in check.unseen]
    return "\n".join(lines)


def make_outline(check: PlanCheck, unit: str = "", period: str = "") -> outline.Outline:
    """The summary's outline: the plan's sections, each with its matched facts, in the plan's order."""
    reported = [r for r in check.items if r.status != UNSEEN]
    if not reported:
        raise InputError(
            "没有任何工作要点找到落实情况，无法起草总结",
            "每一项都是“未见落实情况”：请补充本年度的事实材料，或用对应关系文件把事实归到要点。",
        )
    facts = [f for r in reported for f in r.facts]
    entries = ledger.build("\n".join(f.text for f in facts), unit, period)
    # One entry per fact line, in order (unit and period entries come after): the fact's entry by position.
    entry_of = {id(f): e.id for f, e in zip(facts, entries, strict=False) if e.role == "fact"}
    sections = []
    for s in check.plan.sections:
        mine = [r for r in reported if r.item.section == s.label]
        ids = list(dict.fromkeys(entry_of[id(f)] for r in mine for f in r.facts if id(f) in entry_of))
        if not ids:
            continue
        titles = "；".join(f"第{r.item.id}项{r.item.title}" for r in mine)
        sections.append(
            outline.Section(
                s.heading, f"按工作要点逐项写落实情况：{titles}", ids, ",".join(r.item.id for r in mine)
            )
        )
    base = outline.build(DOC_TYPE, entries)
    return outline.Outline(DOC_TYPE, base.title, entries, sections)


def draft(
    llm: LLM,
    check: PlanCheck,
    unit: str,
    period: str,
    max_tokens: int,
    checker: trusted.Checker,
    on_token: Callable[[str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    edited: outline.Outline | None = None,
) -> Draft:
    """Write the summary of ``check`` section by section (verified), then append the 未见落实情况 list.
    ``edited``: the outline of ``make_outline`` as the user changed it (sections renamed, facts moved)."""
    plan = edited or make_outline(check, unit, period)
    written = trusted.draft(llm, plan, [], max_tokens, checker, on_token, cancelled)
    tail = unseen_list(check)
    if tail and on_token:
        on_token("\n\n" + tail)
    unseen = [{"id": r.item.id, "section": r.item.section, "title": r.item.title} for r in check.unseen]
    return replace(written, text=f"{written.text}\n\n{tail}" if tail else written.text, unseen=unseen)
