"""Pure rendering for the 对照要点 page: a plan check as a two-column table (the plan's items on the left, their
status, facts and figures on the right), the counts of the three states, the facts that fit no item, and
the fact → item table the user edits to correct the matching. No Gradio import here."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from ..plan.compare import DONE, PARTLY, STATUSES, UNSEEN, TargetCheck
from ..plan.parse import Item
from ..plan.report import ItemResult, PlanCheck
from ..text.structure import heading_level

# The three states, one colour each (deep enough for white text on a badge), and a soft row background.
STATUS_COLOURS = {DONE: "#15803d", PARTLY: "#b45309", UNSEEN: "#b91c1c"}
STATUS_BACKGROUNDS = {DONE: "#f0fdf4", PARTLY: "#fffbeb", UNSEEN: "#fef2f2"}
MAPPING_HEADERS = ["序号", "事实", "出处", "要点编号", "当前归属"]
MAPPING_HINT = "请在“要点编号”一列填写左侧表中的要点编号（如 5），留空表示这条事实不属于任何要点"
_NO_ITEM = {"", "无", "-", "—", "null", "none"}
_ITEM_ID = re.compile(r"^第?\s*(\d+)\s*项?$")


def badge(status: str, count: int | None = None) -> str:
    """A status in its colour, with a count after it when given."""
    colour = STATUS_COLOURS.get(status, "#475569")
    tail = f" {count}" if count is not None else ""
    return (
        f'<span class="plan-status" data-status="{escape(status)}" style="background:{colour};color:#fff;'
        f'padding:1px 6px;border-radius:4px;white-space:nowrap">{escape(status)}{tail}</span>'
    )


def counts_html(check: PlanCheck) -> str:
    """The line above the table: how many items, and how many in each state, in the states' colours."""
    counts = check.counts
    parts = " · ".join(badge(s, counts[s]) for s in STATUSES)
    note = ""
    if counts[UNSEEN] == len(check.items):
        note = (
            "<br>⚠ 所有要点都未见落实情况：没有一条事实能对应到这份工作要点的条目。"
            "请确认事实与要点属于同一单位、同一年度，或在下方“调整事实归属”中手动指定。"
        )
    return f'<div class="plan-counts">共 {len(check.items)} 项：{parts}{note}</div>'


def _item_cell(item: Item) -> str:
    """The plan's own wording of an item: its number and first line, deeper entries indented under it."""
    lines = [ln.strip() for ln in item.text.split("\n") if ln.strip()]
    head = f"<b>{escape(item.id)}.</b> {escape(lines[0] if lines else item.title)}"
    # Numbered entries step in 1.5em per level below the item (（1） under 1., ① under （1）); a paragraph
    # stays at the item's own indent.
    depth = {lv: n for n, lv in enumerate(sorted({heading_level(ln) for ln in lines[1:]} - {0}), 1)}
    rest = []
    for line in lines[1:]:
        indent = 1.5 * depth.get(heading_level(line), 0)
        rest.append(f'<div style="padding-left:{indent:g}em;color:#374151">{escape(line)}</div>')
    return head + "".join(rest)


def _target_line(t: TargetCheck) -> str:
    """One target against what was reported: a figure met (✓), missed (✗) or not reported; a deadline or
    wording without a figure only noted."""
    target = t.target
    when = f"（{escape(target.deadline)}）" if target.deadline else ""
    if not target.numeric:
        return f"<li><small>时限/表述：{escape(target.text)}{when}</small></li>"
    reported = "、".join(t.reported)
    if t.met:
        got = f'<span style="color:{STATUS_COLOURS[DONE]}">实际 {escape(reported)} ✓</span>'
    elif reported:
        got = f'<span style="color:{STATUS_COLOURS[PARTLY]}">实际 {escape(reported)}，未达到 ✗</span>'
    else:
        got = f'<span style="color:{STATUS_COLOURS[PARTLY]}">未报告数字 ✗</span>'
    return f"<li>目标：{escape(target.text)}{when} → {got}</li>"


def _result_cell(r: ItemResult) -> str:
    facts = "".join(
        f"<li>{escape(f.text)}"
        + (f" <small>（出处：{escape(f.source)}）</small>" if f.source else "")
        + "</li>"
        for f in r.facts
    )
    targets = "".join(_target_line(t) for t in r.targets)
    out = badge(r.status)
    if facts:
        out += f'<ul class="plan-facts" style="margin:4px 0">{facts}</ul>'
    else:
        out += ' <small style="color:#6b7280">没有找到对应的事实</small>'
    if targets:
        out += f'<ul class="plan-targets" style="margin:4px 0">{targets}</ul>'
    return out


def plan_table_html(check: PlanCheck) -> str:
    """The plan's items on the left (under their section headings), each item's status, matched facts with
    their sources and targets against the reported figures on the right."""
    rows = []
    for section in check.plan.sections:
        if section.heading:
            rows.append(
                f'<tr class="plan-section"><th colspan="2" style="text-align:left;background:#f3f4f6">'
                f"{escape(section.heading)}</th></tr>"
            )
        for item_id in section.items:
            r = check.item(item_id)
            rows.append(
                f'<tr class="plan-item" data-item="{escape(r.item.id)}" data-status="{escape(r.status)}" '
                f'style="background:{STATUS_BACKGROUNDS[r.status]};vertical-align:top">'
                f'<td style="width:45%;padding-left:1.5em">{_item_cell(r.item)}</td>'
                f"<td>{_result_cell(r)}</td></tr>"
            )
    title = f"<h3>{escape(check.plan.title)}</h3>" if check.plan.title else ""
    return (
        f'{title}<table class="plan-table" style="width:100%;border-collapse:collapse">'
        "<thead><tr><th>工作要点</th><th>落实情况</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def unmatched_html(check: PlanCheck) -> str:
    """The facts that report on no item: listed, so nothing the user gave is dropped silently."""
    if not check.unmatched_facts:
        return "<p>每条事实都对应到了某项工作要点。</p>"
    items = "".join(
        f"<li>{escape(f.text)}"
        + (f" <small>（出处：{escape(f.source)}）</small>" if f.source else "")
        + "</li>"
        for f in check.unmatched_facts
    )
    return (
        f"<p><b>未对应到任何要点的事实（{len(check.unmatched_facts)} 条）</b>：不会写入总结；"
        f"如属于某项要点，请在下方“调整事实归属”中填写要点编号。</p><ul>{items}</ul>"
    )


def mapping_rows(check: PlanCheck) -> list[list[str]]:
    """One row per fact (``MAPPING_HEADERS``): its number, text, source, the item it is matched to (the cell
    the user edits; blank for none) and that item's title."""
    placed = {id(f): r.item for r in check.items for f in r.facts}
    rows = []
    for n, fact in enumerate(check.facts, 1):
        item = placed.get(id(fact))
        where = f"第{item.id}项 {item.title}" if item else "（不属于任何要点）"
        rows.append([str(n), fact.text, fact.source, item.id if item else "", where])
    return rows


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def mapping_from_rows(rows: Sequence[Sequence[Any]], facts: int) -> dict[str, str | None]:
    """The mapping the edited table says: fact number → item id (None: no item) for every row whose 序号 is
    one of the ``facts`` facts. "5", "第5项" and "5项" all name item 5; anything else is passed on for the
    core to refuse with a clear message."""
    out: dict[str, str | None] = {}
    for row in rows:
        cells = [_cell(c) for c in [*row, "", "", "", ""][:4]]
        if not cells[0].isdigit() or not 1 <= int(cells[0]) <= facts:
            continue  # a row the user added or emptied: it names no fact
        value = cells[3]
        m = _ITEM_ID.match(value)
        out[cells[0]] = None if value.lower() in _NO_ITEM else (m.group(1) if m else value)
    return out


def unseen_html(unseen: Sequence[Mapping[str, str]]) -> str:
    """The items a summary could not report on (「未见落实情况」), for the user to add facts or explain."""
    if not unseen:
        return "<p>每项工作要点都有落实情况的材料。</p>"
    items = "".join(
        f"<li>第{escape(u.get('id', ''))}项　{escape(u.get('title', ''))}"
        + (f"（第{escape(u['section'])}部分）" if u.get("section") else "")
        + "</li>"
        for u in unseen
    )
    return (
        f'<div class="plan-unseen"><p>{badge(UNSEEN)} 以下 {len(unseen)} 项没有写入总结正文，'
        f"请补充事实或说明：</p><ul>{items}</ul></div>"
    )
