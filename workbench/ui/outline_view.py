"""Pure rendering of the drafting outline and the fact ledger for the 起草 page: the outline as rows of an
editable table and back to outline JSON, the ledger before a draft (where each fact goes) and after it (where
each fact was written, what the verification repaired, what is left to fill in). No Gradio import here."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..write.draft import Draft

OUTLINE_HEADERS = ["顺序", "标题", "要写什么", "事实编号"]
OUTLINE_HINT = (
    "请按右侧事实清单里的编号（如 f1、f3）填写“事实编号”，每条事实只写在一行，至少保留一行；"
    "不想写入初稿的事实，删去它的编号即可"
)
ACTION_LABEL = {"regenerated": "重新生成", "dropped": "删去", "written_from_fact": "按事实改写"}
_ID_SPLIT = re.compile(r"[\s,，、;；]+")
_USED, _UNUSED = "#15803d", "#6b7280"


def _outline(outline: str | Mapping[str, Any]) -> dict[str, Any]:
    return json.loads(outline) if isinstance(outline, str) else dict(outline)


def outline_rows(outline: str | Mapping[str, Any]) -> list[list[Any]]:
    """The outline's sections as rows of the editable table (``OUTLINE_HEADERS``): 顺序, 标题, 要写什么, and
    the fact ids the section carries, comma-separated."""
    sections = _outline(outline).get("sections", [])
    return [
        [i, s.get("heading", ""), s.get("intent", ""), ",".join(s.get("facts", []))]
        for i, s in enumerate(sections, 1)
    ]


def _cell_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _order(value: Any, default: float) -> float:
    try:
        number = float(_cell_text(value))
    except ValueError:
        return default
    return default if math.isnan(number) else number


def outline_from_rows(outline: str | Mapping[str, Any], rows: Sequence[Sequence[Any]]) -> str:
    """The outline JSON the table now says: its ledger, type, title and precedents from ``outline``, its
    sections from ``rows`` in the order of their 顺序 (a row without a number keeps its place). A row left
    blank is deleted; a fact no row lists is unassigned (未写入); an id the ledger lacks is kept, for the
    core to refuse. Placeholders follow their section; those of a deleted section go with it, except the
    ones the type needs anyway (落款日期 …), which move to the nearest section left."""
    data = _outline(outline)
    old = data.get("sections", [])
    ids = {str(e["id"]).lower(): str(e["id"]) for e in data.get("ledger", [])}
    kept: list[tuple[float, int, list[str]]] = []
    for i, row in enumerate(rows):
        cells = [_cell_text(c) for c in [*row, "", "", "", ""][:4]]
        if not any(cells[1:]):
            continue  # a blank row: deleted
        kept.append((_order(row[0] if row else None, i + 1), i, cells))
    kept.sort(key=lambda k: (k[0], k[1]))
    origin = _origins(old, [(i, cells[1], cells[2]) for _, i, cells in kept])
    sections: list[dict[str, Any]] = []
    for (_, _, (_, heading, intent, facts)), was in zip(kept, origin, strict=True):
        sections.append(
            {
                "heading": heading,
                "intent": intent or (heading.split("、", 1)[-1] if heading else "按事实叙述"),
                "facts": [ids.get(f.lower(), f) for f in _ID_SPLIT.split(facts) if f],
                "plan_item": old[was].get("plan_item") if was is not None else None,
            }
        )
    listed = {f for s in sections for f in s["facts"]}
    unassigned = [
        str(e["id"]) for e in data.get("ledger", []) if e.get("role") == "fact" and e["id"] not in listed
    ]
    placeholders = []
    for p in data.get("placeholders", []):
        at = _new_place(p, old, origin, len(sections))
        if at is not None:
            placeholders.append({**p, "section": at})
    return json.dumps(
        {**data, "sections": sections, "unassigned": unassigned, "placeholders": placeholders},
        ensure_ascii=False,
    )


def _origins(old: Sequence[Mapping[str, Any]], rows: Sequence[tuple[int, str, str]]) -> list[int | None]:
    """For each (row index, heading, intent), the section of the outline it was: the same heading, else the
    same intent, else the same place in the table; ``None`` for a new row."""
    found: list[int | None] = [None] * len(rows)
    keys: list[Callable[[int, tuple[int, str, str]], bool]] = [
        lambda j, r: bool(r[1]) and old[j].get("heading") == r[1],
        lambda j, r: bool(r[2]) and old[j].get("intent") == r[2],
        lambda j, r: j == r[0],
    ]
    for same in keys:
        for n, row in enumerate(rows):
            if found[n] is None:
                found[n] = next((j for j in range(len(old)) if j not in found and same(j, row)), None)
    return found


def _new_place(
    p: Mapping[str, Any], old: Sequence[Mapping[str, Any]], origin: Sequence[int | None], count: int
) -> int | None:
    """Where a placeholder goes once the rows are edited (``None``: dropped with its section)."""
    was = p.get("section", 0)
    if was in origin:
        return origin.index(was)
    if not count:
        return None
    if 0 <= was < len(old):
        s = old[was]
        label = s.get("heading", "").split("、", 1)[-1] or s.get("intent", "")
        if label and label in str(p.get("text", "")):
            return None  # it asked for the section the user deleted
    return count - 1 if was >= len(old) - 1 else min(max(was, 0), count - 1)


def _section_name(sections: Sequence[Mapping[str, Any]], at: int) -> str:
    s = sections[at]
    return str(s.get("heading") or f"第{at + 1}段（{s.get('intent', '')}）")


def _fact_item(entry: Mapping[str, Any], colour: str, mark: str, note: str) -> str:
    return (
        f'<li data-fact="{escape(str(entry["id"]))}" style="color:{colour}">{mark} '
        f"<code>{escape(str(entry['id']))}</code> {escape(str(entry.get('text', '')))}{note}</li>"
    )


def _placeholders_html(marks: Sequence[str]) -> str:
    if not marks:
        return ""
    items = "".join(f"<li>{escape(m)}</li>" for m in marks)
    return f"<p><b>待补</b>（稿中已留出，请补上）：</p><ul>{items}</ul>"


_ROLE_NOTE = {"unit": "单位", "period": "时间范围"}


def outline_ledger_html(outline: str | Mapping[str, Any], error: str = "") -> str:
    """The fact ledger beside the outline table: each fact with its id and the section it goes to (or 未安排),
    the unit and period (which back every section), the placeholders under the section they follow; and
    ``error``, what is wrong with the table as edited, on top."""
    data = _outline(outline)
    sections = data.get("sections", [])
    home = {f: i for i, s in enumerate(sections) for f in s.get("facts", [])}
    facts = [e for e in data.get("ledger", []) if e.get("role", "fact") == "fact"]
    items = []
    for e in data.get("ledger", []):
        if e.get("role", "fact") != "fact":
            note = f" <small>（{_ROLE_NOTE.get(e['role'], e['role'])}，各部分通用）</small>"
            items.append(_fact_item(e, "inherit", "·", note))
        elif e["id"] in home:
            items.append(
                _fact_item(
                    e, "inherit", "•", f" <small>→ {escape(_section_name(sections, home[e['id']]))}</small>"
                )
            )
        else:
            items.append(_fact_item(e, _UNUSED, "○", " <small>→ 未安排（不会写入初稿）</small>"))
    marks = [
        f"{p['text']}（{_section_name(sections, p['section'])}）"
        if 0 <= p.get("section", -1) < len(sections)
        else str(p["text"])
        for p in data.get("placeholders", [])
    ]
    warn = f'<p style="color:#b91c1c">⚠ {escape(error)}</p>' if error else ""
    return (
        f'<div class="fact-ledger">{warn}<p><b>事实清单</b>：{len(facts)} 条事实，'
        "在左表“事实编号”一栏里把编号安排到各部分（一条事实只放一处）。</p>"
        f'<ul style="list-style:none;padding-left:0">{"".join(items)}</ul>'
        f"{_placeholders_html(marks)}</div>"
    )


def _draft_data(draft: Draft | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(draft, Mapping):
        return draft
    return {
        "text": draft.text,
        "ledger": draft.ledger,
        "repairs": draft.repairs,
        "placeholders": draft.placeholders,
    }


def _quote(text: str, spans: Sequence[Sequence[int]]) -> list[str]:
    return [text[s:e].strip() for s, e in spans if 0 <= s < e <= len(text) and text[s:e].strip()]


def ledger_html(draft: Draft | Mapping[str, Any]) -> str:
    """The fact ledger after a draft: each fact green with the sentence it was written in, or grey (未写入);
    the repairs the verification made (原句 / 原因 / 处理 / 替换为); the placeholders left to fill in."""
    data = _draft_data(draft)
    text = str(data.get("text", ""))
    ledger = list(data.get("ledger", []))
    facts = [e for e in ledger if e.get("role", "fact") == "fact"]
    used = sum(bool(e.get("used_in")) for e in facts)
    items = []
    for e in ledger:
        quotes = _quote(text, e.get("used_in") or [])
        said = "".join(f"<br><small>写入：“{escape(q)}”</small>" for q in quotes)
        if e.get("role", "fact") != "fact":
            role = _ROLE_NOTE.get(e["role"], e["role"])
            items.append(
                _fact_item(e, _USED if quotes else "inherit", "·", f" <small>（{role}）</small>{said}")
            )
        elif quotes:
            items.append(_fact_item(e, _USED, "✓", said))
        else:
            items.append(_fact_item(e, _UNUSED, "○", " <small>（未写入）</small>"))
    head = f"<p><b>事实台账</b>：{len(facts)} 条事实"
    head += (
        f"，{used} 条已写入，<b>{len(facts) - used} 条未写入</b>（灰色）。</p>"
        if used < len(facts)
        else "，全部已写入（所在的句子附在各条下）。</p>"
    )
    return (
        f'<div class="fact-ledger">{head}<ul style="list-style:none;padding-left:0">{"".join(items)}</ul>'
        f"{_repairs_html(data.get('repairs', []))}{_placeholders_html(list(data.get('placeholders', [])))}</div>"
    )


def _repairs_html(repairs: Sequence[Mapping[str, str]]) -> str:
    rows = list(
        dict.fromkeys(
            tuple(r.get(k, "") for k in ("sentence", "reason", "action", "replacement")) for r in repairs
        )
    )
    if not rows:
        return ""
    body = "".join(
        f"<tr><td>{escape(s)}</td><td>{escape(why)}</td><td>{escape(ACTION_LABEL.get(a, a))}</td>"
        f"<td>{escape(new) or '—'}</td></tr>"
        for s, why, a, new in rows
    )
    return (
        f"<p><b>核对时的修改</b>（{len(rows)} 处：找不到出处的句子已重写或删去）</p>"
        "<table><thead><tr><th>原句</th><th>原因</th><th>处理</th><th>替换为</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )
